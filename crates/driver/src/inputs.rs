//! `[[inputs]]` patterns → the sorted, deduplicated list of files to read.
//!
//! Pipeline patterns are resolved against the pipeline's folder, `--input` overrides against the
//! current directory (the user typed them there). Files are named in outputs relative to the pipeline's
//! folder with `/` separators, so records.json and the manifest do not depend on where the run started
//! or on the operating system.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use jixiao_core::{Diagnostic, Layout};
use jixiao_ingest::InputFile;

use crate::DriverError;

/// One pattern to expand, with the overrides of the `[[inputs]]` entry it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputSpec {
    /// A path or glob pattern (`samples/*.txt`).
    pub pattern: String,
    /// Folder a relative pattern is resolved against.
    pub root: PathBuf,
    /// An encoding label (`gb18030`, `utf-16le` …) to decode with; `None` detects the encoding.
    pub encoding: Option<String>,
    /// A forced layout (validated when the pipeline was compiled).
    pub layout: Option<Layout>,
}

/// The files a run reads, and the problems found while listing them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResolvedInputs {
    /// The files to read, each once, sorted by display name.
    pub files: Vec<InputFile>,
    /// One error per pattern that matched no file (naming the pattern), and per unreadable folder.
    pub diagnostics: Vec<Diagnostic>,
}

/// Expands every pattern. A malformed pattern is a configuration error; a pattern
/// that matches nothing is an error *diagnostic*, so the other inputs are still read.
///
/// When one file is matched by several entries the first entry's overrides win. The result is sorted
/// by display name, which makes the run independent of the order the file system lists folders in.
pub fn resolve(specs: &[InputSpec], display_base: &Path) -> Result<ResolvedInputs, DriverError> {
    let mut out = ResolvedInputs::default();
    let mut seen = BTreeSet::new();
    for spec in specs {
        let layout = spec.layout;
        let mut matched = 0usize;
        for path in expand(spec, &mut out.diagnostics)? {
            matched += 1;
            // Canonical paths catch `a/./b.txt` vs `a/b.txt`; a path that cannot be canonicalised
            // (removed meanwhile) is kept and left to ingest to report.
            let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            if seen.insert(key) {
                out.files.push(InputFile {
                    display: display_name(&path, display_base),
                    path,
                    encoding: spec.encoding.clone(),
                    layout,
                });
            }
        }
        if matched == 0 {
            out.diagnostics.push(Diagnostic::error(
                "run.input-unmatched",
                format!(
                    "input pattern `{}` matched no file (looked in {}); fix the path in [[inputs]] or --input",
                    spec.pattern,
                    display_or_dot(&spec.root)
                ),
                None,
            ));
        }
    }
    rebase_outside(&mut out.files, display_base);
    out.files.sort_by(|a, b| a.display.cmp(&b.display));
    Ok(out)
}

/// The regular files one pattern names. An existing literal path is taken as is, so file names with
/// glob characters (`[2024]表.txt`) still work.
fn expand(spec: &InputSpec, diags: &mut Vec<Diagnostic>) -> Result<Vec<PathBuf>, DriverError> {
    let joined = spec.root.join(&spec.pattern);
    if joined.is_file() {
        return Ok(vec![joined]);
    }
    let text = joined.to_string_lossy();
    let paths = glob::glob(&text).map_err(|e| {
        DriverError::Config(format!(
            "input pattern `{}` is malformed: {e}",
            spec.pattern
        ))
    })?;
    let mut files = Vec::new();
    for entry in paths {
        match entry {
            Ok(p) if p.is_file() => files.push(p),
            Ok(_) => {}
            Err(e) => diags.push(Diagnostic::error(
                "run.input-unreadable",
                format!(
                    "cannot list {} while expanding `{}`: {}",
                    e.path().display(),
                    spec.pattern,
                    e.error()
                ),
                None,
            )),
        }
    }
    files.sort();
    Ok(files)
}

/// `path` relative to `base` when it lies below it, `/`-separated, without `./` noise.
pub fn display_name(path: &Path, base: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| match c {
            Component::RootDir => String::new(),
            other => other.as_os_str().to_string_lossy().into_owned(),
        })
        .collect();
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

/// Files outside `base` (absolute patterns elsewhere on disk) are named relative to the folder they
/// all share — the input root — not by the machine's absolute path, which the packet would print on
/// every sheet. A name that would then clash with another file's keeps its full path.
fn rebase_outside(files: &mut [InputFile], base: &Path) {
    // `""` (a pipeline file named without a folder) is the current folder.
    let base = std::path::absolute(if base.as_os_str().is_empty() {
        Path::new(".")
    } else {
        base
    })
    .unwrap_or_else(|_| base.to_path_buf());
    let outside = |f: &InputFile| f.path.is_absolute() && f.path.strip_prefix(&base).is_err();
    let Some(root) = files
        .iter()
        .filter(|f| outside(f))
        .filter_map(|f| f.path.parent())
        .map(Path::to_path_buf)
        .reduce(|a, b| common_ancestor(&a, &b))
        .filter(|r| r.parent().is_some())
    else {
        return;
    };
    let taken: BTreeSet<String> = files
        .iter()
        .filter(|f| !outside(f))
        .map(|f| f.display.clone())
        .collect();
    for f in files.iter_mut().filter(|f| outside(f)) {
        let name = display_name(&f.path, &root);
        if !taken.contains(&name) {
            f.display = name;
        }
    }
}

fn common_ancestor(a: &Path, b: &Path) -> PathBuf {
    a.components()
        .zip(b.components())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x)
        .collect()
}

fn display_or_dot(p: &Path) -> String {
    if p.as_os_str().is_empty() {
        ".".into()
    } else {
        p.display().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(root: &Path, pattern: &str) -> InputSpec {
        InputSpec {
            pattern: pattern.into(),
            root: root.to_path_buf(),
            encoding: None,
            layout: None,
        }
    }

    #[test]
    fn globs_are_sorted_deduplicated_and_relative() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        for name in ["b.txt", "a.txt", "c.csv"] {
            std::fs::write(dir.path().join(name), "x")?;
        }
        let specs = [spec(dir.path(), "*.txt"), spec(dir.path(), "./a.txt")];
        let r = resolve(&specs, dir.path())?;
        let names: Vec<&str> = r.files.iter().map(|f| f.display.as_str()).collect();
        assert_eq!(names, ["a.txt", "b.txt"]);
        assert!(r.diagnostics.is_empty());
        Ok(())
    }

    #[test]
    fn files_outside_the_pipeline_folder_are_named_from_their_shared_folder()
    -> Result<(), Box<dyn std::error::Error>> {
        let inputs = tempfile::tempdir()?;
        let pipeline = tempfile::tempdir()?;
        std::fs::create_dir_all(inputs.path().join("2024/extra"))?;
        std::fs::write(inputs.path().join("2024/a.txt"), "x")?;
        std::fs::write(inputs.path().join("2024/extra/b.txt"), "x")?;
        std::fs::write(pipeline.path().join("own.txt"), "x")?;
        let abs = |p: &str| inputs.path().join(p).display().to_string();
        let specs = [
            spec(pipeline.path(), &abs("2024/*.txt")),
            spec(pipeline.path(), &abs("2024/extra/*.txt")),
            spec(pipeline.path(), "own.txt"),
        ];
        let r = resolve(&specs, pipeline.path())?;
        let names: Vec<&str> = r.files.iter().map(|f| f.display.as_str()).collect();
        // No absolute path of this machine: relative to the inputs' shared folder (…/2024).
        assert_eq!(names, ["a.txt", "extra/b.txt", "own.txt"]);
        Ok(())
    }

    #[test]
    fn unmatched_pattern_is_an_error_naming_it() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let r = resolve(&[spec(dir.path(), "nothing/*.txt")], dir.path())?;
        assert!(r.files.is_empty());
        assert_eq!(r.diagnostics.len(), 1);
        assert!(r.diagnostics[0].message.contains("`nothing/*.txt`"));
        assert_eq!(r.diagnostics[0].severity, jixiao_core::Severity::Error);
        Ok(())
    }

    #[test]
    fn a_bad_glob_is_a_config_error() {
        let bad = spec(Path::new("."), "[unclosed");
        assert!(matches!(
            resolve(&[bad], Path::new(".")),
            Err(DriverError::Config(_))
        ));
    }

    #[test]
    fn display_names_use_slashes_and_drop_dot() {
        assert_eq!(
            display_name(Path::new("./samples/a.txt"), Path::new(".")),
            "samples/a.txt"
        );
        assert_eq!(
            display_name(Path::new("x/y.txt"), Path::new("other")),
            "x/y.txt"
        );
    }
}
