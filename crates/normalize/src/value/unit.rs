//! The unit vocabulary: every unit a 指标值 may carry, in one table, with its canonical spelling.

/// How a money unit converts to 万元.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scale {
    Yuan,
    Qian,
    Wan,
    Yi,
}

impl Scale {
    /// The amount in 万元; divisions are used so that `5000元` gives exactly 0.5.
    pub(crate) fn to_wan(self, value: f64) -> f64 {
        match self {
            Scale::Yuan => value / 10_000.0,
            Scale::Qian => value / 10.0,
            Scale::Wan => value,
            Scale::Yi => value * 10_000.0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Percent,
    Money(Scale),
    /// `万`/`亿` with nothing after it: money only in a money position (see `value::money_of`).
    Bare(Scale),
    Duration,
    Count,
    Measure,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Unit {
    pub canonical: &'static str,
    pub kind: Kind,
    /// May follow a Chinese numeral (`一次`, `两个`). Kept narrow: 一点/一起/一门/一种 are words.
    pub chinese_classifier: bool,
}

const fn u(canonical: &'static str, kind: Kind, chinese_classifier: bool) -> Unit {
    Unit {
        canonical,
        kind,
        chinese_classifier,
    }
}

use Kind::{Count, Duration, Measure, Money, Percent};

/// Written form → unit. Longest written form wins, so list order does not matter. To add a unit, add a
/// line here.
const UNITS: &[(&str, Unit)] = &[
    ("%", u("%", Percent, false)),
    ("‰", u("‰", Percent, false)),
    ("个百分点", u("个百分点", Measure, false)),
    ("百分点", u("个百分点", Measure, false)),
    ("元", u("元", Money(Scale::Yuan), false)),
    ("千元", u("千元", Money(Scale::Qian), false)),
    ("万元", u("万元", Money(Scale::Wan), false)),
    ("亿元", u("亿元", Money(Scale::Yi), false)),
    ("万", u("万", Kind::Bare(Scale::Wan), false)),
    ("亿", u("亿", Kind::Bare(Scale::Yi), false)),
    // Time lengths.
    ("个工作日", u("个工作日", Duration, true)),
    ("工作日", u("个工作日", Duration, false)),
    ("个月", u("个月", Duration, true)),
    ("月", u("月", Duration, false)),
    ("年", u("年", Duration, true)),
    ("季度", u("季度", Duration, true)),
    ("周", u("周", Duration, true)),
    ("天", u("天", Duration, true)),
    ("日", u("日", Duration, false)),
    ("小时", u("小时", Duration, true)),
    ("分钟", u("分钟", Duration, true)),
    ("秒", u("秒", Duration, false)),
    ("ms", u("ms", Duration, false)),
    ("min", u("分钟", Duration, false)),
    // Counts.
    ("人次", u("人次", Count, true)),
    ("人", u("人", Count, true)),
    ("名", u("名", Count, true)),
    ("户次", u("户次", Count, true)),
    ("户", u("户", Count, true)),
    ("家", u("家", Count, true)),
    ("个", u("个", Count, true)),
    ("次", u("次", Count, true)),
    ("场次", u("场次", Count, true)),
    ("场", u("场", Count, true)),
    ("期", u("期", Count, true)),
    ("项", u("项", Count, true)),
    ("件", u("件", Count, true)),
    ("台", u("台", Count, true)),
    ("套", u("套", Count, true)),
    ("辆", u("辆", Count, true)),
    ("所", u("所", Count, true)),
    ("本", u("本", Count, true)),
    ("份", u("份", Count, true)),
    ("篇", u("篇", Count, true)),
    ("册", u("册", Count, true)),
    ("张", u("张", Count, true)),
    ("块", u("块", Count, true)),
    ("批次", u("批次", Count, true)),
    ("批", u("批", Count, true)),
    ("条", u("条", Count, true)),
    ("座", u("座", Count, true)),
    ("轮", u("轮", Count, true)),
    ("类", u("类", Count, true)),
    ("天次", u("天次", Count, true)),
    ("课时", u("课时", Count, true)),
    ("学时", u("学时", Count, true)),
    ("处", u("处", Count, false)),
    ("间", u("间", Count, false)),
    ("栋", u("栋", Count, false)),
    ("幅", u("幅", Count, false)),
    ("支", u("支", Count, false)),
    ("部", u("部", Count, false)),
    ("种", u("种", Count, false)),
    ("床", u("床", Count, false)),
    ("页", u("页", Count, false)),
    ("株", u("株", Count, false)),
    ("棵", u("棵", Count, false)),
    ("头", u("头", Count, false)),
    ("只", u("只", Count, false)),
    ("节", u("节", Count, false)),
    ("门", u("门", Count, false)),
    ("科", u("科", Count, false)),
    ("村", u("村", Count, false)),
    ("起", u("起", Count, false)),
    ("例", u("例", Count, false)),
    ("笔", u("笔", Count, false)),
    ("组", u("组", Count, false)),
    ("队", u("队", Count, false)),
    ("届", u("届", Count, false)),
    ("倍", u("倍", Count, false)),
    ("箱", u("箱", Count, false)),
    ("岁", u("岁", Count, false)),
    ("对", u("对", Count, false)),
    // Measures.
    ("平方米", u("平方米", Measure, false)),
    ("平米", u("平方米", Measure, false)),
    ("㎡", u("平方米", Measure, false)),
    ("m²", u("平方米", Measure, false)),
    ("立方米", u("立方米", Measure, false)),
    ("m³", u("立方米", Measure, false)),
    ("亩", u("亩", Measure, false)),
    ("公顷", u("公顷", Measure, false)),
    ("公里", u("公里", Measure, false)),
    ("千米", u("公里", Measure, false)),
    ("km", u("公里", Measure, false)),
    ("米", u("米", Measure, false)),
    ("m", u("m", Measure, false)),
    ("cm", u("cm", Measure, false)),
    ("mm", u("mm", Measure, false)),
    ("公斤", u("公斤", Measure, false)),
    ("千克", u("公斤", Measure, false)),
    ("kg", u("公斤", Measure, false)),
    ("吨", u("吨", Measure, false)),
    ("摄氏度", u("摄氏度", Measure, false)),
    ("℃", u("摄氏度", Measure, false)),
    ("千瓦时", u("千瓦时", Measure, false)),
    ("kWh", u("千瓦时", Measure, false)),
    ("千瓦", u("千瓦", Measure, false)),
    ("kW", u("千瓦", Measure, false)),
    ("MB", u("MB", Measure, false)),
    ("GB", u("GB", Measure, false)),
    ("TB", u("TB", Measure, false)),
    ("M", u("M", Measure, false)),
    ("Mbps", u("Mbps", Measure, false)),
];

/// Indices into [`UNITS`] by the unit's first character, built once.
fn by_first_char() -> &'static rustc_hash::FxHashMap<char, Vec<usize>> {
    static INDEX: std::sync::OnceLock<rustc_hash::FxHashMap<char, Vec<usize>>> =
        std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index: rustc_hash::FxHashMap<char, Vec<usize>> = Default::default();
        for (i, (written, _)) in UNITS.iter().enumerate() {
            if let Some(c) = written.chars().next() {
                index.entry(c).or_default().push(i);
            }
        }
        index
    })
}

/// The longest unit written at `at` (no space skipping), and its end.
pub(crate) fn match_unit(chars: &[char], at: usize) -> Option<(Unit, usize)> {
    let first = *chars.get(at)?;
    let mut best: Option<(Unit, usize)> = None;
    // Only the units that start with this character (a scan of all of them per number was a
    // visible share of normalising a province).
    let candidates = by_first_char().get(&first)?;
    for (written, unit) in candidates.iter().map(|i| &UNITS[*i]) {
        let mut end = at;
        let mut ok = true;
        for w in written.chars() {
            if chars.get(end) != Some(&w) {
                ok = false;
                break;
            }
            end += 1;
        }
        // `m` must not be the start of a word such as `mobile`.
        let ascii = first.is_ascii_alphabetic();
        if !ok || (ascii && chars.get(end).is_some_and(|c| c.is_ascii_alphanumeric())) {
            continue;
        }
        if best.is_none_or(|(_, e)| end > e) {
            best = Some((*unit, end));
        }
    }
    best
}

/// The unit after a number ending at `at`: spaces skipped, `余`/`多` (`2000余份`) skipped, and a `万`/`亿`
/// multiplier before a non-money unit kept in the unit (`15万人` → `万人`). Returns the canonical unit,
/// its kind and the end.
pub(crate) fn read_unit(chars: &[char], at: usize) -> Option<(String, Kind, usize)> {
    let mut i = at;
    while chars.get(i) == Some(&' ') {
        i += 1;
    }
    let skip_approx = |i: usize| {
        if matches!(chars.get(i), Some('余' | '多')) {
            i + 1
        } else {
            i
        }
    };
    if let Some(&m) = chars.get(i).filter(|c| matches!(c, '万' | '亿')) {
        let after = skip_approx(i + 1);
        match match_unit(chars, after) {
            Some((unit, end)) if unit.canonical == "元" => {
                let (canonical, scale) = if m == '万' {
                    ("万元", Scale::Wan)
                } else {
                    ("亿元", Scale::Yi)
                };
                return Some((canonical.to_string(), Kind::Money(scale), end));
            }
            Some((unit, end))
                if !matches!(unit.kind, Kind::Money(_) | Kind::Bare(_) | Kind::Percent) =>
            {
                return Some((format!("{m}{}", unit.canonical), unit.kind, end));
            }
            _ => {}
        }
    }
    let i = skip_approx(i);
    match_unit(chars, i).map(|(unit, end)| (unit.canonical.to_string(), unit.kind, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit_of(s: &str) -> Option<String> {
        let chars: Vec<char> = s.chars().collect();
        read_unit(&chars, 0).map(|(u, _, _)| u)
    }

    #[test]
    fn longest_form_wins_and_aliases_fold() {
        assert_eq!(unit_of("人次").as_deref(), Some("人次"));
        assert_eq!(unit_of("个工作日").as_deref(), Some("个工作日"));
        assert_eq!(unit_of("个月").as_deref(), Some("个月"));
        assert_eq!(unit_of("天次").as_deref(), Some("天次"));
        assert_eq!(unit_of("平米").as_deref(), Some("平方米"));
        assert_eq!(unit_of(" %").as_deref(), Some("%"));
        assert_eq!(unit_of("ms").as_deref(), Some("ms"));
        assert_eq!(unit_of("mobile"), None);
        assert_eq!(unit_of("余份").as_deref(), Some("份"));
    }

    #[test]
    fn wan_and_yi_prefixes() {
        assert_eq!(unit_of("万元").as_deref(), Some("万元"));
        assert_eq!(unit_of("万余元").as_deref(), Some("万元"));
        assert_eq!(unit_of("亿元").as_deref(), Some("亿元"));
        assert_eq!(unit_of("万人").as_deref(), Some("万人"));
        assert_eq!(unit_of("万余人").as_deref(), Some("万人"));
        assert_eq!(unit_of("万平方米").as_deref(), Some("万平方米"));
        assert_eq!(unit_of("万").as_deref(), Some("万"));
        assert_eq!(unit_of("万(").as_deref(), Some("万"));
    }

    #[test]
    fn scales_convert_exactly() {
        assert_eq!(Scale::Yuan.to_wan(5000.0), 0.5);
        assert_eq!(Scale::Qian.to_wan(25.0), 2.5);
        assert_eq!(Scale::Yi.to_wan(16.0), 160_000.0);
        assert_eq!(Scale::Wan.to_wan(27.0), 27.0);
    }
}
