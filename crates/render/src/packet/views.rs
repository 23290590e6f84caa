//! Views of a [`PacketContext`] that bound what a page or a report shows at a province's scale:
//! the summary without review sheets, the findings and departments a report lists, the means
//! chart's departments, and the notes that say what was left out and where it is.

use jixiao_core::Severity;

use super::{DepartmentRow, FindingRow, PacketContext, SourceRow, UnparsedRow, severity_zh};

impl PacketContext {
    /// The packet without its review sheets: what the run's report and index page show when each
    /// department has a packet of its own (the project rows stay out, so neither grows with the
    /// corpus past one line per department).
    ///
    /// Findings are cut to the first `FINDINGS_IN_SUMMARY`, errors before warnings;
    /// `summary.findings` keeps the full count, and the workbook and the departments' packets have
    /// every one. The sources (附件3) and what could not be read (附件4) are cut to
    /// `ANNEX_ROWS_IN_SUMMARY` rows each, those that need a look first ([`PacketContext::annex_sources`]);
    /// the workbook lists every one.
    pub fn summary_view(&self) -> PacketContext {
        let mut kept: Vec<&FindingRow> = self.findings.iter().collect();
        kept.sort_by_key(|f| severity_rank(&f.severity));
        PacketContext {
            departments: self
                .departments
                .iter()
                .map(|d| DepartmentRow {
                    records: Vec::new(),
                    ..d.clone()
                })
                .collect(),
            findings: kept
                .into_iter()
                .take(FINDINGS_IN_SUMMARY)
                .cloned()
                .collect(),
            department_links: self.department_links.clone(),
            text: self.text.clone(),
            sources: self.annex_sources(),
            unparsed: self.annex_unparsed(),
            ..self.totals_view()
        }
    }

    /// The sources a report lists: every one, or past `ANNEX_ROWS_IN_SUMMARY` those that need a
    /// look first — with errors, then with warnings, no table, another count of projects than the
    /// file states, or another budget year — in the packet's order.
    pub fn annex_sources(&self) -> Vec<SourceRow> {
        let year = self.meta.year;
        keep_first(&self.sources, ANNEX_ROWS_IN_SUMMARY, |d| {
            if d.errors > 0 {
                0
            } else if d.warnings > 0
                || d.records == 0
                || d.stated.is_some_and(|n| n as usize != d.records)
                || d.year.is_some_and(|y| y != year)
            {
                1
            } else {
                2
            }
        })
    }

    /// The rows of 附件4 a report lists: every one, or past `ANNEX_ROWS_IN_SUMMARY` errors, then
    /// warnings, then notes, in the packet's order.
    pub fn annex_unparsed(&self) -> Vec<UnparsedRow> {
        keep_first(&self.unparsed, ANNEX_ROWS_IN_SUMMARY, |u| {
            severity_rank(&u.severity)
        })
    }

    /// When 附件3 lists fewer sources than were read: how many, and where the rest are.
    pub fn sources_note(&self) -> Option<String> {
        self.annex_note(
            "packet.sources_more",
            self.sources.len(),
            self.summary.documents,
        )
    }

    /// When 附件4 lists fewer rows than there are: how many, and where the rest are.
    pub fn unparsed_note(&self) -> Option<String> {
        self.annex_note(
            "packet.unparsed_more",
            self.unparsed.len(),
            self.summary.unparsed,
        )
    }

    /// When 附件1 lists only the first `ANNEX_ROWS_IN_SUMMARY` of `total` renamed folders: how
    /// many, and where the rest are.
    pub(crate) fn renamed_note(&self, total: usize) -> Option<String> {
        self.annex_note(
            "packet.renamed_more",
            total.min(ANNEX_ROWS_IN_SUMMARY),
            total,
        )
    }

    /// `key`'s wording with `{shown}` and `{total}` filled in, when fewer are shown than there are.
    fn annex_note(&self, key: &str, shown: usize, total: usize) -> Option<String> {
        (shown < total).then(|| {
            crate::wording::lookup(&self.strings, key)
                .unwrap_or("{shown} / {total}")
                .replace("{shown}", &shown.to_string())
                .replace("{total}", &total.to_string())
        })
    }

    /// What the prose templates read (`templates/text/*.txt`): the packet's totals — meta, summary,
    /// the checks and their Pareto order, sources, unparsed content — without its row lists
    /// (projects, departments, findings): the prose speaks of totals, and a tera context of a
    /// province's ten thousand departments and tens of thousands of findings cost ≈ 100 MB at the
    /// run's peak.
    pub(crate) fn totals_view(&self) -> PacketContext {
        PacketContext {
            meta: self.meta.clone(),
            summary: self.summary.clone(),
            departments: Vec::new(),
            projects: Vec::new(),
            checks: self.checks.clone(),
            pareto: self.pareto.clone(),
            findings: Vec::new(),
            sources: self.sources.clone(),
            unparsed: self.unparsed.clone(),
            department_links: Vec::new(),
            home: self.home.clone(),
            bands: self.bands,
            text: crate::Prose::default(),
            strings: self.strings.clone(),
        }
    }

    /// The packet with only the departments at `indices` (and their folder links), in that order:
    /// what a province's page lists. Totals, checks and findings stay as they are.
    pub(crate) fn with_departments(&self, indices: &[usize]) -> PacketContext {
        let pick = |list: &[String]| -> Vec<String> {
            indices
                .iter()
                .filter_map(|i| list.get(*i).cloned())
                .collect()
        };
        PacketContext {
            departments: indices
                .iter()
                .filter_map(|i| self.departments.get(*i).cloned())
                .collect(),
            department_links: pick(&self.department_links),
            findings: self.findings.clone(),
            text: self.text.clone(),
            ..self.totals_view()
        }
    }

    /// When the findings listed are fewer than there are: how many, and where the rest are.
    pub fn findings_note(&self) -> Option<String> {
        self.annex_note(
            "packet.findings_more",
            self.findings.len(),
            self.summary.findings,
        )
    }

    /// The departments the means chart shows, in department order: every one with projects, or
    /// past `MEANS_CHART_MAX` the ones with the lowest means (a chart of a province's thousands of
    /// departments is hundreds of pages no one reads; the table beside it lists every one).
    pub fn chart_departments(&self) -> Vec<usize> {
        let mut shown = self.lowest_means(MEANS_CHART_MAX);
        // Highest mean first, as the HTML and PDF charts draw them; ties keep department order.
        shown.sort_by(|a, b| {
            let (x, y) = (&self.departments[*a], &self.departments[*b]);
            y.mean.total_cmp(&x.mean).then(a.cmp(b))
        });
        shown
    }

    /// Departments with projects, in department order; past `limit`, the `limit` with the lowest
    /// means (ties by department order).
    pub fn lowest_means(&self, limit: usize) -> Vec<usize> {
        let mut shown: Vec<usize> = (0..self.departments.len())
            .filter(|i| self.departments[*i].projects > 0)
            .collect();
        if shown.len() > limit {
            shown.sort_by(|a, b| {
                let (x, y) = (&self.departments[*a], &self.departments[*b]);
                x.mean.total_cmp(&y.mean).then(a.cmp(b))
            });
            shown.truncate(limit);
            shown.sort_unstable();
        }
        shown
    }

    /// The rows of the PDF report's department table: every department, or past
    /// `DEPARTMENTS_IN_REPORT` the ones with the lowest means, with a note saying so (a province's
    /// report must stay readable; the workbook and the index page list every department).
    pub fn report_departments(&self) -> (Vec<usize>, Option<String>) {
        if self.departments.len() <= DEPARTMENTS_IN_REPORT {
            return ((0..self.departments.len()).collect(), None);
        }
        let shown = self.lowest_means(DEPARTMENTS_IN_REPORT);
        let note = self.annex_note(
            "packet.departments_lowest",
            shown.len(),
            self.departments.len(),
        );
        (shown, note)
    }

    /// The means chart's caption: says so when only the lowest are shown.
    pub fn means_caption(&self) -> String {
        let key = |k: &str| {
            crate::wording::lookup(&self.strings, k)
                .unwrap_or("")
                .to_string()
        };
        let with_projects = self.departments.iter().filter(|d| d.projects > 0).count();
        if with_projects > MEANS_CHART_MAX {
            key("packet.means_lowest").replace("{n}", &MEANS_CHART_MAX.to_string())
        } else {
            key("heading.chart_means")
        }
    }
}

/// Departments in the PDF report's table before it lists only the lowest means.
pub(crate) const DEPARTMENTS_IN_REPORT: usize = 150;

/// Departments in the means chart before it shows only the lowest.
pub(crate) const MEANS_CHART_MAX: usize = 40;

/// Findings listed in a split run's report and index page.
pub(super) const FINDINGS_IN_SUMMARY: usize = 50;

/// Rows of 附件3 (sources) and of 附件4 (what could not be read) each listed in a split run's
/// report and index page: a province's thousands of files would be a hundred pages of them.
pub(crate) const ANNEX_ROWS_IN_SUMMARY: usize = 150;

/// `rows`, or past `limit` the `limit` with the lowest `rank` (ties in order), in order.
fn keep_first<T: Clone>(rows: &[T], limit: usize, rank: impl Fn(&T) -> usize) -> Vec<T> {
    if rows.len() <= limit {
        return rows.to_vec();
    }
    let mut kept: Vec<usize> = (0..rows.len()).collect();
    kept.sort_by_key(|i| (rank(&rows[*i]), *i));
    kept.truncate(limit);
    kept.sort_unstable();
    kept.into_iter().map(|i| rows[i].clone()).collect()
}

pub(super) fn severity_rank(zh: &str) -> usize {
    [Severity::Error, Severity::Warning, Severity::Info]
        .iter()
        .position(|s| severity_zh(*s) == zh)
        .unwrap_or(3)
}
