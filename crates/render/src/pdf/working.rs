//! A CFF face's working copy: the glyphs of the characters Chinese official text is written in,
//! subset once per run from the installed face, which desubroutinises them. Each PDF's subset
//! is then cut from this copy instead of from the whole face: `subsetter` spends most of its time
//! decompiling every kept glyph through the face's subroutines, and a face such as Noto Serif CJK
//! has 65,000 glyphs sharing thousands of them. Measured on a department's packet (540 glyphs):
//! 3.8 ms per subset from the installed face, 2.8 ms from the working copy, whose making costs
//! ≈ 0.1 s once. A PDF using a glyph outside the copy (a rare character in a name) is subset
//! from the installed face as before. TrueType faces need none: their glyphs are copied as they
//! are.
//!
//! The copy keeps the subset codes: a PDF's codes number its glyphs in first-use order whichever
//! font they are cut from, so content streams, widths and ToUnicode maps do not change.

use rustc_hash::FxHashMap;
use subsetter::GlyphRemapper;

use super::fonts::Face;

/// The working copy of one face.
pub(crate) struct WorkingFont {
    /// A font file (OpenType with a CFF table) holding the glyphs below.
    pub data: Vec<u8>,
    /// Glyph of the installed face → glyph of the copy.
    gids: FxHashMap<u16, u16>,
}

impl WorkingFont {
    /// The copy of `face` for the characters [`in_working_set`] accepts; `None` when the face
    /// cannot be subset (the PDF then subsets the installed face and reports its error).
    pub(crate) fn of(face: &Face) -> Option<WorkingFont> {
        let mut glyphs: Vec<u16> = face
            .characters()
            .filter(|(c, _)| in_working_set(*c))
            .map(|(_, g)| g)
            .collect();
        glyphs.sort_unstable();
        glyphs.dedup();
        let remapper = GlyphRemapper::new_from_glyphs(&glyphs);
        let data = subsetter::subset(&face.data, face.index, &remapper).ok()?;
        let gids = std::iter::once(0)
            .chain(glyphs)
            .filter_map(|g| remapper.get(g).map(|w| (g, w)))
            .collect();
        Some(WorkingFont { data, gids })
    }

    /// `used`'s glyphs as glyphs of the copy, numbered as `used` numbers them; `None` when the
    /// copy lacks one of them.
    pub(crate) fn remap(&self, used: &GlyphRemapper) -> Option<GlyphRemapper> {
        let mut remapper = GlyphRemapper::new();
        for (code, gid) in used.remapped_gids().enumerate() {
            let working = *self.gids.get(&gid)?;
            if usize::from(remapper.remap(working)) != code {
                return None;
            }
        }
        Some(remapper)
    }
}

/// Whether the working copy holds `c`: everything below the CJK ideographs (Latin, punctuation,
/// symbols, the CJK symbols and kana), the 6,763 hanzi of GB 2312, and the fullwidth forms.
fn in_working_set(c: char) -> bool {
    let cp = u32::from(c);
    cp < 0x3400 || (0xFF00..=0xFFEF).contains(&cp) || (0x4E00..=0x9FA5).contains(&cp) && gb2312(c)
}

/// Whether GB 2312 encodes `c` (two bytes in A1–F7 / A1–FE under GBK).
fn gb2312(c: char) -> bool {
    let mut buf = [0u8; 4];
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(c.encode_utf8(&mut buf));
    !unmappable
        && matches!(*bytes, [lead, trail] if (0xA1..=0xF7).contains(&lead) && (0xA1..=0xFE).contains(&trail))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::fonts::FontSet;

    /// With an installed CFF face (Noto CJK here), a subset cut from the working copy is the
    /// subset cut from the face; a rare character sends the PDF back to the face.
    #[test]
    fn subsets_from_the_working_copy_are_the_faces_own() -> Result<(), Box<dyn std::error::Error>> {
        let fonts = FontSet::resolve(
            &Default::default(),
            std::path::Path::new("."),
            &mut Vec::new(),
        )?;
        let Some(face) = fonts.faces.iter().find(|f| f.metrics.cff) else {
            eprintln!("no CFF face installed: the working copy is not used on this machine");
            return Ok(());
        };
        let working = WorkingFont::of(face).ok_or("no working copy")?;
        let mut used = GlyphRemapper::new();
        for c in "绩效目标审核意见书（2024年）：≥95%".chars() {
            if let Some(g) = face.glyph(c) {
                used.remap(g);
            }
        }
        let remapped = working.remap(&used).ok_or("the copy lacks a glyph")?;
        assert_eq!(
            subsetter::subset(&working.data, 0, &remapped)?,
            subsetter::subset(&face.data, face.index, &used)?
        );
        if let Some(rare) = face.glyph('䶮') {
            used.remap(rare);
            assert!(working.remap(&used).is_none());
        }
        Ok(())
    }

    #[test]
    fn the_working_set_holds_official_text_and_not_rare_characters() {
        for c in "绩效目标表项目名称，（万元）≥95%ABC□①〔2020〕10号".chars()
        {
            assert!(in_working_set(c), "{c}");
        }
        // 䶮 (Ext A) and 堃 (GBK, not GB 2312): subset from the installed face.
        for c in ['䶮', '堃', '𠀀'] {
            assert!(!in_working_set(c), "{c}");
        }
    }
}
