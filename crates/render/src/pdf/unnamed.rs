//! A TrueType face to cut subsets from, without glyph names. A `post` table of version 2 names
//! every glyph (WenQuanYi Micro Hei: 540 KB of names for 49,531 glyphs), and `subsetter` reads
//! all of them into a list for every subset it cuts, to copy the few the subset keeps: ≈ 8 % of
//! writing a PDF. Names are for PostScript printers; a PDF addresses an embedded TrueType font by
//! glyph (`Identity-H`) and maps glyphs to text through its `ToUnicode` map, so the subsets are
//! cut from a copy of the face whose `post` table is the same header at version 3 (no names),
//! made once per run. The embedded subsets are then the face's own minus the names (tested).

use ttf_parser::{RawFace, Tag};

/// Version 1.0 of a TrueType-outlined font file.
const TRUETYPE: u32 = 0x0001_0000;

/// Face `index` of `data` as a font file of its own whose `post` table has no glyph names;
/// `None` when its `post` table is not version 2 (no names to drop) or the face cannot be read.
pub(crate) fn without_glyph_names(data: &[u8], index: u32) -> Option<Vec<u8>> {
    let raw = RawFace::parse(data, index).ok()?;
    let post = raw.table(Tag::from_bytes(b"post"))?;
    if post.len() < 32 || post.get(..4)? != [0, 2, 0, 0] {
        return None;
    }
    let mut unnamed_post = post[..32].to_vec();
    unnamed_post[..4].copy_from_slice(&[0, 3, 0, 0]);
    let mut tables = Vec::with_capacity(usize::from(raw.table_records.len()));
    for record in raw.table_records {
        if record.tag == Tag::from_bytes(b"post") {
            tables.push((record.tag, checksum(&unnamed_post), unnamed_post.as_slice()));
            continue;
        }
        let start = usize::try_from(record.offset).ok()?;
        let end = start.checked_add(usize::try_from(record.length).ok()?)?;
        tables.push((record.tag, record.check_sum, data.get(start..end)?));
    }
    tables.sort_by_key(|(tag, _, _)| *tag);
    Some(font_file(&tables))
}

/// An sfnt file of `tables` (sorted by tag): the offset table, the table records, then each
/// table padded to four bytes.
fn font_file(tables: &[(Tag, u32, &[u8])]) -> Vec<u8> {
    let count = u16::try_from(tables.len()).unwrap_or(u16::MAX);
    let selector = count.max(1).ilog2() as u16;
    let search_range = (1u16 << selector) * 16;
    let directory = 12 + 16 * tables.len();
    let size = directory
        + tables
            .iter()
            .map(|t| t.2.len().next_multiple_of(4))
            .sum::<usize>();
    let mut out = Vec::with_capacity(size);
    out.extend_from_slice(&TRUETYPE.to_be_bytes());
    for field in [count, search_range, selector, count * 16 - search_range] {
        out.extend_from_slice(&field.to_be_bytes());
    }
    let mut offset = directory;
    for (tag, sum, bytes) in tables {
        out.extend_from_slice(&tag.to_bytes());
        out.extend_from_slice(&sum.to_be_bytes());
        // Offsets fit: the tables come from one file whose offsets are 32-bit.
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
        offset += bytes.len().next_multiple_of(4);
    }
    for (_, _, bytes) in tables {
        out.extend_from_slice(bytes);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    out
}

/// The OpenType table checksum: the sum of the table's big-endian 32-bit words, zero-padded.
fn checksum(bytes: &[u8]) -> u32 {
    bytes.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use subsetter::GlyphRemapper;

    const BUNDLED: &[u8] = include_bytes!("../../../../assets/fonts/wqy-microhei.ttc");

    /// Both faces of the bundled collection: the copy reads as the same face (glyph count,
    /// character map, advances, outlines), and a subset cut from it is the one cut from the
    /// face with the glyph names dropped — every other table byte for byte.
    #[test]
    fn subsets_of_the_copy_are_the_faces_without_names() -> Result<(), Box<dyn std::error::Error>> {
        for index in 0..2 {
            let copy = without_glyph_names(BUNDLED, index).ok_or("no copy")?;
            let face = ttf_parser::Face::parse(BUNDLED, index)?;
            let same = ttf_parser::Face::parse(&copy, 0)?;
            assert_eq!(face.number_of_glyphs(), same.number_of_glyphs());
            for c in "绩效目标审核意见书（2024年）：≥95%Ab".chars() {
                let glyph = face.glyph_index(c).ok_or("unmapped")?;
                assert_eq!(same.glyph_index(c), Some(glyph));
                assert_eq!(face.glyph_hor_advance(glyph), same.glyph_hor_advance(glyph));
                assert_eq!(
                    face.glyph_bounding_box(glyph),
                    same.glyph_bounding_box(glyph)
                );
            }
            let glyphs: Vec<u16> = "绩效目标审核意见书（2024年）：≥95%"
                .chars()
                .filter_map(|c| face.glyph_index(c).map(|g| g.0))
                .collect();
            let used = GlyphRemapper::new_from_glyphs(&glyphs);
            let theirs = subsetter::subset(BUNDLED, index, &used)?;
            let ours = subsetter::subset(&copy, 0, &used)?;
            let (theirs, ours) = (RawFace::parse(&theirs, 0)?, RawFace::parse(&ours, 0)?);
            let tags = |raw: &RawFace| -> Vec<Tag> {
                raw.table_records.into_iter().map(|r| r.tag).collect()
            };
            assert_eq!(tags(&theirs), tags(&ours));
            for tag in tags(&theirs) {
                let (a, b) = (
                    theirs.table(tag).ok_or("no table")?,
                    ours.table(tag).ok_or("no table")?,
                );
                if tag == Tag::from_bytes(b"post") {
                    assert_eq!(&a[..4], [0, 2, 0, 0]);
                    assert_eq!(b.len(), 32);
                    assert_eq!((&b[..4], &b[4..]), (&[0u8, 3, 0, 0][..], &a[4..32]));
                } else if tag != Tag::from_bytes(b"head") {
                    assert!(a == b, "{tag} differs");
                } else {
                    // The checksum adjustment covers the whole file, names included.
                    assert_eq!((&a[..8], &a[12..]), (&b[..8], &b[12..]));
                }
            }
        }
        Ok(())
    }

    /// A face without glyph names needs no copy, and its copy's copy is not made.
    #[test]
    fn a_face_without_names_is_left_as_it_is() -> Result<(), Box<dyn std::error::Error>> {
        let copy = without_glyph_names(BUNDLED, 0).ok_or("no copy")?;
        assert!(without_glyph_names(&copy, 0).is_none());
        assert!(without_glyph_names(b"not a font", 0).is_none());
        Ok(())
    }

    /// The checksum is the sum of big-endian words, the last zero-padded.
    #[test]
    fn checksums_pad_the_last_word() {
        assert_eq!(checksum(&[]), 0);
        assert_eq!(checksum(&[0, 0, 1, 0, 0, 0, 0, 2]), 0x102);
        assert_eq!(checksum(&[0xff, 0xff, 0xff, 0xff, 1]), 0x0100_0000 - 1);
    }
}
