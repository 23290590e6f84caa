//! `records.json` and `scores.json` made on every core: their large arrays (documents, score
//! cards, findings) are serialised item by item in parallel, a bounded chunk at a time, and
//! written in order with the indentation serde_json's pretty printer gives them — the same bytes
//! as `serde_json::to_writer_pretty` on the whole value (tested below), so the files and their
//! hashes do not change. At 100× the samples the two files are ≈ 0.9 GB of JSON, and writing
//! them on one thread took a third of a records-only run.
//!
//! A field added to [`jixiao_core::Ledger`] or [`jixiao_core::Scorecard`] must be added here too: the tests compare with
//! serde_json's own output and fail until it is.

use std::io::{self, Write};

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

/// `records.json` without its final newline (what the streams below are tested against).
#[cfg(test)]
pub(crate) fn write_ledger(w: Sink<'_>, ledger: &jixiao_core::Ledger) -> io::Result<()> {
    let mut documents = LedgerStream::default();
    documents.extend(w, &ledger.documents)?;
    documents.close(w)
}

/// `records.json` written a batch of documents at a time: [`LedgerStream::extend`] with each
/// batch in order, then [`LedgerStream::close`] — the bytes [`write_ledger`] gives the whole
/// ledger. Nothing is written before the first batch (or the close).
#[derive(Default)]
pub(crate) struct LedgerStream(Option<Items>);

impl LedgerStream {
    fn items(&mut self, w: Sink<'_>) -> io::Result<&mut Items> {
        if self.0.is_none() {
            w.write_all(b"{\n  \"documents\": ")?;
        }
        Ok(self.0.get_or_insert_with(|| Items::new(1)))
    }

    pub(crate) fn extend(
        &mut self,
        w: Sink<'_>,
        documents: &[jixiao_core::DocumentRecords],
    ) -> io::Result<()> {
        self.items(w)?.extend(w, documents, DOCUMENT_CHUNK)
    }

    /// Ends the file, without its final newline.
    pub(crate) fn close(mut self, w: Sink<'_>) -> io::Result<()> {
        self.items(w)?;
        if let Some(items) = self.0 {
            items.close(w)?;
        }
        w.write_all(b"\n}")
    }
}

/// `scores.json` without its final newline (what the streams below are tested against).
#[cfg(test)]
pub(crate) fn write_scorecard(w: Sink<'_>, card: &jixiao_core::Scorecard) -> io::Result<()> {
    let mut stream = ScoresStream::open(w, &card.rubric)?;
    stream.extend(w, &card.records)?;
    stream.findings(w)?;
    stream.extend(w, &card.findings)?;
    stream.close(w, &card.diagnostics)
}

/// `scores.json` written a batch at a time: [`ScoresStream::open`] with the rubric, the score
/// cards in order ([`ScoresStream::extend`], or each already [`serialised`] at [`ITEM_DEPTH`]:
/// [`ScoresStream::push_serialised`]), [`ScoresStream::findings`], the findings in the same ways,
/// then [`ScoresStream::close`] with the diagnostics — the bytes [`write_scorecard`] gives the
/// whole scorecard.
pub(crate) struct ScoresStream {
    items: Items,
    /// The findings' array is being written (else the cards').
    findings: bool,
}

/// The nesting of a score card or a finding in `scores.json`: [`serialised`] at this depth, it is
/// what [`ScoresStream::push_serialised`] takes.
pub(crate) const ITEM_DEPTH: usize = 1;

impl ScoresStream {
    pub(crate) fn open(w: Sink<'_>, rubric: &jixiao_core::RubricInfo) -> io::Result<ScoresStream> {
        w.write_all(b"{\n  \"rubric\": ")?;
        let rubric = serde_json::to_vec_pretty(rubric)?;
        indented(w, &rubric, 1)?;
        w.write_all(b",\n  \"records\": ")?;
        Ok(ScoresStream {
            items: Items::new(ITEM_DEPTH),
            findings: false,
        })
    }

    /// The next cards (or findings, after [`ScoresStream::findings`]).
    pub(crate) fn extend<T: Serialize + Sync>(
        &mut self,
        w: Sink<'_>,
        items: &[T],
    ) -> io::Result<()> {
        self.items.extend(w, items, ITEM_CHUNK)
    }

    /// The next card (or finding) as [`serialised`] at [`ITEM_DEPTH`].
    pub(crate) fn push_serialised(&mut self, w: Sink<'_>, item: &[u8]) -> io::Result<()> {
        self.items.push(w, item)
    }

    /// Ends the cards: what comes next are the findings.
    pub(crate) fn findings(&mut self, w: Sink<'_>) -> io::Result<()> {
        if self.findings {
            return Ok(());
        }
        std::mem::replace(&mut self.items, Items::new(ITEM_DEPTH)).close(w)?;
        self.findings = true;
        w.write_all(b",\n  \"findings\": ")
    }

    /// Ends the findings; the diagnostics, and the file's end without its final newline.
    pub(crate) fn close(
        mut self,
        w: Sink<'_>,
        diagnostics: &[jixiao_core::Diagnostic],
    ) -> io::Result<()> {
        self.findings(w)?;
        self.items.close(w)?;
        w.write_all(b",\n  \"diagnostics\": ")?;
        array(w, diagnostics, 1, ITEM_CHUNK)?;
        w.write_all(b"\n}")
    }
}

/// An array at nesting `depth`: `[]`, or `[`, each item on its own lines one level deeper, `]`.
/// Items are serialised `chunk` at a time in parallel while the chunk before is written.
fn array<T: Serialize + Sync>(
    w: Sink<'_>,
    items: &[T],
    depth: usize,
    chunk: usize,
) -> io::Result<()> {
    let mut out = Items::new(depth);
    out.extend(w, items, chunk)?;
    out.close(w)
}

/// `item` as an element of an array at nesting `depth`: pretty, every line after the first
/// indented one level deeper than the array — serialised that way at once ([`Nested`]), not
/// pretty-printed and indented again.
pub(crate) fn serialised<T: Serialize>(item: &T, depth: usize) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(4096);
    let formatter = Nested {
        level: depth + 1,
        has_value: false,
    };
    item.serialize(&mut serde_json::Serializer::with_formatter(
        &mut out, formatter,
    ))?;
    Ok(out)
}

/// serde_json's `PrettyFormatter` (two spaces) starting `level` levels deep: its output with every
/// line after the first indented by `level` more (tested against that).
struct Nested {
    level: usize,
    has_value: bool,
}

impl Nested {
    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            write_indent(w, self.level)?;
        }
        w.write_all(bracket)
    }

    fn next<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        write_indent(w, self.level)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.next(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.next(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// `level` levels of two spaces.
fn write_indent<W: ?Sized + Write>(w: &mut W, level: usize) -> io::Result<()> {
    const SPACES: &[u8] = &[b' '; 64];
    let mut left = level * 2;
    while left > 0 {
        let n = left.min(SPACES.len());
        w.write_all(&SPACES[..n])?;
        left -= n;
    }
    Ok(())
}

/// An array at nesting `depth` being written: its `[` comes with the first item, and an array
/// closed without items is `[]`.
struct Items {
    depth: usize,
    first: bool,
}

impl Items {
    fn new(depth: usize) -> Items {
        Items { depth, first: true }
    }

    /// Appends `items`, serialised `chunk` at a time in parallel (each item indented on a worker:
    /// the writer only copies the bytes) while the chunk before is written.
    fn extend<T: Serialize + Sync>(
        &mut self,
        w: Sink<'_>,
        items: &[T],
        chunk: usize,
    ) -> io::Result<()> {
        let depth = self.depth;
        let serialise = |part: &[T]| -> io::Result<Vec<Vec<u8>>> {
            part.par_iter()
                .map(|item| serialised(item, depth))
                .collect()
        };
        let mut chunks = items.chunks(chunk.max(1));
        let mut ready = chunks.next().map(serialise).transpose()?;
        while let Some(parts) = ready.take() {
            let (written, next) = rayon::join(
                || parts.iter().try_for_each(|p| self.push(&mut *w, p)),
                || chunks.next().map(serialise).transpose(),
            );
            written?;
            ready = next?;
        }
        Ok(())
    }

    /// Appends one item already [`serialised`] at this depth, after `[` or `,`.
    fn push(&mut self, w: Sink<'_>, part: &[u8]) -> io::Result<()> {
        w.write_all(if self.first { b"[\n" } else { b",\n" })?;
        self.first = false;
        write_indent(w, self.depth + 1)?;
        w.write_all(part)
    }

    fn close(self, w: Sink<'_>) -> io::Result<()> {
        if self.first {
            return w.write_all(b"[]");
        }
        w.write_all(b"\n")?;
        write_indent(w, self.depth)?;
        w.write_all(b"]")
    }
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
        write_indent(w, depth)?;
        w.write_all(line)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_core::{Diagnostic, Finding, Ledger, RubricInfo, Scorecard, Severity};

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

    /// An item serialised at a depth is serde_json's pretty output with its lines indented.
    #[test]
    fn items_are_serialised_as_pretty_json_indented() -> R {
        let (ledger, card) = sample_run()?;
        let value = serde_json::json!({
            "empty": [], "none": {}, "nested": [[1, [2, {"a": "第一行\n第二行"}]], {"b": null}],
        });
        for depth in [0, 1, 2, 40] {
            let expected = |json: Vec<u8>| -> io::Result<Vec<u8>> {
                let mut out = Vec::new();
                indented(&mut out, &json, depth + 1)?;
                Ok(out)
            };
            assert_eq!(
                serialised(&value, depth)?,
                expected(serde_json::to_vec_pretty(&value)?)?
            );
            assert_eq!(
                serialised(&ledger.documents[0], depth)?,
                expected(serde_json::to_vec_pretty(&ledger.documents[0])?)?
            );
            assert_eq!(
                serialised(&card.records[0], depth)?,
                expected(serde_json::to_vec_pretty(&card.records[0])?)?
            );
        }
        Ok(())
    }

    #[test]
    fn the_streams_give_the_whole_files_a_batch_at_a_time() -> R {
        let (ledger, card) = sample_run()?;
        let streamed = ours(|w| {
            let mut documents = LedgerStream::default();
            for batch in ledger.documents.chunks(1) {
                documents.extend(w, batch)?;
            }
            documents.close(w)
        });
        assert_eq!(streamed, ours(|w| write_ledger(w, &ledger)));
        let streamed = ours(|w| {
            let mut stream = ScoresStream::open(w, &card.rubric)?;
            let (head, tail) = card.records.split_at(card.records.len() / 2);
            stream.extend(w, head)?;
            for c in tail {
                stream.push_serialised(w, &serialised(c, ITEM_DEPTH)?)?;
            }
            stream.findings(w)?;
            let (head, tail) = card.findings.split_at(card.findings.len() / 2);
            for f in head {
                stream.push_serialised(w, &serialised(f, ITEM_DEPTH)?)?;
            }
            stream.extend(w, tail)?;
            stream.close(w, &card.diagnostics)
        });
        assert_eq!(streamed, ours(|w| write_scorecard(w, &card)));
        assert_eq!(
            ours(|w| LedgerStream::default().close(w)),
            serde_json::to_vec_pretty(&Ledger::default())?
        );
        Ok(())
    }
}
