//! Structural checks run before pdf-extract sees a document. pdf-extract follows a page's
//! `/Parent` chain and a form's `Do` calls by recursion; a PDF whose chain loops, or whose drawing
//! (Form XObject) calls itself, would overflow the stack — an abort no `catch_unwind` can stop,
//! which would end the whole run. Such a document is refused here instead.

use std::collections::HashSet;

use pdf_extract::{Dictionary, Document, Object, ObjectId};

use crate::grid::ReadError;

/// Most steps one page's drawing graph may take before the page is called too complex.
const MAX_STEPS: usize = 100_000;

/// Refuses a document with a looping page tree or a self-calling drawing.
pub(super) fn check(doc: &Document, pages: &[ObjectId], max_depth: u32) -> Result<(), ReadError> {
    for &page in pages {
        let resources = inherited_resources(doc, page, max_depth)?;
        if let Some(resources) = resources {
            let mut walk = FormWalk {
                doc,
                path: Vec::new(),
                steps: 0,
                max_depth: max_depth as usize,
            };
            walk.resources(resources)?;
        }
    }
    Ok(())
}

/// Follows references (a reference to a reference …) at most a few hops.
fn resolve<'d>(doc: &'d Document, mut o: &'d Object) -> Option<&'d Object> {
    for _ in 0..8 {
        match o {
            Object::Reference(id) => o = doc.get_object(*id).ok()?,
            other => return Some(other),
        }
    }
    None
}

fn dict_of<'d>(doc: &'d Document, o: &'d Object) -> Option<&'d Dictionary> {
    match resolve(doc, o)? {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

/// The page's `/Resources`, own or inherited, walking `/Parent` with a loop check.
fn inherited_resources(
    doc: &Document,
    page: ObjectId,
    max_depth: u32,
) -> Result<Option<&Dictionary>, ReadError> {
    let mut seen = HashSet::new();
    let mut id = page;
    loop {
        if !seen.insert(id) || seen.len() > max_depth as usize {
            return Err(ReadError::Corrupt(
                "the page tree loops (a page is its own ancestor)".into(),
            ));
        }
        let Ok(dict) = doc.get_dictionary(id) else {
            return Ok(None);
        };
        if let Some(r) = dict.get(b"Resources").ok().and_then(|o| dict_of(doc, o)) {
            return Ok(Some(r));
        }
        match dict.get(b"Parent").ok().and_then(|p| p.as_reference().ok()) {
            Some(parent) => id = parent,
            None => return Ok(None),
        }
    }
}

/// Whether a form's content has a `Do` operator (draws another form or an image) at all.
fn calls_forms(form: &pdf_extract::Stream) -> bool {
    let content = form
        .decompressed_content()
        .unwrap_or_else(|_| form.content.clone());
    content.windows(4).any(|w| {
        w[1] == b'D'
            && w[2] == b'o'
            && !w[0].is_ascii_alphanumeric()
            && !w[3].is_ascii_alphanumeric()
    }) || content.ends_with(b" Do")
}

/// Depth-first over the forms a resource dictionary can call, with the forms on the current path.
struct FormWalk<'d> {
    doc: &'d Document,
    path: Vec<ObjectId>,
    steps: usize,
    max_depth: usize,
}

impl<'d> FormWalk<'d> {
    fn resources(&mut self, resources: &'d Dictionary) -> Result<(), ReadError> {
        let Some(xobjects) = resources
            .get(b"XObject")
            .ok()
            .and_then(|o| dict_of(self.doc, o))
        else {
            return Ok(());
        };
        for (_, entry) in xobjects.iter() {
            self.steps += 1;
            if self.steps > MAX_STEPS {
                return Err(ReadError::Corrupt(
                    "a page's drawings refer to each other too often to be read".into(),
                ));
            }
            let Object::Reference(id) = entry else {
                continue;
            };
            let Some(Object::Stream(form)) = resolve(self.doc, entry) else {
                continue;
            };
            if form.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form")
                || !calls_forms(form)
            {
                continue;
            }
            if self.path.contains(id) || self.path.len() >= self.max_depth {
                return Err(ReadError::Corrupt(
                    "a drawing in the PDF calls itself (a loop in its structure)".into(),
                ));
            }
            self.path.push(*id);
            // A form without its own resources draws with the caller's.
            let inner = form
                .dict
                .get(b"Resources")
                .ok()
                .and_then(|o| dict_of(self.doc, o))
                .unwrap_or(resources);
            self.resources(inner)?;
            self.path.pop();
        }
        Ok(())
    }
}
