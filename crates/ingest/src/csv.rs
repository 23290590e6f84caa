//! CSV through the `csv` crate (RFC 4180: quoted fields, doubled quotes, newlines inside quotes,
//! rows of different lengths). A `;` separator is used when a file's first lines hold more of them
//! than commas (European spreadsheet exports). A row and its cells carry the line the row starts on.
//! Excel's tab-separated text exports quote the same way ([`read_delimited`] with a TAB).

use jixiao_core::{Cell, Row};

/// Lines looked at to choose the separator (a title line has none).
const SNIFF_LINES: usize = 20;

pub(crate) fn read(text: &str) -> Vec<Row> {
    let head = text.lines().take(SNIFF_LINES);
    let (semis, commas) = head.fold((0, 0), |(s, c), l| {
        (s + l.matches(';').count(), c + l.matches(',').count())
    });
    read_delimited(text, if semis > commas { b';' } else { b',' })
}

/// Rows of `text` separated by `sep`, with CSV quoting.
pub(crate) fn read_delimited(text: &str, sep: u8) -> Vec<Row> {
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
        // A title line without separators does not decide.
        let rows = super::read("项目支出绩效目标表\n项目名称;某项目\n指标值;\"≥95%;≥90%\"\n");
        assert_eq!(rows[2].cells[1].text, "≥95%;≥90%");
        assert_eq!(rows[1].cells.len(), 2);
    }
}
