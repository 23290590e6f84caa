//! CID fonts' glyph widths put in the one form pdf-extract reads right, before it reads any page.
//!
//! A CIDFont's `/W` array mixes two forms (PDF 32000-1, 9.7.4.3): `c [w1 w2 …]` (widths of CIDs
//! `c`, `c+1`, …) and `c_first c_last w` (one width for a range). pdf-extract 0.12.1 reads the second
//! form wrongly (it takes `c_first` as the last CID and the width, and stops before the last), so
//! every glyph of such a range falls back to the font's default width, which Chromium and other
//! Skia-based writers set to 0. The glyphs after one of them in a run of text are then placed on top
//! of it, and a gap opens further on: `2024年1-12月` read `20 24 年1-12 月`, the year was lost
//! and `2024年本级安排` was no funds label. Rewriting `/W` in the first form, with direct numbers,
//! gives pdf-extract the widths the file states; nothing else in the document changes.

use pdf_extract::{Dictionary, Document, Object, ObjectId};

/// CIDs are two bytes.
const LAST_CID: i64 = 0xFFFF;

/// Widths written out per document at most (ranges expanded), so that a file whose fonts give
/// huge ranges cannot make the reader hold more than a few tens of MB for them; fonts past it keep
/// their `/W` as written.
const MAX_EXPANDED: usize = 1 << 20;

/// Rewrites the `/W` of every CIDFont of `doc` that uses the range form or indirect numbers;
/// returns how many fonts were rewritten.
pub(super) fn repair_cid_widths(doc: &mut Document) -> usize {
    let mut budget = MAX_EXPANDED;
    let mut repairs: Vec<(ObjectId, Option<usize>, Object)> = Vec::new();
    for (&id, object) in &doc.objects {
        let Object::Dictionary(dict) = object else {
            continue;
        };
        if let Some(w) = explicit_widths(doc, dict, &mut budget) {
            repairs.push((id, None, w));
        }
        // A CIDFont written inside its Type0 font's `/DescendantFonts` array.
        if let Ok(Object::Array(descendants)) = dict.get(b"DescendantFonts") {
            for (i, d) in descendants.iter().enumerate() {
                if let Object::Dictionary(d) = d
                    && let Some(w) = explicit_widths(doc, d, &mut budget)
                {
                    repairs.push((id, Some(i), w));
                }
            }
        }
    }
    let count = repairs.len();
    for (id, descendant, w) in repairs {
        let Ok(Object::Dictionary(dict)) = doc.get_object_mut(id) else {
            continue;
        };
        let target = match descendant {
            None => Some(dict),
            Some(i) => match dict.get_mut(b"DescendantFonts") {
                Ok(Object::Array(items)) => match items.get_mut(i) {
                    Some(Object::Dictionary(d)) => Some(d),
                    _ => None,
                },
                _ => None,
            },
        };
        if let Some(d) = target {
            d.set("W", w);
        }
    }
    count
}

/// The `/W` of `dict` in the `c [w1 w2 …]` form, when `dict` is a CIDFont whose `/W` needs it
/// (a range, an indirect number or array, a real CID, a truncated entry); `None` otherwise.
fn explicit_widths(doc: &Document, dict: &Dictionary, budget: &mut usize) -> Option<Object> {
    let subtype = dict.get(b"Subtype").ok()?.as_name().ok()?;
    if subtype != b"CIDFontType0" && subtype != b"CIDFontType2" {
        return None;
    }
    let items = resolve(doc, dict.get(b"W").ok()?).as_array().ok()?;
    let mut out = Vec::new();
    let mut changed = false;
    let mut i = 0;
    while i < items.len() {
        let Some(first) = cid(doc, &items[i], &mut changed) else {
            changed = true;
            break;
        };
        let next = items.get(i + 1);
        if let Some(Object::Array(widths)) = next.map(|o| resolve(doc, o)) {
            changed |= matches!(next, Some(Object::Reference(_)));
            let widths: Vec<Object> = widths
                .iter()
                .map(|w| width(doc, w, &mut changed).unwrap_or(Object::Integer(0)))
                .collect();
            *budget = budget.checked_sub(widths.len())?;
            out.push(Object::Integer(first));
            out.push(Object::Array(widths));
            i += 2;
            continue;
        }
        changed = true;
        let last = next.and_then(|o| cid(doc, o, &mut changed));
        let w = items.get(i + 2).and_then(|o| width(doc, o, &mut changed));
        let (Some(last), Some(w)) = (last, w) else {
            break;
        };
        if last >= first {
            let n = usize::try_from(last - first + 1).ok()?;
            *budget = budget.checked_sub(n)?;
            out.push(Object::Integer(first));
            out.push(Object::Array(vec![w; n]));
        }
        i += 3;
    }
    changed.then_some(Object::Array(out))
}

/// The object `o` stands for, one reference followed (never a chain: no loop can start here).
fn resolve<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(o),
        _ => o,
    }
}

/// A CID: a whole number in 0..=65535, written directly (notes `changed` when it was not).
fn cid(doc: &Document, o: &Object, changed: &mut bool) -> Option<i64> {
    let n = match resolve(doc, o) {
        Object::Integer(n) if matches!(o, Object::Integer(_)) => *n,
        Object::Integer(n) => {
            *changed = true;
            *n
        }
        Object::Real(r) if r.is_finite() && r.fract() == 0.0 => {
            *changed = true;
            *r as i64
        }
        _ => return None,
    };
    (0..=LAST_CID).contains(&n).then_some(n)
}

/// A width: a number, written directly (notes `changed` when it was an indirect one).
fn width(doc: &Document, o: &Object, changed: &mut bool) -> Option<Object> {
    let w = resolve(doc, o);
    *changed |= matches!(o, Object::Reference(_));
    match w {
        Object::Integer(_) => Some(w.clone()),
        Object::Real(r) if r.is_finite() => Some(w.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pdf_extract::dictionary;

    fn font(w: Object) -> Object {
        Object::Dictionary(dictionary! {
            "Type" => "Font",
            "Subtype" => "CIDFontType2",
            "DW" => 0,
            "W" => w,
        })
    }

    fn ints(v: &[i64]) -> Object {
        Object::Array(v.iter().map(|&n| Object::Integer(n)).collect())
    }

    fn repaired(doc: &mut Document, id: ObjectId) -> Object {
        doc.get_object(id)
            .and_then(Object::as_dict)
            .and_then(|d| d.get(b"W"))
            .cloned()
            .unwrap_or(Object::Null)
    }

    #[test]
    fn ranges_become_explicit_widths() {
        let mut doc = Document::with_version("1.7");
        // `0 [600 0 0 348] 11 12 457 19 28 695.8`, as Chromium writes it.
        let w = Object::Array(vec![
            Object::Integer(0),
            ints(&[600, 0, 0, 348]),
            Object::Integer(11),
            Object::Integer(12),
            Object::Integer(457),
            Object::Integer(19),
            Object::Integer(28),
            Object::Real(695.8),
        ]);
        let id = doc.add_object(font(w));
        assert_eq!(repair_cid_widths(&mut doc), 1);
        let Object::Array(w) = repaired(&mut doc, id) else {
            panic!("W is an array")
        };
        assert_eq!(w.len(), 6);
        assert_eq!(w[0], Object::Integer(0));
        assert_eq!(w[2], Object::Integer(11));
        assert_eq!(w[3], ints(&[457, 457]));
        assert_eq!(w[4], Object::Integer(19));
        assert_eq!(w[5], Object::Array(vec![Object::Real(695.8); 10]));
    }

    #[test]
    fn explicit_widths_are_left_as_written() {
        let mut doc = Document::with_version("1.7");
        let w = Object::Array(vec![Object::Integer(3), ints(&[250, 500])]);
        let id = doc.add_object(font(w.clone()));
        assert_eq!(repair_cid_widths(&mut doc), 0);
        assert_eq!(repaired(&mut doc, id), w);
    }

    #[test]
    fn indirect_arrays_and_truncated_entries_are_made_readable() {
        let mut doc = Document::with_version("1.7");
        let widths = doc.add_object(ints(&[500, 600]));
        // `5 <ref>` then a range cut short: `9 12`.
        let w = Object::Array(vec![
            Object::Integer(5),
            Object::Reference(widths),
            Object::Integer(9),
            Object::Integer(12),
        ]);
        let id = doc.add_object(font(w));
        assert_eq!(repair_cid_widths(&mut doc), 1);
        assert_eq!(
            repaired(&mut doc, id),
            Object::Array(vec![Object::Integer(5), ints(&[500, 600])])
        );
    }

    #[test]
    fn huge_ranges_stop_at_the_budget() {
        let mut doc = Document::with_version("1.7");
        let mut ids = Vec::new();
        for _ in 0..20 {
            ids.push(doc.add_object(font(ints(&[0, 65535, 1000]))));
        }
        // 16 fonts of 65,536 widths fill the budget; the others keep their `/W`.
        assert_eq!(repair_cid_widths(&mut doc), 16);
        assert_eq!(repaired(&mut doc, ids[19]), ints(&[0, 65535, 1000]));
    }

    #[test]
    fn other_dictionaries_are_not_touched() {
        let mut doc = Document::with_version("1.7");
        let id = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "TrueType",
            "W" => ints(&[0, 10, 500]),
        });
        assert_eq!(repair_cid_widths(&mut doc), 0);
        assert_eq!(repaired(&mut doc, id), ints(&[0, 10, 500]));
    }
}
