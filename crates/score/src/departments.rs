//! One department, one name. Tables of one document write the same department several ways —
//! `中国共产党攀枝花市西区委员会办公室` and `中共攀枝花市西区区委办公室`, `（` and `(` — and the
//! packet would count (and file) it twice. Every record's department is compared by a key that
//! undoes the usual party-organ abbreviations and width and spacing differences, and all records of
//! one key take the spelling most of them use (ties: the fuller, then the first in order).
//!
//! Names that differ by more than spelling are never merged on a guess: when one department's name,
//! its place aside, ends another's (`…广播电视和旅游局` and `…文化广播电视和旅游局`), the pair is
//! flagged for the reviewer (`department-similar-names`) and counted as two departments.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jixiao_core::{Finding, Jurisdiction, Locality, RecordRef, RecordScore, Severity};

/// The comparison key of a department name; never printed.
pub(crate) fn department_key(name: &str) -> String {
    let mut key: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            other => other,
        })
        .collect();
    key = key.replace("中国共产党", "中共").replace("委员会", "委");
    // `西区区委` is 西区 + 区委: the same organ as `西区委`.
    for level in ["区", "县", "市", "省"] {
        key = key.replace(&format!("{level}{level}委"), &format!("{level}委"));
    }
    key
}

/// Every department name the score cards of a corpus give, with how many cards give it and the
/// first of them, gathered as the cards are made ([`DepartmentTally::add`]), so that a corpus's
/// cards need not all be in memory to unify the names ([`DepartmentTally::names`]).
#[derive(Default)]
pub(crate) struct DepartmentTally {
    index: rustc_hash::FxHashMap<String, usize>,
    /// In order of first appearance: the name, its count, its first card's record.
    names: Vec<(String, usize, RecordRef)>,
}

impl DepartmentTally {
    /// Counts the next cards of the corpus, in order.
    pub(crate) fn add<'r>(&mut self, records: impl IntoIterator<Item = &'r RecordScore>) {
        for r in records {
            match self.index.get(r.department.as_str()) {
                Some(&i) => self.names[i].1 += 1,
                None => {
                    self.index.insert(r.department.clone(), self.names.len());
                    self.names.push((r.department.clone(), 1, r.record.clone()));
                }
            }
        }
    }

    /// The unified names (every card of one department key takes the spelling most of them use)
    /// and the info findings of names that are alike but not merged (see [`similar_names`]).
    pub(crate) fn finish(self) -> (DepartmentNames, Vec<Finding>) {
        let names = self.unified();
        // Each unified department: its card count and first card (the earliest spelling's).
        let mut departments: BTreeMap<&str, (usize, &RecordRef)> = BTreeMap::new();
        for (name, count, first) in &self.names {
            departments
                .entry(names.of(name))
                .and_modify(|(n, _)| *n += count)
                .or_insert((*count, first));
        }
        let findings = similar_names(&departments);
        (names, findings)
    }

    /// The spelling each key's cards take: most cards first; then the fuller name; then the first
    /// in order.
    fn unified(&self) -> DepartmentNames {
        let mut spellings: BTreeMap<String, Vec<(&str, usize)>> = BTreeMap::new();
        for (name, count, _) in &self.names {
            spellings
                .entry(department_key(name))
                .or_default()
                .push((name, *count));
        }
        let mut renamed = rustc_hash::FxHashMap::default();
        for variants in spellings.into_values().filter(|v| v.len() > 1) {
            // `max_by` keeps the last of equals, so the list is walked in reverse to keep the
            // first in order.
            let best = variants.iter().rev().max_by(|a, b| {
                a.1.cmp(&b.1)
                    .then(a.0.chars().count().cmp(&b.0.chars().count()))
            });
            if let Some((best, _)) = best {
                for (name, _) in &variants {
                    if name != best {
                        renamed.insert(name.to_string(), best.to_string());
                    }
                }
            }
        }
        DepartmentNames { renamed }
    }
}

/// The department names a corpus's score cards are given once every card is counted: a name
/// written another way than most of its department's cards write it is renamed.
#[derive(Debug, Clone, Default)]
pub struct DepartmentNames {
    renamed: rustc_hash::FxHashMap<String, String>,
}

impl DepartmentNames {
    /// The unified name of a department written `name`.
    pub fn of<'n>(&'n self, name: &'n str) -> &'n str {
        self.renamed.get(name).map_or(name, String::as_str)
    }

    /// Gives `card` its department's unified name; whether it changed.
    pub fn apply(&self, card: &mut RecordScore) -> bool {
        match self.renamed.get(&card.department) {
            Some(name) => {
                card.department = name.clone();
                true
            }
            None => false,
        }
    }
}

/// The shortest name (its place aside, in characters) that is compared as the end of another:
/// shorter ones (`财政局`, `档案馆`) end too many names by chance.
const SIMILAR_MIN_CHARS: usize = 5;

/// One info finding per pair of departments whose names, places aside, one ends the other and whose
/// places agree (or one names none), with both departments' first tables.
/// `departments`: each department's table count and first table.
fn similar_names(departments: &BTreeMap<&str, (usize, &RecordRef)>) -> Vec<Finding> {
    // Each department's place and name without the place.
    let parts: BTreeMap<&str, (Option<Locality>, String)> = departments
        .keys()
        .map(|name| (*name, without_place(name)))
        .collect();
    let mut by_rest: HashMap<&str, Vec<&str>> = HashMap::new();
    for (name, (_, rest)) in &parts {
        by_rest.entry(rest.as_str()).or_default().push(name);
    }
    let mut pairs: BTreeSet<(&str, &str)> = BTreeSet::new();
    for (long, (place, rest)) in &parts {
        for (i, _) in rest.char_indices().skip(1) {
            let tail = &rest[i..];
            if tail.chars().count() < SIMILAR_MIN_CHARS {
                break;
            }
            for short in by_rest.get(tail).into_iter().flatten() {
                if places_agree(place.as_ref(), parts[short].0.as_ref()) {
                    pairs.insert((short, long));
                }
            }
        }
    }
    pairs
        .into_iter()
        .map(|(short, long)| {
            let (a, b) = (departments[short], departments[long]);
            Finding {
                code: "department-similar-names".into(),
                severity: Severity::Info,
                message: format!(
                    "“{short}”（{}张表）与“{long}”（{}张表）名称相近，是否为同一单位请核实；本次按两个部门分别统计",
                    a.0, b.0
                ),
                records: vec![a.1.clone(), b.1.clone()],
                line: Some(a.1.lines[0]),
                text: None,
            }
        })
        .collect()
}

/// A department's place and its name with the place taken out (`中共攀枝花市西区委员会办公室` →
/// `中共委员会办公室`, so the organ stays part of what is compared).
fn without_place(name: &str) -> (Option<Locality>, String) {
    let key = department_key(name);
    match Locality::parse(&key) {
        Some(place) => {
            let rest = key.replacen(&place.name(), "", 1);
            (Some(place), rest)
        }
        None => (None, key),
    }
}

/// Two departments' places agree when either names none, or one lies in the other.
fn places_agree(a: Option<&Locality>, b: Option<&Locality>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            a.contains(b) != Jurisdiction::Other && b.contains(a) != Jurisdiction::Other
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_take_the_majority_then_the_fuller_then_the_first() {
        let mut tally = DepartmentTally::default();
        // Counted in two batches: the tally is the corpus's, not a batch's.
        tally.add(&[
            scored("中共攀枝花市西区委员会办公室", 1),
            scored("中共攀枝花市西区区委办公室", 2),
        ]);
        tally.add(&[
            scored("中共攀枝花市西区区委办公室", 3),
            scored("盐边县 财政局", 4),
            scored("盐边县财政局", 5),
        ]);
        let (names, _) = tally.finish();
        assert_eq!(
            names.of("中共攀枝花市西区委员会办公室"),
            "中共攀枝花市西区区委办公室"
        );
        // A tie of counts: the fuller name.
        assert_eq!(names.of("盐边县财政局"), "盐边县 财政局");
        let mut card = scored("中共攀枝花市西区委员会办公室", 1);
        assert!(names.apply(&mut card));
        assert_eq!(card.department, "中共攀枝花市西区区委办公室");
        assert!(!names.apply(&mut card));
        assert_eq!(names.of("民政局"), "民政局");
    }

    #[test]
    fn party_organ_spellings_share_a_key() {
        let same = [
            (
                "中共攀枝花市西区区委党校（攀枝花市西区行政学校）",
                "中共攀枝花市西区委党校(攀枝花市西区行政学校)",
            ),
            ("中共攀枝花市西区区委办公室", "中共攀枝花市西区委员会办公室"),
            (
                "中国共产党攀枝花市西区委员会宣传部",
                "中共攀枝花市西区委宣传部",
            ),
            (
                "中共攀枝花市西区区委政法委员会",
                "中共攀枝花市西区委政法委员会",
            ),
            ("盐边县 财政局", "盐边县财政局"),
        ];
        for (a, b) in same {
            assert_eq!(department_key(a), department_key(b), "{a} / {b}");
        }
        let different = [
            ("中国共产主义青年团攀枝花市西区委员会", "中共攀枝花市西区委"),
            ("攀枝花市西区退役军人事务局", "西区退役军人服务中心"),
            (
                "中国人民政治协商会议攀枝花市西区委员会办公室",
                "中共攀枝花市西区委员会办公室",
            ),
        ];
        for (a, b) in different {
            assert_ne!(department_key(a), department_key(b), "{a} / {b}");
        }
    }

    fn scored(department: &str, line: u32) -> RecordScore {
        RecordScore {
            record: RecordRef {
                document: 0,
                record: line as usize,
                file: "a.txt".into(),
                lines: [line, line + 10],
            },
            kind: jixiao_core::RecordKind::Project,
            name: "项目".into(),
            department: department.into(),
            funds_total: None,
            total: 0.0,
            max_points: 100.0,
            grade: jixiao_core::Grade::Poor,
            checks: Vec::new(),
        }
    }

    #[test]
    fn a_name_that_ends_another_is_flagged_not_merged() {
        let records = [
            scored("攀枝花市西区文化广播电视和旅游局", 10),
            scored("攀枝花市西区广播电视和旅游局", 30),
            scored("攀枝花市西区广播电视和旅游局", 50),
            // Short ends, other places and other organs are not flagged.
            scored("攀枝花市西区财政局", 70),
            scored("攀枝花市西区国库财政局", 90),
            scored("盐边县文化广播电视和旅游局", 110),
            scored("中国人民政治协商会议攀枝花市西区委员会办公室", 130),
            scored("中共攀枝花市西区委员会办公室", 150),
        ];
        let mut tally = DepartmentTally::default();
        tally.add(&records);
        let (names, found) = tally.finish();
        assert_eq!(names.renamed.len(), 0);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].message,
            "“攀枝花市西区广播电视和旅游局”（2张表）与“攀枝花市西区文化广播电视和旅游局”（1张表）名称相近，是否为同一单位请核实；本次按两个部门分别统计"
        );
        assert_eq!(found[0].records[0].lines[0], 30);
        assert_eq!(found[0].records[1].lines[0], 10);
    }
}
