//! A run in three steps: [`prepare`] (every context built and every input pattern resolved before
//! the output directory is locked), [`execute`] (the stages, each packet file written to the staging
//! folder as soon as it is made) and [`publish`] (the manifest, then the atomic rename).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jixiao_config::Pipeline;
use jixiao_core::{Diagnostic, Ledger, Scorecard};
use jixiao_normalize::NormalizeContext;
use jixiao_render::RenderedFile;
use rayon::prelude::*;

use crate::exit::{self, Counts, ExitStatus};
use crate::manifest::{self, ArtifactEntry, InputEntry, Manifest};
use crate::publish::{Staging, Unsynced};
use crate::scores::Written as Scores;
use crate::stages::{self, Stage, StageTiming};
use crate::{
    DriverError, RunOverrides, RunReport, inputs, lock, log_one, normalize_context, output_dir,
    publish, render_context, score_context, unchanged,
};

/// What a run needs before it reads an input.
struct Prepared {
    limits: jixiao_core::ReadLimits,
    /// `[output] json_lines`.
    json_lines: bool,
    /// Input bytes read, normalised and scored at once (`crate::corpus::BATCH_BYTES`).
    batch_bytes: u64,
    normalize: NormalizeContext,
    score: jixiao_score::ScoreContext,
    render: jixiao_render::RenderContext,
    resolved: inputs::ResolvedInputs,
    pool: rayon::ThreadPool,
    out_dir: PathBuf,
    notes: Vec<String>,
    /// Held until the run returns.
    _lock: lock::RunLock,
}

/// Stage timings, reported as each stage ends; `started` hears of the next one.
struct Laps<'a> {
    timings: Vec<StageTiming>,
    clock: Instant,
    started: &'a dyn Fn(Stage),
    /// Work of a later stage done ahead, beside an earlier one (scoring beside the reading, the
    /// fonts' working copies beside the pass): counted in that stage's time when it ends.
    ahead: Vec<(Stage, Duration)>,
}

impl Laps<'_> {
    fn lap(&mut self, stage: Stage) {
        let mut duration = self.clock.elapsed();
        for (_, d) in self.ahead.iter().filter(|(s, _)| *s == stage) {
            duration += *d;
        }
        self.ahead.retain(|(s, _)| *s != stage);
        self.record(stage, duration);
        self.clock = Instant::now();
    }

    /// Ends the pass over the inputs (`crate::corpus`): its reading time is shared between ingest
    /// and normalize as their CPU time was; the rest of the pass (scoring, `records.json`) counts
    /// towards the score stage. What the clock shows beyond the pass was render work done beside
    /// it.
    fn lap_pass(&mut self, times: &crate::corpus::PassTimes) {
        let elapsed = self.clock.elapsed();
        let pass = elapsed.min(times.total);
        let reading = times.reading.min(pass);
        let head = reading.mul_f64(times.reading_share.clamp(0.0, 1.0));
        self.ahead.push((Stage::Score, pass - reading));
        self.ahead.push((Stage::Render, elapsed - pass));
        self.record(Stage::Ingest, head);
        self.record(Stage::Normalize, reading.saturating_sub(head));
        self.clock = Instant::now();
    }

    fn record(&mut self, stage: Stage, duration: Duration) {
        tracing::debug!(
            stage = stage.as_str(),
            ms = duration.as_millis() as u64,
            "stage done"
        );
        self.timings.push(StageTiming { stage, duration });
        if let Some(next) = stages::STAGES.iter().skip_while(|s| **s != stage).nth(1) {
            (self.started)(*next);
        }
    }
}

pub(crate) fn run(
    pipeline: &Pipeline,
    overrides: &RunOverrides,
    started: &dyn Fn(Stage),
) -> Result<RunReport, DriverError> {
    started(Stage::Resolve);
    let mut laps = Laps {
        timings: Vec::new(),
        clock: Instant::now(),
        started,
        ahead: Vec::new(),
    };
    let prepared = prepare(pipeline, overrides)?;
    laps.lap(Stage::Resolve);
    let digests: Vec<_> = prepared.pool.install(|| {
        prepared
            .resolved
            .files
            .par_iter()
            .map(|f| manifest::digest_file(&f.path))
            .collect()
    });
    let rubric_sha256 = pipeline
        .scoring
        .rubric
        .as_ref()
        .and_then(|r| manifest::digest_file(&pipeline.base_dir.join(r)))
        .map(|d| d.sha256);
    if overrides.skip_unchanged
        && unchanged_since_last(pipeline, &prepared, &digests, &rubric_sha256)
    {
        tracing::info!(
            "nothing changed since the packet in {}: not rewritten",
            prepared.out_dir.display()
        );
        return Ok(RunReport {
            diagnostics: prepared.resolved.diagnostics,
            inputs: Vec::new(),
            counts: Counts::default(),
            exit: ExitStatus::Ok,
            out_dir: prepared.out_dir,
            published: Vec::new(),
            timings: laps.timings,
            grades: [0; 4],
            notes: prepared.notes,
        });
    }
    let executed = execute(&prepared, &digests, &mut laps)?;

    let inputs = executed.inputs;
    let mut counts = executed.counts;
    let stage_diagnostics = executed
        .scorecard
        .diagnostics
        .iter()
        .chain(&executed.render_diagnostics);
    for d in prepared
        .resolved
        .diagnostics
        .iter()
        .chain(stage_diagnostics)
    {
        counts.add(d.severity);
    }
    let exit = exit::classify(&counts);
    let grades = executed.grades;
    let mut published = Vec::new();
    match executed.staging {
        Some(staging) if exit.publishes() => {
            let facts = PublishFacts {
                inputs: &inputs,
                rubric_sha256,
                exit,
                timings: &laps.timings,
            };
            published = publish(
                pipeline,
                &prepared,
                &executed.scorecard,
                &executed.render_diagnostics,
                staging,
                executed.artifacts,
                &facts,
            )?;
        }
        _ => tracing::error!(
            "no input yielded a record: nothing published, {} left as it was",
            prepared.out_dir.display()
        ),
    }
    laps.lap(Stage::Publish);

    Ok(RunReport {
        diagnostics: prepared.resolved.diagnostics,
        inputs,
        counts,
        exit,
        out_dir: prepared.out_dir,
        published,
        timings: laps.timings,
        grades,
        notes: prepared.notes,
    })
}

/// Builds every stage's context (so a broken dictionary, rubric, plugin, template or font stops
/// the run before any input is read), resolves the inputs, then locks the output directory and
/// recovers interrupted runs.
fn prepare(pipeline: &Pipeline, overrides: &RunOverrides) -> Result<Prepared, DriverError> {
    let normalize = normalize_context(pipeline)?;
    let score = score_context(pipeline)?;
    let render = render_context(pipeline)?;
    let resolved = inputs::resolve(&crate::input_specs(pipeline, overrides), &pipeline.base_dir)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(overrides.jobs.or(pipeline.run.jobs).unwrap_or(0))
        .build()
        .map_err(|e| {
            DriverError::io("cannot start worker threads", "", std::io::Error::other(e))
        })?;
    let out_dir = output_dir(pipeline, overrides);
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| DriverError::io("cannot create output directory", &out_dir, e))?;
    let lock = lock::RunLock::acquire(&out_dir)?;
    let notes = publish::recover(&out_dir)?;
    for n in &notes {
        tracing::warn!("{n}");
    }
    Ok(Prepared {
        limits: pipeline.limits,
        json_lines: pipeline.output.json_lines,
        batch_bytes: overrides.batch_bytes.unwrap_or(crate::corpus::BATCH_BYTES),
        normalize,
        score,
        render,
        resolved,
        pool,
        out_dir,
        notes,
        _lock: lock,
    })
}

/// Whether the published packet was made from exactly these inputs, pipeline, rubric, plugins,
/// templates and jixiao version (`run --skip-unchanged`).
fn unchanged_since_last(
    pipeline: &Pipeline,
    prepared: &Prepared,
    digests: &[Option<manifest::FileDigest>],
    rubric_sha256: &Option<String>,
) -> bool {
    let current = unchanged::Fingerprint {
        jixiao_version: env!("CARGO_PKG_VERSION").to_string(),
        pipeline_sha256: manifest::digest_file(&pipeline.file).map(|d| d.sha256),
        rubric_sha256: rubric_sha256.clone(),
        inputs: prepared
            .resolved
            .files
            .iter()
            .zip(digests)
            .map(|(f, d)| (f.display.clone(), d.as_ref().map(|d| d.sha256.clone())))
            .collect(),
        plugins: prepared
            .score
            .plugins
            .iter()
            .map(|p| plugin_digest(p, &pipeline.base_dir))
            .collect(),
        render: manifest::RenderEntry::of(&prepared.render),
    };
    unchanged::is_current(&prepared.out_dir, &current)
}

/// A plugin's hash as the manifest records it: the library, or the files a command names.
fn plugin_digest(p: &jixiao_score::LoadedPlugin, base_dir: &std::path::Path) -> Option<String> {
    match &p.command {
        Some(command) => manifest::digest_command(command, base_dir),
        None => manifest::digest_file(&p.path).map(|d| d.sha256),
    }
}

/// What the stages produced; the packet files are already in `staging`.
struct Executed {
    /// The score cards' rubric and the stage's diagnostics; the cards and findings themselves
    /// only when a packet in one file was rendered from memory (else they were spilled, written
    /// to scores.json and read back from there).
    scorecard: Scorecard,
    inputs: Vec<InputEntry>,
    counts: Counts,
    grades: [usize; 4],
    render_diagnostics: Vec<Diagnostic>,
    /// `None` when no input yielded a record (nothing to publish).
    staging: Option<Staging>,
    /// What is in `staging`, sorted by path.
    artifacts: Vec<ArtifactEntry>,
}

/// Ingest → normalize → score, a batch of files at a time (`crate::corpus`), with `records.json`
/// streamed into a staging folder as the batches come and `scores.json` after them; then render,
/// every rendered file written there the moment it is made, so no packet file waits in memory
/// for the others.
fn execute(
    prepared: &Prepared,
    digests: &[Option<manifest::FileDigest>],
    laps: &mut Laps<'_>,
) -> Result<Executed, DriverError> {
    let pool = &prepared.pool;
    let mut staging = Staging::create(&prepared.out_dir)?;
    for d in &prepared.resolved.diagnostics {
        log_one("", d);
    }
    let config = &prepared.render.config;
    let formats = !config.selected().is_empty();
    // The characters the packet prints, for the PDF fonts' working copies of a split run.
    let noted = config.split_by_department && config.wants(jixiao_config::PacketFormat::Pdf);
    let rubric = prepared.score.rubric_info();
    let log = |doc: &jixiao_core::DocumentRecords| crate::log_document(doc);
    let pass = crate::corpus::CorpusPass {
        files: &prepared.resolved.files,
        digests,
        limits: &prepared.limits,
        normalize: &prepared.normalize,
        score: &prepared.score,
        // One packet file with every review sheet needs the whole ledger and scorecard; a split
        // packet reads its departments back from the spill (`crate::departments`).
        keep: formats && !config.split_by_department,
        packet: (formats && config.split_by_department)
            .then(|| (prepared.render.packet_meta(&rubric), rubric.clone())),
        json_lines: prepared.json_lines,
        batch_bytes: prepared.batch_bytes,
        log: &log,
        characters: noted.then_some(&prepared.render.characters),
    };
    let passed = pool.install(|| pass.run(&mut staging, &prepared.out_dir));
    let passed = passed?;
    laps.lap_pass(&passed.times);
    let mut artifacts = passed.artifacts;
    let mut corpus = passed.corpus;
    let (written, entries) = pool.install(|| {
        crate::scores::write_scores(
            &mut staging,
            passed.scored,
            &corpus,
            prepared.json_lines,
            noted.then_some(&prepared.render.characters),
        )
    })?;
    artifacts.extend(entries);
    // The JSON files in the manifest's order: records.json, scores.json, then their lines.
    artifacts.sort_by_key(|a| stages::JSON_FILES.iter().position(|f| *f == a.path));
    let (scorecard, source) = match written {
        Scores::Kept(kept) => (crate::scores::scorecard(Some(kept), &corpus), None),
        Scores::Spilled { packet: None, .. } => (crate::scores::scorecard(None, &corpus), None),
        Scores::Spilled {
            cards,
            findings,
            packet: Some(packet),
        } => {
            let scorecard = crate::scores::scorecard(None, &corpus);
            let corpus_findings = std::mem::take(&mut corpus.findings);
            let split = packet
                .finish(cards, findings, corpus_findings, corpus.departments.clone())
                .map_err(|e| DriverError::io("cannot read back", &prepared.out_dir, e))?;
            (scorecard, Some(split))
        }
    };
    laps.lap(Stage::Score);
    for d in &scorecard.diagnostics {
        log_one("", d);
    }
    let mut executed = Executed {
        scorecard,
        inputs: passed.inputs,
        counts: passed.counts,
        grades: passed.grades,
        render_diagnostics: Vec::new(),
        staging: None,
        artifacts: Vec::new(),
    };
    if executed.counts.records == 0 {
        // Nothing read means nothing published (the staging folder is removed): rendering an
        // empty packet would be wasted work.
        laps.lap(Stage::Render);
        return Ok(executed);
    }
    let packet = Packet {
        ledger: passed.ledger,
        split: source,
    };
    let (render_diagnostics, written) =
        render_into(prepared, &mut executed.scorecard, packet, staging);
    for d in &render_diagnostics {
        log_one("", d);
    }
    laps.lap(Stage::Render);
    let (staging, mut rendered) = written.unwrap_or_else(|_| {
        Err(DriverError::Config(
            "the packet's writer thread panicked".into(),
        ))
    })?;
    rendered.sort_by(|a, b| a.path.cmp(&b.path));
    artifacts.extend(rendered);
    executed.render_diagnostics = render_diagnostics;
    executed.staging = Some(staging);
    executed.artifacts = artifacts;
    Ok(executed)
}

/// What the render stage renders from: a split run's context and its departments in the spill,
/// or the ledger and the scorecard in memory.
struct Packet {
    ledger: Ledger,
    split: Option<(jixiao_render::RunPacket, crate::departments::SpilledSource)>,
}

/// Renders the packet, each file handed to a writer thread that puts it in `staging`; returns the
/// render diagnostics and what the writer did.
fn render_into(
    prepared: &Prepared,
    scorecard: &mut Scorecard,
    packet: Packet,
    staging: Staging,
) -> (Vec<Diagnostic>, std::thread::Result<Written>) {
    // scores.json holds every piece of evidence; the packet prints the deductions only.
    scorecard.retain_evidence(jixiao_render::printed_evidence);
    let scorecard = &*scorecard;
    std::thread::scope(|scope| {
        let (sender, writer) = FileWriter::start(scope, staging);
        // The writer gone means it failed: the failure is reported by the writer.
        let sink = |file| {
            let _ = sender.send(file);
        };
        let Packet { ledger, split } = packet;
        let diagnostics = prepared.pool.install(|| match split {
            Some((run, source)) => jixiao_render::render_split_to(
                run,
                &scorecard.rubric,
                &source,
                &prepared.render,
                &sink,
            ),
            None => jixiao_render::render_to(&ledger, scorecard, &prepared.render, &sink),
        });
        drop(sender);
        (diagnostics, writer.join())
    })
}

/// Ingest and normalize fused per file: each file is normalised on the worker that read it, as soon
/// as it is read, and its grid of cells dropped then, so a batch's grids are never all in memory
/// at once (a corpus's were the peak of a run's first half: ≈ 600 MB at 100× the samples). The
/// ledger keeps the input order. Also returns the CPU time the workers spent reading and
/// normalising, for the stage timings.
pub(crate) fn read_and_normalize(
    files: &[jixiao_ingest::InputFile],
    limits: &jixiao_core::ReadLimits,
    context: &NormalizeContext,
) -> (Ledger, ReadTimes) {
    use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
    let reading = AtomicU64::new(0);
    let normalizing = AtomicU64::new(0);
    let documents = files
        .par_iter()
        .map(|file| {
            let clock = Instant::now();
            let source = jixiao_ingest::read_file(file, limits);
            let read = clock.elapsed();
            let records = jixiao_normalize::normalize_document(source, context);
            reading.fetch_add(read.as_nanos() as u64, Relaxed);
            normalizing.fetch_add((clock.elapsed() - read).as_nanos() as u64, Relaxed);
            records
        })
        .collect();
    let times = ReadTimes {
        reading: Duration::from_nanos(reading.into_inner()),
        normalizing: Duration::from_nanos(normalizing.into_inner()),
    };
    (Ledger { documents }, times)
}

/// The workers' time reading and normalising files ([`read_and_normalize`]), summed.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ReadTimes {
    pub(crate) reading: Duration,
    pub(crate) normalizing: Duration,
}

/// Writes rendered files into the staging folder on a thread of its own, in the order they arrive:
/// the render workers hand each file over and go on computing while it is hashed and written.
/// A second thread syncs each written file (an fsync waits for the disk, not the CPU: done on the
/// writer, it held the writer and, through the full channel, the render workers, idling both
/// cores). Both channels are bounded, so files never pile up in memory, or open, faster than the
/// disk takes them; every file is synced before the writer returns, so before the commit.
struct FileWriter;

/// Files in flight between the render workers and the writer.
const FILES_IN_FLIGHT: usize = 16;

/// Written files waiting for their fsync.
const FILES_SYNCING: usize = 64;

type Written = Result<(Staging, Vec<ArtifactEntry>), DriverError>;

impl FileWriter {
    fn start<'scope>(
        scope: &'scope std::thread::Scope<'scope, '_>,
        mut staging: Staging,
    ) -> (
        std::sync::mpsc::SyncSender<RenderedFile>,
        std::thread::ScopedJoinHandle<'scope, Written>,
    ) {
        let (sender, files) = std::sync::mpsc::sync_channel::<RenderedFile>(FILES_IN_FLIGHT);
        let (to_sync, unsynced) = std::sync::mpsc::sync_channel::<Unsynced>(FILES_SYNCING);
        let syncer = scope.spawn(move || unsynced.into_iter().try_for_each(Unsynced::sync));
        let handle = scope.spawn(move || {
            let mut entries = Vec::new();
            let mut written = Ok(());
            // The first failure ends the run (nothing is published); returning drops the
            // receiver, so the render workers' sends fail fast instead of blocking.
            for file in files {
                match write_rendered(&mut staging, file) {
                    Ok((entry, unsynced)) => {
                        entries.push(entry);
                        // The syncer gone means it failed: its error is the one reported.
                        if unsynced.is_some_and(|u| to_sync.send(u).is_err()) {
                            break;
                        }
                    }
                    Err(e) => {
                        written = Err(e);
                        break;
                    }
                }
            }
            drop(to_sync);
            let synced = syncer
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            written.and(synced).map(|()| (staging, entries))
        });
        (sender, handle)
    }
}

/// One rendered file into the staging folder: its bytes (returned to be synced), or copied from
/// its temporary file (synced already).
fn write_rendered(
    staging: &mut Staging,
    file: RenderedFile,
) -> Result<(ArtifactEntry, Option<Unsynced>), DriverError> {
    let (size, sha256, unsynced) = match &file.spooled {
        Some(spooled) => {
            let (size, sha256) = staging.write_streamed(&file.path, |w| {
                std::io::copy(&mut spooled.reader()?, w).map(|_| ())
            })?;
            (size, sha256, None)
        }
        None => {
            let unsynced = staging.write_unsynced(&file.path, &file.bytes)?;
            (
                file.bytes.len() as u64,
                jixiao_core::sha256_hex(&file.bytes),
                Some(unsynced),
            )
        }
    };
    let entry = ArtifactEntry {
        size,
        sha256,
        path: file.path,
    };
    Ok((entry, unsynced))
}

/// What the manifest records about the run besides the stages' outputs.
struct PublishFacts<'a> {
    inputs: &'a [InputEntry],
    rubric_sha256: Option<String>,
    exit: ExitStatus,
    timings: &'a [StageTiming],
}

/// Writes `manifest.json` into the staging folder and commits it: the packet appears whole or
/// not at all. Returns the published artifacts, the manifest last.
fn publish(
    pipeline: &Pipeline,
    prepared: &Prepared,
    scorecard: &Scorecard,
    render_diagnostics: &[Diagnostic],
    mut staging: Staging,
    mut published: Vec<ArtifactEntry>,
    facts: &PublishFacts<'_>,
) -> Result<Vec<ArtifactEntry>, DriverError> {
    let plugins: Vec<manifest::PluginEntry> = prepared
        .score
        .plugins
        .iter()
        .map(|p| manifest::PluginEntry {
            path: inputs::display_name(&p.path, &pipeline.base_dir),
            sha256: plugin_digest(p, &pipeline.base_dir),
            command: p.command.clone(),
            name: p.manifest.name.clone(),
            version: p.manifest.version.clone(),
            abi_version: jixiao_score::PLUGIN_ABI_VERSION,
        })
        .collect();
    // Run-level problems for the manifest: the input patterns' and the render stage's (a format
    // that failed is named there; scoring's per-record ones are in scores.json).
    let diagnostics: Vec<Diagnostic> = prepared
        .resolved
        .diagnostics
        .iter()
        .chain(render_diagnostics)
        .cloned()
        .collect();
    let manifest = Manifest {
        manifest_version: manifest::MANIFEST_VERSION,
        jixiao_version: env!("CARGO_PKG_VERSION").to_string(),
        pipeline: manifest::PipelineEntry {
            file: inputs::display_name(&pipeline.file, Path::new("")),
            sha256: manifest::digest_file(&pipeline.file).map(|d| d.sha256),
        },
        inputs: facts.inputs.to_vec(),
        diagnostics,
        rubric: manifest::RubricEntry {
            name: scorecard.rubric.name.clone(),
            version: scorecard.rubric.version.clone(),
            file_sha256: facts.rubric_sha256.clone(),
        },
        plugins,
        render: manifest::RenderEntry::of(&prepared.render),
        artifacts: published.clone(),
        exit_code: facts.exit.code(),
        timings_ms: manifest::TimingEntry::of(facts.timings),
    };
    let manifest = stages::Artifact {
        path: publish::MANIFEST.into(),
        bytes: stages::pretty_json(&manifest, publish::MANIFEST)?,
    };
    staging.write(&manifest.path, &manifest.bytes)?;
    published.push(ArtifactEntry::of(&manifest));
    staging.commit()?;
    Ok(published)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str) -> RenderedFile {
        RenderedFile {
            path: path.into(),
            bytes: path.as_bytes().to_vec(),
            spooled: None,
        }
    }

    #[test]
    fn the_pass_is_shared_out_and_render_work_beside_it_counts_as_render()
    -> Result<(), &'static str> {
        let started = |_: Stage| {};
        let mut laps = Laps {
            timings: Vec::new(),
            clock: Instant::now()
                .checked_sub(Duration::from_millis(100))
                .ok_or("no clock")?,
            started: &started,
            ahead: Vec::new(),
        };
        laps.lap_pass(&crate::corpus::PassTimes {
            reading: Duration::from_millis(40),
            reading_share: 0.25,
            total: Duration::from_millis(70),
        });
        laps.lap(Stage::Score);
        laps.lap(Stage::Render);
        let ms: Vec<(Stage, u128)> = laps
            .timings
            .iter()
            .map(|t| (t.stage, t.duration.as_millis()))
            .collect();
        assert_eq!(ms[0], (Stage::Ingest, 10));
        assert_eq!(ms[1], (Stage::Normalize, 30));
        assert_eq!(ms[2].0, Stage::Score);
        assert!((30..60).contains(&ms[2].1), "{ms:?}");
        assert_eq!(ms[3].0, Stage::Render);
        assert!(ms[3].1 >= 30, "{ms:?}");
        assert!(laps.ahead.is_empty());
        Ok(())
    }

    #[test]
    fn the_writer_writes_every_file_handed_over() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let staging = Staging::create(dir.path())?;
        let (staging, entries) = std::thread::scope(|scope| {
            let (sender, writer) = FileWriter::start(scope, staging);
            for i in 0..(3 * FILES_IN_FLIGHT) {
                sender.send(file(&format!("departments/{i}/packet.pdf")))?;
            }
            drop(sender);
            writer.join().map_err(|_| "the writer panicked".into())
        })
        .map_err(|e: Box<dyn std::error::Error>| e)??;
        assert_eq!(entries.len(), 3 * FILES_IN_FLIGHT);
        let first = &entries[0];
        assert_eq!(first.sha256, jixiao_core::sha256_hex(first.path.as_bytes()));
        staging.commit()?;
        assert!(dir.path().join("departments/0/packet.pdf").is_file());
        Ok(())
    }

    #[test]
    fn a_spooled_file_is_copied_from_its_temporary_file() -> Result<(), Box<dyn std::error::Error>>
    {
        use std::io::Write;
        let dir = tempfile::tempdir()?;
        let staging = Staging::create(dir.path())?;
        let mut spool = tempfile::tempfile()?;
        spool.write_all("一个省的工作簿".as_bytes())?;
        let workbook = RenderedFile {
            path: "packet.xlsx".into(),
            bytes: Vec::new(),
            spooled: Some(jixiao_render::Spooled::new(spool)),
        };
        let (staging, entries) = std::thread::scope(|scope| {
            let (sender, writer) = FileWriter::start(scope, staging);
            let _ = sender.send(workbook);
            drop(sender);
            writer.join()
        })
        .map_err(|_| "the writer panicked")??;
        let expected = "一个省的工作簿".as_bytes();
        assert_eq!(entries[0].size, expected.len() as u64);
        assert_eq!(entries[0].sha256, jixiao_core::sha256_hex(expected));
        staging.commit()?;
        assert_eq!(std::fs::read(dir.path().join("packet.xlsx"))?, expected);
        Ok(())
    }

    #[test]
    fn a_failed_write_ends_the_writer_and_never_blocks_the_workers()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let staging = Staging::create(dir.path())?;
        let result = std::thread::scope(|scope| {
            let (sender, writer) = FileWriter::start(scope, staging);
            // A path out of the staging folder is refused: the writer stops there.
            let _ = sender.send(file("../outside.pdf"));
            // Many more files than the channel holds: sends fail instead of waiting forever.
            for i in 0..(10 * FILES_IN_FLIGHT) {
                let _ = sender.send(file(&format!("{i}.pdf")));
            }
            drop(sender);
            writer.join()
        });
        assert!(matches!(result, Ok(Err(_))));
        assert!(!dir.path().join("outside.pdf").exists());
        Ok(())
    }
}
