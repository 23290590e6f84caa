//! [`ScopeBuilder`]: a packet's context made from its score cards one at a time (in scorecard
//! order) and its documents one at a time (in ledger order). What it keeps of a card is a few
//! dozen bytes (its scores, department, name and codes) unless the packet lists its review sheet;
//! so a run whose ledger and scorecard are on disk makes its whole-run context as it reads them
//! back, and a run that holds them feeds the same builder ([`super::PacketContext::of_scope`]):
//! the two make the same context.

use std::collections::{BTreeMap, BTreeSet};

use jixiao_core::summary::{ScoreTotals, Scored, percent, summarize};
use jixiao_core::{
    DocumentRecords, Finding, Record, RecordKind, RecordScore, RubricInfo, Severity,
};

use super::places::PlaceTally;
use super::rows::{CheckTally, deduction_count, project_row};
use super::views::{FINDINGS_IN_SUMMARY, severity_rank};
use super::{
    CorpusSummary, DepartmentRow, FindingRow, PacketContext, PacketMeta, ProjectRow, SourceRow,
    UnparsedRow, grade_counts, grade_rows, histogram, lost, low_confidence_row, severity_zh,
    top_problems, unparsed_row,
};

/// Each check's title by id, as the review sheets and detail rows name them.
pub(crate) type Titles = BTreeMap<String, String>;

pub(crate) fn titles(rubric: &RubricInfo) -> Titles {
    rubric
        .checks
        .iter()
        .map(|c| (c.id.clone(), c.title.clone()))
        .collect()
}

/// What a packet shows of one document: its line among the sources, what of it could not be read
/// (and its records read with low confidence), the budget year its tables state and the place
/// they come from. Made once per document ([`DocumentSummary::of`]); a run that does not hold its
/// ledger keeps these instead.
#[derive(Debug, Clone)]
pub struct DocumentSummary {
    source: SourceRow,
    unparsed: Vec<UnparsedRow>,
    /// The year most of its tables state.
    stated_year: Option<i32>,
    /// The place its tables' units name most.
    place: Option<jixiao_core::Locality>,
}

impl DocumentSummary {
    /// The summary of `d`.
    pub fn of(d: &DocumentRecords) -> DocumentSummary {
        let skipped = d
            .diagnostics
            .iter()
            .filter(|g| g.code != "normalize.count")
            .map(|g| unparsed_row(&d.file, g));
        // Records read with low confidence stand next to what could not be read at all.
        let doubtful = d
            .records
            .iter()
            .filter(|r| r.confidence.level == jixiao_core::ConfidenceLevel::Low)
            .map(|r| low_confidence_row(&d.file, r));
        let stated_year = jixiao_core::majority_year(&d.records).map(|(year, _)| year);
        let place = jixiao_core::document_locality(&d.records).map(|(place, _)| place);
        DocumentSummary {
            source: SourceRow {
                file: d.file.clone(),
                layout: d.layout.as_str().to_string(),
                encoding: d.encoding.clone(),
                records: d.records.len(),
                stated: d.facts.stated_project_count.as_ref().map(|s| s.value),
                // The document's own problems and its records' (a goal guessed without its
                // label is a warning of the record, and counts here as the manifest counts it).
                errors: count(d, Severity::Error),
                warnings: count(d, Severity::Warning),
                year: stated_year,
                place: place.as_ref().map(jixiao_core::Locality::name),
            },
            unparsed: skipped.chain(doubtful).collect(),
            stated_year,
            place,
        }
    }
}

/// What a context keeps of one score card.
struct CardFacts {
    department: usize,
    document: usize,
    record: usize,
    /// Index into the builder's file names.
    file: usize,
    lines: [u32; 2],
    kind: RecordKind,
    totals: ScoreTotals,
    name: String,
    /// The record's project code.
    code: Option<String>,
    /// Its review sheet, when the packet lists them (boxed: a card without one takes a few
    /// dozen bytes, and a province's run keeps half a million).
    row: Option<Box<ProjectRow>>,
}

impl Scored for CardFacts {
    fn totals(&self) -> ScoreTotals {
        self.totals
    }
}

/// One department's cards so far.
struct DepartmentTally {
    name: String,
    /// Indices into the builder's cards, in order.
    cards: Vec<usize>,
    /// The smallest `单位编码` of its records.
    code: Option<String>,
    /// How often each check cost its projects points.
    failures: BTreeMap<String, usize>,
}

/// A packet's context, fed its cards and documents, then [`ScopeBuilder::finish`]ed with its
/// findings.
pub struct ScopeBuilder {
    meta: PacketMeta,
    keep_rows: bool,
    titles: Titles,
    bands: [f64; 3],
    checks: CheckTally,
    cards: Vec<CardFacts>,
    departments: Vec<DepartmentTally>,
    department_index: BTreeMap<String, usize>,
    files: Vec<String>,
    file_index: BTreeMap<String, usize>,
    /// Where each card is, made when the first finding comes (every card is in by then).
    index: Option<CardIndex>,
    /// The finding rows kept: all of them, or when streamed the first of each severity.
    findings: Vec<FindingRow>,
    /// Finding rows made, kept or streamed.
    finding_count: usize,
    /// Rows handed back to the caller ([`ScopeBuilder::finding_row`]), and how many of each
    /// severity are kept for the report.
    streamed: [usize; 4],
    deductions: usize,
    documents: usize,
    sources: Vec<SourceRow>,
    unparsed: Vec<UnparsedRow>,
    other_years: Vec<String>,
    places: PlaceTally,
}

impl ScopeBuilder {
    /// The context of the whole run (`department = None`) or of one department's packet, with
    /// the review sheets when `keep_rows`.
    pub fn new(
        rubric: &RubricInfo,
        meta: PacketMeta,
        department: Option<&str>,
        keep_rows: bool,
    ) -> ScopeBuilder {
        let b = &rubric.bands;
        let titles = titles(rubric);
        ScopeBuilder {
            meta: PacketMeta {
                department: department.map(str::to_string),
                ..meta
            },
            keep_rows,
            checks: CheckTally::new(rubric, &titles),
            titles,
            bands: [b.excellent, b.good, b.fair],
            cards: Vec::new(),
            departments: Vec::new(),
            department_index: BTreeMap::new(),
            files: Vec::new(),
            file_index: BTreeMap::new(),
            index: None,
            findings: Vec::new(),
            finding_count: 0,
            streamed: [0; 4],
            deductions: 0,
            documents: 0,
            sources: Vec::new(),
            unparsed: Vec::new(),
            other_years: Vec::new(),
            places: PlaceTally::default(),
        }
    }

    /// The next document of the packet (the run's: every document; a department's: those its
    /// records come from), in ledger order.
    pub fn add_document(&mut self, d: &DocumentRecords) {
        self.add_summary(&DocumentSummary::of(d));
    }

    /// [`ScopeBuilder::add_document`] from the document's summary.
    pub fn add_summary(&mut self, d: &DocumentSummary) {
        self.documents += 1;
        let file = &d.source.file;
        if let Some(stated) = d.stated_year
            && stated != self.meta.year
        {
            self.other_years.push(format!("{file}（{stated}年度）"));
        }
        if self.meta.department.is_none() {
            // The run's places; a department's packet speaks of its own tables only.
            self.places.add(
                d.place.as_ref(),
                d.source.records,
                file,
                self.meta.jurisdiction.as_ref(),
            );
        }
        self.sources.push(d.source.clone());
        self.unparsed.extend(d.unparsed.iter().cloned());
    }

    /// The next score card of the packet, in scorecard order, with its record.
    pub fn add_card(&mut self, s: &RecordScore, record: Option<&Record>) {
        let row = self.keep_rows.then(|| project_row(record, s, &self.titles));
        self.add(
            s,
            record.and_then(|r| r.code.clone()),
            record.and_then(|r| r.attributes.get("单位编码").cloned()),
            row,
        );
    }

    /// [`ScopeBuilder::add_card`] for a card whose record is not at hand: its project code and
    /// `单位编码`, as the record gives them. The packet must not list review sheets.
    pub fn add_card_facts(
        &mut self,
        s: &RecordScore,
        code: Option<String>,
        unit_code: Option<String>,
    ) {
        debug_assert!(!self.keep_rows, "review sheets need the records");
        self.add(s, code, unit_code, None);
    }

    fn add(
        &mut self,
        s: &RecordScore,
        code: Option<String>,
        unit_code: Option<String>,
        row: Option<ProjectRow>,
    ) {
        debug_assert!(self.index.is_none(), "every card comes before the findings");
        let index = self.cards.len();
        let department = match self.department_index.get(&s.department) {
            Some(&i) => i,
            None => {
                let i = self.departments.len();
                self.department_index.insert(s.department.clone(), i);
                self.departments.push(DepartmentTally {
                    name: s.department.clone(),
                    cards: Vec::new(),
                    code: None,
                    failures: BTreeMap::new(),
                });
                i
            }
        };
        let tally = &mut self.departments[department];
        tally.cards.push(index);
        if let Some(unit_code) = unit_code
            && tally.code.as_ref().is_none_or(|c| unit_code < *c)
        {
            tally.code = Some(unit_code);
        }
        if s.kind == RecordKind::Project {
            for c in s.checks.iter().filter(|c| lost(c)) {
                *tally.failures.entry(c.id.clone()).or_default() += 1;
            }
        }
        self.checks.add(s);
        self.deductions += deduction_count(s);
        let file = match self.file_index.get(&s.record.file) {
            Some(&i) => i,
            None => {
                self.file_index
                    .insert(s.record.file.clone(), self.files.len());
                self.files.push(s.record.file.clone());
                self.files.len() - 1
            }
        };
        self.cards.push(CardFacts {
            department,
            document: s.record.document,
            record: s.record.record,
            file,
            lines: s.record.lines,
            kind: s.kind,
            totals: s.totals(),
            name: s.name.clone(),
            code,
            row: row.map(Box::new),
        });
    }

    /// The next finding in scope (a department's: those whose main record is its own; the run's:
    /// all of them), in scorecard order, once every card is added. A department's packet lists
    /// only those about its records.
    pub fn add_finding(&mut self, f: &Finding) {
        if let Some(row) = self.finding(f) {
            self.findings.push(row);
        }
    }

    /// [`ScopeBuilder::add_finding`] for a run whose findings are too many to hold: the finding's
    /// row is handed back for the caller to keep (the run's workbook lists every one), and the
    /// context keeps only the rows the run's report and page show (the first
    /// `FINDINGS_IN_SUMMARY` of each severity) and the count.
    pub fn finding_row(&mut self, f: &Finding) -> Option<FindingRow> {
        let row = self.finding(f)?;
        let rank = severity_rank(&row.severity).min(3);
        if self.streamed[rank] < FINDINGS_IN_SUMMARY {
            self.streamed[rank] += 1;
            self.findings.push(row.clone());
        }
        Some(row)
    }

    /// A finding's row, its project found by its main record, numbered by the project's 序号.
    fn finding(&mut self, f: &Finding) -> Option<FindingRow> {
        let index = self
            .index
            .get_or_insert_with(|| CardIndex::of(&self.cards, &self.departments));
        let main = f.records.first();
        let key = main.map(|m| (m.document, m.record));
        let at = key
            .and_then(|k| index.by_ref.get(&k))
            .map(|i| &self.cards[*i]);
        let project = at.filter(|c| {
            main.is_some_and(|m| {
                c.lines == m.lines && self.files.get(c.file).is_some_and(|f| *f == m.file)
            })
        });
        if self.meta.department.is_some() && project.is_none() {
            return None;
        }
        self.finding_count += 1;
        let position = key.and_then(|k| index.position.get(&k).copied());
        Some(FindingRow {
            index: position,
            department: project
                .and_then(|c| self.departments.get(c.department))
                .map(|d| d.name.clone())
                .unwrap_or_default(),
            project_code: position.and(at).and_then(|c| c.code.clone()),
            code: f.code.clone(),
            severity: severity_zh(f.severity).to_string(),
            message: f.message.clone(),
            project: project.map(|c| c.name.clone()).unwrap_or_default(),
            file: main.map(|m| m.file.clone()).unwrap_or_default(),
            line: f.line,
            text: f.text.clone(),
        })
    }

    /// The context.
    pub fn finish(self) -> PacketContext {
        let ScopeBuilder {
            meta,
            keep_rows,
            titles,
            bands,
            checks,
            mut cards,
            departments,
            index,
            findings,
            finding_count,
            deductions,
            documents,
            sources,
            unparsed,
            other_years,
            places,
            ..
        } = self;
        let order = match index {
            Some(index) => index.order,
            None => department_order(&departments),
        };
        let mut projects = Vec::with_capacity(if keep_rows { cards.len() } else { 0 });
        let mut listed = 0;
        let mut rows = Vec::with_capacity(departments.len());
        for d in order.iter().map(|i| &departments[*i]) {
            let start = listed;
            for i in &d.cards {
                listed += 1;
                if let Some(row) = cards[*i].row.take() {
                    projects.push(*row);
                }
            }
            let members = d.cards.iter().map(|i| &cards[*i]);
            let summary = summarize(members.filter(|c| c.kind == RecordKind::Project));
            rows.push(DepartmentRow {
                code: d.code.clone(),
                name: d.name.clone(),
                projects: summary.records,
                funds: summary.funds,
                mean: summary.mean,
                weighted_mean: summary.weighted_mean,
                min: summary.min,
                grades: grade_counts(&summary),
                top_problems: top_problems(&d.failures, &titles),
                records: if keep_rows {
                    (start..listed).collect()
                } else {
                    Vec::new()
                },
            });
        }
        let project_cards: Vec<&CardFacts> = cards
            .iter()
            .filter(|c| c.kind == RecordKind::Project)
            .collect();
        let total = summarize(project_cards.iter().copied());
        let (checks, pareto) = checks.finish();
        let mut summary = CorpusSummary {
            documents,
            projects: total.records,
            department_overall: cards.len() - project_cards.len(),
            departments: rows.len(),
            funds: total.funds,
            mean: total.mean,
            weighted_mean: total.weighted_mean,
            min: total.min,
            max: project_cards
                .iter()
                .map(|c| percent(*c))
                .fold(0.0, f64::max),
            grades: grade_rows(&total),
            histogram: histogram(project_cards.iter().map(|c| percent(*c))),
            findings: finding_count,
            deductions,
            unparsed: unparsed.len(),
            other_years,
            places: Vec::new(),
            place_count: 0,
            placeless_documents: 0,
            other_places: Vec::new(),
            jurisdiction: meta
                .jurisdiction
                .as_ref()
                .map(|j| j.name())
                .unwrap_or_default(),
        };
        if meta.department.is_none() {
            places.fill(&mut summary);
        }
        PacketContext {
            meta,
            summary,
            departments: rows,
            projects,
            checks,
            pareto,
            findings,
            sources,
            unparsed,
            department_links: Vec::new(),
            home: None,
            bands,
            text: crate::Prose::default(),
            strings: Default::default(),
        }
    }
}

/// Where each card is: by its record, and its 序号 in the project list (department order, then
/// scorecard order), for the finding rows to join on.
struct CardIndex {
    /// Department indices in the packet's order.
    order: Vec<usize>,
    by_ref: BTreeMap<(usize, usize), usize>,
    position: BTreeMap<(usize, usize), usize>,
}

impl CardIndex {
    fn of(cards: &[CardFacts], departments: &[DepartmentTally]) -> CardIndex {
        let order = department_order(departments);
        // By (document, record): a finding finds its project in one lookup, not a scan of every
        // record (which was quadratic on a province's corpus).
        let by_ref = cards
            .iter()
            .enumerate()
            .map(|(i, c)| ((c.document, c.record), i))
            .collect();
        let position = order
            .iter()
            .flat_map(|d| &departments[*d].cards)
            .enumerate()
            .map(|(n, i)| ((cards[*i].document, cards[*i].record), n + 1))
            .collect();
        CardIndex {
            order,
            by_ref,
            position,
        }
    }
}

/// Departments in code order, then name order (codes compare by length, then as text: numeric
/// codes sort as numbers — `550` before `101001` — and the order never depends on a locale).
fn department_order(departments: &[DepartmentTally]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..departments.len()).collect();
    let key = |d: &DepartmentTally| {
        (
            d.code.is_none(),
            d.code.as_ref().map(|c| (c.len(), c.clone())),
            d.name.clone(),
        )
    };
    order.sort_by_cached_key(|i| key(&departments[*i]));
    order
}

fn count(doc: &DocumentRecords, severity: Severity) -> usize {
    doc.diagnostics
        .iter()
        .chain(doc.records.iter().flat_map(|r| &r.diagnostics))
        .filter(|d| d.severity == severity)
        .count()
}

/// The documents a department's packet speaks of: those its records come from, in ledger order.
pub(crate) fn own_documents(scores: &[&RecordScore]) -> BTreeSet<usize> {
    scores.iter().map(|s| s.record.document).collect()
}
