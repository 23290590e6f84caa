//! One department, one name. Tables of one document write the same department several ways —
//! `中国共产党攀枝花市西区委员会办公室` and `中共攀枝花市西区区委办公室`, `（` and `(` — and the
//! packet would count (and file) it twice. Every record's department is compared by a key that
//! undoes the usual party-organ abbreviations and width and spacing differences, and all records of
//! one key take the spelling most of them use (ties: the fuller, then the first in order).

use std::collections::BTreeMap;

use jixiao_core::RecordScore;

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

/// Gives every record of one department key the spelling most of them use.
pub(crate) fn unify(records: &mut [RecordScore]) {
    let mut spellings: BTreeMap<String, Vec<(String, usize)>> = BTreeMap::new();
    for r in records.iter() {
        let variants = spellings.entry(department_key(&r.department)).or_default();
        match variants.iter_mut().find(|(name, _)| *name == r.department) {
            Some((_, count)) => *count += 1,
            None => variants.push((r.department.clone(), 1)),
        }
    }
    let chosen: BTreeMap<String, String> = spellings
        .into_iter()
        .filter(|(_, variants)| variants.len() > 1)
        .filter_map(|(key, variants)| {
            // Most records first; then the fuller name; `max_by` keeps the last of equals, so the
            // list is walked in reverse to keep the first in order.
            let best = variants
                .iter()
                .rev()
                .max_by(|a, b| {
                    a.1.cmp(&b.1)
                        .then(a.0.chars().count().cmp(&b.0.chars().count()))
                })?
                .0
                .clone();
            Some((key, best))
        })
        .collect();
    if chosen.is_empty() {
        return;
    }
    for r in records.iter_mut() {
        if let Some(name) = chosen.get(&department_key(&r.department)) {
            r.department = name.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
