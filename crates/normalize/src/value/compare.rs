//! Comparators: the words and signs that say how a target number is to be read.

use jixiao_core::Comparator::{self, Eq, Ge, Gt, Le, Lt};

/// Comparator words and signs written before a number. `weak` ones (达到, 控制在) only say "the target
/// is", so a suffix such as 以内/以上 after the number decides when there is one; `adjacent` ones must
/// touch the number (达 in 达标率 is not a comparator).
struct Prefix {
    written: &'static str,
    cmp: Comparator,
    weak: bool,
    adjacent: bool,
}

const fn p(written: &'static str, cmp: Comparator) -> Prefix {
    Prefix {
        written,
        cmp,
        weak: false,
        adjacent: false,
    }
}

const PREFIXES: &[Prefix] = &[
    p("≥", Ge),
    p(">=", Ge),
    p("=>", Ge),
    p("≮", Ge),
    p("不低于", Ge),
    p("不少于", Ge),
    p("不小于", Ge),
    p("不得低于", Ge),
    p("不得少于", Ge),
    p("不得小于", Ge),
    p("大于等于", Ge),
    p("大于或等于", Ge),
    p("高于或等于", Ge),
    p("至少", Ge),
    p("最少", Ge),
    p("最低", Ge),
    Prefix {
        written: "达到",
        cmp: Ge,
        weak: true,
        adjacent: false,
    },
    Prefix {
        written: "达",
        cmp: Ge,
        weak: true,
        adjacent: true,
    },
    p("≤", Le),
    p("<=", Le),
    p("=<", Le),
    p("≯", Le),
    p("不超过", Le),
    p("不高于", Le),
    p("不大于", Le),
    p("不多于", Le),
    p("不得超过", Le),
    p("不得高于", Le),
    p("不得多于", Le),
    p("小于等于", Le),
    p("小于或等于", Le),
    p("低于或等于", Le),
    p("最多", Le),
    p("至多", Le),
    p("最高", Le),
    Prefix {
        written: "控制在",
        cmp: Le,
        weak: true,
        adjacent: false,
    },
    p("=", Eq),
    p("等于", Eq),
    p(">", Gt),
    p("大于", Gt),
    p("高于", Gt),
    p("超过", Gt),
    p("多于", Gt),
    p("<", Lt),
    p("小于", Lt),
    p("低于", Lt),
    p("少于", Lt),
    p("不足", Lt),
];

/// Words written after a number (and its unit).
const SUFFIXES: &[(&str, Comparator)] = &[
    ("以上", Ge),
    ("及以上", Ge),
    ("或以上", Ge),
    ("之上", Ge),
    ("以下", Le),
    ("及以下", Le),
    ("或以下", Le),
    ("以内", Le),
    ("之内", Le),
];

/// Characters that end a clause: a comparator never reaches across them to a number.
pub(crate) fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '，' | ','
            | '。'
            | ';'
            | '；'
            | '、'
            | ':'
            | '：'
            | '!'
            | '！'
            | '?'
            | '？'
            | '('
            | ')'
            | '（'
            | '）'
            | '['
            | ']'
            | '【'
            | '】'
            | '《'
            | '》'
            | '+'
            | '/'
            | '|'
            | '"'
            | '“'
            | '”'
    )
}

fn matches_at(chars: &[char], at: usize, written: &str) -> Option<usize> {
    let mut end = at;
    for w in written.chars() {
        if chars.get(end) != Some(&w) {
            return None;
        }
        end += 1;
    }
    Some(end)
}

/// The comparator written in `chars[from..to]` (the clause before a number): the last one found by a
/// left-to-right longest-match scan, so 大于等于 is not read as 等于. Returns it and whether it is weak.
pub(crate) fn prefix(chars: &[char], from: usize, to: usize) -> Option<(Comparator, bool)> {
    let mut found = None;
    let mut i = from;
    while i < to {
        let best = PREFIXES
            .iter()
            .filter_map(|pre| matches_at(chars, i, pre.written).map(|end| (pre, end)))
            .filter(|(_, end)| *end <= to)
            .max_by_key(|(_, end)| *end);
        match best {
            Some((pre, end)) => {
                let touches = chars
                    .get(end..to)
                    .is_some_and(|gap| gap.iter().all(|c| *c == ' '));
                if !pre.adjacent || touches {
                    found = Some((pre.cmp, pre.weak));
                }
                i = end;
            }
            None => i += 1,
        }
    }
    found
}

/// A comparator suffix at `at` (spaces skipped): the comparator and its end.
pub(crate) fn suffix(chars: &[char], at: usize) -> Option<(Comparator, usize)> {
    let mut i = at;
    while chars.get(i) == Some(&' ') {
        i += 1;
    }
    SUFFIXES
        .iter()
        .filter_map(|(w, cmp)| matches_at(chars, i, w).map(|end| (*cmp, end)))
        .max_by_key(|(_, end)| *end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pre(s: &str) -> Option<Comparator> {
        let chars: Vec<char> = s.chars().collect();
        prefix(&chars, 0, chars.len()).map(|(c, _)| c)
    }

    #[test]
    fn longest_match_reads_compound_words() {
        assert_eq!(pre("大于等于"), Some(Ge));
        assert_eq!(pre("大于或等于"), Some(Ge));
        assert_eq!(pre("不低于"), Some(Ge));
        assert_eq!(pre("小于等于"), Some(Le));
        assert_eq!(pre(">="), Some(Ge));
        assert_eq!(pre("<="), Some(Le));
        assert_eq!(pre("满意度大于"), Some(Gt));
        assert_eq!(pre("不超过"), Some(Le));
    }

    #[test]
    fn adjacent_only_words_need_to_touch() {
        assert_eq!(pre("满意度达 "), Some(Ge));
        assert_eq!(pre("达标率"), None);
    }

    #[test]
    fn suffixes() {
        let chars: Vec<char> = " 及以上".chars().collect();
        assert_eq!(suffix(&chars, 0), Some((Ge, 4)));
        let chars: Vec<char> = "以内".chars().collect();
        assert_eq!(suffix(&chars, 0), Some((Le, 2)));
        let chars: Vec<char> = "左右".chars().collect();
        assert_eq!(suffix(&chars, 0), None);
    }
}
