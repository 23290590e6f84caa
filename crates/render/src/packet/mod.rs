//! [`PacketContext`]: everything a packet shows, computed once from the ledger and the scorecard.
//! The xlsx, PDF and HTML writers read only this, so the three formats cannot disagree on a number.
//!
//! Grouping: a record belongs to the department the scorecard names (主管部门, else the unit).
//! Departments are ordered by the smallest `单位编码` the document gives for their records, those
//! without a code after them by name. Grade counts, means and funds count project tables only:
//! a department-overall table's funds include its projects' and would count twice.

use std::collections::BTreeMap;

use jixiao_core::summary::{Summary, round2};
use jixiao_core::{CheckStatus, Finding, Grade, Ledger, Record, RecordScore, Scorecard, Severity};
use serde::Serialize;

mod builder;
mod lazy;
mod places;
mod rows;
mod views;

pub use builder::{DocumentSummary, ScopeBuilder};
pub(crate) use builder::{Titles, own_documents, titles};
pub(crate) use lazy::ProjectRows;
pub(crate) use rows::is_deduction;
pub(crate) use rows::project_row;
pub(crate) use views::ANNEX_ROWS_IN_SUMMARY;
#[cfg(test)]
pub(crate) use views::{DEPARTMENTS_IN_REPORT, MEANS_CHART_MAX};

/// Who and what the packet is for; from the pipeline.
#[derive(Debug, Clone, Serialize)]
pub struct PacketMeta {
    /// `[pipeline] name`.
    pub title: String,
    /// The budget year (`[pipeline] year`).
    pub year: i32,
    /// `YYYY-MM-DD`, never the clock.
    pub as_of: String,
    /// `[render] issuer`.
    pub issuer: String,
    /// The name of the rubric the scores were made with (filled from the scorecard at render time).
    pub rubric_name: String,
    /// That rubric's version (filled from the scorecard at render time).
    pub rubric_version: String,
    /// The department a split packet is limited to.
    pub department: Option<String>,
    /// `YYYY-MM-DD` by which departments resubmit corrected tables (their letters print it).
    pub resubmit_by: String,
    /// `[pipeline] jurisdiction`: documents of another place are named in 二、审核范围.
    pub jurisdiction: Option<jixiao_core::Locality>,
}

/// The packet's data. Serialized as the context of every template.
#[derive(Debug, Clone, Serialize)]
pub struct PacketContext {
    /// Title, year, as-of date, issuer, rubric, and the department of a department's packet.
    pub meta: PacketMeta,
    /// Totals over the packet's project tables: counts, funds, means, grades, histogram.
    pub summary: CorpusSummary,
    /// One row per department in scope, in `单位编码` order, then by name.
    pub departments: Vec<DepartmentRow>,
    /// Every scored record, in department order then document order.
    pub projects: Vec<ProjectRow>,
    /// The rubric's checks with how often each failed, in rubric order.
    pub checks: Vec<CheckRow>,
    /// Indices into `checks`, most failures first (ties by rubric order).
    pub pareto: Vec<usize>,
    /// The scorecard's findings in scope (counted, not scored), with the project each concerns.
    pub findings: Vec<FindingRow>,
    /// One row per input document in scope: file, layout, encoding, records, diagnostic counts.
    pub sources: Vec<SourceRow>,
    /// Document-level diagnostics (content that did not become a record) and records read with low
    /// confidence.
    pub unparsed: Vec<UnparsedRow>,
    /// In a run split by department: each department's packet folder (`departments/<name>/`),
    /// parallel to `departments`; empty otherwise (filled by the render stage).
    pub department_links: Vec<String>,
    /// In a department's packet of a split run: the way back to the run's `index.html`.
    pub home: Option<String>,
    /// The rubric's grade bands: the lowest score (percent of the maximum) for 优, 良 and 中.
    pub bands: [f64; 3],
    /// The prose (filled by the render stage from the templates).
    pub text: crate::Prose,
    /// `strings.toml` (filled by the render stage).
    pub strings: crate::wording::Strings,
}

/// Corpus totals over project tables.
#[derive(Debug, Clone, Serialize)]
pub struct CorpusSummary {
    pub documents: usize,
    pub projects: usize,
    pub department_overall: usize,
    pub departments: usize,
    pub funds: f64,
    pub mean: f64,
    pub weighted_mean: f64,
    pub min: f64,
    pub max: f64,
    pub grades: Vec<GradeRow>,
    /// Score histogram bins: `<60`, `60–69.99`, `70–79.99`, `80–89.99`, `≥90` (scores have two
    /// decimals, so every score has one bin a reader can tell).
    pub histogram: Vec<Bin>,
    pub findings: usize,
    pub deductions: usize,
    /// Rows of 附件4 (content that did not become a record, records read with low confidence):
    /// a view that lists fewer keeps the count.
    pub unparsed: usize,
    /// Documents whose tables state another budget year than the review's: `file（2021年度）`.
    pub other_years: Vec<String>,
    /// Where the tables come from by their units' names, most tables first: `攀枝花市西区（306张）`;
    /// at most [`PLACES_LISTED`].
    pub places: Vec<String>,
    /// How many places there are in all (more than `places` lists past [`PLACES_LISTED`]).
    pub place_count: usize,
    /// Documents whose units' names state no place.
    pub placeless_documents: usize,
    /// Documents of another place than `[pipeline] jurisdiction`: `file（盐边县）`.
    pub other_places: Vec<String>,
    /// `[pipeline] jurisdiction` as written (`攀枝花市西区`), empty when not set.
    pub jurisdiction: String,
}

/// Places named in 二、审核范围 before it says how many more there are.
pub(crate) const PLACES_LISTED: usize = 10;

#[derive(Debug, Clone, Serialize)]
pub struct GradeRow {
    pub grade: String,
    pub count: usize,
    pub funds: f64,
    /// Percent of projects.
    pub count_share: f64,
    /// Percent of funds.
    pub funds_share: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bin {
    pub label: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct DepartmentRow {
    pub name: String,
    /// The smallest `单位编码` among its records.
    pub code: Option<String>,
    pub projects: usize,
    pub funds: f64,
    pub mean: f64,
    pub weighted_mean: f64,
    pub min: f64,
    /// Counts in 优 良 中 差 order.
    pub grades: [usize; 4],
    /// The checks that cost this department's projects points most often: `B2 指标值可衡量（12）`.
    pub top_problems: Vec<String>,
    /// Indices into `PacketContext::projects` (all its records, department-overall ones included).
    pub records: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectRow {
    pub name: String,
    pub code: Option<String>,
    pub unit: Option<String>,
    pub department: String,
    /// `项目` or `部门整体`.
    pub kind: String,
    pub file: String,
    pub lines: [u32; 2],
    pub year: Option<i32>,
    pub funds: Option<f64>,
    pub goal: Option<String>,
    pub total: f64,
    pub max_points: f64,
    pub percent: f64,
    pub grade: String,
    /// One per rubric check, in rubric order; `None` points when the check was not scored.
    pub checks: Vec<CheckCell>,
    pub deductions: Vec<DeductionRow>,
    pub indicators: Vec<IndicatorRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckCell {
    pub id: String,
    /// `None` when the check was not scored or does not apply.
    pub points: Option<f64>,
    pub max_points: f64,
    /// The check does not apply to the record's form (printed 不适用, not 未评分).
    pub not_applicable: bool,
}

/// One piece of evidence that cost points (or a grade, for caps).
#[derive(Debug, Clone, Serialize)]
pub struct DeductionRow {
    pub check: String,
    pub title: String,
    pub deduction: f64,
    pub subject: String,
    pub text: String,
    pub reason: String,
    pub file: String,
    pub line: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorRow {
    pub level1: String,
    pub level1_raw: String,
    pub level2: String,
    pub level2_raw: String,
    pub name: String,
    pub value: String,
    /// The structured reading in words: `≥ 95 %`, `定性`, `1600 元/亩（单价）`.
    pub parsed: String,
    pub line: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckRow {
    pub id: String,
    pub title: String,
    pub max_points: f64,
    pub rule: String,
    pub source: String,
    /// Records that lost points on this check.
    pub failures: usize,
    pub points_lost: f64,
    /// Percent of all failures, cumulative in Pareto order (filled for `pareto` rows).
    pub cumulative_share: f64,
    /// Up to three quoted deductions.
    pub examples: Vec<DeductionExample>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeductionExample {
    pub project: String,
    /// What the deduction is about (an indicator's name, a field); empty or the project's name
    /// for a deduction about the whole table.
    pub subject: String,
    /// The cell quoted; empty for a structural deduction (a missing field has no cell).
    pub text: String,
    pub reason: String,
    pub file: String,
    pub line: Option<u32>,
}

/// One finding as the packet lists it. Read back too: a province's run keeps the run's rows on
/// disk until its workbook lists them.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct FindingRow {
    /// The 序号 of its project in the packet's project list (项目得分), to join on.
    pub index: Option<usize>,
    /// Its project's department (empty for a finding about no project).
    pub department: String,
    /// Its project's code.
    pub project_code: Option<String>,
    /// Its category: jixiao's code (`copied-indicator`), the reader's words once localised.
    pub code: String,
    /// `错误` / `警告` / `提示`.
    pub severity: String,
    /// What was found, in Chinese.
    pub message: String,
    /// Its project's name (empty for a finding about no project).
    pub project: String,
    /// The input file of its main record.
    pub file: String,
    /// The line it quotes.
    pub line: Option<u32>,
    /// The cell it quotes.
    pub text: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceRow {
    pub file: String,
    pub layout: String,
    pub encoding: String,
    pub records: usize,
    /// The number of projects the document says it has, when it says so.
    pub stated: Option<u32>,
    pub errors: usize,
    pub warnings: usize,
    /// The budget year most of its tables state.
    pub year: Option<i32>,
    /// Where its tables come from, as most of their units name it (`攀枝花市西区`).
    pub place: Option<String>,
}

/// Content of a document that did not become a record, and why. `code` and `message` are jixiao's
/// (English, for the log); [`crate::localize`] rewrites them into the reader's words before any
/// format prints them, from `record`, `range`, `count` and `reasons`.
#[derive(Debug, Clone, Serialize)]
pub struct UnparsedRow {
    pub file: String,
    pub line: Option<u32>,
    pub severity: String,
    pub code: String,
    pub message: String,
    /// The record concerned (low-confidence rows).
    pub record: Option<String>,
    /// The lines concerned, first and last.
    pub range: Option<[u32; 2]>,
    /// How many lines or rows were skipped, when the diagnostic says.
    pub count: Option<usize>,
    /// Codes of the repairs behind a low-confidence reading.
    pub reasons: Vec<String>,
}

/// Why a low-confidence record should be checked by hand: its name, lines and the repairs it needed.
fn low_confidence_row(file: &str, r: &jixiao_core::Record) -> UnparsedRow {
    let guessed: Vec<&jixiao_core::Diagnostic> = r
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info && r.confidence.guessed.contains(&d.code))
        .collect();
    let reasons: Vec<&str> = guessed.iter().map(|d| d.message.as_str()).collect();
    let name = r.name.as_deref().unwrap_or("?");
    UnparsedRow {
        file: file.to_string(),
        line: Some(r.lines[0]),
        severity: severity_zh(Severity::Warning).to_string(),
        code: "normalize.low-confidence".to_string(),
        message: format!(
            "`{name}` (lines {}–{}) was read with low confidence; check it against the source: {}",
            r.lines[0],
            r.lines[1],
            reasons.join("; ")
        ),
        record: Some(name.to_string()),
        range: Some(r.lines),
        count: None,
        reasons: guessed.iter().map(|d| d.code.clone()).collect(),
    }
}

/// A document-level diagnostic as an annex row; the line range and the number of skipped rows are
/// read back from the message jixiao wrote (`lines 3–110: 90 rows …`, `skipped 85 …`).
fn unparsed_row(file: &str, d: &jixiao_core::Diagnostic) -> UnparsedRow {
    UnparsedRow {
        file: file.to_string(),
        line: d.line,
        severity: severity_zh(d.severity).to_string(),
        code: d.code.clone(),
        message: d.message.clone(),
        record: None,
        range: line_range(&d.message),
        count: skipped_count(&d.message),
        reasons: Vec::new(),
    }
}

/// `lines 3–110` → `[3, 110]`. (The sample packet's test checks this against normalize's real
/// messages.)
fn line_range(message: &str) -> Option<[u32; 2]> {
    let rest = message.split_once("lines ")?.1;
    let (a, rest) = rest.split_once('–')?;
    let b: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some([a.trim().parse().ok()?, b.parse().ok()?])
}

/// `90 rows of …` or `skipped 85 …` → the number.
fn skipped_count(message: &str) -> Option<usize> {
    let words: Vec<&str> = message.split_whitespace().collect();
    words.windows(2).find_map(|w| match w {
        [n, "rows"] => n.parse().ok(),
        ["skipped", n] => n.parse().ok(),
        _ => None,
    })
}

/// The severity as a reviewer reads it.
pub(crate) fn severity_zh(s: Severity) -> &'static str {
    match s {
        Severity::Error => "错误",
        Severity::Warning => "警告",
        Severity::Info => "提示",
    }
}

const HISTOGRAM: [(&str, f64); 5] = [
    ("<60", 60.0),
    ("60–69.99", 70.0),
    ("70–79.99", 80.0),
    ("80–89.99", 90.0),
    ("≥90", f64::INFINITY),
];

/// The records and findings one packet covers: the whole run's, or one department's.
pub struct Scope<'c> {
    /// `None` for the whole run.
    pub department: Option<&'c str>,
    /// Its score cards, in scorecard order.
    pub scores: Vec<&'c RecordScore>,
    /// Findings whose main record is in scope (all of them for the whole run).
    pub findings: Vec<&'c Finding>,
}

impl<'c> Scope<'c> {
    /// Everything the scorecard holds.
    pub fn whole(card: &'c Scorecard) -> Scope<'c> {
        Scope {
            department: None,
            scores: card.records.iter().collect(),
            findings: card.findings.iter().collect(),
        }
    }

    /// One scope per department, by name, in one pass over the scorecard: a province has
    /// thousands of departments, and a pass per department would be quadratic.
    pub fn departments(card: &'c Scorecard) -> BTreeMap<&'c str, Scope<'c>> {
        let mut scopes: BTreeMap<&str, Scope<'_>> = BTreeMap::new();
        let mut owner: BTreeMap<(usize, usize), &str> = BTreeMap::new();
        for s in &card.records {
            owner.insert((s.record.document, s.record.record), s.department.as_str());
            scopes
                .entry(s.department.as_str())
                .or_insert_with(|| Scope {
                    department: Some(s.department.as_str()),
                    scores: Vec::new(),
                    findings: Vec::new(),
                })
                .scores
                .push(s);
        }
        for f in &card.findings {
            let main = f.records.first().map(|m| (m.document, m.record));
            if let Some(scope) = main
                .and_then(|m| owner.get(&m))
                .and_then(|d| scopes.get_mut(d))
            {
                scope.findings.push(f);
            }
        }
        scopes
    }
}

impl PacketContext {
    /// Builds the context of the whole packet (`department = None`) or of one department's packet.
    /// To build every department's, use `Scope::departments` and [`PacketContext::of_scope`].
    pub fn build(
        ledger: &Ledger,
        card: &Scorecard,
        meta: PacketMeta,
        department: Option<&str>,
    ) -> PacketContext {
        let scope = match department {
            None => Scope::whole(card),
            Some(d) => Scope::departments(card).remove(d).unwrap_or(Scope {
                department: Some(d),
                scores: Vec::new(),
                findings: Vec::new(),
            }),
        };
        PacketContext::of_scope(ledger, card, meta, scope)
    }

    /// Builds the context of the packet covering `scope`.
    pub fn of_scope(
        ledger: &Ledger,
        card: &Scorecard,
        meta: PacketMeta,
        scope: Scope<'_>,
    ) -> PacketContext {
        Self::of_scope_rows(ledger, card, meta, scope, true)
    }

    /// [`PacketContext::of_scope`] without the `projects` rows (and so without the departments'
    /// `records` lists) when `rows` is false: the whole run's context of a split run, whose report
    /// and index page show totals only and whose workbook takes its rows one at a time from
    /// [`ProjectRows`] — a province's rows are never all in memory at once.
    pub(crate) fn of_scope_rows(
        ledger: &Ledger,
        card: &Scorecard,
        meta: PacketMeta,
        scope: Scope<'_>,
        keep_rows: bool,
    ) -> PacketContext {
        let mut builder = ScopeBuilder::new(&card.rubric, meta, scope.department, keep_rows);
        match scope.department {
            None => ledger
                .documents
                .iter()
                .for_each(|d| builder.add_document(d)),
            Some(_) => builder::own_documents(&scope.scores)
                .into_iter()
                .filter_map(|i| ledger.documents.get(i))
                .for_each(|d| builder.add_document(d)),
        }
        for s in &scope.scores {
            builder.add_card(s, record_of(ledger, s));
        }
        for f in scope.findings {
            builder.add_finding(f);
        }
        builder.finish()
    }
}

fn record_of<'l>(ledger: &'l Ledger, s: &RecordScore) -> Option<&'l Record> {
    ledger
        .documents
        .get(s.record.document)
        .and_then(|d| d.records.get(s.record.record))
}

fn grade_counts(s: &Summary) -> [usize; 4] {
    Grade::ALL.map(|g| s.grades.get(&g).copied().unwrap_or(0))
}

fn share(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        round2(100.0 * part / whole)
    } else {
        0.0
    }
}

fn grade_rows(s: &Summary) -> Vec<GradeRow> {
    Grade::ALL
        .iter()
        .map(|g| {
            let count = s.grades.get(g).copied().unwrap_or(0);
            let funds = round2(s.grade_funds.get(g).copied().unwrap_or(0.0));
            GradeRow {
                grade: g.as_str().to_string(),
                count,
                funds,
                count_share: share(count as f64, s.records as f64),
                funds_share: share(funds, s.funds),
            }
        })
        .collect()
}

fn histogram(percents: impl IntoIterator<Item = f64>) -> Vec<Bin> {
    let mut bins: Vec<Bin> = HISTOGRAM
        .iter()
        .map(|(label, _)| Bin {
            label: label.to_string(),
            count: 0,
        })
        .collect();
    for p in percents {
        if let Some(i) = HISTOGRAM.iter().position(|(_, upper)| p < *upper) {
            bins[i].count += 1;
        }
    }
    bins
}

/// Whether a check cost points.
fn lost(c: &jixiao_core::CheckResult) -> bool {
    c.status == CheckStatus::Scored && c.points + 1e-9 < c.max_points
}

/// The three checks that cost a department's projects points most often (ties by id), from
/// how often each did.
fn top_problems(failures: &BTreeMap<String, usize>, titles: &builder::Titles) -> Vec<String> {
    let mut v: Vec<(&String, &usize)> = failures.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    v.into_iter()
        .take(3)
        .map(|(id, n)| {
            let title = titles.get(id).map_or("", String::as_str);
            format!("{id} {title}（{n}）")
        })
        .collect()
}

/// Safe, stable, readable file names for department packets: the name itself with path separators,
/// control and reserved characters replaced by `_`, no leading dots, at most 60 characters; names
/// that collide (after cleaning, ignoring case) get `-2`, `-3` … in department order.
pub(crate) fn file_stems(names: &[String]) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    names
        .iter()
        .map(|name| {
            let mut stem: String = name
                .chars()
                .map(|c| {
                    if c.is_control() || "/\\:*?\"<>|".contains(c) || c.is_whitespace() {
                        '_'
                    } else {
                        c
                    }
                })
                .take(60)
                .collect();
            stem = stem
                .trim_start_matches(['.', '_'])
                .trim_end_matches(['.', '_', ' '])
                .to_string();
            if stem.is_empty() {
                stem = "部门".into();
            }
            // Windows refuses these names whatever the extension.
            let upper = stem.to_ascii_uppercase();
            if ["CON", "PRN", "AUX", "NUL"].contains(&upper.as_str())
                || ((upper.starts_with("COM") || upper.starts_with("LPT")) && upper.len() == 4)
            {
                stem.insert(0, '_');
            }
            let n = seen.entry(stem.to_lowercase()).or_insert(0);
            *n += 1;
            if *n > 1 {
                stem = format!("{stem}-{n}");
            }
            stem
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests;
