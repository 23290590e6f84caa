//! Text → rows of cells, one reader per layout family, and the detection that picks one.
//!
//! Detection looks at structure only (where TABs, pipes, commas and blank lines fall), never at file
//! names or contents of one sample, so a new province's export with the same structure reads the same.

use jixiao_core::{Cell, Layout, Row};

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}'
}

fn trim_cell(s: &str) -> &str {
    s.trim_matches(is_space)
}

fn indent_of(line: &str) -> u32 {
    line.chars()
        .take_while(|c| *c == ' ' || *c == '\u{3000}' || *c == '\u{a0}')
        .count() as u32
}

/// Picks the layout of a text from its structure.
pub fn detect(text: &str) -> Layout {
    let lines: Vec<&str> = text.lines().collect();
    let nonblank: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].trim_matches(is_space).is_empty())
        .collect();
    let n = nonblank.len().max(1);
    let (mut lead_tab, mut inner_tab, mut pipe, mut comma, mut isolated) = (0, 0, 0, 0, 0);
    for &i in &nonblank {
        let l = lines[i];
        let tabs = l.matches('\t').count();
        if l.starts_with('\t') && tabs == 1 {
            lead_tab += 1;
        } else if tabs >= 1 && !l.trim_start_matches(is_space).is_empty() {
            inner_tab += 1;
        }
        if l.matches('|').count() >= 2 {
            pipe += 1;
        }
        if tabs == 0 && l.matches(',').count().max(l.matches(';').count()) >= 2 {
            comma += 1;
        }
        let blank = |j: Option<usize>| {
            j.and_then(|j| lines.get(j))
                .is_none_or(|l| l.trim_matches(is_space).is_empty())
        };
        if blank(i.checked_sub(1)) && blank(Some(i + 1)) {
            isolated += 1;
        }
    }
    if (pipe * 2 >= n && pipe >= 2) || pipe_cell_per_line(text) {
        Layout::Pipe
    } else if lead_tab * 2 >= n {
        Layout::CellPerLine
    } else if inner_tab * 100 >= n * 15 {
        Layout::Tabbed
    } else if comma * 2 >= n && comma >= 2 {
        Layout::Csv
    } else if isolated * 10 >= n * 6 {
        Layout::Paragraph
    } else {
        Layout::SpaceSeparated
    }
}

/// Reads `text` in `layout` (not `Spreadsheet`, which has its own reader).
pub(crate) fn read(text: &str, layout: Layout) -> Vec<Row> {
    match layout {
        // Excel's tab-separated exports ("Unicode Text", "Text (Tab delimited)") quote a cell
        // holding a line break, CSV-style.
        Layout::Tabbed if quoted_line_breaks(text) => crate::csv::read_delimited(text, b'\t'),
        Layout::Tabbed | Layout::Grid => split_lines(text, |l| l.split('\t').collect()),
        Layout::SpaceSeparated => split_lines(text, split_spaces),
        Layout::Pipe if pipe_cell_per_line(text) => pipe_cell_rows(text),
        Layout::Pipe => pipe_rows(text),
        Layout::CellPerLine => cell_per_line(text),
        Layout::Paragraph => paragraphs(text),
        Layout::Csv | Layout::Spreadsheet => crate::csv::read(text),
    }
}

/// Whether a tab-separated text has a cell quoted over a line break: a field that opens with `"`
/// and holds an odd number of them (its closing quote is on a later line). Text copied from a PDF
/// has quotes in pairs; only a spreadsheet's export writes this.
fn quoted_line_breaks(text: &str) -> bool {
    text.contains('"')
        && text.lines().any(|line| {
            line.split('\t')
                .any(|f| f.starts_with('"') && f.matches('"').count() % 2 == 1)
        })
}

/// Cells of a space-aligned line: runs of spaces separate cells, except inside a bracket pair that
/// closes on the same line (`开发数量( ≥**个 )` is one cell, as the template wrote it).
fn split_spaces(line: &str) -> Vec<&str> {
    let mut inside = vec![false; line.len()];
    let mut open: Vec<usize> = Vec::new();
    for (i, c) in line.char_indices() {
        match c {
            '(' | '（' | '[' | '【' => open.push(i),
            ')' | '）' | ']' | '】' => {
                if let Some(start) = open.pop() {
                    inside[start..i].iter_mut().for_each(|b| *b = true);
                }
            }
            _ => {}
        }
    }
    let mut cells = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in line.char_indices() {
        if is_space(c) && !inside[i] {
            if let Some(s) = start.take() {
                cells.push(&line[s..i]);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        cells.push(&line[s..]);
    }
    cells
}

fn split_lines(text: &str, split: impl Fn(&str) -> Vec<&str>) -> Vec<Row> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim_matches(is_space).is_empty())
        .map(|(i, l)| {
            let line = i as u32 + 1;
            let cells = split(l)
                .into_iter()
                .enumerate()
                .map(|(j, c)| Cell::new(trim_cell(c).to_string(), line, j as u32 + 1))
                .collect();
            Row::new(line, indent_of(l), cells)
        })
        .collect()
}

/// How a line of a web table copied one cell per line reads: `text |` is a cell, `text | |||` a
/// cell that ends its row (the extra pipes are the row's empty cells), `|||` only pipes.
#[derive(Debug, PartialEq)]
enum PipeLine<'t> {
    Cell { text: &'t str, ends_row: bool },
    Pipes,
    Other,
}

fn pipe_line(line: &str) -> PipeLine<'_> {
    let t = trim_cell(line);
    if !t.is_empty() && t.chars().all(|c| c == '|' || is_space(c)) {
        return PipeLine::Pipes;
    }
    match t.split_once('|') {
        Some((text, rest))
            if !text.trim_matches(is_space).is_empty()
                && rest.chars().all(|c| c == '|' || is_space(c)) =>
        {
            PipeLine::Cell {
                text: trim_cell(text),
                ends_row: rest.contains('|'),
            }
        }
        _ => PipeLine::Other,
    }
}

/// Whether most lines are one cell each ending in ` |` (a web table copied from the page).
fn pipe_cell_per_line(text: &str) -> bool {
    let (mut cells, mut pipes, mut lines) = (0usize, 0usize, 0usize);
    for l in text.lines().filter(|l| !trim_cell(l).is_empty()) {
        lines += 1;
        match pipe_line(l) {
            PipeLine::Cell { .. } => cells += 1,
            PipeLine::Pipes => pipes += 1,
            PipeLine::Other => {}
        }
    }
    cells >= 3 && (cells + pipes) * 2 >= lines
}

/// Rows of a web table copied one cell per line: cells gather until a line of pipes (or a cell
/// followed by pipes) ends the row. A line without a pipe outside a row is a row of its own
/// (titles, notes); inside a row it starts a cell whose end comes on a later line.
fn pipe_cell_rows(text: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut cells: Vec<Cell> = Vec::new();
    let mut pending: Option<(u32, String)> = None;
    let flush = |rows: &mut Vec<Row>, cells: &mut Vec<Cell>| {
        if let Some(first) = cells.first() {
            let line = first.line;
            rows.push(Row::new(line, 0, std::mem::take(cells)));
        }
    };
    for (i, l) in text.lines().enumerate() {
        let line = i as u32 + 1;
        match pipe_line(l) {
            PipeLine::Cell { text, ends_row } => {
                let (start, mut t) = pending.take().unwrap_or((line, String::new()));
                join(&mut t, text);
                let column = cells.len() as u32 + 1;
                cells.push(Cell::new(t, start, column));
                if ends_row {
                    flush(&mut rows, &mut cells);
                }
            }
            PipeLine::Pipes => flush(&mut rows, &mut cells),
            PipeLine::Other if trim_cell(l).is_empty() => {}
            PipeLine::Other if cells.is_empty() && pending.is_none() => {
                rows.push(Row::new(
                    line,
                    indent_of(l),
                    vec![Cell::new(trim_cell(l), line, 1)],
                ));
            }
            // A heading between two tables (`附件2`, `…绩效目标表`) ends a row the copy left open.
            PipeLine::Other if is_heading_line(l) => {
                if let Some((start, t)) = pending.take() {
                    cells.push(Cell::new(t, start, cells.len() as u32 + 1));
                }
                flush(&mut rows, &mut cells);
                rows.push(Row::new(
                    line,
                    indent_of(l),
                    vec![Cell::new(trim_cell(l), line, 1)],
                ));
            }
            PipeLine::Other => {
                let (_, t) = pending.get_or_insert_with(|| (line, String::new()));
                join(t, l);
            }
        }
    }
    if let Some((line, t)) = pending {
        cells.push(Cell::new(t, line, cells.len() as u32 + 1));
    }
    flush(&mut rows, &mut cells);
    rows
}

/// A line that heads a new table or attachment (`附件2`, `附件：`, `2022年…绩效目标表`) or marks a
/// cut (`[...]`), never the first line of a wrapped cell.
fn is_heading_line(line: &str) -> bool {
    let t = trim_cell(line);
    // A mark that the copy ends or leaves something out: `[... TRUNCATED ...]`, `[…]`.
    if let Some(rest) = t.strip_prefix('[') {
        return rest.trim_start().starts_with("...") || rest.trim_start().starts_with('…');
    }
    if let Some(rest) = t.strip_prefix("附件") {
        return rest.is_empty()
            || rest.starts_with(|c: char| c.is_ascii_digit() || c == ':' || c == '：');
    }
    t.ends_with('表') && t.chars().count() <= 60 && !t.contains(['，', '。', ','])
}

/// `| a | b |` rows; `|---|:--:|` separator rows are dropped.
fn pipe_rows(text: &str) -> Vec<Row> {
    let mut rows = split_lines(text, |l| {
        let t = trim_cell(l);
        let t = t.strip_prefix('|').unwrap_or(t);
        let t = t.strip_suffix('|').unwrap_or(t);
        t.split('|').collect()
    });
    rows.retain(|r| {
        !r.cells.iter().all(|c| {
            !c.text.is_empty() && c.text.chars().all(|ch| ch == '-' || ch == ':' || ch == ' ')
        })
    });
    rows
}

/// Joins the lines of one wrapped cell: no separator between two CJK characters, else one space.
fn join(into: &mut String, next: &str) {
    let next = trim_cell(next);
    if next.is_empty() {
        return;
    }
    let cjk = |c: Option<char>| c.is_some_and(|c| c as u32 >= 0x2E80);
    let glued = cjk(into.chars().last()) && cjk(next.chars().next());
    if !into.is_empty() && !glued {
        into.push(' ');
    }
    into.push_str(next);
}

/// Word → text: a line starting with TAB starts a cell, a line without continues it, a blank line ends
/// the row.
fn cell_per_line(text: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut cells: Vec<Cell> = Vec::new();
    let mut row_line = 0;
    let flush = |cells: &mut Vec<Cell>, rows: &mut Vec<Row>, line: u32| {
        if !cells.is_empty() {
            rows.push(Row::new(line, 0, std::mem::take(cells)));
        }
    };
    for (i, l) in text.lines().enumerate() {
        let line = i as u32 + 1;
        if l.trim_matches(is_space).is_empty() && !l.starts_with('\t') {
            flush(&mut cells, &mut rows, row_line);
            continue;
        }
        if let Some(rest) = l.strip_prefix('\t') {
            if cells.is_empty() {
                row_line = line;
            }
            let column = cells.len() as u32 + 1;
            cells.push(Cell::new(trim_cell(rest).to_string(), line, column));
        } else if let Some(last) = cells.last_mut() {
            join(&mut last.text, l);
        } else {
            row_line = line;
            cells.push(Cell::new(trim_cell(l).to_string(), line, 1));
        }
    }
    flush(&mut cells, &mut rows, row_line);
    rows
}

/// Web pages: a paragraph (lines between blank lines) is one cell and its own row.
fn paragraphs(text: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut current: Option<Cell> = None;
    for (i, l) in text.lines().enumerate() {
        let line = i as u32 + 1;
        if l.trim_matches(is_space).is_empty() {
            if let Some(cell) = current.take() {
                rows.push(Row::new(cell.line, 0, vec![cell]));
            }
            continue;
        }
        match current.as_mut() {
            Some(cell) => join(&mut cell.text, l),
            None => current = Some(Cell::new(trim_cell(l).to_string(), line, 1)),
        }
    }
    if let Some(cell) = current {
        rows.push(Row::new(cell.line, 0, vec![cell]));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(name: &str) -> String {
        let path = format!("{}/../../samples/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn samples_are_detected_by_structure() {
        assert_eq!(
            detect(&sample("000-panzhihua-xiqu-2024-project-targets.txt")),
            Layout::Tabbed
        );
        assert_eq!(
            detect(&sample("001-yanbian-2021-project-targets.txt")),
            Layout::Tabbed
        );
        assert_eq!(
            detect(&sample("002-renhe-renda-2024-targets.txt")),
            Layout::CellPerLine
        );
        assert_eq!(
            detect(&sample("003-yongning-tuanjiexilu-2024-project-targets.txt")),
            Layout::Tabbed
        );
        assert_eq!(
            detect(&sample(
                "004-fengfeng-jiguanshiwu-2024-budget-disclosure.txt"
            )),
            Layout::Tabbed
        );
        assert_eq!(
            detect(&sample("extra/guangyuan-zhaohua-2021-leprosy-project.txt")),
            Layout::SpaceSeparated
        );
        assert_eq!(
            detect(&sample("extra/yueyang-county-2022-farmland-project.txt")),
            Layout::Paragraph
        );
        assert_eq!(detect("| a | b |\n|---|---|\n| c | d |\n"), Layout::Pipe);
        assert_eq!(
            detect("项目名称,一级指标,指标值\nA,产出指标,5台\n"),
            Layout::Csv
        );
    }

    #[test]
    fn tabbed_rows_keep_empty_cells_and_line_numbers() {
        let rows = read(
            &sample("000-panzhihua-xiqu-2024-project-targets.txt"),
            Layout::Tabbed,
        );
        let row = rows
            .iter()
            .find(|r| r.cells.first().is_some_and(|c| c.text == "项目名称"))
            .expect("row");
        assert_eq!(row.line, 114);
        assert_eq!(row.cells[1].text, "人大业务经费");
        assert_eq!(row.cells.len(), 5);
        assert_eq!(row.cells[1].column, 2);
    }

    #[test]
    fn excel_tab_separated_exports_keep_quoted_line_breaks_in_their_cell() {
        let text =
            "项目名称\t农村公路养护\n年度目标\t\"完成养护\n200公里\"\n指标值\t\"\"\"优\"\"\"\n";
        assert_eq!(detect(text), Layout::Tabbed);
        let rows = read(text, Layout::Tabbed);
        assert_eq!(
            texts(&rows),
            vec![
                vec!["项目名称", "农村公路养护"],
                vec!["年度目标", "完成养护\n200公里"],
                vec!["指标值", "\"优\""],
            ]
        );
        assert_eq!(rows[2].line, 4);
        // Quotes in pairs (a PDF copy) stay as written.
        let copied = read("指标值\t\"三公\"经费\n", Layout::Tabbed);
        assert_eq!(texts(&copied), vec![vec!["指标值", "\"三公\"经费"]]);
    }

    #[test]
    fn cell_per_line_joins_wrapped_cells() {
        let rows = read(
            "\t绩\n效\n指\n标\n\t社会效益\n指标\n\t\n\n\t下一行\n",
            Layout::CellPerLine,
        );
        assert_eq!(rows.len(), 2);
        let texts: Vec<&str> = rows[0].cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, vec!["绩效指标", "社会效益指标", ""]);
        assert_eq!(
            (rows[0].line, rows[1].line, rows[0].cells[1].line),
            (1, 9, 5)
        );
    }

    #[test]
    fn paragraphs_and_pipes() {
        let rows = read("项目名称\n\n岳阳县\n项目\n\n\n指标值\n", Layout::Paragraph);
        let texts: Vec<&str> = rows.iter().map(|r| r.cells[0].text.as_str()).collect();
        assert_eq!(texts, vec!["项目名称", "岳阳县项目", "指标值"]);
        assert_eq!(rows[2].line, 7);
        let rows = read(
            "| 一级指标 | 二级指标 |\n|---|---|\n|  | 数量指标 |\n",
            Layout::Pipe,
        );
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].cells[0].text, "");
        assert_eq!(rows[1].cells[1].text, "数量指标");
    }

    fn texts(rows: &[Row]) -> Vec<Vec<&str>> {
        rows.iter()
            .map(|r| r.cells.iter().map(|c| c.text.as_str()).collect())
            .collect()
    }

    #[test]
    fn web_tables_copied_one_cell_per_line() {
        let text = "附件2\n项目名称 |\n某项目 |\n主管部门 |\n某局 | ||||\n一级指标 |\n二级指标 |\n|\n产出指标 |\n数量\n指标 |\n10个 | |\n";
        assert_eq!(detect(text), Layout::Pipe);
        let rows = read(text, Layout::Pipe);
        assert_eq!(
            texts(&rows),
            vec![
                vec!["附件2"],
                vec!["项目名称", "某项目", "主管部门", "某局"],
                vec!["一级指标", "二级指标"],
                vec!["产出指标", "数量指标", "10个"],
            ]
        );
        assert_eq!(rows[1].line, 2);
        assert_eq!(rows[3].cells[1].line, 10);
        // A heading after a row the copy left open ends that row; it does not join the next cell.
        let rows = read(
            "合计 |\n100 |\n附件2\n某某绩效目标表\n项目名称 |\n某项目 | ||\n",
            Layout::Pipe,
        );
        assert_eq!(
            texts(&rows),
            vec![
                vec!["合计", "100"],
                vec!["附件2"],
                vec!["某某绩效目标表"],
                vec!["项目名称", "某项目"],
            ]
        );
        // Ordinary pipe rows are not this layout.
        assert!(!pipe_cell_per_line("| a | b |\n| c | d |\n"));
        assert!(!pipe_cell_per_line(
            "项目名称 | 某项目 | |||\n一级 | 二级 | 三级 | |\n"
        ));
    }

    #[test]
    fn spaces_inside_a_bracket_pair_do_not_split_a_cell() {
        assert_eq!(
            split_spaces("贫困地区旅游景点开发数量( ≥**个 ) >=4个  "),
            vec!["贫困地区旅游景点开发数量( ≥**个 )", ">=4个"]
        );
        assert_eq!(
            split_spaces("资金( 万元 年度 10"),
            vec!["资金(", "万元", "年度", "10"]
        );
        assert_eq!(split_spaces("（一） 财政拨款"), vec!["（一）", "财政拨款"]);
    }

    #[test]
    fn space_separated_rows_record_indentation() {
        let rows = read(
            "项目名称 麻风病防治\n   (一)财政拨款小计 4.00\n",
            Layout::SpaceSeparated,
        );
        assert_eq!(rows[1].indent, 3);
        assert_eq!(rows[1].cells[1].text, "4.00");
    }
}
