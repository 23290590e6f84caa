//! Province scale: the real pipeline (`target/release/jixiao run`) over N× the bundled samples.
//!
//! ```text
//! cargo build --release && cargo bench --bench scale                 # 1×, 10×, 100×
//! cargo bench --bench scale -- 1 10 100 1000                         # the scales to run (in order)
//! cargo bench --bench scale -- --quick                               # 1× and 2×, for CI
//! cargo bench --bench scale -- --json                                # one JSON object per scale
//! cargo bench --bench scale -- --records-only 100                     # no xlsx/PDF/HTML (JSON only)
//! ```
//!
//! The corpus generator writes `target/scale/<N>x/` once per scale: copy k of every sample gets new
//! project and department names (`…（k）`), amounts perturbed by a seeded factor, and every third copy is
//! encoded in GB18030, so the readers, the encodings and the department split all do real work. It is
//! deterministic (same N → same bytes) and knows how many records the run must read. Each scale runs as a
//! child process; the bench prints per-stage wall time (from the packet's manifest), MB/s, records/s,
//! the child's peak RSS and its CPU time (user + system, wait4: a second measure of the work beside the
//! wall time), then issue 13's targets for that scale and by how much each is met or missed (and, when 10×
//! ran in the same invocation, each larger scale's cost per record against it).
//! `--quick` fails only on a crash or a wrong record count, never on time.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Label cells whose value (the next non-empty cell on the line) is renamed in each copy.
const RENAMED: [&str; 6] = [
    "项目名称",
    "预算单位",
    "部门（单位）",
    "主管部门",
    "实施单位",
    "单位名称",
];

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let quick = args.iter().any(|a| a == "--quick");
    let json = args.iter().any(|a| a == "--json");
    let records_only = args.iter().any(|a| a == "--records-only");
    let mut scales: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    if scales.is_empty() {
        scales = if quick { vec![1, 2] } else { vec![1, 10, 100] };
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let binary = root.join("target/release/jixiao");
    if !binary.exists() {
        eprintln!("build the release binary first: cargo build --release");
        std::process::exit(2);
    }
    let sample_paths = samples(root);
    let base_records = expected_records(&binary, root, &sample_paths);
    let samples: Vec<(String, String)> = sample_paths
        .iter()
        .filter_map(|(name, p)| Some((name.clone(), std::fs::read_to_string(p).ok()?)))
        .collect();
    scales.sort_unstable();
    scales.dedup();
    let dirs: Vec<PathBuf> = scales
        .iter()
        .map(|n| root.join(format!("target/scale/{n}x")))
        .collect();
    let removed = remove_old_packets(&dirs);
    let corpus_bytes: Vec<u64> = scales
        .iter()
        .zip(&dirs)
        .map(|(&n, dir)| generate(&samples, n, dir))
        .collect();
    if let Some(removed) = removed.filter(|_| !quick) {
        let_deleted_inodes_settle(removed);
    }
    let mut ten_x_per_record = None;
    for ((n, dir), bytes) in scales.into_iter().zip(&dirs).zip(corpus_bytes) {
        let needed = packet_bytes(bytes, records_only);
        if let Some(free) = free_bytes(dir).filter(|free| *free < needed) {
            println!(
                "{n:>5}×: skipped: its packet takes ≈ {:.0} GB, {:.0} GB free here",
                needed as f64 / 1e9,
                free as f64 / 1e9
            );
            continue;
        }
        let result = run(&binary, dir, records_only);
        let records = result.records;
        if records != base_records * n {
            eprintln!(
                "{n}×: {records} records read, {} expected",
                base_records * n
            );
            std::process::exit(1);
        }
        if !result.ok {
            eprintln!("{n}×: the run failed (exit {})", result.exit);
            std::process::exit(1);
        }
        report(n, bytes, &result, json);
        let per_record = result.wall_ms / result.records.max(1) as f64;
        if n == 10 {
            ten_x_per_record = Some(per_record);
        }
        if !quick {
            for t in targets(n, bytes, &result, ten_x_per_record.filter(|_| n > 10)) {
                t.print(n, json);
            }
        }
    }
}

/// Removes the packets earlier benches left in the scales' folders (each run writes into a fresh
/// `out`); returns when the last was removed, or `None` when there was none.
fn remove_old_packets(dirs: &[PathBuf]) -> Option<Instant> {
    let mut removed = None;
    for dir in dirs {
        let out = dir.join("out");
        if out.exists() {
            let _ = std::fs::remove_dir_all(&out);
            removed = Some(Instant::now());
        }
    }
    removed
}

/// Waits until 35 s have passed since old packets were removed. ext4 without a journal (this
/// machine's) skips an inode deleted less than 30–35 s ago when it allocates one, and scans
/// every such inode again for each file it creates (`recently_deleted` in `find_inode_bit`):
/// a 10× run straight after removing the last one's packet spent 42 % of an HTML-only run's CPU
/// there. A run is timed as a scheduler starts it: into a file system that has not just deleted
/// thousands of files.
fn let_deleted_inodes_settle(removed: Instant) {
    let settle = std::time::Duration::from_secs(35);
    if let Some(left) = settle.checked_sub(removed.elapsed()) {
        eprintln!(
            "waiting {:.0} s for the file system to release the removed packets' inodes",
            left.as_secs_f64()
        );
        std::thread::sleep(left);
    }
}

/// What a run's packet takes on disk, from its input's size: measured at 100× (76 MB of text),
/// 5.2 GB with every format (≈ 68×, rounded up) and 0.94 GB of records.json and scores.json, to
/// which a records-only run adds, while it lasts, its spilled score cards and findings (≈ the
/// size of scores.json: ≈ 19× in all).
fn packet_bytes(input: u64, records_only: bool) -> u64 {
    input * if records_only { 20 } else { 75 }
}

/// Free bytes on the file system holding `dir` (`df -Pk`); `None` when that cannot be told.
fn free_bytes(dir: &Path) -> Option<u64> {
    let out = Command::new("df").arg("-Pk").arg(dir).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let kb: u64 = text
        .lines()
        .nth(1)?
        .split_whitespace()
        .nth(3)?
        .parse()
        .ok()?;
    Some(kb * 1024)
}

/// The bundled text samples (name, path), in name order.
fn samples(root: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for dir in ["samples", "samples/extra"] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        paths.sort();
        for p in paths
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        {
            let name = p
                .file_stem()
                .map_or(String::new(), |s| s.to_string_lossy().into_owned());
            out.push((name, p));
        }
    }
    out
}

/// Records of one copy of the samples, read by the same binary (`inspect`), so the check does not
/// depend on numbers written here.
fn expected_records(binary: &Path, root: &Path, samples: &[(String, PathBuf)]) -> usize {
    let out = Command::new(binary)
        .current_dir(root)
        .args(["inspect", "-q", "--format", "json"])
        .args(samples.iter().map(|(_, p)| p))
        .output();
    let ledger: serde_json::Value = out
        .ok()
        .and_then(|o| serde_json::from_slice(&o.stdout).ok())
        .unwrap_or_default();
    ledger["documents"].as_array().map_or(0, |docs| {
        docs.iter()
            .map(|d| d["records"].as_array().map_or(0, Vec::len))
            .sum()
    })
}

/// Writes N copies (skips the work when the folder already holds them) and the pipeline file;
/// returns the corpus size in bytes.
fn generate(samples: &[(String, String)], n: usize, dir: &Path) -> u64 {
    let inputs = dir.join("inputs");
    let marker = dir.join("complete");
    if !marker.exists() {
        let _ = std::fs::remove_dir_all(dir);
        if std::fs::create_dir_all(&inputs).is_err() {
            eprintln!("cannot create {}", inputs.display());
            std::process::exit(2);
        }
        for k in 0..n {
            for (name, text) in samples {
                let copy = variant(text, k);
                let bytes = if k % 3 == 1 {
                    encoding_rs::GB18030.encode(&copy).0.into_owned()
                } else {
                    copy.into_bytes()
                };
                let path = inputs.join(format!("{k:05}-{name}.txt"));
                if std::fs::write(&path, bytes).is_err() {
                    eprintln!("cannot write {}", path.display());
                    std::process::exit(2);
                }
            }
        }
        let pipeline = "[pipeline]\nname = \"规模测试\"\nyear = 2024\nas_of = \"2024-03-01\"\n\n\
                        [[inputs]]\npaths = [\"inputs/*.txt\"]\n\n[output]\ndirectory = \"out\"\n";
        let _ = std::fs::write(dir.join("pipeline.toml"), pipeline);
        let _ = std::fs::write(&marker, "");
    }
    std::fs::read_dir(&inputs)
        .map(|d| {
            d.filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// Copy `k` of a sample: renamed projects and departments, amounts perturbed (copy 0 is the sample).
fn variant(text: &str, k: usize) -> String {
    if k == 0 {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 1024);
    // The cell after a name label, on the same line or (label and value on lines of their own,
    // `预算单位` then the name) on the next line that has one.
    let mut rename_next = false;
    for line in text.lines() {
        // A disclosure's heading names its department after the unit code (`550 峰峰机关事务`):
        // renamed too, or every copy's tables would land in one department.
        if let Some((code, name)) = line.trim().split_once(' ')
            && !code.is_empty()
            && code.chars().all(|c| c.is_ascii_digit())
            && !(code.len() == 4 && (code.starts_with("19") || code.starts_with("20")))
            && !name.is_empty()
            && !name.contains([' ', '\t'])
            && !name.chars().any(|c| c.is_ascii_digit())
        {
            out.push_str(&format!("{code} {name}（{}）\n", copy_mark(k)));
            continue;
        }
        let mut cells: Vec<String> = line.split('\t').map(str::to_string).collect();
        for cell in cells.iter_mut() {
            let t = cell.trim();
            if rename_next && !t.is_empty() {
                cell.push_str(&format!("（{}）", copy_mark(k)));
                rename_next = false;
            } else if RENAMED.iter().any(|l| t.starts_with(l)) && t.chars().count() <= 8 {
                rename_next = true;
            } else if let Some(perturbed) = perturb_amount(t, k) {
                *cell = perturbed;
            }
        }
        out.push_str(&cells.join("\t"));
        out.push('\n');
    }
    out
}

/// `k` in Chinese digits (`12` → `一二`): a running head with an ASCII digit in its name is not
/// read as the department's name, so the copies' names carry none.
fn copy_mark(k: usize) -> String {
    k.to_string()
        .chars()
        .map(|d| match d {
            '0' => '〇',
            '1' => '一',
            '2' => '二',
            '3' => '三',
            '4' => '四',
            '5' => '五',
            '6' => '六',
            '7' => '七',
            '8' => '八',
            _ => '九',
        })
        .collect()
}

/// A bare amount cell (`14.76`, `1,048.54`) scaled by a factor in [0.9, 1.1) chosen by `k`.
fn perturb_amount(cell: &str, k: usize) -> Option<String> {
    let plain: String = cell.chars().filter(|c| *c != ',').collect();
    if plain.is_empty() || !plain.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let x: f64 = plain.parse().ok()?;
    let factor = 0.9 + ((k * 7919) % 200) as f64 / 1000.0;
    Some(format!("{:.2}", x * factor))
}

struct RunResult {
    ok: bool,
    exit: i32,
    records: usize,
    wall_ms: f64,
    /// User + system CPU time: the work done, beside the wall time.
    cpu_ms: f64,
    stages: Vec<(String, u64)>,
    peak_rss_mb: f64,
    /// Pages of the run's `report.pdf`, when the run made one.
    report_pages: Option<usize>,
}

/// Runs the pipeline of `dir` in a child process and reads its manifest and peak RSS.
fn run(binary: &Path, dir: &Path, records_only: bool) -> RunResult {
    let out = dir.join("out");
    let pipeline = if records_only {
        let text = std::fs::read_to_string(dir.join("pipeline.toml")).unwrap_or_default();
        let _ = std::fs::write(
            dir.join("pipeline-records.toml"),
            format!("{text}\n[render]\nformats = []\n"),
        );
        "pipeline-records.toml"
    } else {
        "pipeline.toml"
    };
    let started = Instant::now();
    let child = Command::new(binary)
        .current_dir(dir)
        .args(["run", pipeline, "--out", "out", "-q"])
        .spawn();
    let Ok(child) = child else {
        eprintln!("cannot start {}", binary.display());
        std::process::exit(2);
    };
    let (exit, peak_kb, cpu_ms) = wait_with_rusage(child.id() as i32);
    let wall_ms = started.elapsed().as_secs_f64() * 1e3;
    let manifest: serde_json::Value = std::fs::read(out.join("manifest.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let records = manifest["inputs"].as_array().map_or(0, |a| {
        a.iter().filter_map(|i| i["records"].as_u64()).sum::<u64>() as usize
    });
    let stages = manifest["timings_ms"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|t| {
                    (
                        t["stage"].as_str().unwrap_or("?").to_string(),
                        t["ms"].as_u64().unwrap_or(0),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    RunResult {
        ok: exit == 0 || exit == 1,
        exit,
        records,
        wall_ms,
        cpu_ms,
        stages,
        peak_rss_mb: peak_kb as f64 / 1024.0,
        report_pages: report_pages(&out.join("report.pdf")),
    }
}

/// The number of pages of the PDF at `path`; `None` when there is none or it does not parse.
fn report_pages(path: &Path) -> Option<usize> {
    let bytes = std::fs::read(path).ok()?;
    lopdf::Document::load_mem(&bytes)
        .ok()
        .map(|d| d.get_pages().len())
}

/// Waits for the child: its exit code, peak RSS (KiB) and CPU time (user + system, ms).
fn wait_with_rusage(pid: i32) -> (i32, i64, f64) {
    let mut status = 0;
    // SAFETY: rusage is plain data filled by the kernel; pid is our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if r < 0 {
        return (-1, 0, 0.0);
    }
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        128 + libc::WTERMSIG(status)
    };
    let ms = |t: libc::timeval| t.tv_sec as f64 * 1e3 + t.tv_usec as f64 / 1e3;
    (
        code,
        usage.ru_maxrss,
        ms(usage.ru_utime) + ms(usage.ru_stime),
    )
}

fn report(n: usize, bytes: u64, r: &RunResult, json: bool) {
    let mb = bytes as f64 / 1e6;
    let secs = r.wall_ms / 1e3;
    if json {
        let stages: Vec<String> = r
            .stages
            .iter()
            .map(|(s, ms)| format!("\"{s}\": {ms}"))
            .collect();
        println!(
            "{{\"scale\": {n}, \"mb\": {mb:.2}, \"records\": {}, \"wall_ms\": {:.0}, \"cpu_ms\": {:.0}, \"mb_per_s\": {:.2}, \"records_per_s\": {:.0}, \"peak_rss_mb\": {:.0}, \"stages_ms\": {{{}}}}}",
            r.records,
            r.wall_ms,
            r.cpu_ms,
            mb / secs,
            r.records as f64 / secs,
            r.peak_rss_mb,
            stages.join(", ")
        );
        return;
    }
    let mut line = format!(
        "{n:>5}×: {mb:>7.1} MB, {:>7} records, {:>8.2} s (CPU {:.2} s), {:>6.1} MB/s, {:>7.0} records/s, peak RSS {:>6.0} MB |",
        r.records,
        secs,
        r.cpu_ms / 1e3,
        mb / secs,
        r.records as f64 / secs,
        r.peak_rss_mb
    );
    for (s, ms) in &r.stages {
        let _ = write!(line, " {s} {ms} ms");
    }
    println!("{line}");
}

/// One of issue 13's targets, against what a run measured.
struct Target {
    what: &'static str,
    /// The bound, in `unit`.
    bound: f64,
    actual: f64,
    unit: &'static str,
    /// `true` when the actual value must stay at or under the bound, `false` when at or over it.
    at_most: bool,
}

impl Target {
    fn met(&self) -> bool {
        if self.at_most {
            self.actual <= self.bound
        } else {
            self.actual >= self.bound
        }
    }

    /// How many times over (or under) the bound the actual value is.
    fn factor(&self) -> f64 {
        let (a, b) = if self.at_most {
            (self.actual, self.bound)
        } else {
            (self.bound, self.actual)
        };
        if b > 0.0 { a / b } else { f64::INFINITY }
    }

    fn print(&self, n: usize, json: bool) {
        let sign = if self.at_most { "≤" } else { "≥" };
        if json {
            println!(
                "{{\"scale\": {n}, \"target\": \"{}\", \"bound\": {}, \"actual\": {:.3}, \"unit\": \"{}\", \"met\": {}, \"factor\": {:.2}}}",
                self.what,
                self.bound,
                self.actual,
                self.unit,
                self.met(),
                self.factor()
            );
        } else if self.met() {
            println!(
                "       target {} {sign} {} {}: met ({:.2} {})",
                self.what, self.bound, self.unit, self.actual, self.unit
            );
        } else {
            println!(
                "       target {} {sign} {} {}: missed by {:.1}× ({:.2} {})",
                self.what,
                self.bound,
                self.unit,
                self.factor(),
                self.actual,
                self.unit
            );
        }
    }
}

/// Issue 13's targets that apply at scale `n` (docs/performance.md, "Against the targets").
fn targets(n: usize, bytes: u64, r: &RunResult, ten_x_per_record: Option<f64>) -> Vec<Target> {
    let secs = r.wall_ms / 1e3;
    let mut out = Vec::new();
    let wall = match n {
        1 => Some(0.25),
        10 => Some(0.9),
        100 => Some(10.0),
        _ => None,
    };
    if let Some(bound) = wall {
        out.push(Target {
            what: "end to end",
            bound,
            actual: secs,
            unit: "s",
            at_most: true,
        });
    }
    if n >= 100 {
        out.push(Target {
            what: "peak RSS",
            bound: 1024.0,
            actual: r.peak_rss_mb,
            unit: "MB",
            at_most: true,
        });
    }
    let reading_ms: u64 = r
        .stages
        .iter()
        .filter(|(s, _)| matches!(s.as_str(), "ingest" | "normalize" | "score"))
        .map(|(_, ms)| *ms)
        .sum();
    if reading_ms > 0 {
        out.push(Target {
            what: "ingest + normalize + score",
            bound: 100.0,
            actual: bytes as f64 / 1e6 / (reading_ms as f64 / 1e3),
            unit: "MB/s",
            at_most: false,
        });
    }
    // "The report: sections 一–七 and summary annexes only, tens of pages at any scale."
    if let Some(pages) = r.report_pages {
        out.push(Target {
            what: "report.pdf pages",
            bound: 99.0,
            actual: pages as f64,
            unit: "pages",
            at_most: true,
        });
    }
    if let Some(base) = ten_x_per_record {
        out.push(Target {
            what: "cost per record against 10×",
            bound: 1.3,
            actual: (r.wall_ms / r.records.max(1) as f64) / base,
            unit: "×",
            at_most: true,
        });
    }
    out
}
