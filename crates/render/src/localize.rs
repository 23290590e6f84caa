//! Codes → the reader's words. The packet context is built from jixiao's data, which names layouts,
//! rule sources, finding categories and diagnostics by code (`tabbed`, `builtin`,
//! `copied-indicator`, `normalize.skipped-content`) and explains diagnostics in English for the log.
//! Before any format prints the context, this step replaces each code by its wording in strings.toml
//! (`[layout]`, `[source]`, `[finding]`, `[diagnostic]`) and writes the annex rows' explanations in
//! Chinese, so no code and no English reaches the PDF, the workbook or the web page. A code without
//! wording is kept as it is (the bundled strings cover every code jixiao emits; a test checks it).

use crate::packet::{PacketContext, UnparsedRow};
use crate::wording::{Strings, lookup};

/// Rewrites the context's codes into the wording of `strings`.
pub(crate) fn localize(p: &mut PacketContext, strings: &Strings) {
    for c in &mut p.checks {
        replace(&mut c.source, strings, "source");
    }
    for s in &mut p.sources {
        replace(&mut s.layout, strings, "layout");
    }
    for f in &mut p.findings {
        finding(f, strings);
    }
    for u in &mut p.unparsed {
        u.message = unparsed_message(u, strings);
        replace(&mut u.code, strings, "diagnostic");
    }
}

/// A finding row's category in the reader's words.
pub(crate) fn finding(f: &mut crate::packet::FindingRow, strings: &Strings) {
    replace(&mut f.code, strings, "finding");
}

fn word<'s>(strings: &'s Strings, section: &str, code: &'s str) -> &'s str {
    lookup(strings, &format!("{section}.{code}")).unwrap_or(code)
}

fn replace(field: &mut String, strings: &Strings, section: &str) {
    let label = word(strings, section, field).to_string();
    *field = label;
}

/// `第3–110行：非绩效目标表内容（说明文字或其他表格），已跳过（共90行）`;
/// `“基层妇联工作保障经费”（第160–177行）识别置信度低，请对照原表核对：资金总额空缺且分项相等，按错行读取`.
fn unparsed_message(u: &UnparsedRow, strings: &Strings) -> String {
    let lines = u.range.map(|[a, b]| {
        if a == b {
            format!("第{a}行")
        } else {
            format!("第{a}–{b}行")
        }
    });
    let mut out = match (&u.record, &lines) {
        (Some(name), Some(l)) => format!("“{name}”（{l}）"),
        (Some(name), None) => format!("“{name}”"),
        (None, Some(l)) => format!("{l}："),
        (None, None) => String::new(),
    };
    out.push_str(word(strings, "diagnostic", &u.code));
    if let Some(n) = u.count {
        out.push_str(&format!("（共{n}行）"));
    }
    if !u.reasons.is_empty() {
        let reasons: Vec<&str> = u
            .reasons
            .iter()
            .map(|r| word(strings, "diagnostic", r))
            .collect();
        out.push('：');
        out.push_str(&reasons.join("；"));
    }
    out
}
