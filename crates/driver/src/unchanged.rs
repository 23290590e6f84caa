//! `run --skip-unchanged`: when the packet in the output folder was made from exactly the same inputs,
//! pipeline file, rubric file, plugins, templates and jixiao version, a scheduled run has nothing to
//! do. The check
//! reads only the previous `manifest.json` and the checksums of the current files.

use std::path::Path;

use crate::manifest::Manifest;

/// What a packet is made from, as its manifest records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fingerprint {
    pub jixiao_version: String,
    pub pipeline_sha256: Option<String>,
    pub rubric_sha256: Option<String>,
    /// (file as named in the manifest, sha256), in manifest order.
    pub inputs: Vec<(String, Option<String>)>,
    pub plugins: Vec<Option<String>>,
    pub render: crate::manifest::RenderEntry,
}

/// Whether `out_dir/manifest.json` describes a packet made from `current`. Any doubt (no manifest, an
/// unreadable one, a run that published nothing) means "not current".
pub(crate) fn is_current(out_dir: &Path, current: &Fingerprint) -> bool {
    let Ok(bytes) = std::fs::read(out_dir.join(crate::publish::MANIFEST)) else {
        return false;
    };
    // A manifest of another shape (an older jixiao, a hand edit) does not parse: not current.
    let Ok(m) = serde_json::from_slice::<Manifest>(&bytes) else {
        return false;
    };
    let inputs: Vec<(String, Option<String>)> =
        m.inputs.into_iter().map(|i| (i.file, i.sha256)).collect();
    let plugins: Vec<Option<String>> = m.plugins.into_iter().map(|p| p.sha256).collect();
    m.jixiao_version == current.jixiao_version
        && m.pipeline.sha256 == current.pipeline_sha256
        && m.rubric.file_sha256 == current.rubric_sha256
        && inputs == current.inputs
        && plugins == current.plugins
        && m.render == current.render
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fingerprint() -> Fingerprint {
        Fingerprint {
            jixiao_version: "0.1.0".into(),
            pipeline_sha256: Some("p".into()),
            rubric_sha256: None,
            inputs: vec![("a.txt".into(), Some("1".into()))],
            plugins: vec![],
            render: crate::manifest::RenderEntry {
                formats: vec!["pdf".into()],
                templates_sha256: None,
            },
        }
    }

    /// The manifest of a packet made from [`fingerprint`].
    fn manifest() -> Manifest {
        use crate::manifest::{InputEntry, PipelineEntry, RenderEntry, RubricEntry};
        Manifest {
            manifest_version: crate::manifest::MANIFEST_VERSION,
            jixiao_version: "0.1.0".into(),
            pipeline: PipelineEntry {
                file: "pipeline.toml".into(),
                sha256: Some("p".into()),
            },
            inputs: vec![InputEntry {
                file: "a.txt".into(),
                size: Some(1),
                sha256: Some("1".into()),
                layout: "tabbed".into(),
                encoding: "UTF-8".into(),
                records: 1,
                diagnostics: Default::default(),
            }],
            diagnostics: Vec::new(),
            rubric: RubricEntry {
                name: "r".into(),
                version: "1".into(),
                file_sha256: None,
            },
            plugins: Vec::new(),
            render: RenderEntry {
                formats: vec!["pdf".into()],
                templates_sha256: None,
            },
            artifacts: Vec::new(),
            exit_code: 0,
            timings_ms: Vec::new(),
        }
    }

    #[test]
    fn only_an_identical_fingerprint_is_current() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        assert!(
            !is_current(dir.path(), &fingerprint()),
            "no manifest: not current"
        );
        // Of another shape (fields missing): not current.
        let partial = r#"{"jixiao_version": "0.1.0", "pipeline": {"sha256": "p"}, "rubric": {"name": "r"},
            "inputs": [{"file": "a.txt", "sha256": "1"}], "plugins": [], "render": {"formats": ["pdf"]}}"#;
        std::fs::write(dir.path().join("manifest.json"), partial)?;
        assert!(!is_current(dir.path(), &fingerprint()));
        std::fs::write(
            dir.path().join("manifest.json"),
            serde_json::to_vec_pretty(&manifest())?,
        )?;
        assert!(is_current(dir.path(), &fingerprint()));
        let mut changed = fingerprint();
        changed.inputs[0].1 = Some("2".into());
        assert!(!is_current(dir.path(), &changed), "an input changed");
        let mut added = fingerprint();
        added.inputs.push(("b.txt".into(), Some("3".into())));
        assert!(!is_current(dir.path(), &added), "an input was added");
        let mut pipeline = fingerprint();
        pipeline.pipeline_sha256 = Some("q".into());
        assert!(!is_current(dir.path(), &pipeline), "the pipeline changed");
        let mut templates = fingerprint();
        templates.render.templates_sha256 = Some("t".into());
        assert!(!is_current(dir.path(), &templates), "a template changed");
        Ok(())
    }
}
