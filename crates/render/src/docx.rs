//! The department's letter as a Word document (`letter.docx`), so a department can edit it and reply
//! in Word or WPS. The same paragraphs as `letter.pdf`, in 公文 layout: A4 with 37/35/28/26 mm margins,
//! the title centred in 宋体 二号 bold, the body in 仿宋 三号 with 28.95 pt lines (22 lines a page),
//! body paragraphs justified with a two-character indent, the issuer and date right-aligned and kept
//! with the last paragraph, the page number centred in the footer (`— 1 —`).
//!
//! A letter needs only paragraphs and runs, so the package is written here with the `zip` crate the
//! render crate already builds: eight small OOXML parts, every text escaped, the run's as-of date
//! (never the clock) as the time stamps, so reruns give the same bytes. `docx-rs` (35,800 lines, with
//! its own versions of zip and quick-xml) added 20 s to a fresh build on the 2-core CI machine,
//! more than issue 17's six-minute test budget has left.

use std::io::Write;

use crate::RenderError;
use crate::letter::LetterText;

/// Twips (1/20 pt) of A4 and of the 公文 margins (GB/T 9704: 37 mm top, 35 bottom, 28 left, 26 right).
const PAGE: (u32, u32) = (11906, 16838);
const MARGINS: [u32; 4] = [2098, 1984, 1588, 1474];
/// Half-points: 二号 (22 pt) title, 三号 (16 pt) body.
const TITLE_SIZE: u32 = 44;
const BODY_SIZE: u32 = 32;
/// Twips between lines: 28.95 pt, 22 lines on a 公文 page.
const LINE: u32 = 579;

/// The letter as .docx bytes.
pub(crate) fn write(text: &LetterText<'_>) -> Result<Vec<u8>, RenderError> {
    let parts: [(&str, String); 8] = [
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", ROOT_RELS.to_string()),
        ("docProps/app.xml", APP.to_string()),
        ("docProps/core.xml", core(text)),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.to_string()),
        ("word/document.xml", document(text)),
        ("word/styles.xml", styles()),
        ("word/footer1.xml", FOOTER.to_string()),
    ];
    let failed = |e: &dyn std::fmt::Display| RenderError::Format {
        format: "docx".into(),
        message: e.to_string(),
    };
    // The fastest deflate level, as for the workbooks: a letter's parts are a few KB of XML, and
    // the default level took more than half the time of writing a letter.
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .last_modified_time(zip_date(text.as_of));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, xml) in parts {
        zip.start_file(name, options).map_err(|e| failed(&e))?;
        zip.write_all(xml.as_bytes()).map_err(|e| failed(&e))?;
    }
    let cursor = zip.finish().map_err(|e| failed(&e))?;
    Ok(cursor.into_inner())
}

/// The as-of date (`YYYY-MM-DD`) as the entries' time stamp; 1980-01-01 when it is not a date.
fn zip_date(as_of: &str) -> zip::DateTime {
    let num = |r: std::ops::Range<usize>| as_of.get(r).and_then(|t| t.parse::<u16>().ok());
    match (num(0..4), num(5..7), num(8..10)) {
        (Some(y), Some(m), Some(d)) => {
            zip::DateTime::from_date_and_time(y, m as u8, d as u8, 0, 0, 0).unwrap_or_default()
        }
        _ => zip::DateTime::default(),
    }
}

/// `text` safe inside an XML element or attribute; characters XML cannot hold are dropped.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// How a paragraph sits on the page.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Title,
    /// The addressee: flush left, no indent.
    Addressee,
    Body,
    /// The issuer and the date: right-aligned, four characters in from the margin.
    Signature,
}

fn paragraph(text: &str, kind: Kind, keep_next: bool) -> String {
    let (style, props) = match kind {
        Kind::Title => ("Title", "<w:jc w:val=\"center\"/>"),
        Kind::Addressee => ("Normal", ""),
        // In characters for Word and WPS, in twips for readers that ignore `…Chars`.
        Kind::Body => (
            "Normal",
            "<w:ind w:firstLine=\"640\" w:firstLineChars=\"200\"/><w:jc w:val=\"both\"/>",
        ),
        Kind::Signature => (
            "Normal",
            "<w:ind w:right=\"1280\" w:rightChars=\"400\"/><w:jc w:val=\"right\"/>",
        ),
    };
    let keep = if keep_next { "<w:keepNext/>" } else { "" };
    format!(
        "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/>{keep}{props}</w:pPr><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
        esc(text)
    )
}

fn document(text: &LetterText<'_>) -> String {
    let mut body = String::new();
    body.push_str(&paragraph(text.title, Kind::Title, true));
    body.push_str(&paragraph("", Kind::Addressee, true));
    let last = text.paragraphs.len().saturating_sub(1);
    for (i, p) in text.paragraphs.iter().enumerate() {
        let kind = if i == 0 { Kind::Addressee } else { Kind::Body };
        // The last paragraph stays with the signature below it.
        body.push_str(&paragraph(p, kind, i == last));
    }
    body.push_str(&paragraph("", Kind::Addressee, true));
    body.push_str(&paragraph(text.issuer, Kind::Signature, true));
    body.push_str(&paragraph(text.date, Kind::Signature, false));
    let [top, bottom, left, right] = MARGINS;
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>{body}<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter"/><w:pgSz w:w="{}" w:h="{}"/><w:pgMar w:top="{top}" w:right="{right}" w:bottom="{bottom}" w:left="{left}" w:header="851" w:footer="992" w:gutter="0"/><w:docGrid w:type="lines" w:linePitch="{LINE}"/></w:sectPr></w:body></w:document>"#,
        PAGE.0, PAGE.1
    )
}

fn styles() -> String {
    let fonts = |east: &str| {
        format!(
            "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"{east}\" w:cs=\"Times New Roman\"/>"
        )
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr>{body}<w:sz w:val="{BODY_SIZE}"/><w:szCs w:val="{BODY_SIZE}"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:before="0" w:after="0" w:line="{LINE}" w:lineRule="exact"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:line="{title_line}" w:lineRule="exact"/><w:jc w:val="center"/></w:pPr><w:rPr>{title}<w:b/><w:sz w:val="{TITLE_SIZE}"/><w:szCs w:val="{TITLE_SIZE}"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:sz w:val="28"/></w:rPr></w:style></w:styles>"#,
        body = fonts("仿宋"),
        title = fonts("宋体"),
        title_line = LINE * 3 / 2,
    )
}

fn core(text: &LetterText<'_>) -> String {
    let date = format!("{}T00:00:00Z", text.as_of);
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{title}</dc:title><dc:creator>{issuer}</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">{date}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{date}</dcterms:modified></cp:coreProperties>"#,
        title = esc(text.title),
        issuer = esc(text.issuer),
        date = esc(&date),
    )
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdFooter" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>"#;

const APP: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>jixiao</Application></Properties>"#;

/// The page number, centred: `— 1 —`, as 公文 number their pages.
const FOOTER: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr><w:r><w:t xml:space="preserve">— </w:t></w:r><w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple><w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>"#;

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn letter() -> Vec<u8> {
        let paragraphs = vec![
            "攀枝花市西区民政局：".to_string(),
            "你单位报送的<项目> & “表”共3个。".to_string(),
            "请于2024年3月16日前重新报送。".to_string(),
        ];
        write(&LetterText {
            title: "示例市财政局关于攀枝花市西区民政局2024年度项目支出绩效目标的审核意见",
            paragraphs: &paragraphs,
            issuer: "示例市财政局",
            date: "2024年3月1日",
            as_of: "2024-03-01",
            footer: "第 {page} 页 共 {pages} 页",
        })
        .expect("docx")
    }

    fn part(bytes: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a docx is a zip");
        let mut text = String::new();
        zip.by_name(name)
            .expect(name)
            .read_to_string(&mut text)
            .expect("utf-8");
        text
    }

    #[test]
    fn the_letter_is_a_word_package_with_every_paragraph_escaped() {
        let bytes = letter();
        let doc = part(&bytes, "word/document.xml");
        assert!(
            doc.contains("你单位报送的&lt;项目&gt; &amp; “表”共3个。"),
            "{doc}"
        );
        assert!(doc.contains("<w:t xml:space=\"preserve\">攀枝花市西区民政局：</w:t>"));
        assert!(doc.contains("w:firstLine=\"640\" w:firstLineChars=\"200\""));
        assert!(doc.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
        assert!(part(&bytes, "[Content_Types].xml").contains("/word/document.xml"));
        assert!(part(&bytes, "docProps/core.xml").contains("2024-03-01T00:00:00Z"));
    }

    #[test]
    fn the_same_letter_gives_the_same_bytes() {
        assert_eq!(letter(), letter());
    }
}
