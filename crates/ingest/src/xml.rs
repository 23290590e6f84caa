//! Small helpers shared by the XML-based readers (docx): local names, attributes, entity references.

use quick_xml::events::{BytesRef, BytesStart};

/// `w:tbl` → `tbl`.
pub(crate) fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// The value of the attribute whose local name is `key` (`w:val` → `val`), unescaped.
pub(crate) fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        if local(a.key.as_ref()) == key {
            Some(
                quick_xml::escape::unescape(&a.value)
                    .map_or_else(|_| a.value.to_string(), |v| v.into_owned()),
            )
        } else {
            None
        }
    })
}

/// The text an entity or character reference stands for (`&amp;`, `&#x4E00;`); unknown entities
/// are dropped.
pub(crate) fn text_of_ref(r: &BytesRef<'_>) -> Option<String> {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return Some(c.to_string());
    }
    quick_xml::escape::resolve_predefined_entity(&r.xml10_content()).map(str::to_string)
}
