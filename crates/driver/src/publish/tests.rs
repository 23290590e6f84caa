use super::*;
use crate::stages::Artifact;

type R = Result<(), Box<dyn std::error::Error>>;

/// Publishes `artifacts` into `out` atomically: staged, then committed.
fn publish(out: &Path, artifacts: &[Artifact]) -> Result<(), DriverError> {
    let mut staging = Staging::create(out)?;
    for a in artifacts {
        staging.write(&a.path, &a.bytes)?;
    }
    staging.commit()
}

fn art(path: &str, text: &str) -> Artifact {
    Artifact {
        path: path.into(),
        bytes: text.as_bytes().to_vec(),
    }
}

fn manifest_listing(paths: &[&str]) -> Artifact {
    let list: Vec<serde_json::Value> = paths
        .iter()
        .map(|p| serde_json::json!({ "path": p }))
        .collect();
    art(
        MANIFEST,
        &serde_json::json!({ "artifacts": list }).to_string(),
    )
}

fn leftovers(out: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(out)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(STAGING_PREFIX))
        .collect();
    names.sort();
    names
}

#[test]
fn publish_replaces_files_and_drops_obsolete_ones() -> R {
    let dir = tempfile::tempdir()?;
    let out = dir.path();
    publish(
        out,
        &[
            art("records.json", "old"),
            art("packets/a.html", "a"),
            manifest_listing(&["records.json", "packets/a.html"]),
        ],
    )?;
    assert_eq!(fs::read_to_string(out.join("packets/a.html"))?, "a");
    publish(
        out,
        &[
            art("records.json", "new"),
            manifest_listing(&["records.json"]),
        ],
    )?;
    assert_eq!(fs::read_to_string(out.join("records.json"))?, "new");
    assert!(
        !out.join("packets/a.html").exists(),
        "obsolete artifact kept"
    );
    assert!(leftovers(out).is_empty(), "staging folder left behind");
    Ok(())
}

#[test]
fn recover_removes_unfinished_staging_and_keeps_old_packet() -> R {
    let dir = tempfile::tempdir()?;
    let out = dir.path();
    fs::write(out.join("records.json"), "old")?;
    let staging = out.join(".staging-999999-0");
    fs::create_dir(&staging)?;
    fs::write(staging.join("records.json"), "half-writ")?;
    let notes = recover(out)?;
    assert_eq!(notes.len(), 1);
    assert_eq!(fs::read_to_string(out.join("records.json"))?, "old");
    assert!(leftovers(out).is_empty());
    Ok(())
}

#[test]
fn recover_finishes_a_committed_staging() -> R {
    let dir = tempfile::tempdir()?;
    let out = dir.path();
    fs::write(out.join("records.json"), "old")?;
    fs::write(out.join("gone.html"), "old")?;
    let staging = out.join(".staging-999999-1");
    fs::create_dir(&staging)?;
    fs::write(staging.join("records.json"), "new")?;
    fs::write(staging.join(MANIFEST), "{}")?;
    fs::write(staging.join(COMMIT_MARKER), "gone.html")?;
    recover(out)?;
    assert_eq!(fs::read_to_string(out.join("records.json"))?, "new");
    assert_eq!(fs::read_to_string(out.join(MANIFEST))?, "{}");
    assert!(!out.join("gone.html").exists());
    assert!(leftovers(out).is_empty());
    Ok(())
}

/// A folder `out` lacks is renamed whole (a first run's `departments/`, then a new department's
/// folder); files in folders `out` has are renamed over their targets; nothing is left staged.
#[test]
fn new_folders_arrive_whole_and_old_ones_file_by_file() -> R {
    let dir = tempfile::tempdir()?;
    let out = dir.path();
    publish(
        out,
        &[
            art("departments/甲/packet.pdf", "甲1"),
            art("departments/甲/index.html", "甲1"),
            art("departments/乙/sub/x.html", "乙1"),
            art("records.json", "1"),
            manifest_listing(&["departments/甲/packet.pdf", "departments/甲/index.html"]),
        ],
    )?;
    assert_eq!(
        fs::read_to_string(out.join("departments/乙/sub/x.html"))?,
        "乙1"
    );
    publish(
        out,
        &[
            art("departments/甲/packet.pdf", "甲2"),
            art("departments/丙/packet.pdf", "丙2"),
            art("departments/乙/sub/y.html", "乙2"),
            art("records.json", "2"),
            manifest_listing(&["departments/甲/packet.pdf"]),
        ],
    )?;
    assert_eq!(
        fs::read_to_string(out.join("departments/甲/packet.pdf"))?,
        "甲2"
    );
    assert!(
        !out.join("departments/甲/index.html").exists(),
        "obsolete kept"
    );
    assert_eq!(
        fs::read_to_string(out.join("departments/丙/packet.pdf"))?,
        "丙2"
    );
    assert_eq!(
        fs::read_to_string(out.join("departments/乙/sub/y.html"))?,
        "乙2"
    );
    assert_eq!(fs::read_to_string(out.join("records.json"))?, "2");
    assert!(leftovers(out).is_empty());
    Ok(())
}

/// Writes each `(path, text)` under `root`, making the folders it needs.
fn put(root: &Path, files: &[(&str, &str)]) -> std::io::Result<()> {
    for (rel, text) in files {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(path, text)?;
    }
    Ok(())
}

/// A run killed in the middle of its renames — one new folder moved whole, one file renamed, the
/// rest still staged — is finished by the next run's recovery.
#[test]
fn recover_finishes_a_commit_stopped_between_renames() -> R {
    let dir = tempfile::tempdir()?;
    let out = dir.path();
    let staging = out.join(".staging-999999-3");
    // The previous packet, and what the killed run had renamed: 丙's new folder, records.json.
    put(
        out,
        &[
            ("departments/甲/packet.pdf", "old"),
            ("departments/甲/index.html", "old"),
            ("departments/丙/packet.pdf", "new"),
            ("records.json", "new"),
        ],
    )?;
    // What it had not, with its commit marker.
    put(
        &staging,
        &[
            ("departments/甲/packet.pdf", "new"),
            ("departments/丁/packet.pdf", "new"),
            (MANIFEST, "{}"),
            (COMMIT_MARKER, "departments/甲/index.html"),
        ],
    )?;
    recover(out)?;
    for f in [
        "departments/甲/packet.pdf",
        "departments/丙/packet.pdf",
        "departments/丁/packet.pdf",
        "records.json",
    ] {
        assert_eq!(fs::read_to_string(out.join(f))?, "new", "{f}");
    }
    assert!(!out.join("departments/甲/index.html").exists());
    assert_eq!(fs::read_to_string(out.join(MANIFEST))?, "{}");
    assert!(leftovers(out).is_empty());
    Ok(())
}

#[test]
fn escaping_paths_are_refused_before_writing() -> R {
    let dir = tempfile::tempdir()?;
    for bad in ["../x", "/abs", "", ".jixiao.lock", "a/../../b"] {
        let r = publish(dir.path(), &[art(bad, "x")]);
        assert!(
            matches!(r, Err(DriverError::ArtifactPath(_))),
            "{bad:?} accepted"
        );
    }
    assert!(leftovers(dir.path()).is_empty());
    Ok(())
}

#[test]
fn recovery_never_deletes_outside_the_packet() -> R {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("out");
    fs::create_dir(&out)?;
    fs::write(dir.path().join("precious.txt"), "keep")?;
    let staging = out.join(".staging-999999-2");
    fs::create_dir(&staging)?;
    fs::write(staging.join("records.json"), "new")?;
    fs::write(staging.join(COMMIT_MARKER), "../precious.txt")?;
    recover(&out)?;
    assert_eq!(fs::read_to_string(dir.path().join("precious.txt"))?, "keep");
    assert_eq!(fs::read_to_string(out.join("records.json"))?, "new");
    Ok(())
}

#[test]
fn streamed_json_is_byte_identical_to_the_in_memory_form_and_hashed_as_written() -> R {
    let dir = tempfile::tempdir()?;
    let value =
        serde_json::json!({ "documents": [{ "file": "甲.txt", "records": [1, 2.5, null] }] });
    let mut staging = Staging::create(dir.path())?;
    let mut file = staging.stream("records.json")?;
    let written = serde_json::to_writer_pretty(&mut file.writer, &value)
        .map_err(Into::into)
        .and_then(|()| std::io::Write::write_all(&mut file.writer, b"\n"));
    let (size, sha256) = file.finish(written)?;
    staging.commit()?;
    let written = fs::read(dir.path().join("records.json"))?;
    let expected = crate::stages::pretty_json(&value, "records.json")?;
    assert_eq!(written, expected);
    assert_eq!(size, expected.len() as u64);
    assert_eq!(sha256, jixiao_core::sha256_hex(&expected));
    assert!(leftovers(dir.path()).is_empty());
    Ok(())
}

/// A file of many buffer blocks (more than wait for the hashing thread at once) is hashed whole
/// and in order, and its characters noted, whatever block they fall in.
#[test]
fn a_large_stream_is_hashed_in_order_on_its_thread() -> R {
    let dir = tempfile::tempdir()?;
    let mut staging = Staging::create(dir.path())?;
    let characters = Arc::new(Characters::default());
    let mut file = staging.stream_noting("scores.json", &characters)?;
    let mut expected = Vec::new();
    for i in 0..200_000u32 {
        let line = format!("{{\"id\": {i}, \"name\": \"第{}项\"}}\n", i % 977);
        expected.extend_from_slice(line.as_bytes());
    }
    expected.extend_from_slice("末尾㎡".as_bytes());
    assert!(expected.len() > 6 << 20);
    for piece in expected.chunks(7_001) {
        file.writer.write_all(piece)?;
    }
    let (size, sha256) = file.finish(Ok(()))?;
    assert_eq!(size, expected.len() as u64);
    assert_eq!(sha256, jixiao_core::sha256_hex(&expected));
    for c in "第项末尾㎡".chars() {
        assert!(characters.contains(c), "{c}");
    }
    staging.commit()?;
    assert_eq!(fs::read(dir.path().join("scores.json"))?, expected);
    Ok(())
}

#[test]
fn a_staging_folder_dropped_without_commit_leaves_nothing() -> R {
    let dir = tempfile::tempdir()?;
    {
        let mut staging = Staging::create(dir.path())?;
        staging.write("packet.pdf", b"%PDF")?;
    }
    assert!(leftovers(dir.path()).is_empty());
    assert!(!dir.path().join("packet.pdf").exists());
    Ok(())
}

/// A noted stream hands every character written through it to the set (for the PDF fonts'
/// working copies), in whatever pieces serde writes, and the file is the bytes written.
#[test]
fn a_noted_stream_notes_what_it_writes() -> R {
    let dir = tempfile::tempdir()?;
    let mut staging = Staging::create(dir.path())?;
    let characters = Arc::new(Characters::default());
    let mut file = staging.stream_noting("records.json", &characters)?;
    let text = "{\"name\":\"西区绩效目标㎡①\"}";
    for piece in text.as_bytes().chunks(5) {
        file.writer.write_all(piece)?;
    }
    let (size, _) = file.finish(Ok(()))?;
    assert_eq!(size, text.len() as u64);
    for c in "西区绩效目标㎡①".chars() {
        assert!(characters.contains(c), "{c}");
    }
    assert!(!characters.contains('乙'));
    staging.commit()?;
    assert_eq!(
        std::fs::read_to_string(dir.path().join("records.json"))?,
        text
    );
    Ok(())
}
