//! CSV through the `csv` crate (RFC 4180: quoted fields, doubled quotes, newlines inside quotes,
//! rows of different lengths). A `;` separator is used when a file's first line has more of them
//! than commas (European spreadsheet exports). A row and its cells carry the line the row starts on.

use jixiao_core::{Cell, Row};

pub(crate) fn read(text: &str) -> Vec<Row> {
    let first = text.lines().next().unwrap_or("");
    let sep = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sep)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = ::csv::StringRecord::new();
    // The crate's own line count skips blank lines; count newlines up to each record's start.
    let (mut counted_to, mut line) = (0usize, 1u32);
    // A malformed record (invalid UTF-8 cannot occur: the text is decoded) ends reading quietly.
    while let Ok(true) = reader.read_record(&mut record) {
        let start = record
            .position()
            .map_or(counted_to, |p| {
                usize::try_from(p.byte()).unwrap_or(counted_to)
            })
            .clamp(counted_to, text.len());
        // The position may stand on blank lines the reader then skipped.
        let skipped = text.as_bytes()[start..]
            .iter()
            .take_while(|&&b| b == b'\n' || b == b'\r')
            .count();
        let start = start + skipped;
        let newlines = text.as_bytes()[counted_to..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        line = line.saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
        counted_to = start;
        let cells: Vec<Cell> = record
            .iter()
            .enumerate()
            .map(|(i, field)| Cell::new(field.trim(), line, i as u32 + 1))
            .collect();
        if cells.iter().any(|c| !c.text.is_empty()) {
            rows.push(Row::new(line, 0, cells));
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

    #[test]
    fn semicolons_and_ragged_rows() {
        let rows = super::read("项目名称;指标值\n某项目\n\n数量;10;个\n");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1].cells.len(), 1);
        assert_eq!(rows[2].cells[2].text, "个");
        assert_eq!(rows[2].line, 4);
    }
}
