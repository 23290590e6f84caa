//! `records.json` and `scores.json` made on every core: their large arrays (documents, score
//! cards, findings) are serialised item by item in parallel, a bounded chunk at a time, and
//! written in order with the indentation serde_json's pretty printer gives them — the same bytes
//! as `serde_json::to_writer_pretty` on the whole value (tested below), so the files and their
//! hashes do not change. At 100× the samples the two files are ≈ 0.9 GB of JSON, and writing
//! them on one thread took a third of a records-only run.
//!
//! A field added to [`Ledger`] or [`Scorecard`] must be added here too: the tests compare with
//! serde_json's own output and fail until it is.

use std::io::{self, Write};

use jixiao_core::{Ledger, Scorecard};
use rayon::prelude::*;
use serde::Serialize;

/// Documents serialised at once: a document of hundreds of tables is several MB of JSON, and two
/// chunks are in memory at a time (one being written, the next being made).
const DOCUMENT_CHUNK: usize = 4;
/// Score cards, findings and diagnostics serialised at once (a few KB each).
const ITEM_CHUNK: usize = 256;

/// Where the JSON goes: the staging file's buffered, hashing writer, written from one thread
/// while the next chunk is serialised on the others.
pub(crate) type Sink<'w> = &'w mut (dyn Write + Send);

/// `records.json` without its final newline.
pub(crate) fn write_ledger(w: Sink<'_>, ledger: &Ledger) -> io::Result<()> {
    w.write_all(b"{\n  \"documents\": ")?;
    array(w, &ledger.documents, 1, DOCUMENT_CHUNK)?;
    w.write_all(b"\n}")
}

/// `scores.json` without its final newline.
pub(crate) fn write_scorecard(w: Sink<'_>, card: &Scorecard) -> io::Result<()> {
    w.write_all(b"{\n  \"rubric\": ")?;
    let rubric = serde_json::to_vec_pretty(&card.rubric)?;
    indented(w, &rubric, 1)?;
    w.write_all(b",\n  \"records\": ")?;
    array(w, &card.records, 1, ITEM_CHUNK)?;
    w.write_all(b",\n  \"findings\": ")?;
    array(w, &card.findings, 1, ITEM_CHUNK)?;
    w.write_all(b",\n  \"diagnostics\": ")?;
    array(w, &card.diagnostics, 1, ITEM_CHUNK)?;
    w.write_all(b"\n}")
}

/// An array at nesting `depth`: `[]`, or `[`, each item on its own lines one level deeper, `]`.
/// Items are serialised `chunk` at a time in parallel while the chunk before is written.
fn array<T: Serialize + Sync>(
    w: Sink<'_>,
    items: &[T],
    depth: usize,
    chunk: usize,
) -> io::Result<()> {
    if items.is_empty() {
        return w.write_all(b"[]");
    }
    w.write_all(b"[")?;
    // Each item serialised and indented on a worker: the writer only copies the bytes.
    let serialise = |part: &[T]| -> io::Result<Vec<Vec<u8>>> {
        part.par_iter()
            .map(|item| {
                let json = serde_json::to_vec_pretty(item)?;
                let mut out = Vec::with_capacity(json.len() + json.len() / 4);
                indented(&mut out, &json, depth + 1)?;
                Ok(out)
            })
            .collect()
    };
    let mut chunks = items.chunks(chunk.max(1));
    let mut ready = chunks.next().map(serialise).transpose()?;
    let mut first = true;
    while let Some(parts) = ready.take() {
        let (written, next) = rayon::join(
            || write_items(&mut *w, &parts, depth + 1, &mut first),
            || chunks.next().map(serialise).transpose(),
        );
        written?;
        ready = next?;
    }
    w.write_all(b"\n")?;
    indent(w, depth)?;
    w.write_all(b"]")
}

/// Serialised and indented items as array elements at nesting `depth`, each after `,` (or, first,
/// after `[`).
fn write_items(w: Sink<'_>, parts: &[Vec<u8>], depth: usize, first: &mut bool) -> io::Result<()> {
    for part in parts {
        w.write_all(if *first { b"\n" } else { b",\n" })?;
        *first = false;
        indent(w, depth)?;
        w.write_all(part)?;
    }
    Ok(())
}

/// `json` with every line after the first indented by `depth` levels. A pretty printer's newlines
/// are all between tokens: strings hold theirs escaped.
fn indented(w: Sink<'_>, json: &[u8], depth: usize) -> io::Result<()> {
    let mut lines = json.split(|b| *b == b'\n');
    if let Some(first) = lines.next() {
        w.write_all(first)?;
    }
    for line in lines {
        w.write_all(b"\n")?;
        indent(w, depth)?;
        w.write_all(line)?;
    }
    Ok(())
}

fn indent(w: Sink<'_>, depth: usize) -> io::Result<()> {
    for _ in 0..depth {
        w.write_all(b"  ")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_core::{Diagnostic, Finding, RubricInfo, Severity};

    type R = Result<(), Box<dyn std::error::Error>>;

    /// Three of the samples read, normalised and scored as a run would.
    fn sample_run() -> Result<(Ledger, Scorecard), Box<dyn std::error::Error>> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples");
        let files: Vec<jixiao_ingest::InputFile> = [
            "001-yanbian-2021-project-targets.txt",
            "002-renhe-renda-2024-targets.txt",
            "003-yongning-tuanjiexilu-2024-project-targets.txt",
        ]
        .iter()
        .map(|name| jixiao_ingest::InputFile {
            path: dir.join(name),
            display: name.to_string(),
            encoding: None,
            layout: None,
        })
        .collect();
        let pipeline = jixiao_config::built_in(&dir, 2024, &|_| None)?;
        let context = crate::normalize_context(&pipeline)?;
        let (ledger, _) = crate::run::read_and_normalize(&files, &Default::default(), &context);
        let card = jixiao_score::score(&ledger, &crate::score_context(&pipeline)?);
        assert!(ledger.documents.iter().all(|d| !d.records.is_empty()));
        assert!(!card.findings.is_empty());
        Ok((ledger, card))
    }

    fn ours(write: impl Fn(Sink<'_>) -> io::Result<()>) -> Vec<u8> {
        let mut out = Vec::new();
        assert!(write(&mut out).is_ok());
        out
    }

    #[test]
    fn the_ledger_is_written_as_serde_json_writes_it() -> R {
        let (mut ledger, _) = sample_run()?;
        assert_eq!(
            ours(|w| write_ledger(w, &ledger)),
            serde_json::to_vec_pretty(&ledger)?
        );
        // More documents than a chunk, and none.
        let copies = ledger.documents.clone();
        while ledger.documents.len() <= 3 * DOCUMENT_CHUNK {
            ledger.documents.extend(copies.iter().cloned());
        }
        assert_eq!(
            ours(|w| write_ledger(w, &ledger)),
            serde_json::to_vec_pretty(&ledger)?
        );
        let empty = Ledger::default();
        assert_eq!(
            ours(|w| write_ledger(w, &empty)),
            serde_json::to_vec_pretty(&empty)?
        );
        Ok(())
    }

    #[test]
    fn the_scorecard_is_written_as_serde_json_writes_it() -> R {
        let (_, mut card) = sample_run()?;
        card.diagnostics.push(Diagnostic::warning(
            "score.plugin",
            "插件失败\n第二行",
            Some(3),
        ));
        assert_eq!(
            ours(|w| write_scorecard(w, &card)),
            serde_json::to_vec_pretty(&card)?
        );
        let empty = Scorecard {
            rubric: RubricInfo {
                checks: Vec::new(),
                ..card.rubric.clone()
            },
            records: Vec::new(),
            findings: vec![Finding {
                code: "copied-indicator".into(),
                severity: Severity::Warning,
                message: "“满意度：≥90%”".into(),
                records: Vec::new(),
                line: None,
                text: None,
            }],
            diagnostics: Vec::new(),
        };
        assert_eq!(
            ours(|w| write_scorecard(w, &empty)),
            serde_json::to_vec_pretty(&empty)?
        );
        Ok(())
    }
}
