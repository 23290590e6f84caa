//! Findings across records: identical indicator text copied across projects or across the benefit
//! categories of one project, and a document's projects reconciled with its budget tables.

use std::collections::{BTreeMap, BTreeSet};

use jixiao_config::FindingsConfig;
use jixiao_core::{
    DocumentRecords, Finding, Indicator, Level2, Record, RecordKind, RecordRef, Severity,
};
use rustc_hash::FxHashMap;

use super::wordings::{WordingBlocks, WordingStore};
use crate::text::{
    copy_key, is_benefit, is_blank, is_cost, is_satisfaction, is_yes_no_placeholder, round2,
};

/// Identical name + value in at least `copied_min_projects` project records (any documents),
/// gathered a batch of records at a time ([`CopyTally::add`]) so a corpus's records need not all
/// be in memory. Most indicators of real tables are their project's own (86 % of the samples'
/// are written once), so a province's tally holds millions of distinct ones: each is kept in a
/// few dozen bytes — its key as a 128-bit hash, a handle to its first wording (kept in a
/// [`WordingStore`]: in memory, or on disk for a province's run), its
/// first project's ordinal, and the further projects' only when there are some.
pub(crate) struct CopyTally {
    // key hash → its entry; the findings are sorted at the end, so the map's order does not
    // matter.
    seen: FxHashMap<u128, CopyEntry>,
    /// Every first wording.
    store: Box<dyn WordingStore>,
    /// The further projects of the keys found in more than one, by `CopyEntry::more`.
    more: Vec<Vec<u32>>,
}

impl Default for CopyTally {
    fn default() -> CopyTally {
        CopyTally::with_store(Box::new(WordingBlocks::default()))
    }
}

/// One distinct indicator in the tally.
struct CopyEntry {
    /// Its first wording's handle in the tally's store.
    wording: u64,
    line: u32,
    /// The first project's ordinal.
    first: u32,
    /// Index into the tally's further projects, `u32::MAX` while there are none.
    more: u32,
}

/// What a copy finding quotes of the first indicator with its key (a candidate's name is never
/// blank, so it is also what `subject_of` would name).
#[derive(Debug, Clone)]
struct Quote {
    name: String,
    value: String,
    line: u32,
}

impl Quote {
    fn text(&self) -> String {
        format!("{}：{}", self.name, self.value)
    }
}

/// The comparison key of an indicator as a 128-bit hash: two digests of std's `DefaultHasher`
/// (the same keys in every run; the hashes never reach an output, only group) of the folded name
/// and value. Two different keys share a hash with a
/// chance of about n² / 2¹²⁹ — for ten million indicators, one in 10²⁵.
fn key_hash(name: &str, value: &str) -> u128 {
    use std::hash::{Hash, Hasher};
    let half = |seed: u8| {
        let mut h = std::hash::DefaultHasher::new();
        seed.hash(&mut h);
        name.hash(&mut h);
        value.hash(&mut h);
        h.finish()
    };
    (u128::from(half(1)) << 64) | u128::from(half(2))
}

/// Every record of a corpus by its place in it (its ordinal: records counted in corpus order), in
/// sixteen bytes, with its document's file named once: what a finding's [`RecordRef`] is made from.
#[derive(Debug, Clone, Default)]
pub(crate) struct RecordTable {
    files: Vec<String>,
    /// Document index, record index in it, lines.
    records: Vec<(u32, u32, [u32; 2])>,
}

impl RecordTable {
    /// Adds a document's records (the corpus's next document): returns the first one's ordinal.
    pub(crate) fn add_document(&mut self, doc: &DocumentRecords) -> u32 {
        let first = self.records.len() as u32;
        let d = self.files.len() as u32;
        self.files.push(doc.file.clone());
        for (k, rec) in doc.records.iter().enumerate() {
            self.records.push((d, k as u32, rec.lines));
        }
        first
    }

    fn record_ref(&self, ordinal: u32) -> Option<RecordRef> {
        let (d, k, lines) = *self.records.get(ordinal as usize)?;
        Some(RecordRef {
            document: d as usize,
            record: k as usize,
            file: self.files.get(d as usize)?.clone(),
            lines,
        })
    }
}

impl CopyTally {
    /// An empty tally keeping first wordings in `store`.
    pub(crate) fn with_store(store: Box<dyn WordingStore>) -> CopyTally {
        CopyTally {
            seen: FxHashMap::default(),
            store,
            more: Vec::new(),
        }
    }

    /// Counts the copy candidates of `records` (the next records of the corpus, in order, each
    /// with its ordinal).
    pub(crate) fn add(&mut self, records: &[(u32, &Record)], cfg: &FindingsConfig) {
        use rayon::prelude::*;
        /// Records whose keys are made at once (in parallel: the folding is the cost), then
        /// gathered in order: a batch's keys are never all in memory beside the map.
        const CHUNK: usize = 4096;
        for chunk in records.chunks(CHUNK) {
            let keyed: Vec<Vec<(u128, &Indicator)>> = chunk
                .par_iter()
                .map(|(_, rec)| copy_candidates(rec, cfg))
                .collect();
            for ((r, _), keys) in chunk.iter().zip(keyed) {
                for (key, i) in keys {
                    self.count(key, *r, i);
                }
            }
        }
    }

    fn count(&mut self, key: u128, record: u32, i: &Indicator) {
        let Some(entry) = self.seen.get_mut(&key) else {
            let wording = self.store.keep(&i.name, &i.value);
            self.seen.insert(
                key,
                CopyEntry {
                    wording,
                    line: i.line,
                    first: record,
                    more: u32::MAX,
                },
            );
            return;
        };
        let more = match self.more.get_mut(entry.more as usize) {
            Some(more) => more,
            None if entry.first == record => return,
            None => {
                entry.more = self.more.len() as u32;
                self.more.push(Vec::new());
                self.more.last_mut().expect("just pushed")
            }
        };
        if more.last().copied().unwrap_or(entry.first) != record {
            more.push(record);
        }
    }

    /// The keys found in enough projects, by first record, then text.
    pub(crate) fn finish(self, cfg: &FindingsConfig) -> CopyFindings {
        let min = cfg.copied_min_projects.max(2);
        let CopyTally {
            seen,
            mut store,
            mut more,
        } = self;
        let mut copies: Vec<(Quote, Vec<u32>)> = seen
            .into_values()
            .filter_map(|e| {
                let rest = more.get_mut(e.more as usize).map(std::mem::take)?;
                if rest.len() + 1 < min {
                    return None;
                }
                // A wording the store lost: the store reports it and the run fails.
                let (name, value) = store.read(e.wording)?;
                let quote = Quote {
                    name,
                    value,
                    line: e.line,
                };
                let mut records = Vec::with_capacity(rest.len() + 1);
                records.push(e.first);
                records.extend(rest);
                Some((quote, records))
            })
            .collect();
        copies.sort_by_cached_key(|(q, records)| (records.first().copied(), q.text()));
        CopyFindings { copies }
    }
}

/// The copies across projects, each made into its [`Finding`] only when asked for
/// ([`CopyFindings::finding`]): a province's copies name millions of records.
#[derive(Debug, Clone, Default)]
pub(crate) struct CopyFindings {
    copies: Vec<(Quote, Vec<u32>)>,
}

impl CopyFindings {
    pub(crate) fn len(&self) -> usize {
        self.copies.len()
    }

    pub(crate) fn finding(&self, i: usize, table: &RecordTable) -> Option<Finding> {
        let (q, records) = self.copies.get(i)?;
        Some(Finding {
            code: "copied-indicator".into(),
            severity: Severity::Warning,
            message: format!(
                "指标“{}：{}”在{}个项目中完全相同，可能是照抄模板，请按项目实际设定",
                q.name,
                q.value,
                records.len()
            ),
            line: Some(q.line),
            text: Some(q.text()),
            records: records
                .iter()
                .filter_map(|r| table.record_ref(*r))
                .collect(),
        })
    }
}

/// The indicators of a project that may have been copied from a template, keyed for comparison.
fn copy_candidates<'r>(rec: &'r Record, cfg: &FindingsConfig) -> Vec<(u128, &'r Indicator)> {
    if rec.kind != RecordKind::Project {
        return Vec::new();
    }
    rec.indicators
        .iter()
        .filter(|i| !is_blank(&i.name) && !is_blank(&i.value))
        .filter(|i| cfg.copied_include_satisfaction || !is_satisfaction(i))
        // A cost row that is the project's whole funds (`成本控制 | 3万` in projects of 3万 each)
        // is not copied from a template: each states its own amount.
        .filter(|i| {
            !(is_cost(i) && i.parsed.money_wan.is_some() && i.parsed.money_wan == rec.funds.total)
        })
        .map(|i| (key_hash(&copy_key(&i.name), &copy_key(&i.value)), i))
        .collect()
}

/// The same value under several benefit categories of one project (000's 社会/生态效益 rows that
/// repeat one sentence).
pub(crate) fn copied_across_benefits(
    r: &RecordRef,
    rec: &Record,
    cfg: &FindingsConfig,
) -> Vec<Finding> {
    let mut groups: BTreeMap<(u8, String), (BTreeSet<Level2>, &Indicator)> = BTreeMap::new();
    // The same worded value (four hanzi or more: a 是/否 placeholder is counted elsewhere, `是`, `无` or
    // `≥5%` answer different questions alike); the same name counts only with the same value or one
    // extending the other (a name alone with other values is not a copy).
    for i in rec.indicators.iter().filter(|i| {
        is_benefit(i)
            && !is_blank(&i.value)
            && !is_yes_no_placeholder(&i.value)
            && i.value.chars().filter(|c| *c as u32 >= 0x4E00).count() >= 4
    }) {
        let Some(l2) = i.level2 else { continue };
        groups
            .entry((0, copy_key(&i.value)))
            .or_insert((BTreeSet::new(), i))
            .0
            .insert(l2);
        // The same name with one value extending the other (000: `…景观观点，满足民众需求` / `…景观观点.`).
        if !is_blank(&i.name) {
            let entry = groups
                .entry((1, copy_key(&i.name)))
                .or_insert((BTreeSet::new(), i));
            let (first, this) = (copy_key(&entry.1.value), copy_key(&i.value));
            if first.contains(this.as_str()) || this.contains(first.as_str()) {
                entry.0.insert(l2);
            }
        }
    }
    let min = cfg.benefit_copy_min_categories.max(2);
    let mut reported: Vec<(BTreeSet<Level2>, u32)> = Vec::new();
    let mut out = Vec::new();
    for ((_, _), (cats, i)) in groups {
        if cats.len() < min || reported.iter().any(|(c, l)| *c == cats && *l == i.line) {
            continue;
        }
        let names: Vec<&str> = cats.iter().map(|c| c.as_str()).collect();
        out.push(Finding {
            code: "copied-across-benefit-categories".into(),
            severity: Severity::Warning,
            message: format!(
                "项目“{}”的{}填写了相同的指标，请按各类效益分别设定",
                rec.name.as_deref().unwrap_or("（未命名）"),
                names.join("、")
            ),
            records: vec![r.clone()],
            line: Some(i.line),
            text: Some(format!("{}：{}", i.name, i.value)),
        });
        reported.push((cats, i.line));
    }
    out.sort_by_key(|f| f.line);
    out
}

/// One note per document whose form has no 年度目标 field: A2 is not applicable to its records (they
/// are scored on the other checks, rescaled to 100), and the bureau should add the field to its form.
pub(crate) fn form_without_goal(doc_index: usize, doc: &DocumentRecords) -> Option<Finding> {
    if !crate::checks::FormFacts::of(&doc.records).lacks_goal_field {
        return None;
    }
    let projects = doc
        .records
        .iter()
        .filter(|r| r.kind == RecordKind::Project)
        .count();
    let (k, first) = doc
        .records
        .iter()
        .enumerate()
        .find(|(_, r)| r.kind == RecordKind::Project)?;
    Some(Finding {
        code: "form-without-goal-field".into(),
        severity: Severity::Info,
        message: format!(
            "本文件{}张项目表均没有年度目标：所用表式缺少年度目标栏，A2“年度目标明确”对这些项目不适用（按其余各项折算为百分制）；建议在表式中增加年度绩效目标栏",
            projects
        ),
        records: vec![crate::record_ref(doc_index, k, &doc.file, first)],
        line: Some(first.lines[0]),
        text: None,
    })
}

/// One note per document whose tables state another budget year than the run's: a table of 2021 in
/// the 2024 review is flagged, not silently merged (it is still scored, against its own year).
pub(crate) fn other_year_document(
    doc_index: usize,
    doc: &DocumentRecords,
    year: i32,
) -> Option<Finding> {
    let (stated, n) = jixiao_core::majority_year(&doc.records)?;
    if stated == year {
        return None;
    }
    document_warning(
        doc_index,
        doc,
        |r| r.year == Some(stated),
        "document-other-year",
        format!(
            "本文件{n}张表为{stated}年度，不是本次审核的{year}年度，请核实是否应纳入本次审核（已按{stated}年度评分）"
        ),
    )
}

/// A warning about a whole document, pointing at its first record that `shows` what it says.
fn document_warning(
    doc_index: usize,
    doc: &DocumentRecords,
    shows: impl Fn(&Record) -> bool,
    code: &str,
    message: String,
) -> Option<Finding> {
    let (k, first) = doc.records.iter().enumerate().find(|(_, r)| shows(r))?;
    Some(Finding {
        code: code.into(),
        severity: Severity::Warning,
        message,
        records: vec![crate::record_ref(doc_index, k, &doc.file, first)],
        line: Some(first.lines[0]),
        text: None,
    })
}

/// One note per document whose units belong to another place than `[pipeline] jurisdiction`
/// (`盐边县` tables in a review of `攀枝花市西区`): flagged, not silently merged (still scored). A
/// document whose units' names give no place, or not the level that would tell, is not flagged.
pub(crate) fn other_jurisdiction_document(
    doc_index: usize,
    doc: &DocumentRecords,
    jurisdiction: &jixiao_core::Locality,
) -> Option<Finding> {
    let (place, n) = jixiao_core::document_locality(&doc.records)?;
    if jurisdiction.contains(&place) != jixiao_core::Jurisdiction::Other {
        return None;
    }
    document_warning(
        doc_index,
        doc,
        |r| jixiao_core::Locality::of_record(r).as_ref() == Some(&place),
        "document-other-jurisdiction",
        format!(
            "本文件{n}张表的填报单位属于{}，不在本次审核的{}范围内，请核实是否应纳入本次审核（已照常评分）",
            place.name(),
            jurisdiction.name()
        ),
    )
}

/// A document's project records against its budget tables' 项目支出 total. A difference within the
/// rounding of the records (0.005 万元 each, at least 0.01) is reported as a rounding difference
/// (info), anything larger as a mismatch (warning).
pub(crate) fn reconcile_document(doc_index: usize, doc: &DocumentRecords) -> Option<Finding> {
    let stated = doc.facts.project_expenditure_total.as_ref()?;
    let projects: Vec<&Record> = doc
        .records
        .iter()
        .filter(|r| r.kind == RecordKind::Project)
        .collect();
    let sum: f64 = projects.iter().filter_map(|r| r.funds.total).sum();
    let diff = round2(sum - stated.value);
    if diff.abs() < 1e-9 {
        return None;
    }
    let rounding = (0.005 * projects.len() as f64).max(0.01) + 1e-9;
    let (code, severity, what) = if diff.abs() <= rounding {
        ("project-total-rounding", Severity::Info, "属于四舍五入差异")
    } else {
        (
            "project-total-mismatch",
            Severity::Warning,
            "请核对是否有项目未编制绩效目标",
        )
    };
    Some(Finding {
        code: code.into(),
        severity,
        message: format!(
            "{}：{}个项目绩效目标表资金合计{:.2}万元，预算表项目支出{:.2}万元，相差{:.2}万元，{}",
            doc.file,
            projects.len(),
            round2(sum),
            stated.value,
            diff,
            what
        ),
        records: vec![RecordRef {
            document: doc_index,
            record: 0,
            file: doc.file.clone(),
            lines: [stated.line, stated.line],
        }],
        line: Some(stated.line),
        text: Some(format!("{:.2}", stated.value)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testkit::*;
    use jixiao_core::{DocumentFacts, Layout, Sourced};

    fn rref(k: usize) -> RecordRef {
        RecordRef {
            document: 0,
            record: k,
            file: "f".into(),
            lines: [1, 2],
        }
    }

    #[test]
    fn copies_counted_per_project() {
        let i = ind(Level2::Social, "社会效益", "促进发展", words());
        let doc = DocumentRecords {
            file: "f".into(),
            layout: Layout::Tabbed,
            encoding: "utf-8".into(),
            facts: DocumentFacts::default(),
            records: (0..5).map(|_| record(vec![i.clone(), i.clone()])).collect(),
            diagnostics: vec![],
        };
        let mut table = RecordTable::default();
        assert_eq!(table.add_document(&doc), 0);
        let pairs: Vec<(u32, &Record)> = doc
            .records
            .iter()
            .enumerate()
            .map(|(k, r)| (k as u32, r))
            .collect();
        let cfg = FindingsConfig::default();
        let copied = |pairs: &[(u32, &Record)]| {
            let mut tally = CopyTally::default();
            tally.add(pairs, &cfg);
            let found = tally.finish(&cfg);
            (0..found.len())
                .filter_map(|i| found.finding(i, &table))
                .collect::<Vec<_>>()
        };
        let f = copied(&pairs);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].records.len(), 5);
        let last = &f[0].records[4];
        assert_eq!(
            (last.document, last.record, last.file.as_str()),
            (0, 4, "f")
        );
        assert_eq!(last.lines, doc.records[4].lines);
        // Added in two batches, counted as one corpus.
        let mut tally = CopyTally::default();
        tally.add(&pairs[..2], &cfg);
        tally.add(&pairs[2..], &cfg);
        let found = tally.finish(&cfg);
        assert_eq!(found.finding(0, &table).as_ref(), f.first());
        assert!(copied(&pairs[..4]).is_empty());
    }

    #[test]
    fn long_wordings_of_copies_are_quoted_whole() {
        let cfg = FindingsConfig::default();
        let long = "促进辖区经济社会发展".repeat(30_000);
        // Unique indicators fill several blocks between the copies of one indicator (in five
        // projects: the default minimum).
        let mut recs: Vec<Record> = (0..7)
            .map(|k| {
                record(vec![ind(
                    Level2::Social,
                    "社会效益",
                    &format!("{long}{k}"),
                    words(),
                )])
            })
            .collect();
        let copy = ind(Level2::Social, "社会效益", &format!("{long}副本"), words());
        for r in recs.iter_mut().skip(2) {
            r.indicators.push(copy.clone());
        }
        let pairs: Vec<(u32, &Record)> = recs
            .iter()
            .enumerate()
            .map(|(k, r)| (k as u32, r))
            .collect();
        let mut tally = CopyTally::default();
        tally.add(&pairs, &cfg);
        let found = tally.finish(&cfg);
        assert_eq!(found.len(), 1);
        let (quote, records) = &found.copies[0];
        assert_eq!(quote.value, copy.value);
        assert_eq!(quote.name, "社会效益");
        assert_eq!(records, &[2, 3, 4, 5, 6]);
    }

    #[test]
    fn benefit_copies() {
        let rec = record(vec![
            ind(
                Level2::Social,
                "安全管理良好运行",
                "综合利用种植苗圃、打造生态恢复示范景观观点，满足民众需求",
                words(),
            ),
            ind(
                Level2::Ecological,
                "安全管理良好运行",
                "综合利用种植苗圃、打造生态恢复示范景观观点，满足民众需求.",
                words(),
            ),
            ind(Level2::Economic, "节约土地", "带来经济收入", words()),
            // The same name with another value, and a short answer repeated: not copies.
            ind(
                Level2::Economic,
                "安全管理良好运行",
                "年增收10万元",
                words(),
            ),
            ind(Level2::Sustainable, "长效机制", "无", words()),
            ind(Level2::Economic, "收益", "无", words()),
        ]);
        let f = copied_across_benefits(&rref(0), &rec, &FindingsConfig::default());
        assert_eq!(
            f.len(),
            1,
            "name and value groups of the same rows report once: {f:?}"
        );
        assert!(
            f[0].message.contains("社会效益指标、生态效益指标"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn reconciliation_rounding_vs_mismatch() {
        // 004: the projects add up to 12692.07, the budget table says 12692.08.
        let mut a = record(vec![]);
        a.funds.total = Some(12000.0);
        let mut b = record(vec![]);
        b.funds.total = Some(692.07);
        let mut doc = DocumentRecords {
            file: "004.txt".into(),
            layout: Layout::Tabbed,
            encoding: "utf-8".into(),
            facts: DocumentFacts {
                project_expenditure_total: Some(Sourced {
                    value: 12692.08,
                    line: 650,
                }),
                ..DocumentFacts::default()
            },
            records: vec![a, b],
            diagnostics: vec![],
        };
        let f = reconcile_document(0, &doc).unwrap();
        assert_eq!(
            (f.code.as_str(), f.severity),
            ("project-total-rounding", Severity::Info)
        );
        assert!(f.message.contains("-0.01"), "{}", f.message);
        doc.facts.project_expenditure_total = Some(Sourced {
            value: 13000.0,
            line: 650,
        });
        assert_eq!(
            reconcile_document(0, &doc).unwrap().code,
            "project-total-mismatch"
        );
        doc.facts.project_expenditure_total = Some(Sourced {
            value: 12692.07,
            line: 650,
        });
        assert!(reconcile_document(0, &doc).is_none());
    }
}
