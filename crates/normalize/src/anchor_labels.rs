//! The labels a fused cell is split at (`LabelDictionary::anchors`), found in one pass over the
//! text by an Aho–Corasick automaton instead of one substring search per label (the searches were
//! ≈ 3 % of normalising a province's corpus: every cell that starts with a label was searched for
//! every label of four characters or more).

use aho_corasick::{AhoCorasick, MatchKind};

/// The anchor labels and their automaton (`None` when there are none, or it could not be built:
/// then every label is searched for on its own, as the automaton would find them).
#[derive(Debug, Clone, Default)]
pub(crate) struct AnchorLabels {
    labels: Vec<String>,
    automaton: Option<AhoCorasick>,
}

impl AnchorLabels {
    pub(crate) fn new(labels: Vec<String>) -> AnchorLabels {
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&labels)
            .ok();
        AnchorLabels { labels, automaton }
    }

    /// Every occurrence of every label in `text` as (label, byte start, byte end): for each label,
    /// its occurrences left to right, none overlapping another of the same label (what
    /// `str::match_indices` gives); occurrences of different labels may overlap.
    pub(crate) fn occurrences(&self, text: &str) -> Vec<(usize, usize, usize)> {
        let Some(automaton) = &self.automaton else {
            return self.searched(text);
        };
        let mut all: Vec<(usize, usize, usize)> = automaton
            .find_overlapping_iter(text)
            .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
            .collect();
        all.sort_unstable();
        // A label's own occurrences overlapping an earlier one of it are not `match_indices`'.
        let mut out: Vec<(usize, usize, usize)> = Vec::with_capacity(all.len());
        for m in all {
            match out.last() {
                Some(&(label, _, end)) if label == m.0 && m.1 < end => {}
                _ => out.push(m),
            }
        }
        out
    }

    /// [`AnchorLabels::occurrences`] one label at a time.
    fn searched(&self, text: &str) -> Vec<(usize, usize, usize)> {
        self.labels
            .iter()
            .enumerate()
            .flat_map(|(i, label)| {
                text.match_indices(label.as_str())
                    .map(move |(at, m)| (i, at, at + m.len()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The automaton finds what searching label by label finds, also for labels that overlap
    /// themselves or each other, repeat, or contain one another.
    #[test]
    fn the_automaton_finds_what_each_search_finds() {
        let labels: Vec<String> = [
            "项目名称",
            "项目名称及代码",
            "名称及代码",
            "主管部门",
            "资金资金",
            "资金资金资金",
            "实施单位",
            "实施单位",
            "年度资金总额",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let anchors = AnchorLabels::new(labels);
        let texts = [
            "项目名称某工程主管部门某局实施单位某单位",
            "项目名称及代码某工程（123）年度资金总额100万元",
            "资金资金资金资金资金",
            "没有标签的文字",
            "",
            "主管部门主管部门项目名称项目名称及代码",
        ];
        for text in texts {
            let mut fast = anchors.occurrences(text);
            let mut slow = anchors.searched(text);
            fast.sort_unstable();
            slow.sort_unstable();
            assert_eq!(fast, slow, "{text}");
        }
        assert_eq!(
            AnchorLabels::default().occurrences("项目名称"),
            Vec::<(usize, usize, usize)>::new()
        );
    }
}
