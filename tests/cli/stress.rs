//! `kill -9` at random moments of runs over a 2× corpus (the bundled samples copied twice: a run of
//! ≈ 1,000 records and ≈ 200 department packets, long enough to be killed while reading, rendering,
//! writing or renaming into place):
//! after every kill the packet folder holds only whole files — each byte-identical to the previous
//! packet (a run of the four smallest samples, repeated after every kill), or (when the kill landed
//! while renaming into place) to the new packet — and the next run finishes or discards what the
//! killed one left and succeeds.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::{
    assert_code, assert_same_packet, comparable, differing_files, jixiao, packet_files as packet,
    root, s, tempdir,
};

const KILLS: usize = 6;

/// Copies of the samples in the run that is killed.
const COPIES: usize = 2;

/// Documents (the smallest samples) in the run whose packet must survive every kill.
const SMALL_DOCUMENTS: usize = 4;

/// Whether a killed run left a committed staging folder (it was renaming files into place).
fn commit_pending(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| {
            e.file_name().to_string_lossy().starts_with(".staging-")
                && e.path().join(".commit").is_file()
        })
}

fn write_pipeline(dir: &Path, name: &str, inputs: &str) -> PathBuf {
    let path = dir.join(name);
    let text = format!(
        "[pipeline]\nname = \"stress\"\nyear = 2024\nas_of = \"2024-03-01\"\n\n[[inputs]]\npaths = [\"{inputs}\"]\n\n[output]\ndirectory = \"out\"\n\n[render]\nformats = [\"xlsx\", \"pdf\"]\n\n[render.fonts]\nsystem = false\n"
    );
    if let Err(e) = std::fs::write(&path, text) {
        panic!("cannot write {}: {e}", path.display());
    }
    path
}

#[test]
fn kill_9_at_random_moments_never_leaves_a_broken_packet() {
    let work = tempdir();
    let big = work.path().join("big");
    let small = work.path().join("small");
    for dir in [&big, &small] {
        if let Err(e) = std::fs::create_dir_all(dir) {
            panic!("{e}");
        }
    }
    let mut sources: Vec<PathBuf> = ["samples", "samples/extra"]
        .iter()
        .flat_map(|d| {
            std::fs::read_dir(root().join(d))
                .into_iter()
                .flatten()
                .flatten()
        })
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    sources.sort();
    // The previous packet (the one every kill must leave whole) comes from the smaller documents
    // only: its run is repeated after every kill, the big run is what gets killed.
    let size = |p: &PathBuf| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let mut by_size = sources.clone();
    by_size.sort_by_key(size);
    let small_sources = &by_size[..by_size.len().min(SMALL_DOCUMENTS)];
    for (i, src) in sources.iter().enumerate() {
        let name = src
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if small_sources.contains(src) {
            let _ = std::fs::copy(src, small.join(&name));
        }
        for copy in 0..COPIES {
            let _ = std::fs::copy(src, big.join(format!("{copy:02}-{i}-{name}")));
        }
    }
    let small_pipeline = write_pipeline(work.path(), "small.toml", "small/*.txt");
    let big_pipeline = write_pipeline(work.path(), "big.toml", "big/*.txt");

    // The two packets a kill may leave files of: the previous (small) and the new (big) one.
    let reference = work.path().join("reference");
    let started = Instant::now();
    assert_code(
        &jixiao(
            &root(),
            &["run", s(&big_pipeline), "--out", s(&reference), "-q"],
        ),
        0,
    );
    let big_run = started.elapsed();
    let new_packet = packet(&reference);
    let out = work.path().join("packet");
    assert_code(
        &jixiao(
            &root(),
            &["run", s(&small_pipeline), "--out", s(&out), "-q"],
        ),
        0,
    );
    let previous = packet(&out);
    assert!(previous.len() >= 5, "{:?}", previous.keys());

    // Kill points spread over the whole run, in a fixed pseudo-random order (reproducible).
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut during_commit = 0;
    for round in 0..KILLS {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let fraction = (seed % 1000) as f64 / 1000.0;
        let delay = big_run.mul_f64(0.1 + 0.95 * fraction);
        let mut child = match Command::new(env!("CARGO_BIN_EXE_jixiao"))
            .args(["run", s(&big_pipeline), "--out", s(&out), "-q"])
            .current_dir(root())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
        {
            Ok(c) => c,
            Err(e) => panic!("cannot start jixiao: {e}"),
        };
        std::thread::sleep(delay.min(Duration::from_secs(120)));
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();

        let now = packet(&out);
        if commit_pending(&out) {
            during_commit += 1;
            for (name, bytes) in &now {
                let is_from = |packet: &BTreeMap<String, Vec<u8>>| {
                    packet.get(name).map(|b| comparable(name, b)) == Some(comparable(name, bytes))
                };
                let whole = is_from(&previous) || is_from(&new_packet);
                assert!(
                    whole,
                    "round {round}: {name} is neither the old nor the new file"
                );
            }
        } else if !differing_files(&now, &previous).is_empty() {
            // The run finished before the kill: then it is exactly the new packet (manifests compared
            // without their stage timings, which differ from run to run).
            assert_same_packet(
                &now,
                &new_packet,
                &format!("round {round}: neither old nor new"),
            );
        }
        // The next run recovers and publishes the small packet again, byte for byte.
        assert_code(
            &jixiao(
                &root(),
                &["run", s(&small_pipeline), "--out", s(&out), "-q"],
            ),
            0,
        );
        assert_same_packet(
            &packet(&out),
            &previous,
            &format!("round {round}: the rerun"),
        );
        let leftovers = std::fs::read_dir(&out)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(".staging-"))
            .count();
        assert_eq!(leftovers, 0, "round {round}: staging folders left behind");
    }
    eprintln!("{KILLS} kills, {during_commit} while renaming into place, big run {big_run:?}");
}
