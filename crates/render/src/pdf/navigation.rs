//! What makes a long PDF navigable, added to the document printpdf built: bookmarks (the outline:
//! sections, departments, projects), clickable contents lines, and page labels that match the
//! printed page numbers (the cover is `封面`, the next page `1`, as its footer says `第 1 页`).

use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};

use super::doc::{LinkArea, OutlineEntry};
use crate::RenderError;

/// The navigation of one PDF, in page indices (0 = the cover).
pub(crate) struct Navigation<'a> {
    /// Every bookmarked heading, in document order.
    pub outline: &'a [OutlineEntry],
    /// The contents lines, each a link to its heading's page.
    pub links: &'a [LinkArea],
}

/// Adds the outline, the links and the page labels to `doc`.
pub(crate) fn add(doc: &mut Document, nav: &Navigation<'_>) -> Result<(), RenderError> {
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let Some(&first) = pages.first() else {
        return Ok(());
    };
    let page = |i: usize| pages.get(i).copied().unwrap_or(first);
    for link in nav.links {
        let annot = Dictionary::from_iter([
            ("Type", Object::Name(b"Annot".to_vec())),
            ("Subtype", Object::Name(b"Link".to_vec())),
            (
                "Rect",
                Object::Array(link.rect.iter().map(|v| Object::Real(*v)).collect()),
            ),
            ("Border", Object::Array(vec![0.into(), 0.into(), 0.into()])),
            ("Dest", destination(page(link.target))),
        ]);
        let id = doc.add_object(annot);
        let page_dict = doc.get_dictionary_mut(page(link.page)).map_err(pdf_error)?;
        match page_dict.get_mut(b"Annots") {
            Ok(Object::Array(list)) => list.push(Object::Reference(id)),
            _ => page_dict.set("Annots", Object::Array(vec![Object::Reference(id)])),
        }
    }
    let outlines = outline_tree(doc, nav.outline, &page);
    let labels = Dictionary::from_iter([(
        "Nums",
        Object::Array(vec![
            0.into(),
            Object::Dictionary(Dictionary::from_iter([("P", text_string("封面"))])),
            1.into(),
            Object::Dictionary(Dictionary::from_iter([
                ("S", Object::Name(b"D".to_vec())),
                ("St", 1.into()),
            ])),
        ]),
    )]);
    let catalog = doc.catalog_mut().map_err(pdf_error)?;
    catalog.set("PageLabels", Object::Dictionary(labels));
    if let Some(root) = outlines {
        catalog.set("Outlines", Object::Reference(root));
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
    Ok(())
}

/// The outline dictionaries; returns the root's id (`None` without entries). Levels nest as the
/// headings do (a level-2 entry under the level-1 before it); departments and projects start
/// closed, so a reader sees the sections first.
fn outline_tree(
    doc: &mut Document,
    entries: &[OutlineEntry],
    page: &dyn Fn(usize) -> ObjectId,
) -> Option<ObjectId> {
    if entries.is_empty() {
        return None;
    }
    let root = doc.new_object_id();
    let ids: Vec<ObjectId> = entries.iter().map(|_| doc.new_object_id()).collect();
    // Parent of each entry: the nearest earlier entry of a lower level, else the root.
    let mut parent: Vec<Option<usize>> = Vec::with_capacity(entries.len());
    let mut stack: Vec<usize> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        while stack.last().is_some_and(|&j| entries[j].level >= e.level) {
            stack.pop();
        }
        parent.push(stack.last().copied());
        stack.push(i);
    }
    // Children of each entry and of the root (`top`), in order; an entry's place among them.
    let mut own: Vec<Vec<usize>> = vec![Vec::new(); entries.len()];
    let mut top: Vec<usize> = Vec::new();
    let mut place = vec![0usize; entries.len()];
    for (i, p) in parent.iter().enumerate() {
        let list = match p {
            Some(p) => &mut own[*p],
            None => &mut top,
        };
        place[i] = list.len();
        list.push(i);
    }
    for (i, e) in entries.iter().enumerate() {
        let siblings = match parent[i] {
            Some(p) => &own[p],
            None => &top,
        };
        let at = place[i];
        let mut d = Dictionary::from_iter([
            ("Title", text_string(&e.title)),
            (
                "Parent",
                Object::Reference(parent[i].map_or(root, |p| ids[p])),
            ),
            ("Dest", destination(page(e.page))),
        ]);
        if let Some(&prev) = at.checked_sub(1).and_then(|k| siblings.get(k)) {
            d.set("Prev", Object::Reference(ids[prev]));
        }
        if let Some(&next) = siblings.get(at + 1) {
            d.set("Next", Object::Reference(ids[next]));
        }
        let mine = &own[i];
        if let (Some(&f), Some(&l)) = (mine.first(), mine.last()) {
            d.set("First", Object::Reference(ids[f]));
            d.set("Last", Object::Reference(ids[l]));
            // Negative: closed, showing how many entries open it would show.
            d.set("Count", Object::Integer(-(mine.len() as i64)));
        }
        doc.objects.insert(ids[i], Object::Dictionary(d));
    }
    let mut r = Dictionary::from_iter([
        ("Type", Object::Name(b"Outlines".to_vec())),
        ("Count", Object::Integer(top.len() as i64)),
    ]);
    if let (Some(&f), Some(&l)) = (top.first(), top.last()) {
        r.set("First", Object::Reference(ids[f]));
        r.set("Last", Object::Reference(ids[l]));
    }
    doc.objects.insert(root, Object::Dictionary(r));
    Some(root)
}

/// `[page /Fit]`: the whole page.
fn destination(page: ObjectId) -> Object {
    Object::Array(vec![Object::Reference(page), Object::Name(b"Fit".to_vec())])
}

/// A PDF text string: UTF-16BE with its byte-order mark, so CJK titles show in every reader.
fn text_string(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for unit in s.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

fn pdf_error(e: lopdf::Error) -> RenderError {
    RenderError::Format {
        format: "pdf".into(),
        message: e.to_string(),
    }
}
