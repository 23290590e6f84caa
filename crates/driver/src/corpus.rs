//! The pass over a run's inputs: a batch of files at a time is read, normalised and scored
//! ([`jixiao_score::CorpusScorer`]), its documents appended to `records.json` (and
//! `records.jsonl`) and its score cards and findings spilled to temporary files as the bytes
//! `scores.json` will hold (`crate::spill`), with its records too when a split packet is made
//! from them (`crate::departments`). What needs the whole corpus (copies across projects,
//! department spellings) is settled after the last batch, and `scores.json` is then written from
//! the spill (`crate::scores`). So a run holds one batch at a time, whatever the corpus's size;
//! only a packet in one file keeps the ledger and the cards in memory (`keep`), for its render
//! stage reads them whole.
//!
//! The files are byte-identical to writing the whole ledger and scorecard at once (tested).

use std::io::{self, Write};
use std::time::{Duration, Instant};

use jixiao_core::{Finding, Grade, Ledger, RecordScore};
use jixiao_ingest::InputFile;
use jixiao_score::{CorpusScorer, CorpusScores};

use crate::departments::PacketSpill;
use crate::exit::Counts;
use crate::manifest::{ArtifactEntry, FileDigest, InputEntry};
use crate::pretty::LedgerStream;
use crate::publish::{Staging, StreamedFile};
use crate::spill::{CardSpill, SpillFile};
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
    /// Spilled, the records too, for a split packet made with this meta (`crate::departments`).
    pub(crate) packet: Option<(jixiao_render::PacketMeta, jixiao_core::RubricInfo)>,
    /// `[output] json_lines`: `records.jsonl` beside `records.json`.
    pub(crate) json_lines: bool,
    /// Input bytes per batch ([`BATCH_BYTES`]; tests make it small).
    pub(crate) batch_bytes: u64,
    /// Every input's diagnostics are logged as its batch is read.
    pub(crate) log: &'a (dyn Fn(&jixiao_core::DocumentRecords) + Sync),
    /// Where the characters of `records.json` are noted, when the packet's PDFs are cut from
    /// the fonts' working copies (`render::RenderContext::characters`).
    pub(crate) characters: Option<&'a std::sync::Arc<jixiao_render::Characters>>,
}

/// What the pass leaves.
pub(crate) struct Passed {
    /// Every document, when kept; else empty.
    pub(crate) ledger: Ledger,
    /// The score cards (departments as the tables write them) and the documents' own findings
    /// in document order (the corpus's are in `corpus`), in memory or spilled.
    pub(crate) scored: Scored,
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

/// A run's score cards and its documents' findings after the pass.
pub(crate) enum Scored {
    /// In memory, for the render stage.
    Kept {
        cards: Vec<RecordScore>,
        findings: Vec<Finding>,
    },
    /// On disk, with the records when a split packet is made from them.
    Spilled {
        cards: CardSpill,
        findings: SpillFile,
        packet: Option<Box<PacketSpill>>,
    },
}

/// One batch read, normalised and scored, waiting to be written.
struct Batch {
    ledger: Ledger,
    first: usize,
    cards: Vec<RecordScore>,
    findings: Vec<Finding>,
}

/// Where the batches go: the open files and what is kept.
struct Sink {
    records: StreamedFile,
    documents: LedgerStream,
    lines: Option<StreamedFile>,
    scored: Scored,
    ledger: Ledger,
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
        match &mut self.scored {
            Scored::Spilled {
                cards,
                findings,
                packet,
            } => {
                cards.push_all(&batch.cards)?;
                findings.push_all(&batch.findings)?;
                if let Some(packet) = packet {
                    packet.add_documents(&batch.ledger.documents)?;
                }
            }
            Scored::Kept { cards, findings } => {
                cards.extend(batch.cards);
                findings.extend(batch.findings);
            }
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
        let records = match self.characters {
            Some(characters) => staging.stream_noting(stages::RECORDS_JSON, characters)?,
            None => staging.stream(stages::RECORDS_JSON)?,
        };
        let lines = match self.json_lines {
            true => Some(staging.stream(stages::RECORDS_JSONL)?),
            false => None,
        };
        let scored = match self.keep {
            true => Scored::Kept {
                cards: Vec::new(),
                findings: Vec::new(),
            },
            false => Scored::Spilled {
                cards: CardSpill::new(spill_dir)?,
                findings: SpillFile::new(spill_dir)?,
                packet: match &self.packet {
                    Some((meta, rubric)) => {
                        Some(Box::new(PacketSpill::new(spill_dir, rubric, meta.clone())?))
                    }
                    None => None,
                },
            },
        };
        let mut sink = Sink {
            records,
            documents: LedgerStream::default(),
            lines,
            scored,
            ledger: Ledger::default(),
        };
        let (wordings, wording_failure) = crate::spill::WordingSpill::new(spill_dir)?;
        let mut scorer = CorpusScorer::with_wordings(self.score, Box::new(wordings));
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
        let reading = tally.reading + tally.normalizing;
        let corpus = scorer.finish();
        if let Some(e) = wording_failure.lock().ok().and_then(|mut f| f.take()) {
            return Err(DriverError::io(
                "cannot keep the indicators' wordings in",
                spill_dir,
                e,
            ));
        }
        Ok(Passed {
            ledger: sink.ledger,
            scored: sink.scored,
            corpus,
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
        tally.read_wall += clock.elapsed();
        tally.reading += read.reading;
        tally.normalizing += read.normalizing;
        let digests = self.digests.get(first..).unwrap_or_default();
        for (doc, digest) in ledger.documents.iter().zip(digests) {
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
        Batch {
            ledger,
            first,
            cards: scored.records,
            findings: scored.findings,
        }
    }
}

/// What the batches add up to.
#[derive(Default)]
struct Tally {
    inputs: Vec<InputEntry>,
    counts: Counts,
    grades: [usize; 4],
    read_wall: Duration,
    reading: Duration,
    normalizing: Duration,
}

pub(crate) fn entry(path: &str, (size, sha256): (u64, String)) -> ArtifactEntry {
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
