//! Subsets of a working copy's CFF table, cut by copying. The working copy (`working.rs`) is
//! itself a `subsetter` subset: a CID-keyed CFF without subroutines, whose charstrings, private
//! dicts and font matrices are already in the form `subsetter` writes. Cutting a PDF's subset from
//! it therefore needs no charstring to be decompiled and compiled again (what `subsetter` spends
//! most of its time on, a fifth of a packet run): the kept glyphs' charstrings and the used font
//! dicts' private dicts are copied as they are, and the tables around them (strings, charset,
//! FDSelect, FDArray, offsets) are written the way `subsetter` writes them, so the bytes are the
//! ones `subsetter` would produce (tested glyph set by glyph set against it).
//!
//! A table this reader does not recognise as such a copy (subroutines, an FDSelect other than
//! format 0, offsets not written as 5-byte integers) is not used: the PDF then subsets with
//! `subsetter` as before.

use std::ops::Range;

/// The first string id that is not one of CFF's 391 standard strings.
const FIRST_CUSTOM_SID: u16 = 391;

/// Dict operators read or written here (`12 x` as `0x0c00 | x`).
const NOTICE: u16 = 1;
const CHARSET: u16 = 15;
const CHAR_STRINGS: u16 = 17;
const PRIVATE: u16 = 18;
const SUBRS: u16 = 19;
const COPYRIGHT: u16 = 0x0c00;
const FONT_MATRIX: u16 = 0x0c07;
const FD_ARRAY: u16 = 0x0c24;
const FD_SELECT: u16 = 0x0c25;
const FONT_NAME: u16 = 0x0c26;

/// A working copy's CFF table, read once.
pub(crate) struct WorkingCff {
    data: Vec<u8>,
    /// The Name INDEX, copied.
    names: Range<usize>,
    /// The Top DICT, copied but for the four offsets at `top_slots` (charset, CharStrings,
    /// FDArray, FDSelect; each the position of a 5-byte integer within the dict).
    top: Range<usize>,
    top_slots: [usize; 4],
    /// String ids the Top DICT names (copyright, font name, notice: the order `subsetter`
    /// numbers them in).
    top_sids: Vec<u16>,
    strings: Vec<Range<usize>>,
    font_dicts: Vec<FontDict>,
    /// Each glyph's font dict (FDSelect format 0).
    fd_select: Range<usize>,
    /// Each glyph's charstring.
    char_strings: Vec<Range<usize>>,
}

/// One entry of the FDArray.
struct FontDict {
    /// The `FontMatrix` operands and operator, copied.
    matrix: Range<usize>,
    private: Range<usize>,
    font_name: Option<u16>,
}

impl WorkingCff {
    /// Reads `table`; `None` when it is not a subroutine-free CID-keyed CFF as `subsetter` writes.
    pub(crate) fn parse(table: &[u8]) -> Option<WorkingCff> {
        let data = table.to_vec();
        if *data.first()? != 1 {
            return None;
        }
        let mut at = usize::from(*data.get(2)?);
        let names_start = at;
        read_index(&data, &mut at)?;
        let names = names_start..at;
        let top = match read_index(&data, &mut at)?.as_slice() {
            [top] => top.clone(),
            _ => return None,
        };
        let strings = read_index(&data, &mut at)?;
        if !read_index(&data, &mut at)?.is_empty() {
            return None; // global subroutines
        }

        let mut offsets = [None; 4];
        let mut top_slots = [0; 4];
        let mut sids = [None; 3];
        for entry in dict_entries(&data[top.clone()]) {
            let entry = entry?;
            let slot = match entry.op {
                CHARSET => 0,
                CHAR_STRINGS => 1,
                FD_ARRAY => 2,
                FD_SELECT => 3,
                COPYRIGHT | FONT_NAME | NOTICE => {
                    let which = [COPYRIGHT, FONT_NAME, NOTICE]
                        .iter()
                        .position(|o| *o == entry.op)?;
                    sids[which] = Some(entry.sid()?);
                    continue;
                }
                _ => continue,
            };
            let [(start, value)] = entry.operands.as_slice() else {
                return None;
            };
            if data[top.start + start] != 29 {
                return None; // not a 5-byte integer: cannot be patched in place
            }
            top_slots[slot] = *start;
            offsets[slot] = Some(usize::try_from(*value).ok()?);
        }
        let [
            Some(_),
            Some(char_strings_at),
            Some(fd_array_at),
            Some(fd_select_at),
        ] = offsets
        else {
            return None;
        };

        let char_strings = read_index(&data, &mut { char_strings_at })?;
        let glyphs = char_strings.len();
        if *data.get(fd_select_at)? != 0 {
            return None; // FDSelect format 3
        }
        let fd_select = fd_select_at + 1..fd_select_at + 1 + glyphs;
        data.get(fd_select.clone())?;
        let font_dicts = read_index(&data, &mut { fd_array_at })?
            .into_iter()
            .map(|dict| FontDict::parse(&data, dict))
            .collect::<Option<Vec<_>>>()?;
        if data[fd_select.clone()]
            .iter()
            .any(|fd| usize::from(*fd) >= font_dicts.len())
        {
            return None;
        }
        Some(WorkingCff {
            names,
            top,
            top_slots,
            top_sids: sids.into_iter().flatten().collect(),
            strings,
            font_dicts,
            fd_select,
            char_strings,
            data,
        })
    }

    /// The CFF table holding `glyphs` (glyphs of the copy in code order, `.notdef` first), as
    /// `subsetter` would write it; `None` when a glyph is not in the copy.
    pub(crate) fn subset(&self, glyphs: &[u16]) -> Option<Vec<u8>> {
        let d = &self.data;
        let fd_of = |g: u16| d.get(self.fd_select.start + usize::from(g)).copied();
        let mut used_fds = glyphs
            .iter()
            .map(|g| fd_of(*g))
            .collect::<Option<Vec<u8>>>()?;
        used_fds.sort_unstable();
        used_fds.dedup();

        let mut strings = Strings::new(self);
        for sid in &self.top_sids {
            // The Top DICT is copied, so its strings must keep their ids.
            if strings.remap(*sid)? != *sid {
                return None;
            }
        }
        let fd_names = used_fds
            .iter()
            .map(|fd| match self.font_dicts[usize::from(*fd)].font_name {
                Some(sid) => strings.remap(sid).map(Some),
                None => Some(None),
            })
            .collect::<Option<Vec<_>>>()?;

        let mut w = Vec::with_capacity(self.subset_size_hint(glyphs));
        w.extend_from_slice(&[1, 0, 4, 4]);
        w.extend_from_slice(&d[self.names.clone()]);
        let top_at = write_index(&mut w, &[&d[self.top.clone()]])?;
        write_index(&mut w, &strings.list)?;
        w.extend_from_slice(&[0, 0]); // no global subroutines

        let charset_at = w.len();
        match glyphs.len() {
            0 | 1 => w.push(0),
            n => {
                w.extend_from_slice(&[2, 0, 1]);
                w.extend_from_slice(&u16::try_from(n - 2).ok()?.to_be_bytes());
            }
        }

        let mut privates = Vec::with_capacity(used_fds.len());
        for fd in &used_fds {
            let private = &d[self.font_dicts[usize::from(*fd)].private.clone()];
            privates.push((w.len(), private.len()));
            w.extend_from_slice(private);
        }

        let fd_select_at = w.len();
        w.push(0);
        for g in glyphs {
            let fd = fd_of(*g)?;
            w.push(u8::try_from(used_fds.binary_search(&fd).ok()?).ok()?);
        }

        let fd_array_at = w.len();
        let dicts = used_fds
            .iter()
            .zip(&privates)
            .zip(&fd_names)
            .map(|((fd, (offset, len)), name)| {
                let dict = &self.font_dicts[usize::from(*fd)];
                let mut out = d[dict.matrix.clone()].to_vec();
                write_int5(&mut out, *len)?;
                write_int5(&mut out, *offset)?;
                out.push(PRIVATE as u8);
                if let Some(sid) = name {
                    write_int(&mut out, i32::from(*sid));
                    out.extend_from_slice(&FONT_NAME.to_be_bytes());
                }
                Some(out)
            })
            .collect::<Option<Vec<_>>>()?;
        write_index(&mut w, &dicts.iter().map(Vec::as_slice).collect::<Vec<_>>())?;

        let char_strings_at = w.len();
        let kept = glyphs
            .iter()
            .map(|g| Some(&d[self.char_strings.get(usize::from(*g))?.clone()]))
            .collect::<Option<Vec<_>>>()?;
        write_index(&mut w, &kept)?;

        let values = [charset_at, char_strings_at, fd_array_at, fd_select_at];
        for (slot, value) in self.top_slots.iter().zip(values) {
            let at = top_at + slot + 1;
            let value = i32::try_from(value).ok()?;
            w.get_mut(at..at + 4)?.copy_from_slice(&value.to_be_bytes());
        }
        Some(w)
    }

    fn subset_size_hint(&self, glyphs: &[u16]) -> usize {
        let outlines: usize = glyphs
            .iter()
            .filter_map(|g| self.char_strings.get(usize::from(*g)))
            .map(|r| r.len())
            .sum();
        outlines + 3 * glyphs.len() + 4096
    }
}

impl FontDict {
    fn parse(data: &[u8], dict: Range<usize>) -> Option<FontDict> {
        let (mut matrix, mut private, mut font_name) = (None, None, None);
        for entry in dict_entries(&data[dict.clone()]) {
            let entry = entry?;
            match entry.op {
                FONT_MATRIX => {
                    matrix = Some(dict.start + entry.span.start..dict.start + entry.span.end)
                }
                PRIVATE => {
                    let [(_, len), (_, offset)] = entry.operands.as_slice() else {
                        return None;
                    };
                    let start = usize::try_from(*offset).ok()?;
                    let range = start..start.checked_add(usize::try_from(*len).ok()?)?;
                    for entry in dict_entries(data.get(range.clone())?) {
                        if entry?.op == SUBRS {
                            return None;
                        }
                    }
                    private = Some(range);
                }
                FONT_NAME => font_name = Some(entry.sid()?),
                _ => {}
            }
        }
        Some(FontDict {
            matrix: matrix?,
            private: private?,
            font_name,
        })
    }
}

/// The string list of a subset, numbered as `subsetter`'s string remapper numbers it: "Adobe" and
/// "Identity" first (the ROS), then each string in the order first asked for, equal strings once.
struct Strings<'a> {
    cff: &'a WorkingCff,
    list: Vec<&'a [u8]>,
    /// Old id → new id, for the ids remapped so far.
    remapped: Vec<(u16, u16)>,
}

impl<'a> Strings<'a> {
    fn new(cff: &'a WorkingCff) -> Strings<'a> {
        Strings {
            cff,
            list: vec![b"Adobe", b"Identity"],
            remapped: Vec::new(),
        }
    }

    /// The new id of working string `sid`; `None` for a standard string (which `subsetter` drops
    /// from the dicts, so the copy has none) or one the copy lacks.
    fn remap(&mut self, sid: u16) -> Option<u16> {
        if let Some((_, new)) = self.remapped.iter().find(|(old, _)| *old == sid) {
            return Some(*new);
        }
        let index = usize::from(sid.checked_sub(FIRST_CUSTOM_SID)?);
        let string = &self.cff.data[self.cff.strings.get(index)?.clone()];
        let position = match self.list.iter().position(|s| *s == string) {
            Some(p) => p,
            None => {
                self.list.push(string);
                self.list.len() - 1
            }
        };
        let new = FIRST_CUSTOM_SID.checked_add(u16::try_from(position).ok()?)?;
        self.remapped.push((sid, new));
        Some(new)
    }
}

/// The entries of an INDEX starting at `*at` (moved past it), as ranges of `data`.
fn read_index(data: &[u8], at: &mut usize) -> Option<Vec<Range<usize>>> {
    let count = usize::from(u16::from_be_bytes([*data.get(*at)?, *data.get(*at + 1)?]));
    *at += 2;
    if count == 0 {
        return Some(Vec::new());
    }
    let size = usize::from(*data.get(*at)?);
    if !(1..=4).contains(&size) {
        return None;
    }
    let offsets_at = *at + 1;
    let base = offsets_at + (count + 1) * size - 1;
    let offset = |i: usize| {
        let bytes = data.get(offsets_at + i * size..offsets_at + (i + 1) * size)?;
        Some(bytes.iter().fold(0usize, |v, b| v << 8 | usize::from(*b)))
    };
    let mut entries = Vec::with_capacity(count);
    let mut start = offset(0)?;
    for i in 1..=count {
        let end = offset(i)?;
        if end < start {
            return None;
        }
        entries.push(base + start..base + end);
        start = end;
    }
    *at = base + start;
    data.get(..*at)?;
    Some(entries)
}

/// Writes an INDEX of `items` as `subsetter` does (the smallest offset size that fits); returns
/// where its data starts.
fn write_index(w: &mut Vec<u8>, items: &[&[u8]]) -> Option<usize> {
    let count = u16::try_from(items.len()).ok()?;
    if count == 0 {
        w.extend_from_slice(&[0, 0]);
        return Some(w.len());
    }
    let last = items.iter().map(|i| i.len()).sum::<usize>() + 1;
    let size: usize = match last {
        0..=0xff => 1,
        0x100..=0xffff => 2,
        0x1_0000..=0xff_ffff => 3,
        _ => 4,
    };
    w.extend_from_slice(&count.to_be_bytes());
    w.push(size as u8);
    let mut offset = 1usize;
    let push = |w: &mut Vec<u8>, offset: usize| {
        w.extend_from_slice(&offset.to_be_bytes()[std::mem::size_of::<usize>() - size..]);
    };
    push(w, offset);
    for item in items {
        offset += item.len();
        push(w, offset);
    }
    let data_at = w.len();
    for item in items {
        w.extend_from_slice(item);
    }
    Some(data_at)
}

/// One entry of a dict: its operator (`12 x` as `0x0c00 | x`), its operands (position in the
/// dict, integer value; a real reads as 0) and the bytes it spans.
struct DictEntry {
    op: u16,
    operands: Vec<(usize, i32)>,
    span: Range<usize>,
}

/// A dict's entries, `None` for bytes that are not a dict.
fn dict_entries(dict: &[u8]) -> impl Iterator<Item = Option<DictEntry>> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= dict.len() {
            return None;
        }
        let start = at;
        let mut operands = Vec::new();
        loop {
            let Some(&b) = dict.get(at) else {
                return Some(None); // operands without an operator
            };
            let op = match b {
                12 => {
                    at += 1;
                    0x0c00 | u16::from(*dict.get(at)?)
                }
                0..=27 | 31 | 255 => u16::from(b),
                _ => match read_operand(dict, at) {
                    Some((value, len)) => {
                        operands.push((at, value));
                        at += len;
                        continue;
                    }
                    None => {
                        at = dict.len();
                        return Some(None);
                    }
                },
            };
            at += 1;
            return Some(Some(DictEntry {
                op,
                operands,
                span: start..at,
            }));
        }
    })
}

/// The operand at `at`: its value (0 for a real) and length in bytes.
fn read_operand(dict: &[u8], at: usize) -> Option<(i32, usize)> {
    let byte = |i: usize| dict.get(at + i).copied();
    match byte(0)? {
        28 => Some((i32::from(i16::from_be_bytes([byte(1)?, byte(2)?])), 3)),
        29 => {
            let bytes = dict.get(at + 1..at + 5)?;
            Some((i32::from_be_bytes(bytes.try_into().ok()?), 5))
        }
        30 => {
            let len = dict
                .get(at + 1..)?
                .iter()
                .position(|b| b & 0x0f == 0x0f || b >> 4 == 0x0f)?;
            Some((0, len + 2))
        }
        v @ 32..=246 => Some((i32::from(v) - 139, 1)),
        v @ 247..=250 => Some(((i32::from(v) - 247) * 256 + i32::from(byte(1)?) + 108, 2)),
        v @ 251..=254 => Some((-(i32::from(v) - 251) * 256 - i32::from(byte(1)?) - 108, 2)),
        _ => None,
    }
}

impl DictEntry {
    /// The entry's one operand as a string id.
    fn sid(&self) -> Option<u16> {
        match self.operands.as_slice() {
            [(_, v)] => u16::try_from(*v).ok(),
            _ => None,
        }
    }
}

/// A dict integer as `subsetter` writes it (the shortest encoding).
fn write_int(w: &mut Vec<u8>, v: i32) {
    match v {
        -107..=107 => w.push((v + 139) as u8),
        108..=1131 => {
            let t = v - 108;
            w.extend_from_slice(&[(t / 256 + 247) as u8, (t % 256) as u8]);
        }
        -1131..=-108 => {
            let t = -v - 108;
            w.extend_from_slice(&[(t / 256 + 251) as u8, (t % 256) as u8]);
        }
        -32768..=32767 => {
            w.push(28);
            w.extend_from_slice(&(v as i16).to_be_bytes());
        }
        _ => {
            w.push(29);
            w.extend_from_slice(&v.to_be_bytes());
        }
    }
}

/// A dict integer in five bytes, as `subsetter` writes offsets.
fn write_int5(w: &mut Vec<u8>, v: usize) -> Option<()> {
    w.push(29);
    w.extend_from_slice(&i32::try_from(v).ok()?.to_be_bytes());
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dict_integers_read_back_as_written() -> Result<(), &'static str> {
        for v in [
            -40_000, -32_768, -1132, -1131, -108, -107, 0, 107, 108, 1131, 1132, 32_767, 70_000,
        ] {
            let mut w = Vec::new();
            write_int(&mut w, v);
            assert_eq!(read_operand(&w, 0), Some((v, w.len())), "{v}");
        }
        let mut w = Vec::new();
        write_int5(&mut w, 1234).ok_or("offset")?;
        assert_eq!(read_operand(&w, 0), Some((1234, 5)));
        Ok(())
    }

    #[test]
    fn an_index_reads_back_as_written() -> Result<(), &'static str> {
        let long = vec![7u8; 300];
        for items in [
            vec![],
            vec![&b"Adobe"[..], b"", b"Identity"],
            vec![&long[..], b"x"],
        ] {
            let mut w = vec![0xAA];
            write_index(&mut w, &items).ok_or("index")?;
            let mut at = 1;
            let entries = read_index(&w, &mut at).ok_or("read")?;
            assert_eq!(at, w.len());
            let read: Vec<&[u8]> = entries.into_iter().map(|r| &w[r]).collect();
            assert_eq!(read, items);
        }
        Ok(())
    }

    #[test]
    fn dict_entries_span_their_operands_and_operator() -> Result<(), &'static str> {
        // 1000 1000 0 0 FontMatrix-like two-byte op, then a real and a one-byte op.
        let dict = [0xfa, 0x7c, 0x8b, 0x0c, 0x07, 0x1e, 0x0a, 0x5f, 0x05];
        let entries: Vec<DictEntry> = dict_entries(&dict).collect::<Option<_>>().ok_or("dict")?;
        assert_eq!(entries.len(), 2);
        assert_eq!(
            (entries[0].op, entries[0].span.clone()),
            (FONT_MATRIX, 0..5)
        );
        assert_eq!(entries[0].operands, vec![(0, 1000), (2, 0)]);
        assert_eq!((entries[1].op, entries[1].span.clone()), (5, 5..9));
        assert!(dict_entries(&[0x8b]).any(|e| e.is_none()));
        Ok(())
    }
}
