//! `scores.json` (and `scores.jsonl`) written once the corpus pass (`crate::corpus`) is over and
//! every department's spelling is known: from the cards and findings kept in memory, or read back
//! from their spill files — copied as they are unless a card's department is respelled. A split
//! run's packet is fed each card and finding on the way (`crate::departments`).

use std::io::{self, Write};

use jixiao_core::{Finding, RecordScore, Scorecard};
use jixiao_score::CorpusScores;

use crate::corpus::{Scored, entry};
use crate::departments::PacketSpill;
use crate::manifest::ArtifactEntry;
use crate::pretty::{self, ScoresStream};
use crate::publish::{Staging, StreamedFile};
use crate::spill::{SpillReader, SpilledCards};
use crate::{DriverError, stages};

/// The cards and findings once `scores.json` is written.
pub(crate) enum Written {
    /// In memory (respelled), for a run that renders from its ledger and scorecard.
    Kept(Kept),
    /// On disk, with what a split packet needs when one is made from them.
    Spilled {
        cards: SpilledCards,
        findings: SpillReader,
        packet: Option<Box<PacketSpill>>,
    },
}

/// The cards (respelled) and the documents' findings of a run that renders from memory.
pub(crate) struct Kept {
    cards: Vec<RecordScore>,
    findings: Vec<Finding>,
}

/// `scores.json` (and `scores.jsonl`) from the pass's cards, each given its department's one
/// spelling, and findings; returns where the cards and findings are now and the files' entries.
/// The characters of `scores.json` are noted in `characters` when given (see
/// `corpus::CorpusPass::characters`).
pub(crate) fn write_scores(
    staging: &mut Staging,
    scored: Scored,
    corpus: &CorpusScores,
    json_lines: bool,
    characters: Option<&std::sync::Arc<jixiao_render::Characters>>,
) -> Result<(Written, Vec<ArtifactEntry>), DriverError> {
    let mut json = match characters {
        Some(characters) => staging.stream_noting(stages::SCORES_JSON, characters)?,
        None => staging.stream(stages::SCORES_JSON)?,
    };
    let mut lines = match json_lines {
        true => Some(staging.stream(stages::SCORES_JSONL)?),
        false => None,
    };
    let (kept, written) = match scored {
        Scored::Kept {
            mut cards,
            findings,
        } => {
            for card in &mut cards {
                corpus.departments.apply(card);
            }
            let written = write_kept(&mut json, lines.as_mut(), &cards, &findings, corpus);
            (Some(Written::Kept(Kept { cards, findings })), written)
        }
        Scored::Spilled {
            cards,
            findings,
            mut packet,
        } => {
            let files = cards.into_reader().and_then(|cards| {
                let findings = findings.into_reader()?;
                Ok((cards, findings))
            });
            let written = files.and_then(|(cards, findings)| {
                let spilled = Spilled {
                    cards: &cards,
                    findings: &findings,
                    corpus,
                };
                spilled.write(&mut json, lines.as_mut(), packet.as_deref_mut())?;
                Ok((cards, findings))
            });
            match written {
                Ok((cards, findings)) => (
                    Some(Written::Spilled {
                        cards,
                        findings,
                        packet,
                    }),
                    Ok(()),
                ),
                Err(e) => (None, Err(e)),
            }
        }
    };
    let mut entries = vec![entry(stages::SCORES_JSON, json.finish(written)?)];
    if let Some(lines) = lines {
        entries.push(entry(stages::SCORES_JSONL, lines.finish(Ok(()))?));
    }
    let kept = kept.ok_or_else(|| DriverError::Config("scores.json was not written".into()))?;
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
    stream.findings(&mut json.writer)?;
    stream.extend(&mut json.writer, findings)?;
    close(stream, json, corpus, None)?;
    if let Some(lines) = lines {
        for card in cards {
            serde_json::to_writer(&mut lines.writer, card)?;
            lines.writer.write_all(b"\n")?;
        }
    }
    Ok(())
}

/// The spilled cards and findings of a pass.
struct Spilled<'a> {
    cards: &'a SpilledCards,
    findings: &'a SpillReader,
    corpus: &'a CorpusScores,
}

impl Spilled<'_> {
    /// The cards copied as they are, but for those whose department is respelled (read,
    /// respelled, serialised again), then the findings; `scores.jsonl` has every card read back,
    /// and so has a split packet. Cards are read a chunk at a time and parsed on every worker;
    /// they are written in order.
    fn write(
        &self,
        json: &mut StreamedFile,
        mut lines: Option<&mut StreamedFile>,
        mut packet: Option<&mut PacketSpill>,
    ) -> io::Result<()> {
        use rayon::prelude::*;
        const CHUNK: usize = 256;
        let corpus = self.corpus;
        let read_all = lines.is_some() || packet.is_some();
        let mut stream = ScoresStream::open(&mut json.writer, &corpus.rubric)?;
        let count = self.cards.file.len();
        for start in (0..count).step_by(CHUNK) {
            let (bytes, spans) = self
                .cards
                .file
                .read_many(start..(start + CHUNK).min(count))?;
            let cards: Vec<io::Result<(Option<RecordScore>, bool)>> = spans
                .par_iter()
                .enumerate()
                .map(|(k, span)| self.card(start + k, &bytes[span.clone()], read_all))
                .collect();
            for (k, (span, card)) in spans.iter().zip(cards).enumerate() {
                let (card, respelled) = card?;
                match (&card, respelled) {
                    (Some(card), true) => {
                        let respelled = pretty::serialised(card, pretty::ITEM_DEPTH)?;
                        stream.push_serialised(&mut json.writer, &respelled)?;
                    }
                    _ => stream.push_serialised(&mut json.writer, &bytes[span.clone()])?,
                }
                if let Some(card) = &card {
                    if let Some(lines) = lines.as_deref_mut() {
                        serde_json::to_writer(&mut lines.writer, card)?;
                        lines.writer.write_all(b"\n")?;
                    }
                    if let Some(packet) = packet.as_deref_mut() {
                        packet.add_card(start + k, card);
                    }
                }
            }
        }
        stream.findings(&mut json.writer)?;
        self.findings.for_each(|_, bytes| {
            stream.push_serialised(&mut json.writer, bytes)?;
            if let Some(packet) = packet.as_deref_mut() {
                packet.add_finding(&crate::spill::parse(bytes)?)?;
            }
            Ok(())
        })?;
        close(stream, json, corpus, packet)
    }

    /// Card `i`, read back when `read_all` or when its department is respelled (then respelled),
    /// and whether it was respelled.
    fn card(
        &self,
        i: usize,
        bytes: &[u8],
        read_all: bool,
    ) -> io::Result<(Option<RecordScore>, bool)> {
        let written = self
            .cards
            .written_department(i)
            .ok_or_else(|| io::Error::other("a spilled card without its department"))?;
        let unified = self.corpus.departments.of(written);
        let respelled = unified != written;
        if !(respelled || read_all) {
            return Ok((None, false));
        }
        let mut card: RecordScore = crate::spill::parse(bytes)?;
        card.department = unified.to_string();
        Ok((Some(card), respelled))
    }
}

/// The corpus's findings (made a chunk at a time: a province's copies name millions of records),
/// the diagnostics and the file's end.
fn close(
    mut stream: ScoresStream,
    json: &mut StreamedFile,
    corpus: &CorpusScores,
    mut packet: Option<&mut PacketSpill>,
) -> io::Result<()> {
    use rayon::prelude::*;
    const CHUNK: usize = 256;
    let all = &corpus.findings;
    for start in (0..all.len()).step_by(CHUNK) {
        let chunk: Vec<Finding> = (start..(start + CHUNK).min(all.len()))
            .into_par_iter()
            .filter_map(|i| all.get(i))
            .collect();
        stream.extend(&mut json.writer, &chunk)?;
        if let Some(packet) = packet.as_deref_mut() {
            for f in &chunk {
                packet.add_finding(f)?;
            }
        }
    }
    stream.close(&mut json.writer, &corpus.diagnostics)?;
    json.writer.write_all(b"\n")
}

/// The scorecard a run that renders from memory renders: the cards, every finding, the
/// diagnostics. Otherwise (its cards and findings on disk) only the rubric and the diagnostics.
pub(crate) fn scorecard(kept: Option<Kept>, corpus: &CorpusScores) -> Scorecard {
    let (records, findings) = match kept {
        Some(Kept {
            cards,
            mut findings,
        }) => {
            findings.extend(corpus.findings.to_vec());
            (cards, findings)
        }
        None => (Vec::new(), Vec::new()),
    };
    Scorecard {
        rubric: corpus.rubric.clone(),
        records,
        findings,
        diagnostics: corpus.diagnostics.clone(),
    }
}
