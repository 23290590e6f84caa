//! A run split by department, rendered from its whole-run context and its departments read one at
//! a time: [`render_split_to`]. The whole-run context (the report's and the page's totals, one line
//! per department, every finding) is made by a [`ScopeBuilder`] fed every score card without its
//! review sheet; each department's packet, and the run's workbook's detail rows, come from a
//! [`DepartmentSource`] that hands over one department's records and cards when asked. A run that
//! keeps its ledger and scorecard on disk reads them back from there, so what is in memory is the
//! whole-run context and the departments being rendered; [`crate::render_to`] gives the same
//! source its ledger and scorecard in memory.

use std::collections::BTreeMap;
use std::sync::Mutex;

use jixiao_core::{Diagnostic, Finding, Ledger, Record, RecordScore, RubricInfo, Scorecard};
use rayon::prelude::*;

use crate::packet::{self, DocumentSummary, FindingRow, PacketContext, ProjectRow, ScopeBuilder};
use crate::{RenderContext, RenderError, RenderedFile, fill_wording, not_written};

/// One department of a split run, as its packet needs it.
#[derive(Debug, Clone, Default)]
pub struct LoadedDepartment {
    /// The documents its records come from, in ledger order.
    pub documents: Vec<DocumentSummary>,
    /// Its score cards in scorecard order, each with its record.
    pub cards: Vec<(RecordScore, Option<Record>)>,
    /// The findings whose main record is one of its own, in scorecard order.
    pub findings: Vec<Finding>,
}

/// Where a split run's departments are read from, one at a time and from any worker thread.
pub trait DepartmentSource: Sync {
    /// The department named `department` (as the whole-run context names it); an error says
    /// why it cannot be read.
    fn load(&self, department: &str) -> Result<LoadedDepartment, String>;

    /// Calls `f` with every row of the run's findings in order, when the source keeps them
    /// (the whole-run context was built with [`ScopeBuilder::finding_row`] and holds only the
    /// report's); `None` when the context holds them all.
    fn finding_rows(&self, f: &mut dyn FnMut(FindingRow)) -> Option<Result<(), String>> {
        let _ = f;
        None
    }
}

/// A split run's own context, and how many indicator rows its workbook will list (it is
/// streamed past a size).
pub struct RunPacket {
    /// Made by a [`ScopeBuilder`] for the whole run without review sheets.
    pub context: PacketContext,
    /// Indicators of every record.
    pub indicators: usize,
}

/// Renders a split run: the run's report, page and workbook from `run`, and each department's
/// packet from `source`, in parallel; every file is handed to `sink` as it is made. Returns the
/// diagnostics in a fixed order.
pub fn render_split_to(
    run: RunPacket,
    rubric: &RubricInfo,
    source: &dyn DepartmentSource,
    ctx: &RenderContext,
    sink: &(dyn Fn(RenderedFile) + Sync),
) -> Vec<Diagnostic> {
    let mut diagnostics = ctx.diagnostics.clone();
    let formats = ctx.config.selected();
    if formats.is_empty() {
        return diagnostics;
    }
    let mut whole = run.context;
    let names: Vec<String> = whole.departments.iter().map(|d| d.name.clone()).collect();
    let stems = packet::file_stems(&names);
    whole.department_links = stems.iter().map(|s| format!("departments/{s}/")).collect();
    let meta = whole.meta.clone();
    let wording = fill_wording(&mut whole, ctx);
    let rows = LoadedRows {
        source,
        order: &names,
        titles: packet::titles(rubric),
        indicators: run.indicators,
        strings: &ctx.wording.strings,
        failures: Mutex::new(Vec::new()),
    };
    if formats.contains(&jixiao_config::PacketFormat::Pdf)
        && names.len() >= crate::WORKING_COPIES_FROM_DEPARTMENTS
    {
        ctx.make_working_copies();
    }
    let (main, departments) = rayon::join(
        || match &wording {
            Ok(()) => crate::render_main(&whole, &rows, &formats, true, ctx, sink),
            Err(e) => vec![not_written("packet", e)],
        },
        || {
            names
                .par_iter()
                .zip(stems.par_iter())
                .map(|(name, stem)| {
                    let folder = format!("departments/{stem}/");
                    let department = match source.load(name) {
                        Ok(d) => d,
                        Err(message) => return vec![unreadable(&folder, message)],
                    };
                    let mut packet = department_context(rubric, &meta, name, &department);
                    drop(department);
                    packet.home = Some("../../index.html".into());
                    crate::render_packet(packet, &formats, &folder, ctx, sink)
                })
                .collect::<Vec<_>>()
        },
    );
    diagnostics.extend(main);
    let failures = rows.failures.into_inner().unwrap_or_default();
    diagnostics.extend(
        failures
            .into_iter()
            .map(|message| unreadable("packet.xlsx", message)),
    );
    diagnostics.extend(departments.into_iter().flatten());
    diagnostics
}

fn unreadable(path: &str, message: String) -> Diagnostic {
    not_written(
        path,
        &RenderError::Format {
            format: "department".into(),
            message,
        },
    )
}

/// A department's packet context, review sheets included.
fn department_context(
    rubric: &RubricInfo,
    meta: &packet::PacketMeta,
    name: &str,
    department: &LoadedDepartment,
) -> PacketContext {
    let mut builder = ScopeBuilder::new(rubric, meta.clone(), Some(name), true);
    for d in &department.documents {
        builder.add_summary(d);
    }
    for (card, record) in &department.cards {
        builder.add_card(card, record.as_ref());
    }
    for f in &department.findings {
        builder.add_finding(f);
    }
    builder.finish()
}

/// The run's workbook's detail rows, a department at a time in the run's order.
struct LoadedRows<'a> {
    source: &'a dyn DepartmentSource,
    order: &'a [String],
    titles: packet::Titles,
    indicators: usize,
    /// For the findings' categories in the reader's words.
    strings: &'a crate::wording::Strings,
    /// Departments that could not be read (their rows are missing from the workbook).
    failures: Mutex<Vec<String>>,
}

impl packet::ProjectRows for LoadedRows<'_> {
    fn each(&self, f: &mut dyn FnMut(&ProjectRow)) {
        for name in self.order {
            match self.source.load(name) {
                Ok(department) => {
                    for (card, record) in &department.cards {
                        f(&packet::project_row(record.as_ref(), card, &self.titles));
                    }
                }
                Err(message) => {
                    if let Ok(mut failures) = self.failures.lock() {
                        failures.push(format!("{name}: {message}"));
                    }
                }
            }
        }
    }

    fn indicators(&self) -> usize {
        self.indicators
    }

    fn each_finding(&self, packet: &PacketContext, f: &mut dyn FnMut(&FindingRow)) {
        let streamed = self.source.finding_rows(&mut |mut row| {
            crate::localize::finding(&mut row, self.strings);
            f(&row);
        });
        match streamed {
            None => packet.findings.iter().for_each(f),
            Some(Ok(())) => {}
            Some(Err(message)) => {
                if let Ok(mut failures) = self.failures.lock() {
                    failures.push(format!("findings: {message}"));
                }
            }
        }
    }
}

/// A ledger and its scorecard in memory as a [`DepartmentSource`]: each department's records,
/// cards and findings copied out when asked.
pub(crate) struct MemorySource<'a> {
    ledger: &'a Ledger,
    scopes: BTreeMap<&'a str, packet::Scope<'a>>,
}

impl<'a> MemorySource<'a> {
    pub(crate) fn new(ledger: &'a Ledger, card: &'a Scorecard) -> MemorySource<'a> {
        MemorySource {
            ledger,
            scopes: packet::Scope::departments(card),
        }
    }
}

impl DepartmentSource for MemorySource<'_> {
    fn load(&self, department: &str) -> Result<LoadedDepartment, String> {
        let scope = self
            .scopes
            .get(department)
            .ok_or_else(|| format!("no department named {department}"))?;
        let documents = packet::own_documents(&scope.scores)
            .into_iter()
            .filter_map(|i| self.ledger.documents.get(i))
            .map(DocumentSummary::of)
            .collect();
        let cards = scope
            .scores
            .iter()
            .map(|s| {
                let record = self
                    .ledger
                    .documents
                    .get(s.record.document)
                    .and_then(|d| d.records.get(s.record.record));
                ((*s).clone(), record.cloned())
            })
            .collect();
        Ok(LoadedDepartment {
            documents,
            cards,
            findings: scope.findings.iter().map(|f| (*f).clone()).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::ProjectRows;

    #[test]
    fn rows_read_a_department_at_a_time_are_the_packets_rows_in_its_order() {
        let (ledger, card) = crate::tests::inputs();
        let p = crate::packet::tests::sample_packet();
        let source = MemorySource::new(&ledger, &card);
        let names: Vec<String> = p.departments.iter().map(|d| d.name.clone()).collect();
        let rows = LoadedRows {
            source: &source,
            order: &names,
            titles: packet::titles(&card.rubric),
            indicators: 7,
            strings: &Default::default(),
            failures: Mutex::new(Vec::new()),
        };
        let json = |r: &ProjectRow| serde_json::to_string(r).unwrap_or_default();
        let mut made = Vec::new();
        rows.each(&mut |r| made.push(json(r)));
        let expected: Vec<String> = p.projects.iter().map(json).collect();
        assert_eq!(made.len(), 25);
        assert!(made == expected, "the same rows in the same order");
        assert_eq!(rows.indicators(), 7);
        assert!(source.load("没有这个部门").is_err());
    }

    #[test]
    fn a_department_that_cannot_be_read_is_named_and_its_rows_are_missing() {
        struct Broken;
        impl DepartmentSource for Broken {
            fn load(&self, _: &str) -> Result<LoadedDepartment, String> {
                Err("spill file gone".into())
            }
        }
        let names = vec!["民政局".to_string()];
        let rows = LoadedRows {
            source: &Broken,
            order: &names,
            titles: Default::default(),
            indicators: 0,
            strings: &Default::default(),
            failures: Mutex::new(Vec::new()),
        };
        let mut made = 0;
        rows.each(&mut |_| made += 1);
        assert_eq!(made, 0);
        let failures = rows.failures.into_inner().unwrap_or_default();
        assert_eq!(failures, ["民政局: spill file gone"]);
    }
}
