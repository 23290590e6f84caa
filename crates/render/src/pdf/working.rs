//! A CFF face's working copy: the glyphs of the characters a run prints (`characters.rs`) and of
//! the punctuation and symbol blocks official text uses, subset once per run from the installed
//! face, which desubroutinises them. Each PDF's subset is then cut from this copy instead of from
//! the whole face: `subsetter` spends most of its time decompiling every kept glyph through the
//! face's subroutines, and a face such as Noto Serif CJK has 65,000 glyphs sharing thousands of
//! them. A department's packet (540 glyphs) took 3.8 ms to subset from the installed face; cut
//! from the copy it takes a few hundredths of that, and the copy of what the samples print
//! (≈ 2,700 glyphs) ≈ 25 ms for both faces. A PDF using a glyph outside the copy is subset from
//! the installed face as before (the same bytes). TrueType faces need none: their glyphs are
//! copied as they are.
//!
//! The copy keeps the subset codes: a PDF's codes number its glyphs in first-use order whichever
//! font they are cut from, so content streams, widths and ToUnicode maps do not change. Subsets
//! are cut from the copy's CFF table by copying (`cff.rs`): the same bytes `subsetter` writes,
//! ≈ 50 times faster.

use rustc_hash::FxHashMap;
use subsetter::GlyphRemapper;

use super::cff::WorkingCff;
use super::characters::Characters;
use super::fonts::Face;

/// The working copy of one face.
pub(crate) struct WorkingFont {
    /// The copy's CFF table, holding the glyphs below.
    cff: WorkingCff,
    /// Glyph of the installed face → glyph of the copy.
    gids: FxHashMap<u16, u16>,
}

impl WorkingFont {
    /// The copy of `face` for the characters [`in_working_set`] accepts; `None` when the face
    /// cannot be subset (the PDF then subsets the installed face and reports its error).
    pub(crate) fn of(face: &Face, printed: &Characters) -> Option<WorkingFont> {
        let glyphs = working_glyphs(face, printed);
        let remapper = GlyphRemapper::new_from_glyphs(&glyphs);
        let data = subsetter::subset(&face.data, face.index, &remapper).ok()?;
        let cff = WorkingCff::parse(cff_table(&data)?)?;
        let gids = std::iter::once(0)
            .chain(glyphs)
            .filter_map(|g| remapper.get(g).map(|w| (g, w)))
            .collect();
        Some(WorkingFont { cff, gids })
    }

    /// The CFF table of the subset drawing `used` (glyphs of the installed face, numbered as
    /// `used` numbers them); `None` when the copy lacks one of them.
    pub(crate) fn subset(&self, used: &GlyphRemapper) -> Option<Vec<u8>> {
        self.cff.subset(&self.glyphs(used)?)
    }

    /// `used`'s glyphs as glyphs of the copy, in code order.
    fn glyphs(&self, used: &GlyphRemapper) -> Option<Vec<u16>> {
        used.remapped_gids()
            .map(|gid| self.gids.get(&gid).copied())
            .collect()
    }
}

/// The glyphs of `face` the copy holds, ascending.
fn working_glyphs(face: &Face, printed: &Characters) -> Vec<u16> {
    let mut glyphs: Vec<u16> = face
        .characters()
        .filter(|(c, _)| in_working_set(*c, printed))
        .map(|(_, g)| g)
        .collect();
    glyphs.sort_unstable();
    glyphs.dedup();
    glyphs
}

/// The CFF table of an OpenType font file.
pub(crate) fn cff_table(font: &[u8]) -> Option<&[u8]> {
    ttf_parser::RawFace::parse(font, 0)
        .ok()?
        .table(ttf_parser::Tag::from_bytes(b"CFF "))
}

/// Whether the working copy holds `c`: what the run prints, and the blocks official text takes
/// its punctuation, symbols and figures from whatever it prints — Latin, Greek, the general
/// punctuation, letterlike and number forms, arrows, mathematical operators, enclosed
/// alphanumerics, box drawing and shapes (`≥`, `①`, `□`, `℃`, `Ⅲ`), the CJK symbols and
/// punctuation, enclosed CJK letters and compatibility units (`〔〕`, `㈠`, `㎡`) and the fullwidth
/// forms.
fn in_working_set(c: char, printed: &Characters) -> bool {
    let cp = u32::from(c);
    cp < 0x0250
        || (0x0370..0x0400).contains(&cp)
        || (0x2000..0x2C00).contains(&cp)
        || (0x3000..0x3040).contains(&cp)
        || (0x3200..0x3400).contains(&cp)
        || (0xFF00..0xFFF0).contains(&cp)
        || printed.contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::fonts::FontSet;

    /// With an installed CFF face (Noto CJK here), a subset cut from the working copy is the
    /// CFF table `subsetter` cuts from the face: for official text, for `.notdef` alone, and
    /// for glyph sets drawn at random in random order from every font dict of the copy. A rare
    /// character sends the PDF back to the face.
    #[test]
    fn subsets_from_the_working_copy_are_the_faces_own() -> Result<(), Box<dyn std::error::Error>> {
        let fonts = FontSet::resolve(
            &Default::default(),
            std::path::Path::new("."),
            &mut Vec::new(),
        )?;
        let cff_faces: Vec<_> = fonts.faces.iter().filter(|f| f.metrics.cff).collect();
        if cff_faces.is_empty() {
            eprintln!("no CFF face installed: the working copy is not used on this machine");
            return Ok(());
        }
        // A run printing the text below and the first 4,600 hanzi of the unified block.
        let printed = Characters::default();
        printed.note_str("绩效目标审核意见书（2024年）：≥95%");
        (0x4E00..0x6000)
            .filter_map(char::from_u32)
            .for_each(|c| printed.note_str(c.encode_utf8(&mut [0; 4])));
        for face in cff_faces {
            let working = WorkingFont::of(face, &printed).ok_or("no working copy")?;
            let glyphs = working_glyphs(face, &printed);
            let text: Vec<u16> = "绩效目标审核意见书（2024年）：≥95%"
                .chars()
                .filter_map(|c| face.glyph(c))
                .collect();
            let mut sets = vec![text, Vec::new()];
            let mut state = 0x9e37_79b9_7f4a_7c15_u64;
            for size in [1, 7, 60, 540, 3000] {
                let mut set = Vec::with_capacity(size);
                for _ in 0..size {
                    // xorshift64: a fixed sequence, so a failure can be replayed.
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    set.push(glyphs[(state % glyphs.len() as u64) as usize]);
                }
                sets.push(set);
            }
            for set in sets {
                let used = GlyphRemapper::new_from_glyphs(&set);
                let theirs = subsetter::subset(&face.data, face.index, &used)?;
                let ours = working.subset(&used).ok_or("the copy lacks a glyph")?;
                assert!(
                    Some(ours.as_slice()) == cff_table(&theirs),
                    "{}: {} glyphs cut differently",
                    face.name,
                    used.num_gids()
                );
            }
            if let Some(rare) = face.glyph('䶮') {
                let mut used = GlyphRemapper::new();
                used.remap(rare);
                assert!(working.subset(&used).is_none());
            }
        }
        Ok(())
    }

    /// The copy holds what the run prints and official text's punctuation, symbols and figures,
    /// printed or not; no other hanzi.
    #[test]
    fn the_working_set_holds_what_is_printed_and_official_symbols() {
        let printed = Characters::default();
        printed.note_str("绩效目标表项目名称万元号堃");
        for c in "绩效目标表项目名称，（万元）≥95%ABC□①〔2020〕10号℃Ⅲ㎡㈠αé·—…“”《》、。堃".chars()
        {
            assert!(in_working_set(c, &printed), "{c}");
        }
        for c in ['乙', '䶮', '𠀀', 'あ', '가'] {
            assert!(!in_working_set(c, &printed), "{c}");
        }
    }
}
