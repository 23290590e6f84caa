//! The render stage: a [`Ledger`] and its [`Scorecard`] → the packet files.
//!
//! - Takes: the ledger, the scorecard and a [`RenderContext`] (built once per run from `[render]`:
//!   wording loaded from the templates, PDF fonts resolved).
//! - Or, for a run whose ledger and scorecard are on disk: its whole-run context (made by a
//!   [`ScopeBuilder`] fed one card at a time) and a [`DepartmentSource`] that reads one
//!   department back when asked ([`render_split_to`]; `split` — [`render_to`] feeds it from memory).
//! - Returns: through [`render_to`], each packet file as a relative path and its bytes, handed to
//!   the driver's sink as soon as it is made (`report.pdf`, `packet.xlsx`, `index.html` and
//!   `departments/<name>/…`; `packet.pdf` when not split by department), plus diagnostics (a
//!   character no font can draw, a format that failed); [`render`] collects them into [`Rendered`].
//!   Only the driver writes files.
//!
//! Map (private modules): `packet` builds the one [`PacketContext`] every format reads; `wording`
//! the templated prose and strings ([`Wording`]); `xlsx`, `pdf`, `html` one writer each
//! ([`write_xlsx`], [`write_pdf`], [`write_html`]: `fn(&PacketContext, &Options) -> Result<Vec<u8>,
//! RenderError>`, for benches and tools that want one format); `letter` each department's letter,
//! laid out by `pdf::letter` and `docx`; `localize` codes into wording; `format` how figures print;
//! `axis` chart scales shared by the PDF and HTML charts. To add a format: a module with its
//! writer, a [`jixiao_config::PacketFormat`] variant, and a branch in `write_format`.

// No unsafe code but the one font-file map (`pdf::fonts::FontData::open`), allowed there alone.
#![deny(unsafe_code)]

mod axis;
mod docx;
mod format;
mod html;
mod letter;
mod localize;
mod packet;
mod palette;
mod pdf;
mod split;
mod wording;
mod xlsx;

use std::path::Path;

use jixiao_config::{PacketFormat, RenderConfig};
use jixiao_core::{Diagnostic, DiagnosticCode, Ledger, Scorecard, Severity};
use rayon::prelude::*;

pub use html::{HtmlOptions, write as write_html};
pub use packet::{DocumentSummary, FindingRow, PacketContext, PacketMeta, ScopeBuilder};
pub use split::{DepartmentSource, LoadedDepartment, RunPacket, render_split_to};

/// Whether the packet prints this piece of evidence (a deduction, or the grade a check that lost
/// points gave): what a run keeps of the scorecard once scores.json is written
/// ([`jixiao_core::Scorecard::retain_evidence`]).
pub fn printed_evidence(c: &jixiao_core::CheckResult, e: &jixiao_core::Evidence) -> bool {
    packet::is_deduction(c, e)
}
pub use pdf::{Characters, FontSet, PdfOptions, write as write_pdf};
pub use wording::{Prose, Wording};
pub use xlsx::{XlsxOptions, write as write_xlsx};

/// Every diagnostic code this stage emits (docs/packet.md explains them; docs/diagnostics.md lists
/// all stages').
pub const CODES: &[DiagnosticCode] = &[
    DiagnosticCode::new(
        "render.failed",
        Severity::Error,
        "a packet format could not be rendered; the other formats are published",
    ),
    DiagnosticCode::new(
        "render.missing-glyph",
        Severity::Warning,
        "a character no font has is drawn as □ in the PDF",
    ),
    DiagnosticCode::new(
        "render.font-fallback",
        Severity::Info,
        "no installed CJK font: the PDF uses the bundled one",
    ),
];

/// Why a packet file could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// A template or `strings.toml` is missing, unreadable or wrong.
    #[error("template {name}: {message}")]
    Templates {
        /// The template or file at fault: a bundled template's name, or the bureau's file path.
        name: String,
        /// What is wrong with it (the parser's or renderer's whole error chain).
        message: String,
    },
    /// No usable font, or a font file that cannot be read.
    #[error("font {name}: {message}")]
    Font {
        /// The font file's path or the face's name.
        name: String,
        /// What is wrong with it (`cannot read: …`, `not a TrueType/OpenType font`).
        message: String,
    },
    /// The writer of a format failed.
    #[error("{format}: {message}")]
    Format {
        /// The format whose writer failed: `xlsx`, `pdf` or `html`.
        format: String,
        /// The writer's error.
        message: String,
    },
}

/// One packet file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedFile {
    /// Relative, `/`-separated (`packet.pdf`, `departments/民政局.xlsx`).
    pub path: String,
    /// The file's complete contents; empty when `spooled` holds them.
    pub bytes: Vec<u8>,
    /// A large file's contents in an anonymous temporary file (a province's workbook, tens of
    /// MB): whoever writes it copies it from there, so its bytes are never all in memory.
    pub spooled: Option<Spooled>,
}

impl RenderedFile {
    fn in_memory(path: String, bytes: Vec<u8>) -> RenderedFile {
        RenderedFile {
            path,
            bytes,
            spooled: None,
        }
    }
}

/// An anonymous temporary file holding a rendered file from its first byte to its end; gone
/// when the last handle is dropped. Two are equal when they are the same file.
#[derive(Debug, Clone)]
pub struct Spooled(std::sync::Arc<std::fs::File>);

impl Spooled {
    /// A file holding a rendered file's bytes (where it is read from does not matter: it is
    /// rewound when read).
    pub fn new(file: std::fs::File) -> Spooled {
        Spooled(std::sync::Arc::new(file))
    }

    /// The file, rewound: read it to its end for the rendered file's bytes.
    pub fn reader(&self) -> std::io::Result<&std::fs::File> {
        use std::io::Seek;
        let mut file = &*self.0;
        file.rewind()?;
        Ok(file)
    }
}

impl PartialEq for Spooled {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Spooled {}

/// What a format's writer made: bytes, or a temporary file holding them.
enum Contents {
    Bytes(Vec<u8>),
    Spooled(std::fs::File),
}

impl Contents {
    fn into_file(self, path: String) -> RenderedFile {
        match self {
            Contents::Bytes(bytes) => RenderedFile::in_memory(path, bytes),
            Contents::Spooled(file) => RenderedFile {
                path,
                bytes: Vec::new(),
                spooled: Some(Spooled::new(file)),
            },
        }
    }
}

/// What the stage returns.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// Every packet file made, sorted by path.
    pub files: Vec<RenderedFile>,
    /// Missing glyphs, the font fallback and formats that failed (`render.*` codes).
    pub diagnostics: Vec<Diagnostic>,
}

/// Departments from which a split run makes the PDF fonts' working copies before its packets:
/// two PDFs each, and a copy pays for itself after ≈ 50 PDFs' subsets. A smaller run, or a packet
/// in one file, cuts its few subsets from the installed faces.
const WORKING_COPIES_FROM_DEPARTMENTS: usize = 24;

/// Everything rendering needs besides the records; build once per run (parsing CJK fonts and
/// templates is the expensive part).
pub struct RenderContext {
    /// The pipeline's `[render]` section: formats, split by department, templates, fonts.
    pub config: RenderConfig,
    /// The strings and templates, bundled or the bureau's.
    pub wording: Wording,
    /// Loaded only when PDF is among the formats.
    pub fonts: Option<pdf::FontSet>,
    /// Title, year, as-of date and issuer; rubric fields are filled from the scorecard.
    pub meta: PacketMeta,
    /// Problems found while loading (a configured font that could not be read).
    pub diagnostics: Vec<Diagnostic>,
    /// The characters the run prints: the wording's and the meta's, noted here; the records'
    /// and scores', noted by the driver as it writes records.json and scores.json, or by
    /// [`render`]. The PDF fonts' working copies hold these.
    pub characters: std::sync::Arc<pdf::Characters>,
}

impl RenderContext {
    /// Makes the PDF fonts' working copies (`pdf/working.rs`) of the characters noted so far, on
    /// the current rayon pool ([`render_split_to`] calls it for a run of many departments, once
    /// every record and score card has been written and noted).
    fn make_working_copies(&self) {
        if let Some(fonts) = &self.fonts {
            fonts.prepare_working_copies(&self.characters);
        }
    }

    /// The packet's meta with the rubric the scores were made with.
    pub fn packet_meta(&self, rubric: &jixiao_core::RubricInfo) -> PacketMeta {
        PacketMeta {
            rubric_name: rubric.name.clone(),
            rubric_version: rubric.version.clone(),
            ..self.meta.clone()
        }
    }

    /// Loads templates (from `[render] templates`, relative to `base_dir`) and, for PDF, the fonts.
    pub fn new(
        config: &RenderConfig,
        base_dir: &Path,
        meta: PacketMeta,
    ) -> Result<RenderContext, RenderError> {
        let dir = config.templates.as_ref().map(|t| base_dir.join(t));
        let wording = Wording::load(dir.as_deref())?;
        let mut diagnostics = Vec::new();
        let fonts = if config.wants(PacketFormat::Pdf) {
            Some(pdf::FontSet::resolve(
                &config.fonts,
                base_dir,
                &mut diagnostics,
            )?)
        } else {
            None
        };
        let characters = pdf::Characters::default();
        characters.note_str(&wording.text);
        characters.note_utf8(&serde_json::to_vec(&meta).unwrap_or_default());
        let characters = std::sync::Arc::new(characters);
        Ok(RenderContext {
            config: config.clone(),
            wording,
            fonts,
            meta,
            diagnostics,
            characters,
        })
    }
}

/// The stage's entry point, collecting every file in memory (spooled ones read back): for tests,
/// `inspect` and small runs. Files come back sorted by path; see [`render_to`].
pub fn render(ledger: &Ledger, card: &Scorecard, ctx: &RenderContext) -> Rendered {
    note_characters(ledger, card, ctx);
    let files = std::sync::Mutex::new(Vec::new());
    let unread = std::sync::Mutex::new(Vec::new());
    let mut diagnostics = render_to(ledger, card, ctx, &|file| match read_back(file) {
        Ok(file) => {
            if let Ok(mut files) = files.lock() {
                files.push(file);
            }
        }
        Err(diagnostic) => {
            if let Ok(mut unread) = unread.lock() {
                unread.push(diagnostic);
            }
        }
    });
    diagnostics.extend(unread.into_inner().unwrap_or_default());
    let mut files = files.into_inner().unwrap_or_default();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Rendered { files, diagnostics }
}

/// Notes the characters of the records and score cards, as the driver notes them while writing
/// records.json and scores.json.
fn note_characters(ledger: &Ledger, card: &Scorecard, ctx: &RenderContext) {
    ctx.characters
        .note_utf8(&serde_json::to_vec(ledger).unwrap_or_default());
    ctx.characters
        .note_utf8(&serde_json::to_vec(card).unwrap_or_default());
}

/// `file` with its bytes in memory: a spooled file read back from its temporary file.
fn read_back(mut file: RenderedFile) -> Result<RenderedFile, Diagnostic> {
    use std::io::Read;
    if let Some(spooled) = file.spooled.take() {
        let read = spooled
            .reader()
            .and_then(|mut r| r.read_to_end(&mut file.bytes));
        if let Err(e) = read {
            let error = RenderError::Format {
                format: "temporary file".into(),
                message: e.to_string(),
            };
            return Err(not_written(&file.path, &error));
        }
    }
    Ok(file)
}

/// The stage's entry point for a run: every selected format of the run's packet and, when
/// `split_by_department` is on, of each department's, rendered in parallel and handed to `sink` as
/// each is done (from any worker thread, in no fixed order), so memory holds the packets being
/// rendered, not the corpus's. A format that fails becomes an error diagnostic naming the file; the
/// other files are still made. The diagnostics come back in a fixed order.
///
/// Split (the default): `report.pdf` (sections 一–七 and the summary annexes), `index.html` (the
/// same, with links to the departments), `packet.xlsx` (every record), and
/// `departments/<name>/{packet.pdf, packet.xlsx, index.html}`. Unsplit: `packet.pdf` and
/// `index.html` hold every review sheet.
pub fn render_to(
    ledger: &Ledger,
    card: &Scorecard,
    ctx: &RenderContext,
    sink: &(dyn Fn(RenderedFile) + Sync),
) -> Vec<Diagnostic> {
    let formats = ctx.config.selected();
    if formats.is_empty() {
        // records.json and scores.json only: no packet context to build.
        return ctx.diagnostics.clone();
    }
    let meta = ctx.packet_meta(&card.rubric);
    if !ctx.config.split_by_department {
        let mut diagnostics = ctx.diagnostics.clone();
        let mut whole =
            PacketContext::of_scope_rows(ledger, card, meta, packet::Scope::whole(card), true);
        match fill_wording(&mut whole, ctx) {
            Ok(()) => diagnostics.extend(render_main(
                &whole,
                &whole.projects,
                &formats,
                false,
                ctx,
                sink,
            )),
            Err(e) => diagnostics.push(not_written("packet", &e)),
        }
        return diagnostics;
    }
    // Split, the run's report and page show totals and its workbook takes its rows one at a time:
    // the whole run's context holds no project rows.
    let whole = PacketContext::of_scope_rows(ledger, card, meta, packet::Scope::whole(card), false);
    let indicators = card
        .records
        .iter()
        .filter_map(|s| {
            ledger
                .documents
                .get(s.record.document)
                .and_then(|d| d.records.get(s.record.record))
        })
        .map(|r| r.indicators.len())
        .sum();
    let run = split::RunPacket {
        context: whole,
        indicators,
    };
    let source = split::MemorySource::new(ledger, card);
    split::render_split_to(run, &card.rubric, &source, ctx, sink)
}

/// The run's own files. Split, the report and the index page show the summary view (no review
/// sheets) while the workbook keeps every record.
fn render_main(
    whole: &PacketContext,
    rows: &dyn packet::ProjectRows,
    formats: &[PacketFormat],
    split: bool,
    ctx: &RenderContext,
    sink: &(dyn Fn(RenderedFile) + Sync),
) -> Vec<Diagnostic> {
    let summary = split.then(|| whole.summary_view());
    let one = |format: PacketFormat| {
        let (packet, path) = match (format, &summary) {
            (PacketFormat::Pdf, Some(s)) => (s, "report.pdf".to_string()),
            (PacketFormat::Html, Some(s)) => (s, "index.html".to_string()),
            _ => (whole, file_name("", format)),
        };
        let sheets = summary.is_none();
        render_file(packet, rows, format, path, sheets, ctx, sink)
    };
    if split {
        // One after another: the department packets keep the cores busy meanwhile, and the
        // run's workbook (tens of MB at a province's scale) is not in memory beside the report's
        // and the page's making.
        formats.iter().flat_map(|f| one(*f)).collect()
    } else {
        each_format(formats, one)
    }
}

/// One department's files under `folder`.
fn render_packet(
    mut packet: PacketContext,
    formats: &[PacketFormat],
    folder: &str,
    ctx: &RenderContext,
    sink: &(dyn Fn(RenderedFile) + Sync),
) -> Vec<Diagnostic> {
    if let Err(e) = fill_wording(&mut packet, ctx) {
        return vec![not_written(folder, &e)];
    }
    let mut diagnostics = each_format(formats, |format| {
        let path = file_name(folder, format);
        render_file(&packet, &packet.projects, format, path, true, ctx, sink)
    });
    letters(&packet, folder, formats, ctx, sink, &mut diagnostics);
    diagnostics
}

/// The department's letter (审核意见书): `letter.docx` always, `letter.pdf` with the PDF format.
fn letters(
    packet: &PacketContext,
    folder: &str,
    formats: &[PacketFormat],
    ctx: &RenderContext,
    sink: &(dyn Fn(RenderedFile) + Sync),
    diagnostics: &mut Vec<Diagnostic>,
) {
    let letter = letter::letter(packet);
    let paragraphs = match ctx.wording.letter(packet, &letter) {
        Ok(p) => p,
        Err(e) => {
            diagnostics.push(not_written(&format!("{folder}letter.docx"), &e));
            return;
        }
    };
    let text = letter::LetterText {
        title: &letter.title,
        paragraphs: &paragraphs,
        issuer: &packet.meta.issuer,
        date: &letter.as_of_zh,
        as_of: &packet.meta.as_of,
        footer: ctx.wording.s("packet.page_footer"),
    };
    let mut made = vec![(format!("{folder}letter.docx"), docx::write(&text))];
    if formats.contains(&PacketFormat::Pdf) {
        let pdf = match &ctx.fonts {
            Some(fonts) => pdf::letter::write(&text, fonts, diagnostics),
            None => Err(RenderError::Font {
                name: "-".into(),
                message: "fonts were not loaded".into(),
            }),
        };
        made.insert(0, (format!("{folder}letter.pdf"), pdf));
    }
    for (path, bytes) in made {
        match bytes {
            Ok(bytes) => sink(RenderedFile::in_memory(path, bytes)),
            Err(e) => diagnostics.push(not_written(&path, &e)),
        }
    }
}

/// `render` for every format in parallel; the diagnostics in format order.
fn each_format(
    formats: &[PacketFormat],
    render: impl Fn(PacketFormat) -> Vec<Diagnostic> + Sync,
) -> Vec<Diagnostic> {
    let per_format: Vec<Vec<Diagnostic>> = formats.par_iter().map(|f| render(*f)).collect();
    per_format.into_iter().flatten().collect()
}

/// The templated prose and the strings, which every format prints.
fn fill_wording(packet: &mut PacketContext, ctx: &RenderContext) -> Result<(), RenderError> {
    crate::localize::localize(packet, &ctx.wording.strings);
    packet.text = ctx.wording.prose(packet)?;
    packet.strings = ctx.wording.strings.clone();
    Ok(())
}

/// Renders one file and hands it to `sink`; returns its diagnostics. The workbook's detail rows
/// come from `rows`.
fn render_file(
    packet: &PacketContext,
    rows: &dyn packet::ProjectRows,
    format: PacketFormat,
    path: String,
    sheets: bool,
    ctx: &RenderContext,
    sink: &(dyn Fn(RenderedFile) + Sync),
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    match write_format(packet, rows, format, sheets, ctx, &mut diagnostics) {
        Ok(contents) => sink(contents.into_file(path)),
        Err(e) => diagnostics.push(not_written(&path, &e)),
    }
    diagnostics
}

fn not_written(path: &str, e: &RenderError) -> Diagnostic {
    Diagnostic::error(
        "render.failed",
        format!("{path} was not written: {e}"),
        None,
    )
}

/// Rows past which the workbook is streamed (constant memory) instead of held in memory.
const STREAM_ROWS: usize = 20_000;

/// One file of `packet` in `format`; the workbook's detail rows come from `rows`.
fn write_format(
    packet: &PacketContext,
    rows: &dyn packet::ProjectRows,
    format: PacketFormat,
    sheets: bool,
    ctx: &RenderContext,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Contents, RenderError> {
    let bytes = match format {
        PacketFormat::Xlsx => {
            let options = xlsx::XlsxOptions {
                constant_memory: rows.indicators() > STREAM_ROWS,
                ..xlsx::XlsxOptions::default()
            };
            // A workbook that large is zipped into a temporary file and handed over as it is.
            if options.constant_memory {
                return xlsx::write_spooled(packet, rows, &options).map(Contents::Spooled);
            }
            xlsx::write_rows(packet, rows, &options)
        }
        PacketFormat::Pdf => match &ctx.fonts {
            Some(fonts) => pdf::write(packet, &pdf::PdfOptions { fonts, sheets }, diagnostics),
            None => Err(RenderError::Font {
                name: "-".into(),
                message: "fonts were not loaded".into(),
            }),
        },
        PacketFormat::Html => html::write(
            packet,
            &html::HtmlOptions {
                wording: &ctx.wording,
            },
        ),
    };
    bytes.map(Contents::Bytes)
}

/// `packet.xlsx`, `packet.pdf`, `index.html` in `folder` (`""` or `departments/<name>/`).
fn file_name(folder: &str, format: PacketFormat) -> String {
    match format {
        PacketFormat::Html => format!("{folder}index.html"),
        f => format!("{folder}packet.{}", f.as_str()),
    }
}

#[cfg(test)]
pub(crate) mod tests;
