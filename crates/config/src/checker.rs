//! [`Checker`]: collects every problem of a pipeline file with its byte span, so that `compile` can
//! report them all at once. Section modules (`scoring.rs`, `render.rs`) use it through a hook like
//! `pub(crate) fn check(&self, ctx: &mut Checker<'_>)`: their public structs stay plain (other crates
//! use them), and the checker finds spans by key path in the parsed document instead.

use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

/// The problem collector handed to every section check.
pub(crate) struct Checker<'a> {
    #[allow(dead_code, reason = "read by the section hook API")]
    root: &'a Spanned<DeTable<'a>>,
    problems: Vec<(Range<usize>, String)>,
}

impl<'a> Checker<'a> {
    pub(crate) fn new(root: &'a Spanned<DeTable<'a>>) -> Self {
        Checker {
            root,
            problems: Vec::new(),
        }
    }

    /// Reports a problem at byte `span` of the pipeline file. Write the message so it names the fix:
    /// ``"`jobs` is 300: use 0 (all cores) to 256"``.
    pub(crate) fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.problems.push((span, message.into()));
    }

    // The path API is for the section hooks of scoring.rs / render.rs, which do not call it yet.
    #[allow(dead_code, reason = "section hook API, see the module docs")]
    /// Reports a problem at the value under `path` (`["scoring", "bands", "good"]`; array elements by
    /// index: `["scoring", "plugins", "0", "weight"]`). When the path does not exist (a default was
    /// used), the problem points at the nearest enclosing value that does, or at the file's start.
    pub(crate) fn error_at(&mut self, path: &[&str], message: impl Into<String>) {
        let span = self.nearest_span(path);
        self.error(span, message);
    }

    #[allow(dead_code, reason = "section hook API, see the module docs")]
    /// The span of the value under `path`, if it is written in the file.
    pub(crate) fn span_of(&self, path: &[&str]) -> Option<Range<usize>> {
        let (found, depth) = self.walk(path);
        (depth == path.len()).then_some(found)
    }

    #[allow(dead_code, reason = "section hook API, see the module docs")]
    /// The span of the deepest existing value along `path`.
    fn nearest_span(&self, path: &[&str]) -> Range<usize> {
        let (span, depth) = self.walk(path);
        // Nothing of the path exists: the whole file's span would underline everything, the start is
        // a better place to say "add this".
        if depth == 0 { 0..0 } else { span }
    }

    #[allow(dead_code, reason = "section hook API, see the module docs")]
    /// Follows `path` as far as it exists: the last span reached and how many segments matched.
    fn walk(&self, path: &[&str]) -> (Range<usize>, usize) {
        let mut span = self.root.span();
        let mut table: Option<&DeTable<'_>> = Some(self.root.get_ref());
        let mut array: Option<&[Spanned<DeValue<'_>>]> = None;
        for (depth, segment) in path.iter().enumerate() {
            let next = match (table, array) {
                (Some(t), _) => t
                    .iter()
                    .find(|(k, _)| k.get_ref() == segment)
                    .map(|(_, v)| v),
                (None, Some(a)) => segment.parse::<usize>().ok().and_then(|i| a.get(i)),
                (None, None) => None,
            };
            let Some(value) = next else {
                return (span, depth);
            };
            span = value.span();
            table = value.get_ref().as_table();
            array = value.get_ref().as_array().map(|a| a.as_ref());
        }
        (span, path.len())
    }

    /// Deserializes one value into `T`, reporting a failure (unknown field, wrong type, missing key)
    /// at the span toml gives, else at the value itself. Serde stops at the first error, so callers
    /// deserialize section by section (and array element by element) to report as much as possible.
    pub(crate) fn deserialize<T: DeserializeOwned>(
        &mut self,
        value: &Spanned<DeValue<'_>>,
    ) -> Option<T> {
        match T::deserialize(ValueDeserializer::from(value.clone())) {
            Ok(t) => Some(t),
            Err(e) => {
                let span = e.span().unwrap_or_else(|| value.span());
                self.error(span, e.message().trim_end().to_string());
                None
            }
        }
    }

    pub(crate) fn has_errors(&self) -> bool {
        !self.problems.is_empty()
    }

    /// The problems in file order (ties keep the order they were reported in).
    pub(crate) fn into_problems(mut self) -> Vec<(Range<usize>, String)> {
        self.problems.sort_by_key(|(span, _)| span.start);
        self.problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "[scoring]\nname = \"x\"\n[[scoring.plugins]]\npath = \"a\"\nweight = 2\n";

    #[test]
    fn spans_are_found_by_key_path() {
        let (root, errors) = DeTable::parse_recoverable(DOC);
        assert!(errors.is_empty());
        let c = Checker::new(&root);
        let at = |p: &[&str]| c.span_of(p).map(|s| &DOC[s]);
        assert_eq!(at(&["scoring", "name"]), Some("\"x\""));
        assert_eq!(at(&["scoring", "plugins", "0", "weight"]), Some("2"));
        assert_eq!(at(&["scoring", "plugins", "1"]), None);
        assert_eq!(at(&["scoring", "bands"]), None);
    }

    #[test]
    fn missing_paths_point_at_the_nearest_written_value() {
        let (root, _) = DeTable::parse_recoverable(DOC);
        let mut c = Checker::new(&root);
        c.error_at(&["scoring", "plugins", "0", "params"], "p");
        c.error_at(&["render"], "r");
        let problems = c.into_problems();
        assert_eq!(problems[0], (0..0, "r".to_string()));
        // An array-of-tables element's span is its header.
        assert_eq!(&DOC[problems[1].0.clone()], "[[scoring.plugins]]");
    }
}
