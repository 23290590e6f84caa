//! The render stage: a [`Ledger`] and its [`Scorecard`] → the packet files.
//!
//! - Takes: the ledger, the scorecard and a [`RenderContext`] (built once per run from `[render]`:
//!   wording loaded from the templates, PDF fonts resolved).
//! - Returns: [`Rendered`] — every packet file as a relative path and its bytes (`packet.xlsx`,
//!   `packet.pdf`, `index.html`, and per-department packets under `departments/`), plus diagnostics
//!   (a character no font can draw, a format that failed). Only the driver writes files.
//!
//! Map: [`packet`] builds the one [`PacketContext`] every format reads; [`wording`] the templated
//! prose and strings; [`xlsx`], [`pdf`], [`html`] one writer each,
//! `fn(&PacketContext, &Options) -> Result<Vec<u8>, RenderError>`.

pub mod format;
pub mod html;
pub mod packet;
pub mod palette;
pub mod pdf;
pub mod wording;
pub mod xlsx;

use std::path::Path;

use jixiao_config::{PacketFormat, RenderConfig};
use jixiao_core::{Diagnostic, Ledger, Scorecard};
use rayon::prelude::*;

pub use packet::{PacketContext, PacketMeta};
pub use wording::{Prose, Wording};

/// Why a packet file could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// A template or `strings.toml` is missing, unreadable or wrong.
    #[error("template {name}: {message}")]
    Templates { name: String, message: String },
    /// No usable font, or a font file that cannot be read.
    #[error("font {name}: {message}")]
    Font { name: String, message: String },
    /// The writer of a format failed.
    #[error("{format}: {message}")]
    Format { format: String, message: String },
}

/// One packet file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedFile {
    /// Relative, `/`-separated (`packet.pdf`, `departments/民政局.xlsx`).
    pub path: String,
    pub bytes: Vec<u8>,
}

/// What the stage returns.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub files: Vec<RenderedFile>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Everything rendering needs besides the records; build once per run (parsing CJK fonts and
/// templates is the expensive part).
pub struct RenderContext {
    pub config: RenderConfig,
    pub wording: Wording,
    /// Loaded only when PDF is among the formats.
    pub fonts: Option<pdf::FontSet>,
    /// Title, year, as-of date and issuer; rubric fields are filled from the scorecard.
    pub meta: PacketMeta,
    /// Problems found while loading (a configured font that could not be read).
    pub diagnostics: Vec<Diagnostic>,
}

impl RenderContext {
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
        Ok(RenderContext {
            config: config.clone(),
            wording,
            fonts,
            meta,
            diagnostics,
        })
    }
}

/// One packet (the whole run's or one department's): which files, under which name stem.
struct Job {
    department: Option<String>,
    /// `packet` / `index` for the main packet, `departments/<name>` for a department's.
    stem: Option<String>,
}

/// The stage's entry point: every selected format of the main packet, and of each department's
/// packet when `split_by_department` is on, rendered in parallel. A format that fails becomes an
/// error diagnostic naming it; the other files are still returned.
pub fn render(ledger: &Ledger, card: &Scorecard, ctx: &RenderContext) -> Rendered {
    let meta = PacketMeta {
        rubric_name: card.rubric.name.clone(),
        rubric_version: card.rubric.version.clone(),
        ..ctx.meta.clone()
    };
    let formats = ctx.config.selected();
    if formats.is_empty() {
        // records.json and scores.json only: no packet context to build.
        return Rendered {
            files: Vec::new(),
            diagnostics: ctx.diagnostics.clone(),
        };
    }
    let mut jobs = vec![Job {
        department: None,
        stem: None,
    }];
    if ctx.config.split_by_department {
        let whole = PacketContext::build(ledger, card, meta.clone(), None);
        let names: Vec<String> = whole.departments.iter().map(|d| d.name.clone()).collect();
        for (name, stem) in names.iter().zip(packet::file_stems(&names)) {
            jobs.push(Job {
                department: Some(name.clone()),
                stem: Some(format!("departments/{stem}")),
            });
        }
    }
    let contexts: Vec<Result<PacketContext, RenderError>> = jobs
        .par_iter()
        .map(|j| {
            let mut packet =
                PacketContext::build(ledger, card, meta.clone(), j.department.as_deref());
            packet.text = ctx.wording.prose(&packet)?;
            packet.strings = ctx.wording.strings.clone();
            Ok(packet)
        })
        .collect();
    // Every (packet, format) pair is one task; results come back in task order.
    let tasks: Vec<(usize, PacketFormat)> = (0..jobs.len())
        .flat_map(|j| formats.iter().map(move |f| (j, *f)))
        .collect();
    let results: Vec<Output> = tasks
        .par_iter()
        .map(|(j, format)| {
            let mut diagnostics = Vec::new();
            let bytes = match &contexts[*j] {
                Err(e) => Err(e.clone()),
                Ok(packet) => write_format(packet, *format, ctx, &mut diagnostics),
            };
            Output {
                path: file_name(jobs[*j].stem.as_deref(), *format),
                bytes,
                diagnostics,
            }
        })
        .collect();
    let mut rendered = Rendered {
        files: Vec::new(),
        diagnostics: ctx.diagnostics.clone(),
    };
    for Output {
        path,
        bytes,
        diagnostics,
    } in results
    {
        rendered.diagnostics.extend(diagnostics);
        match bytes {
            Ok(bytes) => rendered.files.push(RenderedFile { path, bytes }),
            Err(e) => rendered.diagnostics.push(Diagnostic::error(
                "render.failed",
                format!("{path} was not written: {e}"),
                None,
            )),
        }
    }
    rendered
}

/// One rendered file, or why it could not be made.
struct Output {
    path: String,
    bytes: Result<Vec<u8>, RenderError>,
    diagnostics: Vec<Diagnostic>,
}

/// Rows past which the workbook is streamed (constant memory) instead of held in memory.
const STREAM_ROWS: usize = 200_000;

fn write_format(
    packet: &PacketContext,
    format: PacketFormat,
    ctx: &RenderContext,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<u8>, RenderError> {
    match format {
        PacketFormat::Xlsx => {
            let rows: usize = packet.projects.iter().map(|p| p.indicators.len()).sum();
            let options = xlsx::XlsxOptions {
                constant_memory: rows > STREAM_ROWS,
                ..xlsx::XlsxOptions::default()
            };
            xlsx::write(packet, &options)
        }
        PacketFormat::Pdf => match &ctx.fonts {
            Some(fonts) => pdf::write(packet, &pdf::PdfOptions { fonts }, diagnostics),
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
    }
}

/// `packet.xlsx`, `packet.pdf`, `index.html`; a department's files share its stem.
fn file_name(stem: Option<&str>, format: PacketFormat) -> String {
    match (stem, format) {
        (None, PacketFormat::Html) => "index.html".into(),
        (None, f) => format!("packet.{}", f.as_str()),
        (Some(s), f) => format!("{s}.{}", f.as_str()),
    }
}
