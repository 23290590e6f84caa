//! Bytes → text: BOM, UTF-8, then a guess (chardetng with a `.cn` hint) decoded as GB18030, the
//! superset of GBK and GB2312. A per-input override wins over all of it.

use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};
use jixiao_core::Diagnostic;

/// Decoded text with the encoding's name and what decoding noticed.
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    pub diagnostics: Vec<Diagnostic>,
}

/// Decodes `bytes`; `override_label` is an encoding_rs label (`gbk`, `utf-8`, `utf-16le` ...).
pub fn decode(bytes: &[u8], override_label: Option<&str>) -> Decoded {
    let mut diagnostics = Vec::new();
    let (encoding, body): (&'static Encoding, &[u8]) = if let Some(label) = override_label {
        match Encoding::for_label(label.trim().as_bytes()) {
            Some(e) => (widen(e), strip_bom(bytes, e)),
            None => {
                diagnostics.push(Diagnostic::error(
                    "ingest.unknown-encoding",
                    format!("unknown encoding `{label}`; reading the file with automatic detection instead"),
                    None,
                ));
                detect(bytes, &mut diagnostics)
            }
        }
    } else {
        detect(bytes, &mut diagnostics)
    };
    // Valid UTF-8 (checked once, vectorised) is taken as it is; anything else is decoded.
    let (mut text, had_errors) = match simdutf8::basic::from_utf8(body) {
        Ok(text) if encoding == UTF_8 => (text.to_owned(), false),
        _ => {
            let (text, had_errors) = encoding.decode_without_bom_handling(body);
            (text.into_owned(), had_errors)
        }
    };
    if text.contains('\r') {
        text = text.replace("\r\n", "\n").replace('\r', "\n");
    }
    if had_errors || has_suspicious(&text) {
        let line = text
            .lines()
            .position(|l| l.chars().any(is_suspicious))
            .map(|i| i as u32 + 1);
        diagnostics.push(Diagnostic::warning(
            "ingest.suspicious-characters",
            format!(
                "decoding as {} produced replacement or private-use characters: the encoding may be wrong; set `encoding` for this input",
                encoding.name()
            ),
            line,
        ));
    }
    Decoded {
        text,
        encoding: encoding.name(),
        diagnostics,
    }
}

fn detect<'a>(bytes: &'a [u8], diagnostics: &mut Vec<Diagnostic>) -> (&'static Encoding, &'a [u8]) {
    if let Some((e, bom_len)) = Encoding::for_bom(bytes) {
        return (e, &bytes[bom_len..]);
    }
    if simdutf8::basic::from_utf8(bytes).is_ok() {
        return (UTF_8, bytes);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    // The non-ASCII text of one table tells the encoding; the rest of a large file only costs time.
    detector.feed(detection_sample(bytes), true);
    let guess = widen(detector.guess(Some(b"cn"), chardetng::Utf8Detection::Deny));
    diagnostics.push(Diagnostic::info(
        "ingest.encoding-guessed",
        format!(
            "not UTF-8 and no byte-order mark; encoding guessed as {}",
            guess.name()
        ),
        None,
    ));
    (guess, bytes)
}

/// What the detector reads: the whole file when small, else a prefix with at least 4 KiB of
/// non-ASCII bytes in it (or all of it): ≈ 2,000 hanzi in a two-byte encoding, more than it
/// needs to tell GB18030 from Big5 (tested on the samples); it reads every byte it is given
/// through every candidate encoding (64 KiB of it was ≈ 10 % of a records-only run on a corpus
/// with GBK files, 16 KiB ≈ 5 %).
fn detection_sample(bytes: &[u8]) -> &[u8] {
    const ENOUGH: usize = 4 * 1024;
    let mut non_ascii = 0;
    for (i, b) in bytes.iter().enumerate() {
        if !b.is_ascii() {
            non_ascii += 1;
            if non_ascii >= ENOUGH {
                return &bytes[..i + 1];
            }
        }
    }
    bytes
}

/// GBK and GB2312 files are read as GB18030, which decodes everything they can hold.
fn widen(e: &'static Encoding) -> &'static Encoding {
    if e.name() == "GBK" || e.name() == "gb18030" {
        GB18030
    } else {
        e
    }
}

fn strip_bom<'a>(bytes: &'a [u8], e: &'static Encoding) -> &'a [u8] {
    match Encoding::for_bom(bytes) {
        Some((bom, len)) if bom == e || (bom == UTF_8 && e == UTF_8) => &bytes[len..],
        Some((bom, len)) if (bom == UTF_16LE || bom == UTF_16BE) && bom == e => &bytes[len..],
        _ => bytes,
    }
}

fn is_suspicious(c: char) -> bool {
    c == '\u{FFFD}' || ('\u{E000}'..='\u{F8FF}').contains(&c)
}

/// Whether `text` holds a character [`is_suspicious`] flags, told from its UTF-8 bytes (a lead
/// byte is never a continuation byte): U+E000–U+EFFF start with `EE`, U+F000–U+F8FF with `EF`
/// and a byte up to `A3`, U+FFFD is `EF BF BD`. Most text has none, and bytes are cheaper to scan
/// than characters.
fn has_suspicious(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| match b {
        0xEE => true,
        0xEF => match (bytes.get(i + 1), bytes.get(i + 2)) {
            (Some(&b1), _) if b1 <= 0xA3 => true,
            (Some(0xBF), Some(0xBD)) => true,
            _ => false,
        },
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode("项目名称".as_bytes(), None).text, "项目名称");
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("项目".as_bytes());
        let d = decode(&bom, None);
        assert_eq!((d.text.as_str(), d.encoding), ("项目", "UTF-8"));
    }

    #[test]
    fn gbk_is_guessed_and_read_as_gb18030() {
        let text = "项目名称\t人大业务经费\n部门（单位）\t攀枝花市西区人民代表大会常务委员会办公室\n总体绩效目标\t一级指标\n";
        let (bytes, _, _) = GB18030.encode(text);
        let d = decode(&bytes, None);
        assert_eq!(d.text, text);
        assert_eq!(d.encoding, "gb18030");
        assert!(
            d.diagnostics
                .iter()
                .any(|x| x.code == "ingest.encoding-guessed")
        );
    }

    /// The samples in GB18030, each longer than the detector's sample, are read exactly; a
    /// traditional-character table in Big5 is read as Big5 or (the `cn` hint favours GB18030)
    /// flagged, never silently turned into other characters.
    #[test]
    fn a_prefix_tells_the_encoding_of_a_large_file() {
        let dir = format!("{}/../../samples", env!("CARGO_MANIFEST_DIR"));
        for name in [
            "000-panzhihua-xiqu-2024-project-targets.txt",
            "001-yanbian-2021-project-targets.txt",
        ] {
            let text = std::fs::read_to_string(format!("{dir}/{name}")).expect("a sample");
            let (bytes, _, _) = GB18030.encode(&text);
            assert!(detection_sample(&bytes).len() < bytes.len(), "{name}");
            let d = decode(&bytes, None);
            assert_eq!(d.encoding, "gb18030", "{name}");
            assert!(d.text == text.replace("\r\n", "\n"), "{name}");
        }
        let row = "項目名稱\t人大業務經費\t部門（單位）\t臺北市議會\t績效目標\t完成年度會議與調研\n\
                   一級指標\t產出指標\t二級指標\t數量指標\t三級指標\t召開會議次數\t指標值\t≥12次\n\
                   效益指標\t社會效益指標\t滿意度指標\t服務對象滿意度\t≥90%\t資金總額\t萬元\n";
        let text = row.repeat(40);
        let (bytes, _, _) = encoding_rs::BIG5.encode(&text);
        assert!(detection_sample(&bytes).len() < bytes.len());
        let d = decode(&bytes, None);
        let flagged = d
            .diagnostics
            .iter()
            .any(|x| x.code == "ingest.suspicious-characters");
        assert!(
            (d.encoding == "Big5" && d.text == text) || flagged,
            "{}",
            d.encoding
        );
    }

    /// The byte scan flags exactly what the character test flags, at every edge of the ranges.
    #[test]
    fn suspicious_bytes_are_suspicious_characters() {
        let edges = [
            0xD7FF, 0xE000, 0xE001, 0xEFFF, 0xF000, 0xF8FF, 0xF900, 0xFF0C, 0xFFFC, 0xFFFD, 0xFFFE,
            0x4E00, 0x10000, 0xF0000, 0x3000, 0x41,
        ];
        for code in edges.into_iter().chain((0xE000..0x1_0000).step_by(97)) {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            for text in [
                c.to_string(),
                format!("项目{c}，"),
                format!("{c}a"),
                format!("（{c}"),
            ] {
                assert_eq!(
                    has_suspicious(&text),
                    text.chars().any(is_suspicious),
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn utf16_with_bom_and_crlf() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "指标\r\n值".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&bytes, None);
        assert_eq!((d.text.as_str(), d.encoding), ("指标\n值", "UTF-16LE"));
    }

    #[test]
    fn a_wrong_override_is_reported() {
        let (gbk, _, _) = GB18030.encode("项目名称");
        let d = decode(&gbk, Some("utf-8"));
        assert!(
            d.diagnostics
                .iter()
                .any(|x| x.code == "ingest.suspicious-characters")
        );
        let d = decode(b"abc", Some("no-such-encoding"));
        assert!(
            d.diagnostics
                .iter()
                .any(|x| x.code == "ingest.unknown-encoding")
        );
    }
}
