//! The label dictionary: which cell texts are labels (field names, 一级/二级 categories, funds rows,
//! column titles) and what they mean. Built from `labels.toml` plus `[normalize.labels]`.
//!
//! Matching works on a folded key (see [`crate::text::fold_label`]) so spacing, width and bracket variants
//! need no entries of their own. A label may carry its value in the same cell (`年度资金总额: 854万`,
//! `年度资金总额(含本级) 50万元`): [`LabelDictionary::field`] returns that remainder.

use std::collections::BTreeMap;

use jixiao_config::LabelsConfig;
use jixiao_core::{Level1, Level2};

use crate::text::{fold_char, fold_label};

const BUILTIN: &str = include_str!("labels.toml");

/// A header field or structural label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    Name,
    Code,
    Unit,
    Supervisor,
    Goal,
    FundsUse,
    SpendingPlan,
    /// `attribute:<canonical>`: kept in `Record::attributes` under the canonical name.
    Attribute(String),
    FundsBlock,
    /// `年度主要任务`: a 部门整体 grid of tasks (任务名称 / 主要内容 / 预算金额).
    TasksBlock,
    IndicatorsBlock,
    Column(Column),
}

/// Column titles of the indicator block (and the funds grid).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Column {
    Level1,
    Level2,
    Name,
    Value,
    Description,
    Basis,
    Comparator,
    Unit,
    Weight,
    /// A long-term (实施期) target beside the annual 指标值: not the record's value.
    LongTermValue,
    /// Only self-evaluation / score sheets have it.
    Actual,
    /// A funds-grid column title (`2024年预算申请数（万元）`), never an amount.
    Funds,
}

/// What a funds row holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FundsRole {
    Total,
    Fiscal,
    Other,
    Item,
}

/// A label found at the start of a cell, with the cell's remaining text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelMatch<T> {
    pub label: T,
    /// Text after the label, its qualifier `(含本级)` and separator; empty for a bare label.
    pub rest: String,
}

/// Why the label dictionary could not be built.
#[derive(Debug, thiserror::Error)]
pub enum DictionaryError {
    /// The built-in `labels.toml` does not parse (the parser's message); a build defect.
    #[error("label dictionary: {0}")]
    Parse(String),
    /// A canonical key the dictionary does not know, e.g. a misspelt one in `[normalize.labels]`.
    #[error("label dictionary: unknown key `{key}` in [{section}]")]
    UnknownKey {
        /// The labels section it is in: `fields`, `level1`, `level2`, `titles` or `funds`.
        section: &'static str,
        /// The key as written.
        key: String,
    },
}

/// Words of titles and form lines (`[titles]` of labels.toml), folded.
#[derive(Debug, Clone, Default)]
pub struct TitleWords {
    /// A line ending in 表 with one of these is a target-table title …
    pub target: Vec<String>,
    /// … unless it has one of these (self-evaluation and score sheets).
    pub not_target: Vec<String>,
    /// A target title with one of these is a department-overall table.
    pub department: Vec<String>,
    /// Ends of a numbered title that are not part of the project name, longest first.
    pub name_suffixes: Vec<String>,
    /// Signature labels under a form.
    pub footer: Vec<String>,
    /// Endings of a form's approval lines.
    pub approval: Vec<String>,
    /// The frame of a web page (`扫一扫在手机打开当前页`).
    pub page_chrome: Vec<String>,
}

/// The compiled dictionary. Synonyms are kept longest first so `财政拨款小计` wins over `财政拨款`.
#[derive(Debug, Clone, Default)]
pub struct LabelDictionary {
    fields: Vec<(String, Field)>,
    level1: LevelMap<Level1>,
    level2: LevelMap<Level2>,
    funds: Vec<(String, FundsRole)>,
    /// Lookups into `fields` and `funds` by folded text (built once, after sorting).
    field_index: SynonymIndex,
    funds_index: SynonymIndex,
    /// The labels fused cells are split at ([`LabelDictionary::anchors`]).
    anchor_labels: crate::anchor_labels::AnchorLabels,
    /// Title and form-line words.
    pub titles: TitleWords,
}

/// 一级 or 二级 labels by folded text: looked up by hash (a cell at a time), listed in key order
/// (`level_prefix` takes the last longest in that order).
#[derive(Debug, Clone)]
struct LevelMap<T> {
    sorted: BTreeMap<String, T>,
    index: rustc_hash::FxHashMap<String, T>,
    /// The characters keys start with (see [`SynonymIndex::may_start`]).
    starts: rustc_hash::FxHashSet<char>,
}

impl<T> Default for LevelMap<T> {
    fn default() -> Self {
        LevelMap {
            sorted: BTreeMap::new(),
            index: rustc_hash::FxHashMap::default(),
            starts: rustc_hash::FxHashSet::default(),
        }
    }
}

impl<T: Copy> LevelMap<T> {
    fn insert(&mut self, key: String, level: T) {
        self.starts.extend(key.chars().next());
        self.index.insert(key.clone(), level);
        self.sorted.insert(key, level);
    }

    fn get(&self, key: &str) -> Option<&T> {
        self.index.get(key)
    }

    /// The level `raw` names, whole or with a qualifier in brackets.
    fn of(&self, raw: &str) -> Option<T> {
        if !first_folded(raw).is_some_and(|c| self.starts.contains(&c)) {
            return None;
        }
        let folded = fold_label(raw);
        self.get(&folded)
            .or_else(|| self.get(strip_qualifier(&folded)))
            .copied()
    }

    fn keys(&self) -> impl Iterator<Item = &String> {
        self.sorted.keys()
    }
}

/// Synonyms by their folded text (the first of equal texts wins, as in the sorted list) and the
/// longest synonym's length: a cell is matched with a hash lookup per prefix length instead of a scan
/// over every synonym (the scan was a fifth of the normaliser's time on a province's corpus). Fx
/// hashing: the keys are our own dictionary's, and SipHash was 6 % of normalising.
#[derive(Debug, Clone, Default)]
struct SynonymIndex {
    first: rustc_hash::FxHashMap<String, usize>,
    max_chars: usize,
    /// The characters synonyms start with: most cells (values, names) start with none of them and
    /// are done with one lookup.
    starts: rustc_hash::FxHashSet<char>,
}

impl SynonymIndex {
    fn build<T>(list: &[(String, T)]) -> SynonymIndex {
        let mut index = SynonymIndex::default();
        for (i, (syn, _)) in list.iter().enumerate() {
            index.first.entry(syn.clone()).or_insert(i);
            index.max_chars = index.max_chars.max(syn.chars().count());
            index.starts.extend(syn.chars().next());
        }
        index
    }

    fn exact(&self, key: &str) -> Option<usize> {
        self.first.get(key).copied()
    }

    /// Whether a cell whose folded text starts with `c` can match a synonym at all, whole or by
    /// a prefix: told before folding the whole cell, which most cells (values, names) fail.
    fn may_start(&self, c: char) -> bool {
        self.starts.contains(&c)
    }

    /// Positions of the synonyms that `folded` starts with, longest first, of at least `min_chars`.
    fn prefixes<'a>(
        &'a self,
        folded: &'a str,
        min_chars: usize,
    ) -> impl Iterator<Item = usize> + 'a {
        let starts = folded
            .chars()
            .next()
            .is_some_and(|c| self.starts.contains(&c));
        let ends: Vec<usize> = folded
            .char_indices()
            .map(|(i, c)| i + c.len_utf8())
            .take(if starts { self.max_chars } else { 0 })
            .collect();
        let skip = min_chars.saturating_sub(1);
        ends.into_iter()
            .skip(skip)
            .rev()
            .filter_map(move |end| self.exact(&folded[..end]))
    }
}

impl LabelDictionary {
    /// The built-in dictionary extended by a pipeline's `[normalize.labels]`.
    pub fn new(extra: &LabelsConfig) -> Result<Self, DictionaryError> {
        let builtin: LabelsConfig =
            toml::from_str(BUILTIN).map_err(|e| DictionaryError::Parse(e.to_string()))?;
        let mut dict = LabelDictionary::default();
        dict.extend(&builtin)?;
        dict.extend(extra)?;
        dict.fields.sort_by(|a, b| {
            b.0.chars()
                .count()
                .cmp(&a.0.chars().count())
                .then(a.0.cmp(&b.0))
        });
        dict.titles
            .name_suffixes
            .sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
        dict.funds.sort_by(|a, b| {
            b.0.chars()
                .count()
                .cmp(&a.0.chars().count())
                .then(a.0.cmp(&b.0))
        });
        dict.field_index = SynonymIndex::build(&dict.fields);
        dict.funds_index = SynonymIndex::build(&dict.funds);
        let anchor_labels = dict
            .fields
            .iter()
            .filter(|(_, f)| !matches!(f, Field::Column(_)))
            .map(|(s, _)| s.clone())
            .chain(dict.funds.iter().map(|(s, _)| s.clone()))
            .filter(|s| s.chars().count() >= 4 && !s.contains(['(', ':']))
            .collect();
        dict.anchor_labels = crate::anchor_labels::AnchorLabels::new(anchor_labels);
        Ok(dict)
    }

    fn extend(&mut self, labels: &LabelsConfig) -> Result<(), DictionaryError> {
        for (key, synonyms) in &labels.fields {
            let field = parse_field_key(key).ok_or_else(|| DictionaryError::UnknownKey {
                section: "fields",
                key: key.clone(),
            })?;
            for s in synonyms {
                self.fields.push((fold_label(s), field.clone()));
            }
        }
        for (key, synonyms) in &labels.level1 {
            let level = Level1::parse(key).ok_or_else(|| DictionaryError::UnknownKey {
                section: "level1",
                key: key.clone(),
            })?;
            for s in synonyms.iter().chain(std::iter::once(key)) {
                self.level1.insert(fold_label(s), level);
            }
        }
        for (key, synonyms) in &labels.level2 {
            let level = Level2::parse(key).ok_or_else(|| DictionaryError::UnknownKey {
                section: "level2",
                key: key.clone(),
            })?;
            for s in synonyms.iter().chain(std::iter::once(key)) {
                self.level2.insert(fold_label(s), level);
            }
        }
        for (key, words) in &labels.titles {
            let list = match key.as_str() {
                "target" => &mut self.titles.target,
                "not_target" => &mut self.titles.not_target,
                "department" => &mut self.titles.department,
                "name_suffixes" => &mut self.titles.name_suffixes,
                "footer" => &mut self.titles.footer,
                "approval" => &mut self.titles.approval,
                "page_chrome" => &mut self.titles.page_chrome,
                _ => {
                    return Err(DictionaryError::UnknownKey {
                        section: "titles",
                        key: key.clone(),
                    });
                }
            };
            // A frame word may end in a colon that is part of it: `主办：` (a site's footer, `主办：某县
            // 人民政府`) is not `主办` (`承办省市老领导调研绩效目标表` names a project).
            let keeps_colon = key == "page_chrome";
            list.extend(words.iter().map(|w| {
                let mut folded = fold_label(w);
                if keeps_colon && w.trim_end().ends_with([':', '：']) {
                    folded.push(':');
                }
                folded
            }));
        }
        for (key, synonyms) in &labels.funds {
            let role = match key.as_str() {
                "total" => FundsRole::Total,
                "fiscal" => FundsRole::Fiscal,
                "other" => FundsRole::Other,
                "items" => FundsRole::Item,
                _ => {
                    return Err(DictionaryError::UnknownKey {
                        section: "funds",
                        key: key.clone(),
                    });
                }
            };
            for s in synonyms {
                self.funds.push((fold_label(s), role));
            }
        }
        Ok(())
    }

    /// The header field or structural label a cell starts with.
    pub fn field(&self, raw: &str) -> Option<LabelMatch<Field>> {
        // A year in front of a column title is not part of it: `2024年预算申请数（万元）`.
        let raw = strip_year(raw);
        if !first_folded(raw).is_some_and(|c| self.field_index.may_start(c)) {
            return None;
        }
        let folded = fold_label(raw);
        if folded.is_empty() {
            return None;
        }
        // A bare label (possibly with a qualifier in brackets) first: `项目资金 (万元)`.
        let bare = strip_qualifier(&folded);
        let index = &self.field_index;
        if let Some(i) = index.exact(&folded).or_else(|| index.exact(bare)) {
            return Some(LabelMatch {
                label: self.fields[i].1.clone(),
                rest: String::new(),
            });
        }
        // Short synonyms (`项目`, `目标`, `部门`) begin too many ordinary texts (`项目(工程)验收合格率`):
        // they only ever match a whole cell. The folded cell starts with the synonym whenever the raw
        // cell does.
        index.prefixes(&folded, 3).find_map(|i| {
            let (syn, f) = &self.fields[i];
            split_label(raw, syn).map(|rest| LabelMatch {
                label: f.clone(),
                rest,
            })
        })
    }

    /// The canonical 一级 a cell names (whole-cell match only: `项目完成率` is not `项目完成`).
    pub fn level1(&self, raw: &str) -> Option<Level1> {
        self.level1.of(raw)
    }

    /// The canonical 二级 a cell names (whole-cell match only).
    pub fn level2(&self, raw: &str) -> Option<Level2> {
        self.level2.of(raw)
    }

    /// Header labels of four characters or more (fields other than column titles, and funds rows) that
    /// occur in `text`, as (byte start, byte end), longest first at a position, never overlapping; none
    /// when the text does not start with a label. Used to split cells a copy fused without any
    /// separator (`项目名称某工程主管部门某局`).
    pub fn anchors(&self, text: &str) -> Vec<(usize, usize)> {
        // A fused cell starts with a label: most cells do not, and are done with a few lookups.
        let at_start = |index: &SynonymIndex| index.prefixes(text, 4).next().is_some();
        if !at_start(&self.field_index) && !at_start(&self.funds_index) {
            return Vec::new();
        }
        let mut found: Vec<(usize, usize)> = self
            .anchor_labels
            .occurrences(text)
            .into_iter()
            .map(|(_, start, end)| (start, end))
            .collect();
        found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut out: Vec<(usize, usize)> = Vec::new();
        for (start, end) in found {
            if out.last().is_none_or(|(_, e)| start >= *e) {
                out.push((start, end));
            }
        }
        out
    }

    /// The longest 一级 or 二级 label `text` starts with, glued to more text: (is 一级, its byte length).
    pub fn level_prefix(&self, text: &str) -> Option<(bool, usize)> {
        // Most texts start with no label's first character.
        let first = text.chars().next()?;
        if !self.level1.starts.contains(&first) && !self.level2.starts.contains(&first) {
            return None;
        }
        let l1 = self.level1.keys().map(|k| (true, k));
        let l2 = self.level2.keys().map(|k| (false, k));
        l1.chain(l2)
            .filter(|(_, k)| k.chars().count() >= 2 && text.starts_with(k.as_str()))
            .max_by_key(|(_, k)| k.len())
            .map(|(is1, k)| (is1, k.len()))
            .filter(|(_, len)| *len < text.len())
    }

    /// The funds role of a funds-row label, with any amount written in the same cell.
    ///
    /// Leading `其中：`, `(一)`, `1、` and a year (`2024年本级安排`) are not part of the label.
    pub fn funds(&self, raw: &str) -> Option<LabelMatch<FundsRole>> {
        let stripped = strip_funds_prefix(raw);
        if !first_folded(stripped).is_some_and(|c| self.funds_index.may_start(c)) {
            return None;
        }
        let folded = fold_label(stripped);
        if folded.is_empty() {
            return None;
        }
        let bare = strip_qualifier(&folded);
        let index = &self.funds_index;
        if let Some(i) = index.exact(&folded).or_else(|| index.exact(bare)) {
            return Some(LabelMatch {
                label: self.funds[i].1,
                rest: String::new(),
            });
        }
        // `年度资金总额(含本级和市县)`, `特定目标类项目经费:` and `年度资金总额: 854万`.
        index.prefixes(&folded, 1).find_map(|i| {
            let (syn, r) = &self.funds[i];
            split_label(stripped, syn).map(|rest| LabelMatch { label: *r, rest })
        })
    }
}

fn parse_field_key(key: &str) -> Option<Field> {
    Some(match key {
        "name" => Field::Name,
        "code" => Field::Code,
        "unit" => Field::Unit,
        "supervisor" => Field::Supervisor,
        "goal" => Field::Goal,
        "funds_use" => Field::FundsUse,
        "spending_plan" => Field::SpendingPlan,
        "funds_block" => Field::FundsBlock,
        "tasks_block" => Field::TasksBlock,
        "indicators_block" => Field::IndicatorsBlock,
        "column:level1" => Field::Column(Column::Level1),
        "column:level2" => Field::Column(Column::Level2),
        "column:name" => Field::Column(Column::Name),
        "column:value" => Field::Column(Column::Value),
        "column:description" => Field::Column(Column::Description),
        "column:basis" => Field::Column(Column::Basis),
        "column:comparator" => Field::Column(Column::Comparator),
        "column:unit" => Field::Column(Column::Unit),
        "column:weight" => Field::Column(Column::Weight),
        "column:long_term_value" => Field::Column(Column::LongTermValue),
        "column:actual" => Field::Column(Column::Actual),
        "column:funds" => Field::Column(Column::Funds),
        _ => {
            let name = key.strip_prefix("attribute:")?;
            if name.is_empty() {
                return None;
            }
            Field::Attribute(name.to_string())
        }
    })
}

/// `项目资金(万元)` → `项目资金`: a trailing bracketed qualifier of a folded label.
/// The first character of `fold_label(raw)` (a key ending in `:` aside), found without folding
/// the rest.
fn first_folded(raw: &str) -> Option<char> {
    raw.chars().find_map(fold_char)
}

fn strip_qualifier(folded: &str) -> &str {
    if folded.ends_with(')')
        && let Some(open) = folded.rfind('(')
        && open > 0
    {
        return &folded[..open];
    }
    folded
}

/// Drops `其中：`, `（一）`, `1、`, `一、` and a leading year from a funds label.
fn strip_funds_prefix(raw: &str) -> &str {
    let mut s = raw.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
    loop {
        let before = s;
        for p in ["其中：", "其中:", "其中", "含：", "含:"] {
            if let Some(r) = s.strip_prefix(p) {
                s = r.trim_start();
            }
        }
        s = strip_enumeration(s);
        // A year in front of the label: `2024年本级安排`, `2023年结转资金`.
        s = strip_year(s);
        if s == before {
            return s;
        }
    }
}

/// Drops a leading `2024年` / `2024年度`.
fn strip_year(s: &str) -> &str {
    let s = s.trim_start();
    let digits = s.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits == 4
        && let Some(r) = s[4..].trim_start().strip_prefix('年')
    {
        return r.strip_prefix('度').unwrap_or(r).trim_start();
    }
    s
}

/// Drops one enumeration marker: `(一)`, `（二）`, `1、`, `2.`, `一、`, `(3)`.
pub(crate) fn strip_enumeration(s: &str) -> &str {
    let t = s.trim_start();
    let is_num = |c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c);
    if let Some(r) = t.strip_prefix('(').or_else(|| t.strip_prefix('（')) {
        let n = r.chars().take_while(|c| is_num(*c)).count();
        if n > 0 {
            let after: String = r.chars().skip(n).take(1).collect();
            if after == ")" || after == "）" {
                let bytes: usize = r.chars().take(n + 1).map(char::len_utf8).sum();
                return r[bytes..].trim_start();
            }
        }
        return t;
    }
    let n = t.chars().take_while(|c| is_num(*c)).count();
    if n > 0 && n <= 3 {
        let num_bytes: usize = t.chars().take(n).map(char::len_utf8).sum();
        let r = &t[num_bytes..];
        for sep in ['、', '.', '．', ')', '）'] {
            if let Some(rest) = r.strip_prefix(sep) {
                // `2.5万元` is a number, not an enumeration.
                if sep == '.' && rest.starts_with(|c: char| c.is_ascii_digit()) {
                    return t;
                }
                return rest.trim_start();
            }
        }
    }
    t
}

/// When `raw` starts with the folded synonym `syn` followed by a separator (`:`, whitespace, or a
/// bracketed qualifier), returns the text after it. `项目完成率` does not start with the label `项目完成`
/// in this sense, `年度资金总额(含本级) 50万元` does start with `年度资金总额`.
pub(crate) fn split_label(raw: &str, syn: &str) -> Option<String> {
    let mut want = syn.chars().peekable();
    let mut end = 0;
    for (i, c) in raw.char_indices() {
        if want.peek().is_none() {
            end = i;
            break;
        }
        match fold_char(c) {
            None => continue,
            Some(f) if Some(&f) == want.peek() => {
                want.next();
                end = i + c.len_utf8();
            }
            Some(_) => return None,
        }
    }
    if want.peek().is_some() {
        return None;
    }
    let mut rest = &raw[end..];
    let mut separated = false;
    // A stray closing bracket right after the label: `项目名称]邯财教[2022]98号…`.
    if let Some(r) = rest.strip_prefix([']', '】']) {
        rest = r;
        separated = true;
    }
    let trimmed = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
    if trimmed.len() != rest.len() {
        separated = true;
        rest = trimmed;
    }
    if let Some(r) = rest.strip_prefix('(').or_else(|| rest.strip_prefix('（')) {
        // A qualifier cut off by the page edge (`指标值（包含数字及文字`) runs to the end of the cell.
        rest = match r.find([')', '）']) {
            Some(close) => &r[close + r[close..].chars().next().map_or(1, char::len_utf8)..],
            None => "",
        };
        separated = true;
    }
    let trimmed = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
    if let Some(r) = trimmed
        .strip_prefix(':')
        .or_else(|| trimmed.strip_prefix('：'))
    {
        rest = r;
        separated = true;
    } else if trimmed.len() != rest.len() {
        rest = trimmed;
        separated = true;
    }
    let rest = rest.trim();
    if rest.is_empty() || separated {
        Some(rest.to_string())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dict() -> LabelDictionary {
        LabelDictionary::new(&LabelsConfig::default()).expect("builtin dictionary parses")
    }

    #[test]
    fn the_config_accepts_exactly_the_keys_the_dictionary_knows() {
        for key in jixiao_config::FIELD_KEYS {
            assert!(parse_field_key(key).is_some(), "{key}");
        }
        for key in jixiao_config::TITLE_KEYS {
            let mut extra = LabelsConfig::default();
            extra.titles.insert(key.to_string(), vec!["某某表".into()]);
            assert!(LabelDictionary::new(&extra).is_ok(), "{key}");
        }
    }

    #[test]
    fn fields_match_through_spacing_width_and_colons() {
        let d = dict();
        assert_eq!(d.field("项目名称").map(|m| m.label), Some(Field::Name));
        assert_eq!(d.field("项目名称：").map(|m| m.label), Some(Field::Name));
        assert_eq!(d.field("部门（单位）").map(|m| m.label), Some(Field::Unit));
        assert_eq!(
            d.field("项目资金 (万元)").map(|m| m.label),
            Some(Field::FundsBlock)
        );
        assert_eq!(
            d.field("总\n体\n目\n标").map(|m| m.label),
            Some(Field::Goal)
        );
        assert_eq!(
            d.field("绩效 指标").map(|m| m.label),
            Some(Field::IndicatorsBlock)
        );
        assert_eq!(d.field("项目完成率"), None);
        assert_eq!(d.field("项目(工程)验收合格率"), None);
        assert_eq!(d.field("项目").map(|m| m.label), Some(Field::Name));
        assert_eq!(d.field("人大业务经费"), None);
    }

    #[test]
    fn inline_values_are_split_off() {
        let d = dict();
        let m = d
            .field("年度总体绩效目标(含本级和市县) 目标:逐步改善")
            .expect("goal label");
        assert_eq!(m.label, Field::Goal);
        assert_eq!(m.rest, "目标:逐步改善");
        let m = d.field("绩效目标：负责区直房地产管理").expect("goal label");
        assert_eq!(m.rest, "负责区直房地产管理");
        let m = d
            .field("指标值（包含数字及文字描述）")
            .expect("value column");
        assert_eq!(m.label, Field::Column(Column::Value));
        assert_eq!(m.rest, "");
    }

    #[test]
    fn levels_match_whole_cells_only() {
        let d = dict();
        assert_eq!(d.level1("项目完成"), Some(Level1::Output));
        assert_eq!(d.level1("满意 度指 标"), Some(Level1::Satisfaction));
        assert_eq!(d.level2("可持续影 响指标"), Some(Level2::Sustainable));
        assert_eq!(
            d.level2("服务对 象满 意度 指 标"),
            Some(Level2::Satisfaction)
        );
        assert_eq!(d.level2("社会效益\n指标"), Some(Level2::Social));
        assert_eq!(d.level2("社会效益指标完成率"), None);
        assert_eq!(d.level1("数量指标"), None);
    }

    #[test]
    fn funds_labels_ignore_enumeration_year_and_qizhong() {
        let d = dict();
        let role = |s: &str| d.funds(s).map(|m| m.label);
        assert_eq!(role("合计"), Some(FundsRole::Total));
        assert_eq!(role("年度资金总额："), Some(FundsRole::Total));
        assert_eq!(role("其中：财政拨款"), Some(FundsRole::Fiscal));
        assert_eq!(role("   (一)财政拨款小计"), Some(FundsRole::Fiscal));
        assert_eq!(role("其中：2024年上级补助"), Some(FundsRole::Item));
        assert_eq!(role("2023年结转资金"), Some(FundsRole::Item));
        assert_eq!(role("非财政拨款"), Some(FundsRole::Other));
        assert_eq!(role("     其中：人员类项目支出:"), Some(FundsRole::Item));
        assert_eq!(role("年度资金总额(含本级和市县)"), Some(FundsRole::Total));
        let m = d.funds("年度资金总额(含本级) 50万元").expect("total");
        assert_eq!((m.label, m.rest.as_str()), (FundsRole::Total, "50万元"));
        assert_eq!(role("用于各办公区电力供应。"), None);
    }

    #[test]
    fn enumeration_markers() {
        assert_eq!(strip_enumeration("(一)财政拨款"), "财政拨款");
        assert_eq!(strip_enumeration("1、一般公共预算"), "一般公共预算");
        assert_eq!(strip_enumeration("2.5万元"), "2.5万元");
        assert_eq!(strip_enumeration("十二、其他"), "其他");
    }

    #[test]
    fn unknown_extension_keys_are_rejected() {
        let mut extra = LabelsConfig::default();
        extra.level1.insert("产出".into(), vec!["x".into()]);
        assert!(LabelDictionary::new(&extra).is_err());
    }
}
