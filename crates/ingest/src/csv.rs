//! CSV (RFC 4180: quoted fields, doubled quotes, newlines inside quotes). A `;` separator is used when a
//! file's first line has more of them than commas (European spreadsheet exports).

use jixiao_core::{Cell, Row};

pub fn read(text: &str) -> Vec<Row> {
    let first = text.lines().next().unwrap_or("");
    let sep = if first.matches(';').count() > first.matches(',').count() {
        ';'
    } else {
        ','
    };
    let mut rows = Vec::new();
    let mut cells: Vec<Cell> = Vec::new();
    let mut field = String::new();
    let (mut line, mut row_line, mut field_line) = (1u32, 1u32, 1u32);
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let end_field = |cells: &mut Vec<Cell>, field: &mut String, field_line: u32| {
        let column = cells.len() as u32 + 1;
        cells.push(Cell::new(field.trim().to_string(), field_line, column));
        field.clear();
    };
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.trim().is_empty() => {
                field.clear();
                quoted = true;
            }
            c if c == sep => {
                end_field(&mut cells, &mut field, field_line);
                field_line = line;
            }
            '\n' => {
                end_field(&mut cells, &mut field, field_line);
                if cells.iter().any(|c| !c.text.is_empty()) {
                    rows.push(Row::new(row_line, 0, std::mem::take(&mut cells)));
                }
                cells.clear();
                line += 1;
                row_line = line;
                field_line = line;
            }
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !cells.is_empty() {
        end_field(&mut cells, &mut field, field_line);
        if cells.iter().any(|c| !c.text.is_empty()) {
            rows.push(Row::new(row_line, 0, cells));
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    #[test]
    fn quotes_and_embedded_newlines() {
        let rows = super::read("项目名称,指标值\n\"A,项目\",\"≥5\n台\"\n\"说\"\"明\",1\n");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1].cells[0].text, "A,项目");
        assert_eq!(rows[1].cells[1].text, "≥5\n台");
        assert_eq!(rows[2].line, 4);
        assert_eq!(rows[2].cells[0].text, "说\"明");
    }
}
