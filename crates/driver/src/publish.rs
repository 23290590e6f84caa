//! Atomic packets: artifacts are written to a staging folder next to the target, synced, then renamed
//! into place. Only ever called with the run lock held.
//!
//! The protocol, and why each step is there:
//! 1. Write every artifact under `<out>/.staging-<pid>-<n>/` and fsync it. A kill here leaves the
//!    previous packet untouched; the staging folder is removed by the next run.
//! 2. Write and fsync the `.commit` marker (it lists the previous packet's files that the new one no
//!    longer has). From here on the new packet is complete on disk.
//! 3. Rename each file over its target (an atomic replace on every OS we run on), `manifest.json` last,
//!    then delete the obsolete files, sync the folders and remove the staging folder. A folder the
//!    packet does not have yet (a first run's `departments/`, a new department's) is renamed whole,
//!    all its files at once. A kill during step 3 leaves a staging folder *with* a marker: the next
//!    run finishes the renames before anything else ([`recover`]), so a reader never sees a
//!    half-written file and the packet converges to the new one.
//!
//! Renaming the whole staging directory would make step 3 a single operation, but replacing a
//! non-empty directory is not atomic on Windows or portable on Unix; per-file renames are, and so
//! is renaming a folder to a name that does not exist yet.

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use jixiao_render::Characters;

use crate::DriverError;

/// The run manifest's file name; always renamed last.
pub(crate) const MANIFEST: &str = "manifest.json";
const STAGING_PREFIX: &str = ".staging-";
const COMMIT_MARKER: &str = ".commit";

static STAGING_SEQ: AtomicU64 = AtomicU64::new(0);

/// Finishes or removes what killed runs left in `out`. Returns a note per folder handled (for the log).
/// Safe because the caller holds the lock: every staging folder present belongs to a dead run.
pub(crate) fn recover(out: &Path) -> Result<Vec<String>, DriverError> {
    let mut notes = Vec::new();
    let entries = fs::read_dir(out).map_err(|e| DriverError::io("cannot list", out, e))?;
    let mut stale: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(STAGING_PREFIX))
        .map(|e| e.path())
        .collect();
    stale.sort();
    for dir in stale {
        let marker = dir.join(COMMIT_MARKER);
        if marker.is_file() {
            let obsolete = fs::read_to_string(&marker)
                .map_err(|e| DriverError::io("cannot read", &marker, e))?;
            let files = staged_files(&dir)?;
            commit(out, &dir, &files, obsolete.lines())?;
            notes.push(format!(
                "finished publishing the packet of an interrupted run ({})",
                dir.display()
            ));
        } else {
            fs::remove_dir_all(&dir).map_err(|e| DriverError::io("cannot remove", &dir, e))?;
            notes.push(format!(
                "removed the staging folder of an interrupted run ({})",
                dir.display()
            ));
        }
    }
    Ok(notes)
}

/// Step 1 as a value: a staging folder the run writes its artifacts into as soon as each is made
/// (large JSON streamed, never held whole), then [`Staging::commit`]s. Dropped without commit, it
/// removes itself (a run that publishes nothing leaves the packet as it was).
pub(crate) struct Staging {
    out: PathBuf,
    dir: PathBuf,
    files: Vec<String>,
    /// Folders made in `dir` so far.
    folders: HashSet<PathBuf>,
    committed: bool,
}

impl Staging {
    /// A fresh staging folder in `out` (which must exist; the caller holds the run lock).
    pub(crate) fn create(out: &Path) -> Result<Staging, DriverError> {
        let dir = out.join(format!(
            "{STAGING_PREFIX}{}-{}",
            std::process::id(),
            STAGING_SEQ.fetch_add(1, Ordering::Relaxed)
        ));
        fs::create_dir(&dir).map_err(|e| DriverError::io("cannot create", &dir, e))?;
        Ok(Staging {
            out: out.to_path_buf(),
            folders: HashSet::from([dir.clone()]),
            dir,
            files: Vec::new(),
            committed: false,
        })
    }

    fn target(&mut self, rel: &str) -> Result<PathBuf, DriverError> {
        check_relative(rel)?;
        let path = self.dir.join(rel);
        // Each folder is made once (a department's five files share one).
        if let Some(parent) = path.parent().filter(|p| !self.folders.contains(*p)) {
            fs::create_dir_all(parent).map_err(|e| DriverError::io("cannot create", parent, e))?;
            self.folders.insert(parent.to_path_buf());
        }
        self.files.push(rel.to_string());
        Ok(path)
    }

    /// Writes one artifact's bytes, synced.
    pub(crate) fn write(&mut self, rel: &str, bytes: &[u8]) -> Result<(), DriverError> {
        let path = self.target(rel)?;
        write_synced(&path, bytes)
    }

    /// Writes one artifact's bytes and returns the file to be synced ([`Unsynced::sync`]) before
    /// the commit: the caller syncs it on another thread while the next file is written.
    pub(crate) fn write_unsynced(
        &mut self,
        rel: &str,
        bytes: &[u8],
    ) -> Result<Unsynced, DriverError> {
        let path = self.target(rel)?;
        let mut file =
            fs::File::create(&path).map_err(|e| DriverError::io("cannot create", &path, e))?;
        file.write_all(bytes)
            .map_err(|e| DriverError::io("cannot write", &path, e))?;
        Ok(Unsynced { file, path })
    }

    /// Creates `rel`, lets `write` stream into it through a buffer and a hasher (a serialisation
    /// error arrives as an I/O error), then syncs it; returns the size and sha256 for the
    /// manifest. A rendered file spooled to a temporary file is copied in this way.
    pub(crate) fn write_streamed(
        &mut self,
        rel: &str,
        write: impl FnOnce(&mut (dyn Write + Send)) -> std::io::Result<()>,
    ) -> Result<(u64, String), DriverError> {
        let mut file = self.stream(rel)?;
        let written = write(&mut file.writer);
        file.finish(written)
    }

    /// Creates `rel` to be written over a while (a run's `records.json`, as its documents are
    /// read): write into [`StreamedFile::writer`], then [`StreamedFile::finish`].
    pub(crate) fn stream(&mut self, rel: &str) -> Result<StreamedFile, DriverError> {
        self.stream_into(rel, None)
    }

    /// [`Staging::stream`], the characters written noted in `characters` (what the PDF fonts'
    /// working copies hold).
    pub(crate) fn stream_noting(
        &mut self,
        rel: &str,
        characters: &Arc<Characters>,
    ) -> Result<StreamedFile, DriverError> {
        self.stream_into(rel, Some(Arc::clone(characters)))
    }

    /// [`Staging::stream`], the characters noted in `noted` when there is one.
    fn stream_into(
        &mut self,
        rel: &str,
        noted: Option<Arc<Characters>>,
    ) -> Result<StreamedFile, DriverError> {
        let path = self.target(rel)?;
        let file =
            fs::File::create(&path).map_err(|e| DriverError::io("cannot create", &path, e))?;
        // The buffer in front of the hash: serde writes many small pieces, and hashing each one
        // on its own was ≈ 10 % of a records-only run; the hash and the file now see 1 MiB blocks.
        let writer = std::io::BufWriter::with_capacity(1 << 20, HashingWriter::new(file, noted));
        Ok(StreamedFile { path, writer })
    }

    /// Steps 2 and 3: the commit marker, then the renames into `out` (manifest last).
    pub(crate) fn commit(mut self) -> Result<(), DriverError> {
        sync_dir(&self.dir)?;
        let new: BTreeSet<&str> = self.files.iter().map(String::as_str).collect();
        let obsolete: Vec<String> = previous_artifacts(&self.out)
            .into_iter()
            .filter(|p| !new.contains(p.as_str()) && check_relative(p).is_ok())
            .collect();
        write_synced(
            &self.dir.join(COMMIT_MARKER),
            obsolete.join("\n").as_bytes(),
        )?;
        sync_dir(&self.dir)?;
        self.committed = true;
        commit(
            &self.out,
            &self.dir,
            &self.files,
            obsolete.iter().map(String::as_str),
        )
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// A staging file written but not yet synced ([`Staging::write_unsynced`]).
pub(crate) struct Unsynced {
    file: fs::File,
    path: PathBuf,
}

impl Unsynced {
    /// Makes the file's bytes durable; the error names the file.
    pub(crate) fn sync(self) -> Result<(), DriverError> {
        self.file
            .sync_all()
            .map_err(|e| DriverError::io("cannot write", &self.path, e))
    }
}

/// A staging file being written through a buffer and a hasher ([`Staging::stream`]).
pub(crate) struct StreamedFile {
    path: PathBuf,
    pub(crate) writer: std::io::BufWriter<HashingWriter<fs::File>>,
}

impl StreamedFile {
    /// Flushes and syncs the file when `written` (what writing it gave) is `Ok`; returns its size
    /// and sha256 for the manifest, or the error naming the file.
    pub(crate) fn finish(self, written: std::io::Result<()>) -> Result<(u64, String), DriverError> {
        let path = self.path;
        written.map_err(|e| DriverError::io("cannot write", &path, e))?;
        let hashing = self
            .writer
            .into_inner()
            .map_err(|e| DriverError::io("cannot write", &path, e.into_error()))?;
        let (size, sha256, file) = hashing
            .finish()
            .map_err(|e| DriverError::io("cannot write", &path, e))?;
        file.sync_all()
            .map_err(|e| DriverError::io("cannot write", &path, e))?;
        Ok((size, sha256))
    }
}

/// Counts what passes through to the inner writer, and hashes it (and notes its characters) on a
/// thread of its own, a block at a time: done where the file is written, SHA-256 held that thread
/// — the one writing scores.json while the serialisers wait for it — for ≈ 60 % of its time.
pub(crate) struct HashingWriter<W> {
    inner: W,
    size: u64,
    blocks: Option<std::sync::mpsc::SyncSender<Vec<u8>>>,
    digest: std::thread::JoinHandle<String>,
}

/// Blocks waiting for the hashing thread.
const BLOCKS_IN_FLIGHT: usize = 4;

impl<W: Write> HashingWriter<W> {
    /// `noted`: where the characters written are noted (for the PDF fonts' working copies).
    fn new(inner: W, noted: Option<Arc<Characters>>) -> Self {
        use sha2::Digest;
        let (blocks, received) = std::sync::mpsc::sync_channel::<Vec<u8>>(BLOCKS_IN_FLIGHT);
        let digest = std::thread::spawn(move || {
            let mut hasher = sha2::Sha256::new();
            for block in received {
                hasher.update(&block);
                if let Some(characters) = &noted {
                    characters.note_utf8(&block);
                }
            }
            jixiao_core::hex(&hasher.finalize())
        });
        HashingWriter {
            inner,
            size: 0,
            blocks: Some(blocks),
            digest,
        }
    }

    /// The size, the sha256 of everything written, and the inner writer.
    fn finish(mut self) -> std::io::Result<(u64, String, W)> {
        drop(self.blocks.take());
        let hex = self
            .digest
            .join()
            .map_err(|_| std::io::Error::other("the thread hashing the file failed"))?;
        Ok((self.size, hex, self.inner))
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        let sent = self
            .blocks
            .as_ref()
            .is_some_and(|blocks| blocks.send(buf[..n].to_vec()).is_ok());
        if !sent {
            return Err(std::io::Error::other("the thread hashing the file failed"));
        }
        self.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Step 3: renames (manifest last), deletes obsolete files, removes the staging folder. A folder
/// `out` does not have yet (a first run's `departments/`, a new department's) is renamed whole: one
/// rename for all its files, and no folder to make in `out` and to remove from the staging folder
/// (a first run's commit at 10× the samples: ≈ 5,000 renames, 1,000 folders made and 1,000
/// removed). Other files are renamed one by one over their targets.
fn commit<'a>(
    out: &Path,
    staging: &Path,
    files: &[String],
    obsolete: impl Iterator<Item = &'a str>,
) -> Result<(), DriverError> {
    let mut ordered: Vec<&Path> = files.iter().map(Path::new).collect();
    ordered.sort_by_key(|p| (*p == Path::new(MANIFEST), *p));
    // Every folder a file of the packet now sits in, synced once the renames are done.
    let mut dirs = BTreeSet::from([out.to_path_buf()]);
    // Folders (relative to both) renamed whole, and folders known to be in `out`.
    let mut moved: HashSet<&Path> = HashSet::new();
    let mut present: HashSet<&Path> = HashSet::from([Path::new("")]);
    for rel in ordered {
        let parent = rel.parent().unwrap_or(Path::new(""));
        let folders = || parent.ancestors().filter(|d| !d.as_os_str().is_empty());
        let within = |moved: &HashSet<&Path>| parent.ancestors().any(|d| moved.contains(d));
        // A folder seen for the first time: synced at the end, and moved whole when `out` lacks
        // it (the outermost folder it lacks).
        if !present.contains(parent) {
            dirs.extend(folders().map(|d| out.join(d)));
            if !within(&moved)
                && let Some(folder) = folders().take_while(|d| !out.join(d).is_dir()).last()
            {
                let to = out.join(folder);
                fs::rename(staging.join(folder), &to)
                    .map_err(|e| DriverError::io("cannot rename into", &to, e))?;
                moved.insert(folder);
            }
            present.extend(parent.ancestors());
        }
        if within(&moved) {
            continue;
        }
        let (from, to) = (staging.join(rel), out.join(rel));
        match fs::rename(&from, &to) {
            Ok(()) => {}
            // Its folder is in `out`: the file itself is gone, renamed by an interrupted run.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !from.exists() => {}
            Err(e) => return Err(DriverError::io("cannot rename into", &to, e)),
        }
    }
    // Re-checked here: in recovery the list comes from a file on disk.
    for rel in obsolete.filter(|l| check_relative(l).is_ok()) {
        let path = out.join(rel);
        if path.is_file() {
            fs::remove_file(&path).map_err(|e| DriverError::io("cannot remove", &path, e))?;
            // A department that is gone leaves no empty folder (`remove_dir` keeps one that
            // still holds anything).
            let mut parent = path.parent();
            while let Some(dir) = parent.filter(|d| *d != out && d.starts_with(out)) {
                if fs::remove_dir(dir).is_err() {
                    break;
                }
                parent = dir.parent();
            }
        }
    }
    sync_dirs(&dirs.into_iter().collect::<Vec<_>>())?;
    fs::remove_dir_all(staging).map_err(|e| DriverError::io("cannot remove", staging, e))
}

/// [`sync_dir`] on each folder, on a few threads: a folder's fsync mostly waits for the disk, and
/// a province's packet has a folder per department.
fn sync_dirs(dirs: &[PathBuf]) -> Result<(), DriverError> {
    const THREADS: usize = 4;
    let chunk = dirs.len().div_ceil(THREADS).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = dirs
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().try_for_each(|d| sync_dir(d))))
            .collect();
        handles.into_iter().try_for_each(|h| {
            h.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    })
}

/// Every file under a staging folder except the marker, as `/`-separated relative paths.
fn staged_files(dir: &Path) -> Result<Vec<String>, DriverError> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).map_err(|e| DriverError::io("cannot list", &d, e))? {
            let entry = entry.map_err(|e| DriverError::io("cannot list", &d, e))?;
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if entry.file_name() != COMMIT_MARKER {
                out.push(crate::inputs::display_name(&path, dir));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The artifact paths the current packet's manifest lists (empty when there is none or it is unreadable:
/// then nothing is deleted, which is the safe side).
fn previous_artifacts(out: &Path) -> Vec<String> {
    let Ok(text) = fs::read_to_string(out.join(MANIFEST)) else {
        return Vec::new();
    };
    let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Vec::new();
    };
    value["artifacts"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|a| a["path"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn check_relative(path: &str) -> Result<(), DriverError> {
    let p = Path::new(path);
    let plain = !path.is_empty()
        && p.components().all(|c| matches!(c, Component::Normal(_)))
        && !path.starts_with(STAGING_PREFIX)
        && path != crate::lock::LOCK_FILE;
    if plain {
        Ok(())
    } else {
        Err(DriverError::ArtifactPath(path.to_string()))
    }
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), DriverError> {
    let mut f = fs::File::create(path).map_err(|e| DriverError::io("cannot create", path, e))?;
    f.write_all(bytes)
        .and_then(|_| f.sync_all())
        .map_err(|e| DriverError::io("cannot write", path, e))
}

/// Makes renames and new entries in `dir` durable. Directories cannot be opened for syncing on
/// Windows, where renames are journaled by NTFS anyway.
fn sync_dir(dir: &Path) -> Result<(), DriverError> {
    #[cfg(unix)]
    {
        fs::File::open(dir)
            .and_then(|f| f.sync_all())
            .map_err(|e| DriverError::io("cannot sync", dir, e))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod tests;
