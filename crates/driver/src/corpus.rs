//! The pass over a run's inputs: a batch of files at a time is read, normalised and scored
//! ([`jixiao_score::CorpusScorer`]), its documents appended to `records.json` (and
//! `records.jsonl`) and its score cards kept for the render stage or, when no packet format is
//! selected, spilled to a temporary file as the bytes `scores.json` will hold. What needs the whole
//! corpus (copies across projects, department spellings) is settled after the last batch, and
//! `scores.json` is then written from the cards ([`write_scores`]). A records-only run holds one
//! batch's records and cards at a time, whatever the corpus's size; a run with packet formats keeps
//! the ledger and the cards for the render stage (which reads them whole).
//!
//! The files are byte-identical to writing the whole ledger and scorecard at once (tested).

use std::io::{self, BufRead, Read, Write};
use std::time::{Duration, Instant};

use jixiao_core::{Finding, Grade, Ledger, RecordScore, Scorecard};
use jixiao_ingest::InputFile;
use jixiao_score::{CorpusScorer, CorpusScores};

use crate::exit::Counts;
use crate::manifest::{ArtifactEntry, FileDigest, InputEntry};
use crate::pretty::{self, LedgerStream, ScoresStream};
use crate::publish::{Staging, StreamedFile};
use crate::{DriverError, stages};

/// Input bytes read, normalised and scored at once. A batch's records and cards take ≈ 10× its
/// input in memory; smaller batches leave the cores idle more often between them.
pub(crate) const BATCH_BYTES: u64 = 4 << 20;

/// What the pass needs.
pub(crate) struct CorpusPass<'a> {
    pub(crate) files: &'a [InputFile],
    /// Each file's size and hash (`None`: unreadable), as the manifest lists them.
    pub(crate) digests: &'a [Option<FileDigest>],
    pub(crate) limits: &'a jixiao_core::ReadLimits,
    pub(crate) normalize: &'a jixiao_normalize::NormalizeContext,
    pub(crate) score: &'a jixiao_score::ScoreContext,
    /// Keep the ledger and the cards in memory for the render stage; else the cards are spilled.
    pub(crate) keep: bool,
    /// `[output] json_lines`: `records.jsonl` beside `records.json`.
    pub(crate) json_lines: bool,
    /// Input bytes per batch ([`BATCH_BYTES`]; tests make it small).
    pub(crate) batch_bytes: u64,
    /// Every input's diagnostics are logged as its batch is read.
    pub(crate) log: &'a (dyn Fn(&jixiao_core::DocumentRecords) + Sync),
}

/// What the pass leaves.
pub(crate) struct Passed {
    /// Every document, when kept; else empty.
    pub(crate) ledger: Ledger,
    /// The score cards, in memory or spilled, departments as the tables write them.
    pub(crate) cards: Cards,
    /// The documents' own findings, in document order (the corpus's are in `corpus`).
    pub(crate) findings: Vec<Finding>,
    pub(crate) corpus: CorpusScores,
    /// One entry per input, in input order.
    pub(crate) inputs: Vec<InputEntry>,
    pub(crate) counts: Counts,
    /// Cards per grade, 优 良 中 差.
    pub(crate) grades: [usize; 4],
    /// `records.json` (and `records.jsonl`), written.
    pub(crate) artifacts: Vec<ArtifactEntry>,
    /// How the pass's time went (see [`PassTimes`]).
    pub(crate) times: PassTimes,
}

/// The pass's wall time, and the part of it spent reading and normalising (split between the two
/// by their CPU time): the rest was scoring and writing `records.json`.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PassTimes {
    pub(crate) reading: Duration,
    pub(crate) reading_share: f64,
    pub(crate) total: Duration,
}

/// A run's score cards after the pass.
pub(crate) enum Cards {
    Kept(Vec<RecordScore>),
    Spilled(Spill),
}

/// Score cards in an anonymous temporary file, each as `scores.json` holds it
/// ([`pretty::serialised`] at [`pretty::CARD_DEPTH`]), one after another.
pub(crate) struct Spill {
    file: io::BufWriter<std::fs::File>,
    /// Each card's length in bytes and department (an index into `departments`), in order.
    cards: Vec<(u32, u32)>,
    departments: Vec<String>,
    index: rustc_hash::FxHashMap<String, u32>,
}

impl Spill {
    fn new(dir: &std::path::Path) -> Result<Spill, DriverError> {
        let file = tempfile::tempfile_in(dir)
            .map_err(|e| DriverError::io("cannot create a temporary file in", dir, e))?;
        Ok(Spill {
            file: io::BufWriter::with_capacity(1 << 20, file),
            cards: Vec::new(),
            departments: Vec::new(),
            index: rustc_hash::FxHashMap::default(),
        })
    }

    fn push(&mut self, cards: &[RecordScore]) -> io::Result<()> {
        use rayon::prelude::*;
        let bytes: Vec<Vec<u8>> = cards
            .par_iter()
            .map(|c| pretty::serialised(c, pretty::CARD_DEPTH))
            .collect::<io::Result<_>>()?;
        for (card, bytes) in cards.iter().zip(bytes) {
            let len = u32::try_from(bytes.len()).map_err(io::Error::other)?;
            let department = match self.index.get(&card.department) {
                Some(&i) => i,
                None => {
                    let i = self.departments.len() as u32;
                    self.departments.push(card.department.clone());
                    self.index.insert(card.department.clone(), i);
                    i
                }
            };
            self.file.write_all(&bytes)?;
            self.cards.push((len, department));
        }
        Ok(())
    }

    /// Each card's bytes in order, given to `each` with whether its department is renamed.
    fn read_back(
        self,
        names: &jixiao_score::DepartmentNames,
        mut each: impl FnMut(&[u8], Option<&str>) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut file = self.file.into_inner().map_err(|e| e.into_error())?;
        io::Seek::rewind(&mut file)?;
        let mut reader = io::BufReader::with_capacity(1 << 20, file);
        let mut buf = Vec::new();
        for (len, department) in self.cards {
            buf.resize(len as usize, 0);
            reader.read_exact(&mut buf)?;
            let written = &self.departments[department as usize];
            let unified = names.of(written);
            each(&buf, (unified != written).then_some(unified))?;
        }
        // Nothing may be left: the spill holds exactly the cards counted.
        if !reader.fill_buf()?.is_empty() {
            return Err(io::Error::other(
                "the score cards' spill file is longer than its cards",
            ));
        }
        Ok(())
    }
}

/// One batch read, normalised and scored, waiting to be written.
struct Batch {
    ledger: Ledger,
    first: usize,
    cards: Vec<RecordScore>,
}

/// Where the batches go: the open files and what is kept.
struct Sink {
    records: StreamedFile,
    documents: LedgerStream,
    lines: Option<StreamedFile>,
    spill: Option<Spill>,
    ledger: Ledger,
    cards: Vec<RecordScore>,
}

impl Sink {
    fn take(&mut self, batch: Batch, keep: bool) -> io::Result<()> {
        self.documents
            .extend(&mut self.records.writer, &batch.ledger.documents)?;
        if let Some(lines) = &mut self.lines {
            for line in stages::document_lines(batch.first, &batch.ledger.documents) {
                serde_json::to_writer(&mut lines.writer, &line)?;
                lines.writer.write_all(b"\n")?;
            }
        }
        match &mut self.spill {
            Some(spill) => spill.push(&batch.cards)?,
            None => self.cards.extend(batch.cards),
        }
        if keep {
            self.ledger.documents.extend(batch.ledger.documents);
        }
        Ok(())
    }
}

impl CorpusPass<'_> {
    /// Reads, normalises and scores every input, writing `records.json` (and `records.jsonl`)
    /// into `staging` as it goes; `spill_dir` holds the spilled cards' temporary file. The next
    /// batch is read while the last is written.
    pub(crate) fn run(
        &self,
        staging: &mut Staging,
        spill_dir: &std::path::Path,
    ) -> Result<Passed, DriverError> {
        let clock = Instant::now();
        let records = staging.stream(stages::RECORDS_JSON)?;
        let lines = match self.json_lines {
            true => Some(staging.stream(stages::RECORDS_JSONL)?),
            false => None,
        };
        let spill = match self.keep {
            true => None,
            false => Some(Spill::new(spill_dir)?),
        };
        let mut sink = Sink {
            records,
            documents: LedgerStream::default(),
            lines,
            spill,
            ledger: Ledger::default(),
            cards: Vec::new(),
        };
        let mut scorer = CorpusScorer::new(self.score);
        let mut tally = Tally::default();
        let mut pending: Option<Batch> = None;
        let mut first = 0;
        let mut written = Ok(());
        for files in batches(self.files, self.digests, self.batch_bytes) {
            let (done, next) = rayon::join(
                || match pending.take() {
                    Some(batch) => sink.take(batch, self.keep),
                    None => Ok(()),
                },
                || self.read(files, first, &mut scorer, &mut tally),
            );
            first += files.len();
            pending = Some(next);
            if let Err(e) = done {
                written = Err(e);
                break;
            }
        }
        if let (Ok(()), Some(batch)) = (&written, pending.take()) {
            written = sink.take(batch, self.keep);
        }
        let written = written
            .and_then(|()| sink.documents.close(&mut sink.records.writer))
            .and_then(|()| sink.records.writer.write_all(b"\n"));
        let mut artifacts = vec![entry(stages::RECORDS_JSON, sink.records.finish(written)?)];
        if let Some(lines) = sink.lines {
            artifacts.push(entry(stages::RECORDS_JSONL, lines.finish(Ok(()))?));
        }
        let cards = match sink.spill {
            Some(spill) => Cards::Spilled(spill),
            None => Cards::Kept(sink.cards),
        };
        let reading = tally.reading + tally.normalizing;
        Ok(Passed {
            ledger: sink.ledger,
            cards,
            findings: tally.findings,
            corpus: scorer.finish(),
            inputs: tally.inputs,
            counts: tally.counts,
            grades: tally.grades,
            artifacts,
            times: PassTimes {
                reading: tally.read_wall,
                reading_share: tally.reading.as_secs_f64() / reading.as_secs_f64().max(1e-9),
                total: clock.elapsed(),
            },
        })
    }

    /// One batch: read and normalised (one file per task), scored, counted.
    fn read(
        &self,
        files: &[InputFile],
        first: usize,
        scorer: &mut CorpusScorer<'_>,
        tally: &mut Tally,
    ) -> Batch {
        let clock = Instant::now();
        let (ledger, read) = crate::run::read_and_normalize(files, self.limits, self.normalize);
        let read: crate::run::ReadTimes = read;
        tally.read_wall += clock.elapsed();
        tally.reading += read.reading;
        tally.normalizing += read.normalizing;
        for (doc, digest) in ledger.documents.iter().zip(&self.digests[first..]) {
            (self.log)(doc);
            tally.inputs.push(InputEntry::new(doc, digest.as_ref()));
            tally.counts = tally.counts.plus(Counts::of_document(doc));
        }
        let scored = scorer.add(&ledger.documents);
        for card in &scored.records {
            if let Some(i) = Grade::ALL.iter().position(|g| *g == card.grade) {
                tally.grades[i] += 1;
            }
        }
        tally.findings.extend(scored.findings);
        Batch {
            ledger,
            first,
            cards: scored.records,
        }
    }
}

/// What the batches add up to.
#[derive(Default)]
struct Tally {
    findings: Vec<Finding>,
    inputs: Vec<InputEntry>,
    counts: Counts,
    grades: [usize; 4],
    read_wall: Duration,
    reading: Duration,
    normalizing: Duration,
}

fn entry(path: &str, (size, sha256): (u64, String)) -> ArtifactEntry {
    ArtifactEntry {
        path: path.into(),
        size,
        sha256,
    }
}

/// `files` in consecutive batches of about `bytes` input bytes each (at least one file).
fn batches<'f>(
    files: &'f [InputFile],
    digests: &[Option<FileDigest>],
    bytes: u64,
) -> Vec<&'f [InputFile]> {
    let mut out = Vec::new();
    let (mut start, mut size) = (0, 0u64);
    for (i, digest) in digests.iter().enumerate().take(files.len()) {
        size += digest.as_ref().map_or(0, |d| d.size);
        if size >= bytes {
            out.push(&files[start..=i]);
            (start, size) = (i + 1, 0);
        }
    }
    if start < files.len() {
        out.push(&files[start..]);
    }
    out
}

/// `scores.json` (and `scores.jsonl`) from the pass's cards, each given its department's one
/// spelling; returns the cards when they were kept (for the render stage) and the files' entries.
pub(crate) fn write_scores(
    staging: &mut Staging,
    cards: Cards,
    findings: &[Finding],
    corpus: &CorpusScores,
    json_lines: bool,
) -> Result<(Vec<RecordScore>, Vec<ArtifactEntry>), DriverError> {
    let mut json = staging.stream(stages::SCORES_JSON)?;
    let mut lines = match json_lines {
        true => Some(staging.stream(stages::SCORES_JSONL)?),
        false => None,
    };
    let (kept, written) = match cards {
        Cards::Kept(mut cards) => {
            for card in &mut cards {
                corpus.departments.apply(card);
            }
            let written = write_kept(&mut json, lines.as_mut(), &cards, findings, corpus);
            (cards, written)
        }
        Cards::Spilled(spill) => {
            let written = write_spilled(&mut json, lines.as_mut(), spill, findings, corpus);
            (Vec::new(), written)
        }
    };
    let mut entries = vec![entry(stages::SCORES_JSON, json.finish(written)?)];
    if let Some(lines) = lines {
        entries.push(entry(stages::SCORES_JSONL, lines.finish(Ok(()))?));
    }
    Ok((kept, entries))
}

fn write_kept(
    json: &mut StreamedFile,
    lines: Option<&mut StreamedFile>,
    cards: &[RecordScore],
    findings: &[Finding],
    corpus: &CorpusScores,
) -> io::Result<()> {
    let mut stream = ScoresStream::open(&mut json.writer, &corpus.rubric)?;
    stream.extend(&mut json.writer, cards)?;
    close(stream, json, findings, corpus)?;
    if let Some(lines) = lines {
        for card in cards {
            serde_json::to_writer(&mut lines.writer, card)?;
            lines.writer.write_all(b"\n")?;
        }
    }
    Ok(())
}

/// The spilled cards copied as they are, but for those whose department is renamed (read,
/// renamed, serialised again); `scores.jsonl` has every card read back.
fn write_spilled(
    json: &mut StreamedFile,
    mut lines: Option<&mut StreamedFile>,
    spill: Spill,
    findings: &[Finding],
    corpus: &CorpusScores,
) -> io::Result<()> {
    let mut stream = ScoresStream::open(&mut json.writer, &corpus.rubric)?;
    spill.read_back(&corpus.departments, |bytes, renamed| {
        let card = match (renamed, &lines) {
            (None, None) => None,
            _ => {
                let mut card: RecordScore = serde_json::from_slice(bytes)?;
                if let Some(name) = renamed {
                    card.department = name.to_string();
                }
                Some(card)
            }
        };
        match (&card, renamed) {
            (Some(card), Some(_)) => {
                let bytes = pretty::serialised(card, pretty::CARD_DEPTH)?;
                stream.push_serialised(&mut json.writer, &bytes)?;
            }
            _ => stream.push_serialised(&mut json.writer, bytes)?,
        }
        if let (Some(lines), Some(card)) = (lines.as_deref_mut(), &card) {
            serde_json::to_writer(&mut lines.writer, card)?;
            lines.writer.write_all(b"\n")?;
        }
        Ok(())
    })?;
    close(stream, json, findings, corpus)
}

fn close(
    stream: ScoresStream,
    json: &mut StreamedFile,
    findings: &[Finding],
    corpus: &CorpusScores,
) -> io::Result<()> {
    let all: Vec<&Finding> = findings.iter().chain(&corpus.findings).collect();
    stream.close(&mut json.writer, &all, &corpus.diagnostics)?;
    json.writer.write_all(b"\n")
}

/// The scorecard a run with packet formats renders: the cards (renamed), every finding, the
/// diagnostics.
pub(crate) fn scorecard(
    cards: Vec<RecordScore>,
    findings: Vec<Finding>,
    corpus: CorpusScores,
) -> Scorecard {
    let mut all = findings;
    all.extend(corpus.findings);
    Scorecard {
        rubric: corpus.rubric,
        records: cards,
        findings: all,
        diagnostics: corpus.diagnostics,
    }
}
