//! The forms of 指标值 seen in real tables, one assertion each.

use super::parse_value;
use jixiao_core::Comparator::{self, Eq, Ge, Gt, Le, Lt, Range};
use jixiao_core::{ParsedValue, TimeKind};

fn cmp(s: &str) -> Option<Comparator> {
    parse_value(s).comparator
}

fn unit(s: &str) -> Option<String> {
    parse_value(s).unit
}

fn time(s: &str) -> Option<(TimeKind, Vec<i32>)> {
    parse_value(s).time.map(|t| (t.kind, t.years))
}

#[test]
fn ge_forms() {
    for s in [
        "≥95%",
        ">=95%",
        "≧95%",
        "＞＝95%",
        "不低于95%",
        "不少于2次",
        "大于等于95%",
        "大于或等于95%",
        "90%以上",
        "达到95%",
        "至少10次",
        "不小于3个",
        "达95%以上",
        "$\\geq 85\\%$",
        "&ge;85%",
        "≥ 95%",
        "95%及以上",
        "满意度达到90%以上",
        "群众满意度达95%",
    ] {
        assert_eq!(cmp(s), Some(Ge), "{s}");
    }
}

#[test]
fn le_forms() {
    for s in [
        "≤27万",
        "<=5",
        "≦5天",
        "不超过20万元",
        "不高于3%",
        "3万元以内",
        "5%以下",
        "小于等于2%",
        "不大于1次",
        "控制在3万元以内",
        "成本控制在15万元以内",
        "最多2次",
        "&lt;=5天",
        "&le;2个工作日",
        "≤2个工作日",
    ] {
        assert_eq!(cmp(s), Some(Le), "{s}");
    }
}

#[test]
fn eq_gt_lt_forms() {
    assert_eq!(cmp("=1年"), Some(Eq));
    assert_eq!(cmp("等于100%"), Some(Eq));
    assert_eq!(cmp(">90%"), Some(Gt));
    assert_eq!(cmp("满意度大于90%"), Some(Gt));
    assert_eq!(cmp("高于80%"), Some(Gt));
    assert_eq!(cmp("超过 20%"), Some(Gt));
    assert_eq!(cmp("＜2%"), Some(Lt));
    assert_eq!(cmp("故障率小于2%"), Some(Lt));
    assert_eq!(cmp("低于5%"), Some(Lt));
    assert_eq!(cmp("100%"), None);
    assert_eq!(cmp("达标率100%"), None);
}

#[test]
fn ranges_but_not_date_periods() {
    for s in [
        "90%-95%",
        "90～95%",
        "90至95",
        "90~95%",
        "胸径8-10cm",
        "2-3个工作日",
    ] {
        assert_eq!(cmp(s), Some(Range), "{s}");
    }
    assert_eq!(parse_value("90%-95%").numbers, vec![90.0, 95.0]);
    assert_eq!(unit("90～95%").as_deref(), Some("%"));
    for s in [
        "2024年1-12月",
        "2024.1.1-2024.12.31",
        "1月-12月",
        "2024-2025年",
    ] {
        assert_ne!(cmp(s), Some(Range), "{s}");
    }
}

#[test]
fn numbers_in_many_spellings() {
    let n = |s: &str| parse_value(s).numbers;
    assert_eq!(n("11,800.00"), vec![11800.0]);
    assert_eq!(n("1,048.54"), vec![1048.54]);
    assert_eq!(n("62387.95 平方米"), vec![62387.95]);
    assert_eq!(n("≤2个工作日"), vec![2.0]);
    assert_eq!(n("12个月"), vec![12.0]);
    assert_eq!(n("96人次"), vec![96.0]);
    assert_eq!(n("至少10次"), vec![10.0]);
    assert_eq!(n("满意度大于90%"), vec![90.0]);
    assert_eq!(n("互联网1条+视频会12条"), vec![1.0, 12.0]);
    assert_eq!(n("≥ 95%"), vec![95.0]);
    assert_eq!(n("95 %"), vec![95.0]);
    assert_eq!(n("１２３％"), vec![123.0]);
    assert_eq!(n("一次"), vec![1.0]);
    assert_eq!(n("两个"), vec![2.0]);
    assert_eq!(n("十二个"), vec![12.0]);
    assert_eq!(n("4次，每季度一次"), vec![4.0, 1.0]);
    assert_eq!(n("2024年1-12月"), vec![2024.0, 1.0, 12.0]);
    for s in ["一般", "统一规范", "一致好评", "进一步提升"] {
        assert!(n(s).is_empty(), "{s}");
        assert!(parse_value(s).qualitative, "{s}");
    }
}

#[test]
fn units_are_canonical() {
    let cases = [
        ("95%", "%"),
        ("95 %", "%"),
        ("≥95％", "%"),
        ("27万元", "万元"),
        ("5000元", "元"),
        ("16亿元", "亿元"),
        ("230人", "人"),
        ("96人次", "人次"),
        ("12次", "次"),
        ("1个", "个"),
        ("200件", "件"),
        ("5天", "天"),
        ("≤2个工作日", "个工作日"),
        ("24小时", "小时"),
        ("12个月", "个月"),
        ("=1年", "年"),
        ("62387.95 平方米", "平方米"),
        ("500亩", "亩"),
        ("29.5公里", "公里"),
        ("3座", "座"),
        ("10条", "条"),
        ("80户", "户"),
        ("5家", "家"),
        ("5场", "场"),
        ("24期", "期"),
        ("3项", "项"),
        ("120台", "台"),
        ("1套", "套"),
        ("2辆", "辆"),
        ("1所", "所"),
        ("50本", "本"),
        ("20份", "份"),
        ("10篇", "篇"),
        ("100公斤", "公斤"),
        ("3吨", "吨"),
        ("18摄氏度", "摄氏度"),
        ("8m", "m"),
        ("200ms", "ms"),
        ("2000余份", "份"),
        ("15万人", "万人"),
        ("≤27万", "万"),
        ("1600元/亩", "元/亩"),
        ("200元/人·天", "元/人·天"),
        ("两个", "个"),
    ];
    for (s, u) in cases {
        assert_eq!(unit(s).as_deref(), Some(u), "{s}");
    }
    assert_eq!(unit("2024年12月底前"), None);
    assert_eq!(unit("8"), None);
}

fn money(s: &str) -> (Option<f64>, bool) {
    let v = parse_value(s);
    (v.money_wan, v.unit_rate)
}

#[test]
fn money_in_wan() {
    assert_eq!(money("≤27万元"), (Some(27.0), false));
    assert_eq!(money("≤27万"), (Some(27.0), false));
    assert_eq!(money("5000元"), (Some(0.5), false));
    assert_eq!(money("16亿元"), (Some(160_000.0), false));
    assert_eq!(money("25千元"), (Some(2.5), false));
    assert_eq!(money("成本控制在3万元以内"), (Some(3.0), false));
    assert_eq!(
        money("854万(高标准农田建设400万元,示范建设295万元,畅通工程159万元)"),
        (Some(854.0), false)
    );
    let v = parse_value("会议费32.6万元，其他15万元");
    assert_eq!(v.money_wan, Some(32.6));
    assert_eq!(v.numbers, vec![32.6, 15.0]);
    // Counts with 万 are not money.
    assert_eq!(money("全区青少年2万余人"), (None, false));
    assert_eq!(money("达到15万人"), (None, false));
    assert_eq!(money("粗死亡率≥650/10万"), (None, false));
    assert_eq!(money("95%"), (None, false));
}

#[test]
fn unit_rates_are_not_totals() {
    for s in [
        "1600元/亩",
        "200元/人",
        "每人200元",
        "200元/人·天",
        "标准150元/人/天",
        "缴费标准为每人15000元",
    ] {
        assert_eq!(money(s), (None, true), "{s}");
    }
    // A rate next to a total: the total is the amount.
    assert_eq!(money("每个床位补贴1万元，共计30万元"), (Some(30.0), false));
    assert_eq!(money("8人×30次×30元/次=7200元"), (Some(0.72), false));
    assert_eq!(money("15次×2000元 / 次=30000元"), (Some(3.0), false));
    assert_eq!(money("2次*0.2万元=0.4万元"), (Some(0.4), false));
    assert_eq!(money("1000*2元=2000元"), (Some(0.2), false));
    assert_eq!(
        unit("76500m²×15元/m²/年=115万元").as_deref(),
        Some("平方米")
    );
    // 每年 is an annual total, not a rate.
    assert_eq!(money("每年需支付389.7万元"), (Some(389.7), false));
}

#[test]
fn time_readings() {
    use TimeKind::{Date, Deadline, Duration, Period};
    assert_eq!(time("2024年1-12月"), Some((Period, vec![2024])));
    assert_eq!(time("2024年1月-12月"), Some((Period, vec![2024])));
    assert_eq!(time("2021年1月至12月"), Some((Period, vec![2021])));
    assert_eq!(time("2024.1.1-2024.12.31"), Some((Period, vec![2024])));
    assert_eq!(
        time("2024年1月至2025年6月"),
        Some((Period, vec![2024, 2025]))
    );
    assert_eq!(time("2024年12月底前"), Some((Deadline, vec![2024])));
    assert_eq!(time("12月底前"), Some((Deadline, vec![])));
    assert_eq!(time("年底前"), Some((Deadline, vec![])));
    assert_eq!(time("2024年2月前"), Some((Deadline, vec![2024])));
    assert_eq!(time("2024年12月31日前完成"), Some((Deadline, vec![2024])));
    assert_eq!(time("2024年"), Some((Period, vec![2024])));
    assert_eq!(time("2024全年"), Some((Period, vec![2024])));
    assert_eq!(time("2023 年度"), Some((Period, vec![2023])));
    assert_eq!(time("2024年12月"), Some((Date, vec![2024])));
    assert_eq!(time("2021年1月"), Some((Date, vec![2021])));
    assert_eq!(time("每年11月15日"), Some((Date, vec![])));
    assert_eq!(time("12个月"), Some((Duration, vec![])));
    assert_eq!(time("5天"), Some((Duration, vec![])));
    assert_eq!(time("24小时"), Some((Duration, vec![])));
    assert_eq!(time("≤2个工作日"), Some((Duration, vec![])));
    assert_eq!(time("≤1月"), Some((Duration, vec![])));
    assert_eq!(time("截止时间：2023-12-31"), Some((Deadline, vec![2023])));
    assert_eq!(time("2024/12/30之前"), Some((Deadline, vec![2024])));
    assert_eq!(time("2020-2021年"), Some((Period, vec![2020, 2021])));
    assert_eq!(time("2024年完成率100%"), None);
    assert_eq!(time("95%"), None);
    assert_eq!(time("12次"), None);
    let v = parse_value("及时");
    assert_eq!((v.time, v.qualitative), (None, true));
    let v = parse_value("按时");
    assert_eq!((v.time, v.qualitative), (None, true));
}

#[test]
fn years_are_four_digit_in_range_and_deduplicated() {
    assert_eq!(
        time("2024年1月至2024年12月"),
        Some((TimeKind::Period, vec![2024]))
    );
    assert_eq!(time("1980年"), Some((TimeKind::Duration, vec![])));
    assert_eq!(parse_value("2024").time, None);
}

#[test]
fn qualitative_iff_no_number() {
    assert!(parse_value("群众满意").qualitative);
    assert!(parse_value("").qualitative);
    assert!(!parse_value("一次").qualitative);
    assert!(!parse_value("完成率100%").qualitative);
    assert_eq!(
        parse_value(""),
        ParsedValue {
            qualitative: true,
            ..ParsedValue::default()
        }
    );
}

#[test]
fn residue_and_full_width_parse() {
    let v = parse_value("<p>$\\geq 85\\%$</p>");
    assert_eq!(
        (v.comparator, v.numbers, v.unit.as_deref()),
        (Some(Ge), vec![85.0], Some("%"))
    );
    let v = parse_value("＞＝９５％");
    assert_eq!(
        (v.comparator, v.numbers, v.unit.as_deref()),
        (Some(Ge), vec![95.0], Some("%"))
    );
    let v = parse_value("⼈数≥10⼈");
    assert_eq!(v.unit.as_deref(), Some("人"));
}

#[test]
fn never_panics_on_odd_input() {
    let weird = "≥９,9９.,,.%$\\ge&#x;&#99999999;<p 2024.13.40-.5万/元/每1万亿元-至~～２０２４年１-1２月底前\u{0}\u{FFFF}🙂一十百两零〇";
    let _ = parse_value(weird);
    let _ = super::parse_money(weird);
    let _ = super::parse_percent(weird);
    for (i, _) in weird.char_indices() {
        let (head, tail) = weird.split_at(i);
        for part in [head, tail] {
            let _ = parse_value(part);
            let _ = super::parse_money(part);
            let _ = super::parse_percent(part);
        }
    }
    for c in weird.chars() {
        let _ = parse_value(&c.to_string());
    }
    let long = "1,".repeat(5000) + &"一".repeat(5000) + &"<".repeat(2000);
    assert!(!parse_value(&long).numbers.is_empty());
}

#[test]
fn template_values_are_placeholders_not_targets() {
    use super::is_placeholder;
    for t in ["公里", "≧ %", "≥**%", "万人", "万亩", "≤**元", "%"] {
        assert!(is_placeholder(t), "{t}");
    }
    for t in ["", "≥95%", "达标", "提高", "1次/月", "是", "良好", "长期"] {
        assert!(!is_placeholder(t), "{t}");
    }
}
