//! Which reader a file goes to: by its bytes first (zip parts, `%PDF`, OLE, markup), the file name
//! only where the bytes cannot tell (`.csv`, OLE files that are Word rather than Excel).

/// What a file looks like, before any reader runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// Plain text in one of the text layouts.
    Text,
    /// Comma-separated values (by name: `.csv`).
    Csv,
    /// xlsx / xlsm / xlsb / ods / xls / et (WPS spreadsheets are xls inside).
    Spreadsheet,
    /// Word 2007+ (`word/document.xml` inside a zip).
    Docx,
    /// `%PDF-` near the start.
    Pdf,
    /// `.html` / `.htm`, or text starting with `<!DOCTYPE html` / `<html`.
    Html,
    /// Word 97 / WPS writer / RTF / OpenDocument text: named for the error message.
    OldFormat(&'static str),
    /// A zip that is neither Word nor Excel (named for the error message).
    Archive(&'static str),
}

const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Sniffs `bytes`, using `name` (the display name) only for what bytes cannot tell.
pub fn sniff(name: &str, bytes: &[u8]) -> Sniffed {
    let lower = name.to_lowercase();
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return sniff_zip(bytes, ext);
    }
    if bytes.starts_with(&OLE) {
        return match ext {
            "doc" | "dot" => Sniffed::OldFormat("a Word 97-2003 document (.doc)"),
            "wps" | "wpt" => Sniffed::OldFormat("a WPS writer document (.wps)"),
            // .xls, .et (WPS spreadsheet) and unnamed OLE files: calamine decides; a Word file
            // inside gets its error there.
            _ if contains(bytes, &utf16("WordDocument")) => {
                Sniffed::OldFormat("a Word 97-2003 document")
            }
            _ => Sniffed::Spreadsheet,
        };
    }
    let head = &bytes[..bytes.len().min(1024)];
    if contains(head, b"%PDF-") {
        return Sniffed::Pdf;
    }
    if head.starts_with(b"{\\rtf") {
        return Sniffed::OldFormat("an RTF document");
    }
    if matches!(ext, "html" | "htm" | "xhtml" | "shtml") || looks_like_html(head) {
        return Sniffed::Html;
    }
    match ext {
        "csv" => Sniffed::Csv,
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" | "et" => Sniffed::Spreadsheet,
        _ => Sniffed::Text,
    }
}

fn sniff_zip(bytes: &[u8], ext: &str) -> Sniffed {
    // Part names sit uncompressed in the local headers and the central directory, so a byte search
    // finds them without unpacking (a broken zip still goes to the reader its name asks for, which
    // reports the damage).
    if contains(bytes, b"word/document.xml") {
        Sniffed::Docx
    } else if contains(bytes, b"xl/workbook")
        || contains(bytes, b"application/vnd.oasis.opendocument.spreadsheet")
    {
        Sniffed::Spreadsheet
    } else if contains(bytes, b"application/vnd.oasis.opendocument.text") {
        Sniffed::OldFormat("an OpenDocument text (.odt)")
    } else {
        match ext {
            "docx" | "docm" | "dotx" => Sniffed::Docx,
            "xlsx" | "xlsm" | "xlsb" | "ods" => Sniffed::Spreadsheet,
            _ => Sniffed::Archive("a zip archive"),
        }
    }
}

fn looks_like_html(head: &[u8]) -> bool {
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF)
        .unwrap_or(head.len());
    let lead: Vec<u8> = head[start..]
        .iter()
        .take(15)
        .map(u8::to_ascii_lowercase)
        .collect();
    lead.starts_with(b"<!doctype html")
        || lead.starts_with(b"<html")
        || lead.starts_with(b"<?xml") && contains(&head.to_ascii_lowercase(), b"<html")
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// NUL bytes outside UTF-16, or many control characters: not a text file.
pub(crate) fn looks_binary(bytes: &[u8]) -> bool {
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    if utf16 {
        return false;
    }
    let head = &bytes[..bytes.len().min(8192)];
    let control = head
        .iter()
        .filter(|&&b| b < 0x09 || (0x0E..0x20).contains(&b))
        .count();
    head.contains(&0) || control * 20 > head.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_decide_before_names() {
        assert_eq!(sniff("a.txt", b"%PDF-1.7\n..."), Sniffed::Pdf);
        assert_eq!(sniff("a.pdf", b"\xEF\xBB\xBF%PDF-1.4"), Sniffed::Pdf);
        assert_eq!(
            sniff("x", b"PK\x03\x04....word/document.xml"),
            Sniffed::Docx
        );
        assert_eq!(
            sniff("x.docx", b"PK\x03\x04....xl/workbook.xml"),
            Sniffed::Spreadsheet
        );
        assert_eq!(
            sniff("x.zip", b"PK\x03\x04....foo.txt"),
            Sniffed::Archive("a zip archive")
        );
        assert_eq!(
            sniff("a.doc", &OLE),
            Sniffed::OldFormat("a Word 97-2003 document (.doc)")
        );
        assert_eq!(
            sniff("a.wps", &OLE),
            Sniffed::OldFormat("a WPS writer document (.wps)")
        );
        assert_eq!(sniff("a.et", &OLE), Sniffed::Spreadsheet);
        assert_eq!(sniff("a.xls", &OLE), Sniffed::Spreadsheet);
        assert!(matches!(
            sniff("a.doc", b"{\\rtf1\\ansi"),
            Sniffed::OldFormat(_)
        ));
        assert_eq!(
            sniff("page.htm", "<p>项目名称</p>".as_bytes()),
            Sniffed::Html
        );
        assert_eq!(sniff("page", b"  <!DOCTYPE HTML PUBLIC"), Sniffed::Html);
        assert_eq!(
            sniff("a.txt", "项目名称\t<p>x</p>".as_bytes()),
            Sniffed::Text
        );
        assert_eq!(sniff("a.CSV", b"a,b,c"), Sniffed::Csv);
    }
}
