//! Where a table comes from, read from its unit's name: `攀枝花市西区民政局` → 攀枝花市 / 西区,
//! `中国人民政治协商会议四川省盐边县委员会办公室` → 四川省 / 盐边县. A review covers one jurisdiction
//! (`[pipeline] jurisdiction`); a document whose units belong to another is flagged, not silently
//! merged. Names that do not start with a place (`峰峰机关事务`, `区疾控中心`) give no locality:
//! such a document is neither within nor outside, only unknown.

use serde::Serialize;

use crate::Record;

/// A place as a unit's name states it: province, prefecture (市、州、盟、地区) and county-level
/// unit (县、区、旗、县级市), each when written.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Locality {
    /// `四川省`.
    pub province: Option<String>,
    /// `攀枝花市`.
    pub prefecture: Option<String>,
    /// `西区`, `盐边县`.
    pub county: Option<String>,
}

/// Whether a document's locality lies in the review's jurisdiction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jurisdiction {
    /// Every level both name agrees, and the document names the jurisdiction's lowest level.
    Within,
    /// A level both name differs (`盐边县` in a review of `西区`).
    Other,
    /// The document does not name the level that would tell (`盐边县` in a review of `攀枝花市`).
    Unknown,
}

/// Organisations whose names put the place after them (`中共攀枝花市西区委员会`).
const ORGAN_PREFIXES: [&str; 7] = [
    "中国共产党",
    "中共",
    "中国人民政治协商会议",
    "政协",
    "中国共产主义青年团",
    "共青团",
    "中国国民党革命委员会",
];

/// The longest a place name runs before its suffix (`鄂尔多斯市`, `乌兰察布市`).
const MAX_PLACE: usize = 7;

impl Locality {
    /// The place at the start of a unit's name, `None` when it starts with none.
    pub fn parse(unit: &str) -> Option<Locality> {
        let mut rest = unit.trim();
        for p in ORGAN_PREFIXES {
            if let Some(r) = rest.strip_prefix(p) {
                rest = r;
                break;
            }
        }
        let mut out = Locality::default();
        if let Some((place, r)) = take_place(rest, &['省']).or_else(|| take_region(rest)) {
            out.province = Some(place);
            rest = r;
        }
        if let Some((place, r)) = take_place(rest, &['市', '州', '盟']) {
            out.prefecture = Some(place);
            rest = r;
        }
        if let Some((place, _)) = take_place(rest, &['县', '区', '旗', '市']) {
            out.county = Some(place);
        }
        (out != Locality::default()).then_some(out)
    }

    /// The place a record's unit names (its 单位, else its 主管部门).
    pub fn of_record(record: &Record) -> Option<Locality> {
        [&record.unit, &record.supervisor]
            .into_iter()
            .flatten()
            .find_map(|name| Locality::parse(name))
    }

    /// The place as written, levels joined (`攀枝花市西区`).
    pub fn name(&self) -> String {
        [&self.province, &self.prefecture, &self.county]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect()
    }

    /// Whether `doc` lies in this jurisdiction.
    pub fn contains(&self, doc: &Locality) -> Jurisdiction {
        let levels = [
            (&self.province, &doc.province),
            (&self.prefecture, &doc.prefecture),
            (&self.county, &doc.county),
        ];
        if levels
            .iter()
            .any(|(a, b)| matches!((a, b), (Some(a), Some(b)) if a != b))
        {
            return Jurisdiction::Other;
        }
        // The lowest level the jurisdiction names must be named by the document too.
        match levels.iter().rev().find(|(a, _)| a.is_some()) {
            Some((_, Some(_))) => Jurisdiction::Within,
            _ => Jurisdiction::Unknown,
        }
    }
}

/// Characters that end a place name at some level.
const SUFFIXES: [char; 7] = ['省', '市', '州', '盟', '县', '区', '旗'];

/// `name` split after its first place of 1–[`MAX_PLACE`] characters when that place ends with one
/// of `suffixes` (a place of another level first, `盐边县` when a prefecture is looked for, gives
/// `None`). A suffix that starts the name ends nothing (`市场监督管理局` after `攀枝花市`), and
/// neither does one inside a common word ([`in_common_word`]: `城市管理局`, `团结社区`).
fn take_place<'a>(name: &'a str, suffixes: &[char]) -> Option<(String, &'a str)> {
    let (i, c) = name
        .char_indices()
        .take(MAX_PLACE + 1)
        .skip(1)
        .find(|(_, c)| SUFFIXES.contains(c))?;
    if !suffixes.contains(&c) {
        return None;
    }
    let end = i + c.len_utf8();
    let (place, rest) = name.split_at(end);
    if in_common_word(place, rest) {
        return None;
    }
    Some((place.to_string(), rest))
}

/// Words of unit names that end with a place's suffix without being a place: a 社区, 景区 or 园区
/// is not a county, and the 市 of 城市管理 (`城市管理局`, `区城市管理局`) ends no city. A city
/// whose name ends with 城 keeps its 市 when more follows it (`盐城市城市管理局`).
fn in_common_word(place: &str, rest: &str) -> bool {
    const NOT_COUNTIES: [&str; 9] = [
        "社区", "景区", "园区", "辖区", "校区", "营区", "片区", "小区", "街区",
    ];
    (place.ends_with("城市") && rest.starts_with("管理"))
        || NOT_COUNTIES.iter().any(|w| place.ends_with(w))
}

/// An autonomous region (`内蒙古自治区`, `广西壮族自治区`) at the start of `name`.
fn take_region(name: &str) -> Option<(String, &str)> {
    let end = name.find("自治区")? + "自治区".len();
    (name[..end].chars().count() <= MAX_PLACE + 3).then(|| (name[..end].to_string(), &name[end..]))
}

/// The locality most of a document's records name (their 单位, else 主管部门), with how many name
/// it (ties: the first in order of the places' names); `None` when none names a place.
pub fn document_locality<'r>(
    records: impl IntoIterator<Item = &'r Record>,
) -> Option<(Locality, usize)> {
    let mut counts = std::collections::BTreeMap::<Locality, usize>::new();
    for place in records.into_iter().filter_map(Locality::of_record) {
        *counts.entry(place).or_default() += 1;
    }
    let best = counts.values().copied().max()?;
    counts.into_iter().find(|(_, n)| *n == best)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(p: Option<&str>, f: Option<&str>, c: Option<&str>) -> Locality {
        Locality {
            province: p.map(str::to_string),
            prefecture: f.map(str::to_string),
            county: c.map(str::to_string),
        }
    }

    #[test]
    fn places_are_read_from_the_start_of_unit_names() {
        let xiqu = place(None, Some("攀枝花市"), Some("西区"));
        assert_eq!(Locality::parse("攀枝花市西区民政局"), Some(xiqu.clone()));
        assert_eq!(Locality::parse("中共攀枝花市西区委员会办公室"), Some(xiqu));
        assert_eq!(
            Locality::parse("中国人民政治协商会议四川省盐边县委员会办公室"),
            Some(place(Some("四川省"), None, Some("盐边县")))
        );
        assert_eq!(
            Locality::parse("攀枝花市市场监督管理局"),
            Some(place(None, Some("攀枝花市"), None))
        );
        assert_eq!(
            Locality::parse("岳阳县农业农村局"),
            Some(place(None, None, Some("岳阳县")))
        );
        assert_eq!(
            Locality::parse("内蒙古自治区鄂尔多斯市财政局").map(|l| l.name()),
            Some("内蒙古自治区鄂尔多斯市".to_string())
        );
        assert_eq!(
            Locality::parse("盐边县城市管理局"),
            Some(place(None, None, Some("盐边县")))
        );
        assert_eq!(Locality::parse("峰峰机关事务"), None);
        assert_eq!(
            Locality::parse("四川攀枝花格里坪特色产业园区管理委员会"),
            None
        );
        assert_eq!(Locality::parse("区疾控中心"), None);
        // A suffix inside a common word ends no place.
        assert_eq!(Locality::parse("城市管理局"), None);
        assert_eq!(Locality::parse("区城市管理局"), None);
        assert_eq!(Locality::parse("某某城市管理委员会"), None);
        assert_eq!(
            Locality::parse("盐城市城市管理局"),
            Some(place(None, Some("盐城市"), None))
        );
        assert_eq!(
            Locality::parse("攀枝花市西区城市管理局"),
            Some(place(None, Some("攀枝花市"), Some("西区")))
        );
        assert_eq!(Locality::parse("团结西路社区居民委员会"), None);
        assert_eq!(
            Locality::parse("苏州工业园区管理委员会"),
            Some(place(None, Some("苏州"), None))
        );
        assert_eq!(
            Locality::parse("邯郸市峰峰矿区财政局"),
            Some(place(None, Some("邯郸市"), Some("峰峰矿区")))
        );
        assert_eq!(Locality::parse("农田建设服务中心"), None);
    }

    #[test]
    fn a_jurisdiction_contains_what_agrees_on_every_named_level() {
        let xiqu = Locality::parse("攀枝花市西区").unwrap_or_default();
        let city = Locality::parse("攀枝花市").unwrap_or_default();
        let of = |s: &str| Locality::parse(s).unwrap_or_default();
        assert_eq!(
            xiqu.contains(&of("攀枝花市西区财政局")),
            Jurisdiction::Within
        );
        assert_eq!(
            xiqu.contains(&of("西区退役军人服务中心")),
            Jurisdiction::Within
        );
        assert_eq!(xiqu.contains(&of("盐边县财政局")), Jurisdiction::Other);
        assert_eq!(
            xiqu.contains(&of("攀枝花市仁和区人大")),
            Jurisdiction::Other
        );
        assert_eq!(xiqu.contains(&of("攀枝花市民政局")), Jurisdiction::Unknown);
        assert_eq!(
            city.contains(&of("攀枝花市仁和区人大")),
            Jurisdiction::Within
        );
        assert_eq!(city.contains(&of("盐边县财政局")), Jurisdiction::Unknown);
        assert_eq!(city.contains(&of("岳阳市财政局")), Jurisdiction::Other);
    }
}
