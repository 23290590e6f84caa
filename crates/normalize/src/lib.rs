//! [`SourceDocument`]s → [`Ledger`]: every performance-target table becomes one canonical [`Record`].
//!
//! Takes what `ingest` returns (rows of cells with provenance) and returns one [`DocumentRecords`] per
//! document, in input order. Driven by a label dictionary (`dictionary`, built-in `labels.toml` plus
//! `[normalize.labels]`), not by the quirks of one file:
//! - `prepare` cleans cells (`rows`), drops page furniture and web-page frames, joins labels a layout
//!   broke over rows or cells, and splits rows a copy fused (`anchors`);
//! - `segment` finds where target tables start and end, and what is something else;
//! - `table` reads a table's header block (fields, funds, goal, spending plan, task grids) as a
//!   label/value stream;
//! - `indicators` reads its indicator block with column-role inference, fused-row splitting and
//!   continuation rules;
//! - `prose` reads indicators written in a notice's paragraphs; `narrative` department-overall targets
//!   written as prose; `export` budget-system exports with one row per indicator;
//! - `value` parses each 指标值 into numbers, units, money, time; `facts` reads document-level facts;
//! - `quality` is the last look: garbage repaired or the table rejected, a confidence per record.
//!
//! Every repair is a diagnostic on its record with the source line; content that is not a target table
//! is skipped with an info diagnostic, never turned into a record. To read a new layout, add its words
//! to `labels.toml` first; add a rule only for structure the dictionary cannot express, name the kind of
//! table it serves, give it a diagnostic, add its code to [`CODES`] and list it in docs/normalize.md.

#![forbid(unsafe_code)]

mod anchor_labels;
mod anchors;
mod codes;
mod dictionary;
mod export;
mod facts;
mod indicators;
mod narrative;
mod prepare;
mod prose;
mod quality;
mod rows;
mod segment;
mod table;
mod text;
mod value;

#[cfg(test)]
mod tests;

use jixiao_config::NormalizeConfig;
use jixiao_core::{Diagnostic, DocumentRecords, Ledger, Record, RecordKind, SourceDocument};
use rayon::prelude::*;

pub use codes::CODES;
pub use dictionary::{DictionaryError, LabelDictionary};

use crate::prepare::Prepared;
use crate::rows::PRow;
use crate::segment::{TitleKind, section_heading, skipped_diagnostic, starts_table, title_kind};
use crate::table::TableBuilder;

/// Run-time input of the normalise stage: the label dictionary (built-in + `[normalize]` extensions)
/// and the pipeline's budget year for records that name none.
#[derive(Debug, Clone)]
pub struct NormalizeContext {
    /// The compiled label dictionary the tables are read with.
    pub dictionary: LabelDictionary,
    /// Year for records when neither they nor their document state one; `None` leaves it unset.
    pub year: Option<i32>,
    /// Funds amounts written without a unit are in 元 (`[normalize] money_unit = "元"`), not 万元.
    pub bare_amounts_in_yuan: bool,
}

impl NormalizeContext {
    /// Compiles the dictionary (built-in plus `[normalize.labels]`) and takes the money unit from
    /// `config`; fails when the dictionary cannot be built.
    pub fn new(config: &NormalizeConfig, year: Option<i32>) -> Result<Self, DictionaryError> {
        Ok(NormalizeContext {
            dictionary: LabelDictionary::new(&config.labels)?,
            year,
            bare_amounts_in_yuan: config.money_unit == jixiao_config::MoneyUnit::Yuan,
        })
    }
}

/// Turns every document into records, in parallel, keeping the input order.
pub fn normalize(docs: Vec<SourceDocument>, ctx: &NormalizeContext) -> Ledger {
    Ledger {
        documents: docs
            .into_par_iter()
            .map(|d| normalize_document(d, ctx))
            .collect(),
    }
}

/// One document → its records and diagnostics.
pub fn normalize_document(doc: SourceDocument, ctx: &NormalizeContext) -> DocumentRecords {
    let dict = &ctx.dictionary;
    let Prepared {
        rows,
        page_header,
        diagnostics: prep_diags,
    } = prepare::prepare(&doc, dict);
    let mut out = DocumentRecords {
        file: doc.file,
        layout: doc.layout,
        encoding: doc.encoding,
        facts: Default::default(),
        records: Vec::new(),
        diagnostics: doc.diagnostics,
    };
    out.diagnostics.extend(prep_diags);
    let stream = !doc.layout.rows_are_reliable();
    let mut outside: Vec<PRow> = Vec::new();
    let mut non_table: Vec<PRow> = Vec::new();
    let mut table: Option<TableBuilder> = None;
    let mut i = 0;
    while i < rows.len() {
        let row = &rows[i];
        if segment::is_elision(row) {
            // The copy ends (or leaves rows out) here: the open table is incomplete.
            if let Some(mut t) = table.take() {
                t.cut_off(row.line);
                finish_table(t, &page_header, &mut out);
            } else if outside.len() <= 1
                && let Some(last) = out.records.last_mut()
            {
                // A table that ended one fragment before the cut (`时`) is cut off too.
                last.diagnostics
                    .push(table::cut_off_diagnostic(row.line, None));
            }
            i += 1;
            continue;
        }
        let title = row.single().and_then(|c| title_kind(&c.text, dict));
        // An export's column-title row, looked for only where no table is being read (most rows
        // are inside one, and the look folds every cell).
        let reading_table = table.as_ref().is_some_and(|t| t.has_content());
        if let Some(header) = (!reading_table)
            .then(|| export::flat_header(row, dict))
            .flatten()
        {
            table = None;
            flush_outside(&mut outside, &mut out);
            let (records, used) = export::read_flat(&rows[i + 1..], &header, dict);
            out.records
                .extend(records.into_iter().map(|r| complete(r, &page_header)));
            i += 1 + used;
            continue;
        }
        if let Some(t) = table.as_mut() {
            let ends = match title {
                Some(_) => t.has_content(),
                None => {
                    // A 项目名称 row after one the table already read starts the next table.
                    (starts_table(row, dict)
                        && (t.in_indicators()
                            || t.record.field_lines.contains_key("name")
                            || t.record.code.is_some()))
                        || t.indicators.as_ref().is_some_and(|s| {
                            s.started() && (row.gap_before || stream) && !s.accepts(row, dict)
                        })
                        || (t.in_indicators() && section_heading(row).is_some())
                        || (t.in_indicators() && segment::is_footer(row, dict))
                }
            };
            // A title listed in a notice's 附件 list, with the attachments themselves below it.
            let reference = !t.has_content() && segment::is_attachment_heading(row);
            if reference {
                t.reference_only = true;
            }
            if !ends && !reference {
                if let Some(text) = title.and(row.single()).map(|c| c.text.clone()) {
                    t.set_title(&text, row.line);
                } else {
                    t.feed(row);
                }
                i += 1;
                continue;
            }
            if let Some(t) = table.take() {
                finish_table(t, &page_header, &mut out);
            }
        }
        // Outside any table.
        if let Some(kind) = title {
            flush_outside(&mut outside, &mut out);
            let record_kind = match kind {
                TitleKind::Target(k) => k,
                TitleKind::NotTarget => RecordKind::Project,
            };
            let mut t = TableBuilder::new(
                dict,
                record_kind,
                row.line,
                stream,
                ctx.bare_amounts_in_yuan,
            );
            t.not_target = kind == TitleKind::NotTarget;
            if let Some(c) = row.single() {
                t.set_title(&c.text, row.line);
            }
            table = Some(t);
        } else if starts_table(row, dict)
            || (stream && segment::starts_stream_table(&rows[i..], dict))
        {
            flush_outside(&mut outside, &mut out);
            let mut t = TableBuilder::new(
                dict,
                RecordKind::Project,
                row.line,
                stream,
                ctx.bare_amounts_in_yuan,
            );
            t.feed(row);
            table = Some(t);
        } else if prose::starts_prose(&rows[i..], dict) {
            let (record, used) = prose::read_prose(&rows[i..], &outside, dict);
            flush_outside(&mut outside, &mut out);
            if let Some(record) = record {
                out.records.push(complete(record, &page_header));
            }
            i += used.max(1);
            continue;
        } else if section_heading(row).is_some_and(segment::is_department_heading) {
            flush_outside(&mut outside, &mut out);
            let (record, used) = narrative::read_section(&rows[i..], page_header.as_ref());
            if let Some(record) = record {
                out.records.push(record);
            }
            i += used.max(1);
            continue;
        } else {
            outside.push(row.clone());
            non_table.push(row.clone());
        }
        i += 1;
    }
    if let Some(t) = table.take() {
        finish_table(t, &page_header, &mut out);
    }
    flush_outside(&mut outside, &mut out);
    out.facts = facts::collect(&non_table);
    let codes = facts::unit_codes(&non_table);
    for record in &mut out.records {
        let code = record.unit.as_ref().and_then(|u| codes.get(u));
        if let Some(code) = code {
            record
                .attributes
                .entry("单位编码".into())
                .or_insert_with(|| code.clone());
        }
    }
    let doc_year = out.facts.year.or(ctx.year);
    for record in &mut out.records {
        if record.year.is_none() {
            record.year = doc_year;
        }
    }
    let records = std::mem::take(&mut out.records);
    out.records = records
        .into_iter()
        .filter_map(|r| quality::review(r, dict, &mut out.diagnostics))
        .collect();
    report_counts(&mut out);
    out
}

fn flush_outside(outside: &mut Vec<PRow>, out: &mut DocumentRecords) {
    if let Some(d) = skipped_diagnostic(outside) {
        out.diagnostics.push(d);
    }
    outside.clear();
}

fn finish_table(
    mut t: TableBuilder,
    page_header: &Option<prepare::PageHeader>,
    out: &mut DocumentRecords,
) {
    t.settle_unlabelled(false);
    if let Some(state) = t.indicators.as_mut() {
        state.finish(&mut t.record);
    }
    let record = t.record;
    let [start, end] = record.lines;
    // A title that only names an attachment, or a self-evaluation / score sheet: not a target table.
    let skipped = if t.reference_only {
        Some((
            "normalize.skipped-content",
            "only names an attachment (the attachment follows)",
        ))
    } else if t.not_target {
        Some((
            "normalize.not-target-table",
            "is a self-evaluation or score sheet, not a target table",
        ))
    } else {
        None
    };
    if let Some((code, why)) = skipped {
        let title = t.title.as_deref().unwrap_or("表");
        out.diagnostics.push(Diagnostic::info(
            code,
            format!("lines {start}–{end}: `{title}` {why}; skipped"),
            Some(start),
        ));
        return;
    }
    if record.indicators.is_empty() {
        let named = record.name.is_some() || t.title.is_some();
        if named && (t.title.is_some() || !record.funds.items.is_empty() || record.goal.is_some()) {
            out.diagnostics.push(Diagnostic::error(
                "normalize.table-not-understood",
                format!(
                    "lines {start}–{end}: table `{}` has no indicator rows that could be read; no record made (check that its 一级/二级/三级/指标值 columns are present)",
                    record.name.as_deref().or(t.title.as_deref()).unwrap_or("?")
                ),
                Some(start),
            ));
        } else {
            out.diagnostics.push(Diagnostic::info(
                "normalize.skipped-content",
                format!("lines {start}–{end}: a table with a 项目名称 column but no indicators (a list, not a target table); skipped"),
                Some(start),
            ));
        }
        return;
    }
    out.records.push(complete(record, page_header));
}

/// Fills what a table leaves to its document and checks what a reviewer would miss.
fn complete(mut record: Record, page_header: &Option<prepare::PageHeader>) -> Record {
    if record.kind == RecordKind::DepartmentOverall && record.name.is_none() {
        record.name = record.unit.clone().or_else(|| record.supervisor.clone());
    }
    if record.unit.is_none()
        && let Some(header) = page_header
    {
        record.unit = Some(header.name.clone());
        if let Some(code) = &header.code {
            record
                .attributes
                .entry("单位编码".into())
                .or_insert_with(|| code.clone());
        }
        record.diagnostics.push(Diagnostic::info(
            "normalize.unit-from-page-header",
            format!(
                "no unit in the table; taken from the document's page header `{}`",
                header.name
            ),
            None,
        ));
    }
    let line = Some(record.lines[0]);
    total_from_parts(&mut record);
    if record.name.is_none() {
        record.diagnostics.push(Diagnostic::warning(
            "normalize.no-name",
            "the table names no project",
            line,
        ));
    }
    if record.funds.items.is_empty() {
        record.diagnostics.push(Diagnostic::warning(
            "normalize.no-funds",
            "the table has no funds rows (年度资金总额 / 财政拨款 / 其他资金)",
            line,
        ));
    }
    if record.goal.is_none() && record.goal_items.is_empty() {
        record.diagnostics.push(Diagnostic::info(
            "normalize.no-goal",
            "the table has no goal text (年度目标 / 总体目标)",
            line,
        ));
    }
    record
}

/// A blank 资金总额 beside filled parts (`资金总额 | ` / `其中：财政拨款 | 500`) is their sum: the form
/// printed the total as a heading cell. Said on the record.
fn total_from_parts(record: &mut Record) {
    let funds = &mut record.funds;
    if funds.total.is_some() || (funds.fiscal.is_none() && funds.other.is_none()) {
        return;
    }
    let line = record
        .field_lines
        .get("funds.fiscal")
        .or_else(|| record.field_lines.get("funds.other"))
        .copied();
    if let Some(l) = line {
        record.field_lines.insert("funds.total".into(), l);
    }
    // Blank total, and 财政拨款 = 其他资金: the amounts slid down one row of the stack
    // (total / fiscal / other) when the form was printed or extracted.
    if let (Some(fiscal), Some(other)) = (funds.fiscal, funds.other)
        && fiscal > 0.0
        && fiscal == other
    {
        funds.total = Some(fiscal);
        funds.other = None;
        record.field_lines.remove("funds.other");
        record.diagnostics.push(Diagnostic::warning(
            "normalize.funds-shifted",
            format!(
                "资金总额 is blank and 财政拨款 = 其他资金 = {fiscal} 万元: read as amounts shifted down one row (total {fiscal}, fiscal {fiscal}, other blank); check against the source"
            ),
            line,
        ));
        return;
    }
    let sum = funds.fiscal.unwrap_or(0.0) + funds.other.unwrap_or(0.0);
    let sum = (sum * 1_000_000.0).round() / 1_000_000.0;
    funds.total = Some(sum);
    record.diagnostics.push(Diagnostic::info(
        "normalize.total-from-parts",
        format!("资金总额 is blank: taken as the sum of its parts, {sum} 万元"),
        line,
    ));
}

/// Tells the reader how many tables were found, next to what the document says it holds.
fn report_counts(out: &mut DocumentRecords) {
    let projects = out
        .records
        .iter()
        .filter(|r| r.kind == RecordKind::Project)
        .count();
    let departments = out.records.len() - projects;
    let mut message =
        format!("{projects} project tables and {departments} department-overall tables read");
    let mut line = None;
    if let Some(stated) = &out.facts.stated_project_count {
        line = Some(stated.line);
        if stated.value as usize != projects {
            message.push_str(&format!(
                "; the document says it covers {} projects (line {}): {} not in the document as tables",
                stated.value,
                stated.line,
                stated.value as i64 - projects as i64
            ));
        }
    }
    out.diagnostics
        .push(Diagnostic::info("normalize.count", message, line));
    if out.records.is_empty()
        && !out
            .diagnostics
            .iter()
            .any(|d| d.severity == jixiao_core::Severity::Error)
    {
        out.diagnostics.push(Diagnostic::warning(
            "normalize.no-tables",
            "no performance-target table found in this document",
            None,
        ));
    }
}
