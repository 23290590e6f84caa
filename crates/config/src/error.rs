//! Configuration errors: where (file, 1-based line and column) and what, printed rustc-style.
//!
//! Positions come from byte spans of the TOML parser; columns count characters, not bytes, because a
//! `pipeline.toml` is full of Chinese text and an editor's column is a character column.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// One problem in a pipeline file (or in an environment variable it depends on).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The pipeline file, as it was given.
    pub file: PathBuf,
    /// 1-based line; 0 when the problem is not in the file (a malformed environment variable).
    pub line: usize,
    /// 1-based column in characters; 0 when `line` is 0.
    pub column: usize,
    /// What is wrong and how to fix it.
    pub message: String,
    /// The text of the offending line (without its line break), for [`ConfigErrors::report`].
    pub source_line: String,
}

impl ConfigError {
    /// An error at byte `span` of `text`.
    pub(crate) fn at(file: &Path, text: &str, span: &Range<usize>, message: String) -> Self {
        let (line, column) = line_col(text, span.start);
        let source_line = text.lines().nth(line - 1).unwrap_or("").to_string();
        ConfigError {
            file: file.to_path_buf(),
            line,
            column,
            message,
            source_line,
        }
    }

    /// An error that has no place in the file (e.g. a malformed `SOURCE_DATE_EPOCH`).
    pub(crate) fn unplaced(file: &Path, message: String) -> Self {
        ConfigError {
            file: file.to_path_buf(),
            line: 0,
            column: 0,
            message,
            source_line: String::new(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: error: {}", self.file.display(), self.message)
        } else {
            let (file, line, col) = (self.file.display(), self.line, self.column);
            write!(f, "{file}:{line}:{col}: error: {}", self.message)
        }
    }
}

/// Every problem found in a pipeline, in file order. `Display` gives one `file:line:col: error: …`
/// line per problem (what logs and schedulers want); [`ConfigErrors::report`] adds the source lines.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigErrors {
    /// Every problem found, in file order.
    pub errors: Vec<ConfigError>,
}

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl ConfigErrors {
    /// The errors for a terminal, rustc-style: each line followed by the source line and a caret.
    pub fn report(&self) -> String {
        let mut out = String::new();
        for e in &self.errors {
            out.push_str(&e.to_string());
            out.push('\n');
            if e.line > 0 {
                let gutter = e.line.to_string();
                let pad = " ".repeat(gutter.len());
                // Wide (CJK) characters take two terminal cells: pad by display width so the caret
                // lands under the right character.
                let before: usize = e
                    .source_line
                    .chars()
                    .take(e.column - 1)
                    .map(|c| if is_wide(c) { 2 } else { 1 })
                    .sum();
                out.push_str(&format!("{pad} |\n{gutter} | {}\n", e.source_line));
                out.push_str(&format!("{pad} | {}^\n", " ".repeat(before)));
            }
        }
        out
    }
}

/// East Asian wide characters (enough for CJK text and full-width punctuation).
fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// 1-based line and column (in characters) of byte `offset` of `text`. An offset inside a character
/// or past the end is clamped to the nearest valid position before it.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "a = 1\nname = \"项目\" x\n";
        let offset = text.find('x').unwrap_or(0);
        assert_eq!(line_col(text, offset), (2, 13));
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 999), (3, 1));
        // Inside the three bytes of 项: clamped to the character's start.
        assert_eq!(line_col(text, text.find('项').unwrap_or(0) + 1), (2, 9));
    }

    #[test]
    fn display_is_one_line_per_error_and_report_has_a_caret() {
        let text = "[pipeline]\nname = \"项目\" x\n";
        let span = text.find('x').unwrap_or(0)..text.len();
        let errors = ConfigErrors {
            errors: vec![
                ConfigError::at(Path::new("p.toml"), text, &span, "bad".into()),
                ConfigError::unplaced(Path::new("p.toml"), "env".into()),
            ],
        };
        assert_eq!(
            errors.to_string(),
            "p.toml:2:13: error: bad\np.toml: error: env"
        );
        assert_eq!(
            errors.report(),
            "p.toml:2:13: error: bad\n  |\n2 | name = \"项目\" x\n  |               ^\np.toml: error: env\n"
        );
    }
}
