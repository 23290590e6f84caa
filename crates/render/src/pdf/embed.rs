//! The PDF's embedded fonts, written here rather than by printpdf: each face used becomes a Type 0
//! font over a CID font whose program is a subset (the `subsetter` crate, as typst uses) holding
//! only the glyphs drawn. Character codes are the subset's glyph ids (Identity-H; `subsetter`
//! keeps CID = glyph id for CFF too), widths come from the face's `hmtx` as read once per run, and
//! a ToUnicode map makes the text extractable and searchable. A CFF face's subset is cut from its
//! working copy by copying (`working.rs`, `cff.rs`) whenever the copy holds every glyph drawn.
//!
//! printpdf's own font path decoded every used glyph's outline to learn its width (a third of the
//! PDF's time for CFF fonts such as Noto CJK); this one reads no outline.

use lopdf::{Dictionary, Object, ObjectId, Stream};
use subsetter::GlyphRemapper;

use super::fonts::Face;
use super::working::cff_table;
use crate::RenderError;

/// The glyphs one document draws with one face, numbered as the subset will number them.
pub(super) struct UsedGlyphs {
    remapper: GlyphRemapper,
    /// The character of each subset glyph (index = code); `.notdef` has none.
    text: Vec<Option<char>>,
}

impl Default for UsedGlyphs {
    fn default() -> Self {
        UsedGlyphs {
            remapper: GlyphRemapper::new(),
            text: vec![None],
        }
    }
}

impl UsedGlyphs {
    /// The code that draws glyph `gid` of the face; `c` is the character it stands for.
    pub(super) fn code(&mut self, gid: u16, c: char) -> u16 {
        let code = self.remapper.remap(gid);
        if usize::from(code) == self.text.len() {
            self.text.push(Some(c));
        }
        code
    }
}

/// Adds the Type 0 font of `face` drawing `used` to `doc`, named `tag` (six capitals, the subset
/// prefix); returns its object id. A subset the face's working copy cannot cut is counted in
/// `missed_copy`.
pub(super) fn add_font(
    doc: &mut lopdf::Document,
    face: &Face,
    used: &UsedGlyphs,
    tag: &str,
    missed_copy: &std::sync::atomic::AtomicUsize,
) -> Result<ObjectId, RenderError> {
    let error = |message: String| RenderError::Font {
        name: face.name.clone(),
        message,
    };
    let m = &face.metrics;
    let program = if m.cff {
        // Cut from the face's working copy when it holds every glyph (the same bytes either way).
        let cff = match face.working().map(|w| w.subset(&used.remapper)) {
            Some(Some(cff)) => cff,
            cut => {
                if cut.is_some() {
                    missed_copy.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                let subset = subsetter::subset(&face.data, face.index, &used.remapper)
                    .map_err(|e| error(format!("cannot subset: {e}")))?;
                cff_table(&subset)
                    .ok_or_else(|| error("its subset has no CFF table".into()))?
                    .to_vec()
            }
        };
        let mut dict = Dictionary::new();
        dict.set("Subtype", Object::Name(b"CIDFontType0C".to_vec()));
        Stream::new(dict, cff)
    } else {
        let (data, index) = face.truetype_source();
        let subset = subsetter::subset(data, index, &used.remapper)
            .map_err(|e| error(format!("cannot subset: {e}")))?;
        let mut dict = Dictionary::new();
        dict.set("Length1", Object::Integer(subset.len() as i64));
        Stream::new(dict, subset)
    };
    let program_id = doc.add_object(program);

    let name = base_font_name(tag, &m.postscript_name);
    let scale = 1000.0 / m.units_per_em;
    let units = |v: f32| Object::Integer((v * scale).round() as i64);
    let descriptor = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"FontDescriptor".to_vec())),
        ("FontName", Object::Name(name.clone().into_bytes())),
        // Symbolic: the glyphs are addressed by code, not by a standard encoding.
        ("Flags", Object::Integer(4)),
        (
            "FontBBox",
            Object::Array(m.bbox.iter().map(|v| units(*v)).collect()),
        ),
        ("ItalicAngle", Object::Real(m.italic_angle)),
        ("Ascent", units(m.ascent)),
        ("Descent", units(m.descent)),
        ("CapHeight", units(m.cap_height)),
        ("StemV", Object::Integer(80)),
        (
            if m.cff { "FontFile3" } else { "FontFile2" },
            Object::Reference(program_id),
        ),
    ]);
    let descriptor_id = doc.add_object(descriptor);

    // Codes are consecutive from 0 in the order `remapped_gids` yields their original glyphs.
    let widths: Vec<Object> = used
        .remapper
        .remapped_gids()
        .map(|gid| units(f32::from(face.advance_units(gid))))
        .collect();
    let mut cid_font = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Font".to_vec())),
        (
            "Subtype",
            Object::Name(if m.cff {
                b"CIDFontType0".to_vec()
            } else {
                b"CIDFontType2".to_vec()
            }),
        ),
        ("BaseFont", Object::Name(name.clone().into_bytes())),
        (
            "CIDSystemInfo",
            Object::Dictionary(Dictionary::from_iter(vec![
                ("Registry", Object::string_literal("Adobe")),
                ("Ordering", Object::string_literal("Identity")),
                ("Supplement", Object::Integer(0)),
            ])),
        ),
        ("FontDescriptor", Object::Reference(descriptor_id)),
        (
            "W",
            Object::Array(vec![Object::Integer(0), Object::Array(widths)]),
        ),
    ]);
    if !m.cff {
        cid_font.set("CIDToGIDMap", Object::Name(b"Identity".to_vec()));
    }
    let cid_font_id = doc.add_object(cid_font);

    let to_unicode_id = doc.add_object(Stream::new(
        Dictionary::new(),
        to_unicode(&used.text).into_bytes(),
    ));
    let type0_name = if m.cff {
        format!("{name}-Identity-H")
    } else {
        name
    };
    let type0 = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"Type0".to_vec())),
        ("BaseFont", Object::Name(type0_name.into_bytes())),
        ("Encoding", Object::Name(b"Identity-H".to_vec())),
        (
            "DescendantFonts",
            Object::Array(vec![Object::Reference(cid_font_id)]),
        ),
        ("ToUnicode", Object::Reference(to_unicode_id)),
    ]);
    Ok(doc.add_object(type0))
}

/// `JXAAAA+NotoSansCJKsc-Regular`: the subset tag and the face's PostScript name (characters PDF
/// names cannot hold dropped).
fn base_font_name(tag: &str, postscript: &str) -> String {
    let clean: String = postscript
        .chars()
        .filter(|c| c.is_ascii_graphic() && !"()<>[]{}/%#".contains(*c))
        .take(100)
        .collect();
    if clean.is_empty() {
        format!("{tag}+Font")
    } else {
        format!("{tag}+{clean}")
    }
}

/// The ToUnicode CMap: each code's character as UTF-16BE, in blocks of at most 100 entries.
fn to_unicode(text: &[Option<char>]) -> String {
    let entries: Vec<(usize, char)> = text
        .iter()
        .enumerate()
        .filter_map(|(code, c)| Some((code, (*c)?)))
        .collect();
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    // Written in place (`write!` into a `String` cannot fail), not a `format!` per entry.
    use std::fmt::Write as _;
    for block in entries.chunks(100) {
        let _ = writeln!(out, "{} beginbfchar", block.len());
        for (code, t) in block {
            let _ = write!(out, "<{code:04X}> <");
            for unit in t.encode_utf16(&mut [0; 2]) {
                let _ = write!(out, "{unit:04X}");
            }
            out.push_str(">\n");
        }
        out.push_str("endbfchar\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unicode_map_holds_every_code_with_text_in_utf16() {
        let text = vec![None, Some('中'), Some('𠀀')];
        let cmap = to_unicode(&text);
        // Two entries: `.notdef` (code 0) has no text.
        assert!(cmap.contains("2 beginbfchar\n<0001> <4E2D>\n<0002> <D840DC00>\nendbfchar"));
    }

    #[test]
    fn base_font_names_keep_only_what_a_pdf_name_may_hold() {
        assert_eq!(
            base_font_name("JXAAAA", "Noto Sans(CJK)"),
            "JXAAAA+NotoSansCJK"
        );
        assert_eq!(base_font_name("JXAAAB", ""), "JXAAAB+Font");
    }

    #[test]
    fn codes_number_glyphs_in_first_use_order_after_notdef() {
        let mut used = UsedGlyphs::default();
        assert_eq!(used.code(500, '中'), 1);
        assert_eq!(used.code(20, 'a'), 2);
        assert_eq!(used.code(500, '中'), 1);
        assert_eq!(used.text, vec![None, Some('中'), Some('a')]);
    }
}
