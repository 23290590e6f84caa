//! Web pages (.html / .htm) through `scraper` (html5ever): every `<table>` as a grid with its
//! `rowspan`/`colspan`, the text around tables as lines.
//!
//! - Charset: a `--encoding`/`[[inputs]]` override first, then a byte-order mark, then the page's
//!   own `<meta charset>` or `content="text/html; charset=gb2312"`, then detection (GB2312/GBK
//!   are read as GB18030, their superset).
//! - Text: whitespace runs (source line breaks, `&nbsp;`) collapse to one space; `<br>` and block
//!   elements (`<p>`, `<div>` …) break lines. Inside a cell they separate the cell's paragraphs.
//! - Lines: each block of text outside tables and each table row is one line, in document order.
//!   Scripts, styles, the `<head>` and what the page hides (`hidden`, an inline `display:none`)
//!   are not text; a form's controls give what they show (a text field's value, a list's chosen
//!   option). A table nested in a cell adds its text to that
//!   cell, as Word's nested tables do — except in a layout table (one that holds other tables and
//!   has at most three cells in a row, as old government pages are built): its text is lines and
//!   the tables inside it are the grids.
//!
//! Limits: element nesting deeper than `max_nesting` stops reading; spans and cells go through
//! [`GridBuilder`].

use std::collections::HashSet;

use ego_tree::NodeId;
use ego_tree::iter::Edge;
use jixiao_core::{Cell, ReadLimits, Row};
use scraper::{Html, Node};

use crate::decode;
use crate::grid::{Grid, GridBuilder, ReadError, SourceCell};

pub(crate) fn read(
    bytes: &[u8],
    encoding: Option<&str>,
    limits: &ReadLimits,
) -> Result<Grid, ReadError> {
    let declared = encoding.map(str::to_string).or_else(|| meta_charset(bytes));
    let decoded = decode::decode(bytes, declared.as_deref());
    check_nesting(&decoded.text, limits)?;
    let page = Html::parse_document(&decoded.text);
    let mut walk = Walk::new(limits, frame_tables(&page));
    walk.run(&page)?;
    let mut grid = Grid::new(decoded.encoding);
    grid.diagnostics = decoded
        .diagnostics
        .into_iter()
        .filter(|d| declared.is_none() || d.code != "ingest.encoding-guessed")
        .collect();
    grid.rows = walk.rows;
    grid.enforce(limits)
}

/// The charset a page declares in its first 4 KB (`<meta charset="gb2312">` or
/// `<meta http-equiv="Content-Type" content="text/html; charset=GBK">`), if any.
pub(crate) fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let mut from = 0;
    while let Some(i) = find(&lower[from..], b"charset") {
        let at = from + i + b"charset".len();
        let rest = &lower[at..];
        let rest = rest.strip_prefix(b" ").unwrap_or(rest);
        if let Some(rest) = rest.strip_prefix(b"=") {
            let rest = trim_start(rest, b" \"'");
            let end = rest
                .iter()
                .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_')))
                .unwrap_or(rest.len());
            if end > 0 {
                return Some(String::from_utf8_lossy(&rest[..end]).into_owned());
            }
        }
        from = at;
    }
    None
}

/// Elements whose end tag may be left out (or that have none): not counted as nesting, since
/// sloppy but genuine pages leave hundreds of `<td>`, `<p>` and `<br>` open.
fn never_counted(name: &str) -> bool {
    matches!(
        name,
        "p" | "li"
            | "td"
            | "th"
            | "tr"
            | "tbody"
            | "thead"
            | "tfoot"
            | "option"
            | "optgroup"
            | "dt"
            | "dd"
            | "colgroup"
            | "rb"
            | "rt"
            | "rp"
            | "html"
            | "head"
            | "body"
            | "br"
            | "img"
            | "meta"
            | "link"
            | "input"
            | "hr"
            | "col"
            | "area"
            | "base"
            | "embed"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Refuses markup nested deeper than `max_nesting` before the HTML5 parser sees it: html5ever's
/// tree building slows down quadratically on thousands of open elements. Counts start and end
/// tags of elements that must be closed; a rough count, far above any real page.
fn check_nesting(text: &str, limits: &ReadLimits) -> Result<(), ReadError> {
    let mut depth: i64 = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(k) = bytes[i..].iter().position(|&b| b == b'<') {
        i += k + 1;
        let closing = bytes.get(i) == Some(&b'/');
        let start = i + usize::from(closing);
        let len = bytes[start..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(bytes.len() - start);
        if len == 0 {
            continue;
        }
        let name = text[start..start + len].to_ascii_lowercase();
        if never_counted(&name) {
            continue;
        }
        let self_closing = bytes[start + len..]
            .iter()
            .position(|&b| b == b'>')
            .is_some_and(|e| e > 0 && bytes[start + len + e - 1] == b'/');
        if closing {
            depth = (depth - 1).max(0);
        } else if !self_closing {
            depth += 1;
            if depth > i64::from(limits.max_nesting) {
                return Err(ReadError::too_deep("markup", limits.max_nesting));
            }
        }
    }
    Ok(())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn trim_start<'a>(mut s: &'a [u8], chars: &[u8]) -> &'a [u8] {
    while let Some((first, rest)) = s.split_first() {
        if !chars.contains(first) {
            break;
        }
        s = rest;
    }
    s
}

/// Elements whose start and end break a line of text.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "table"
            | "tr"
            | "td"
            | "th"
            | "caption"
            | "center"
            | "blockquote"
            | "pre"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "hr"
            | "form"
            | "body"
            | "frame"
    )
}

/// Elements whose text is not the page's.
fn is_hidden(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "head" | "title" | "noscript" | "template" | "select" | "option"
    )
}

/// What a form control shows: a text field's `value`, a list's chosen option (the first when none
/// is marked `selected`, as a browser shows it). A page saved from a budget system's web form
/// holds its values there, not in text. Hidden fields, buttons, check boxes and passwords show none.
fn form_value(node: ego_tree::NodeRef<'_, Node>, e: &scraper::node::Element) -> Option<String> {
    match e.name() {
        "input" => {
            let kind = e.attr("type").unwrap_or("text").to_ascii_lowercase();
            let shown = !matches!(
                kind.as_str(),
                "hidden"
                    | "checkbox"
                    | "radio"
                    | "button"
                    | "submit"
                    | "reset"
                    | "image"
                    | "file"
                    | "password"
            );
            e.attr("value").filter(|_| shown).map(str::to_string)
        }
        "select" => {
            let is_option = |n: &ego_tree::NodeRef<'_, Node>| {
                n.value().as_element().is_some_and(|o| o.name() == "option")
            };
            let mut options = node.descendants().filter(is_option);
            let first = options.clone().next()?;
            let chosen = options
                .find(|o| {
                    o.value()
                        .as_element()
                        .is_some_and(|o| o.attr("selected").is_some())
                })
                .unwrap_or(first);
            let text: String = chosen
                .descendants()
                .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
                .collect();
            Some(text.trim().to_string())
        }
        _ => None,
    }
}

/// An element the page itself hides: the `hidden` attribute, or an inline style with
/// `display: none` or `visibility: hidden` (a CMS's hidden copy of a table, a number kept for
/// scripts). Hiding by a style sheet's class is not followed.
fn hidden_by_markup(e: &scraper::node::Element) -> bool {
    if e.attr("hidden").is_some() {
        return true;
    }
    e.attr("style").is_some_and(|style| {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        style.contains("display:none") || style.contains("visibility:hidden")
    })
}

/// Tables that frame other tables (page layout), not data: they hold a table and have at most
/// [`crate::docx::FRAME_MAX_CELLS`] cells in any of their own rows.
fn frame_tables(page: &Html) -> HashSet<NodeId> {
    let is = |n: &ego_tree::NodeRef<'_, Node>, name: &str| {
        n.value().as_element().is_some_and(|e| e.name() == name)
    };
    let mut frames = HashSet::new();
    for table in page.tree.root().descendants().filter(|n| is(n, "table")) {
        let mut holds = false;
        let mut widest = 0;
        for n in table.descendants().skip(1) {
            if is(&n, "table") {
                holds = true;
            } else if is(&n, "tr")
                && n.ancestors().find(|a| is(a, "table")).map(|a| a.id()) == Some(table.id())
            {
                let cells = n.children().filter(|c| is(c, "td") || is(c, "th")).count();
                widest = widest.max(cells);
            }
        }
        if holds && widest <= crate::docx::FRAME_MAX_CELLS {
            frames.insert(table.id());
        }
    }
    frames
}

#[derive(Debug, Default)]
struct TableState {
    rows: Vec<(u32, Vec<SourceCell>)>,
}

struct Walk<'l> {
    limits: &'l ReadLimits,
    frames: HashSet<NodeId>,
    rows: Vec<Row>,
    line: u32,
    tables: u32,
    table: Option<TableState>,
    nested: u32,
    cell: Option<SourceCell>,
    /// Text of the current line (outside tables) or paragraph (inside a cell).
    buf: String,
    hidden: u32,
    depth: u32,
}

impl<'l> Walk<'l> {
    fn new(limits: &'l ReadLimits, frames: HashSet<NodeId>) -> Walk<'l> {
        Walk {
            limits,
            frames,
            rows: Vec::new(),
            line: 0,
            tables: 0,
            table: None,
            nested: 0,
            cell: None,
            buf: String::new(),
            hidden: 0,
            depth: 0,
        }
    }

    fn run(&mut self, page: &Html) -> Result<(), ReadError> {
        for edge in page.tree.root().traverse() {
            match edge {
                Edge::Open(node) => match node.value() {
                    Node::Element(e) => {
                        self.depth += 1;
                        if self.depth > self.limits.max_nesting {
                            return Err(ReadError::too_deep("markup", self.limits.max_nesting));
                        }
                        let name = e.name();
                        let hides = self.hidden > 0 || hidden_by_markup(e);
                        if !hides && let Some(value) = form_value(node, e) {
                            push_collapsed(&mut self.buf, &value);
                        }
                        if hides || is_hidden(name) {
                            self.hidden += 1;
                            continue;
                        }
                        let name = if self.frames.contains(&node.id()) {
                            "frame"
                        } else {
                            name
                        };
                        self.open(name, |key| e.attr(key))?;
                    }
                    Node::Text(t) if self.hidden == 0 => push_collapsed(&mut self.buf, t),
                    _ => {}
                },
                Edge::Close(node) => {
                    if let Node::Element(e) = node.value() {
                        self.depth = self.depth.saturating_sub(1);
                        if self.hidden > 0 {
                            self.hidden -= 1;
                            continue;
                        }
                        let name = if self.frames.contains(&node.id()) {
                            "frame"
                        } else {
                            e.name()
                        };
                        self.close(name)?;
                    }
                }
            }
        }
        self.break_line();
        Ok(())
    }

    fn open<'a>(
        &mut self,
        name: &str,
        attr: impl Fn(&str) -> Option<&'a str>,
    ) -> Result<(), ReadError> {
        if is_block(name) {
            self.break_line();
        }
        match name {
            "table" if self.table.is_some() => self.nested += 1,
            "table" => {
                self.tables += 1;
                self.table = Some(TableState::default());
            }
            "tr" if self.nested == 0 => {
                if let Some(t) = &mut self.table {
                    self.line += 1;
                    t.rows.push((self.line, Vec::new()));
                }
            }
            "td" | "th" if self.nested == 0 && self.table.is_some() => {
                let span = |key| {
                    attr(key)
                        .and_then(|v| v.trim().parse::<u32>().ok())
                        .unwrap_or(1)
                        .max(1)
                };
                self.cell = Some(SourceCell {
                    text: String::new(),
                    col_span: span("colspan"),
                    row_span: span("rowspan"),
                });
            }
            _ => {}
        }
        Ok(())
    }

    fn close(&mut self, name: &str) -> Result<(), ReadError> {
        if is_block(name) {
            self.break_line();
        }
        match name {
            "td" | "th" if self.nested == 0 => {
                if let (Some(c), Some(t)) = (self.cell.take(), &mut self.table)
                    && let Some((_, cells)) = t.rows.last_mut()
                {
                    cells.push(c);
                }
            }
            "table" if self.nested > 0 => self.nested -= 1,
            "table" => {
                if let Some(t) = self.table.take() {
                    let mut builder = GridBuilder::new(self.limits, Some(self.tables));
                    for (line, cells) in t.rows {
                        builder.push_row(line, None, cells)?;
                    }
                    self.rows.extend(builder.finish());
                    // What follows a table stands apart from it, as after a blank line.
                    self.line += 1;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Ends the current paragraph: into the open cell, or as a line outside tables. Text inside a
    /// table but outside any cell (stray text between rows) is dropped, as browsers move it out.
    fn break_line(&mut self) {
        let text = std::mem::take(&mut self.buf);
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        if let Some(c) = &mut self.cell {
            if !c.text.is_empty() {
                c.text.push('\n');
            }
            c.text.push_str(text);
        } else if self.table.is_none() {
            self.line += 1;
            self.rows
                .push(Row::new(self.line, 0, vec![Cell::new(text, self.line, 1)]));
        }
    }
}

/// Appends text with HTML whitespace rules: any run of whitespace (and `&nbsp;`) is one space.
fn push_collapsed(buf: &mut String, text: &str) {
    for c in text.chars() {
        if c.is_whitespace() || c == '\u{a0}' {
            if !buf.is_empty() && !buf.ends_with(' ') {
                buf.push(' ');
            }
        } else {
            buf.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(g: &Grid) -> Vec<Vec<String>> {
        g.rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.text.clone()).collect())
            .collect()
    }

    #[test]
    fn meta_charsets_are_found_in_both_spellings() {
        assert_eq!(
            meta_charset(
                br#"<meta http-equiv="Content-Type" content="text/html; charset=gb2312">"#
            )
            .as_deref(),
            Some("gb2312")
        );
        assert_eq!(
            meta_charset(br#"<META CHARSET="GBK">"#).as_deref(),
            Some("gbk")
        );
        assert_eq!(meta_charset(b"<p>no charset</p>"), None);
    }

    #[test]
    fn gb2312_page_with_spans_reads_as_a_grid() {
        let page = r#"<html><head><meta charset="gb2312"><title>首页</title><style>td{}</style></head>
            <body><div class=nav>首页 &gt; 公开</div><p class=MsoNormal>项目支出绩效目标表</p>
            <table><tr><td>项目名称</td><td colspan=2><span>某</span><span>项目</span></td></tr>
            <tr><td rowspan=2>产出指标</td><td>数量指标</td><td>10&nbsp;个</td></tr>
            <tr><td>质量指标</td><td><p>95%</p><p>以上</p></td></tr></table></body></html>"#;
        let (bytes, _, _) = encoding_rs::GBK.encode(page);
        let g = read(&bytes, None, &ReadLimits::default()).unwrap();
        assert_eq!(g.encoding, "gb18030");
        assert_eq!(
            cells(&g),
            vec![
                vec!["首页 > 公开".to_string()],
                vec!["项目支出绩效目标表".into()],
                vec!["项目名称".into(), "某项目".into(), "".into()],
                vec!["产出指标".into(), "数量指标".into(), "10 个".into()],
                vec!["".into(), "质量指标".into(), "95%\n以上".into()],
            ]
        );
        assert!(g.rows[4].cells[0].merged);
        assert_eq!(g.rows[2].table, Some(1));
        assert_eq!(g.rows[3].line, 4);
        assert_eq!(g.rows.len(), 5);
    }

    #[test]
    fn what_the_page_hides_is_not_read() {
        let page = r#"<html><body><div style="display:none">项目名称 隐藏的项目</div>
<p hidden>旧版本</p><table><tr><td>指标值</td><td>200<span style="DISPLAY: None">999</span>公里</td>
<td><span style="visibility:hidden">占位</span>≥95%</td></tr></table></body></html>"#;
        let g = read(page.as_bytes(), None, &ReadLimits::default()).unwrap();
        assert_eq!(cells(&g), vec![vec!["指标值", "200公里", "≥95%"]]);
    }

    #[test]
    fn a_saved_web_form_reads_by_what_its_controls_show() {
        let page = r#"<html><body><table><tr><td><input value="养护里程"><input type="hidden" value="x1"></td>
<td><input type="number" value="200"><span>公里</span></td>
<td><select><option>质量指标</option><option selected>数量指标</option></select></td>
<td><select><option>产出指标</option><option>效益指标</option></select></td>
<td><input type="checkbox" value="on"><textarea>完成养护</textarea></td></tr></table></body></html>"#;
        let g = read(page.as_bytes(), None, &ReadLimits::default()).unwrap();
        assert_eq!(
            cells(&g),
            vec![vec![
                "养护里程",
                "200公里",
                "数量指标",
                "产出指标",
                "完成养护"
            ]]
        );
    }

    #[test]
    fn layout_tables_around_a_data_table_are_not_grids() {
        let page = "<table><tr><td>导航</td><td><p>正文标题</p>
            <table><tr><td>项目名称</td><td>某项目</td></tr></table></td></tr></table>";
        let g = read(page.as_bytes(), Some("utf-8"), &ReadLimits::default()).unwrap();
        assert_eq!(
            cells(&g),
            vec![
                vec!["导航".to_string()],
                vec!["正文标题".into()],
                vec!["项目名称".into(), "某项目".into()],
            ]
        );
        assert_eq!(g.rows[2].table, Some(1));
    }

    #[test]
    fn deep_nesting_is_a_limit_not_a_crash() {
        let page = "<div>".repeat(5000) + "x";
        let e = read(page.as_bytes(), None, &ReadLimits::default()).unwrap_err();
        assert!(matches!(e, ReadError::Limit(_)), "{e:?}");
    }
}
