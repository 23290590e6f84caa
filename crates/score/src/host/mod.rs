//! The plugin host: opens plugin libraries safely and in a fixed order of checks —
//! 1. sha256 pin of the file, BEFORE opening it (opening runs the library's initialisers);
//! 2. the entry symbol `jixiao_plugin_v1` (if absent, other `jixiao_plugin_vN` are probed to name the
//!    version the plugin was built for);
//! 3. the table header's `abi_version` and `table_size`, before any other field is read;
//! 4. the manifest (JSON), then the configured params against the manifest's schema.
//!
//! Libraries are never unloaded: each is leaked (`Box::leak`) for the life of the process, because a
//! plugin's thread-local destructors and our copied fn pointers must stay valid.
//!
//! Where a plugin runs: in this process (`isolation = "in-process"`), or in a child — the worker
//! ([`worker`], `jixiao __plugin-worker`, which opens the library here and answers over a pipe) or
//! any `command` — driven by [`child`] with a timeout and restarts. Calling plugins per record
//! (validation, weights, "not scored") lives in [`call`].

pub(crate) mod call;
pub(crate) mod child;
mod convert;
pub(crate) mod faults;
pub(crate) mod start;
mod trust;
pub(crate) mod worker;

use std::ffi::c_void;
use std::path::{Path, PathBuf};

use jixiao_plugin_api::{
    ABI_VERSION, ENTRY_SYMBOL, ENTRY_SYMBOL_PREFIX, EntryFn, Manifest, PluginTable, STATUS_ERROR,
    STATUS_OK, STATUS_PANIC, TableHeader,
};
use libloading::Library;

/// Why a plugin could not be loaded or configured. Every message names the plugin's file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PluginError {
    /// The file is missing or cannot be read (to hash it for the pin).
    #[error("plugin {path}: cannot read the file: {message}")]
    Read {
        /// The plugin library file.
        path: PathBuf,
        /// The I/O error, or `no such file`.
        message: String,
    },
    /// The file's SHA-256 differs from its `sha256` pin; the library was not opened.
    #[error(
        "plugin {path}: sha256 pin mismatch: pipeline.toml pins {expected}, the file is {actual}; the library was NOT opened — rebuild or update the pin"
    )]
    PinMismatch {
        /// The plugin library file.
        path: PathBuf,
        /// The pin from pipeline.toml, trimmed and lower-cased.
        expected: String,
        /// The file's SHA-256, lower-case hex.
        actual: String,
    },
    /// The library or its folder may be written by other users (Unix), and `allow_writable` is not
    /// set: whoever can replace the file could run code as this run's user.
    #[error(
        "plugin {path}: refused: {message} — fix the permissions (chmod o-w) or set allow_writable = true"
    )]
    Writable {
        /// The plugin library file.
        path: PathBuf,
        /// Which of the file and its folder is writable.
        message: String,
    },
    /// The dynamic loader refused the library.
    #[error("plugin {path}: cannot open the library: {message}")]
    Open {
        /// The plugin library file.
        path: PathBuf,
        /// The loader's error message.
        message: String,
    },
    /// The library exports no `jixiao_plugin_v<N>` entry symbol for any probed version.
    #[error(
        "plugin {path}: no entry symbol `jixiao_plugin_v{expected}` — not a jixiao plugin (or built without export_scorer!)"
    )]
    MissingSymbol {
        /// The plugin library file.
        path: PathBuf,
        /// The ABI version this host speaks (`ABI_VERSION`).
        expected: u32,
    },
    /// The plugin was built for another ABI version (by its entry symbol or its table header).
    #[error(
        "plugin {path}: built for plugin ABI v{found}, this jixiao speaks ABI v{expected}; rebuild the plugin against jixiao-plugin-api for v{expected}"
    )]
    WrongAbi {
        /// The plugin library file.
        path: PathBuf,
        /// The ABI version the plugin was built for.
        found: u32,
        /// The ABI version this host speaks (`ABI_VERSION`).
        expected: u32,
    },
    /// The entry symbol returned NULL or a table smaller than the v1 layout.
    #[error("plugin {path}: invalid plugin table: {message}")]
    BadTable {
        /// The plugin library file.
        path: PathBuf,
        /// What is wrong with the table.
        message: String,
    },
    /// The plugin's child process could not be started, or broke off the handshake: the worker of
    /// an isolated library, or a `command` plugin.
    #[error("plugin {path}: {message}")]
    Child {
        /// The plugin library file, or the command's program.
        path: PathBuf,
        /// What went wrong, with the end of the plugin's stderr when it wrote any.
        message: String,
    },
    /// `manifest()` failed or returned JSON that is not a valid manifest (no name, no checks,
    /// duplicate check ids, `max_points` ≤ 0).
    #[error("plugin {path}: invalid manifest: {message}")]
    Manifest {
        /// The plugin library file.
        path: PathBuf,
        /// What is wrong: the plugin's status and message, the JSON error, or the broken rule.
        message: String,
    },
    /// The plugin loaded but its configuration is wrong: params against the manifest's schema,
    /// `weight` ≤ 0, or a check id that clashes with one already in the rubric.
    #[error("plugin {plugin} ({path}): {message}")]
    Config {
        /// The plugin's manifest name.
        plugin: String,
        /// The plugin library file.
        path: PathBuf,
        /// Every problem found, joined with `; `.
        message: String,
    },
}

/// Lower-case hex SHA-256 of a file (what `sha256 = "..."` pins).
pub fn file_sha256(path: &Path) -> Result<String, PluginError> {
    let bytes = std::fs::read(path).map_err(|e| PluginError::Read {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    Ok(jixiao_core::sha256_hex(&bytes))
}

/// A library opened and checked: its table and manifest.
pub(crate) struct Opened {
    pub table: &'static PluginTable,
    pub manifest: Manifest,
}

/// Opens a plugin: permissions, pin (when given; then the hashed bytes are what is loaded),
/// symbol, ABI, manifest — in that order.
pub(crate) fn open(
    path: &Path,
    pin: Option<&str>,
    allow_writable: bool,
) -> Result<Opened, PluginError> {
    let read_error = |message: String| PluginError::Read {
        path: path.to_path_buf(),
        message,
    };
    if !path.is_file() {
        return Err(read_error("no such file".into()));
    }
    trust::check_permissions(path, allow_writable)?;
    let lib = match pin {
        Some(expected) => {
            let bytes = std::fs::read(path).map_err(|e| read_error(e.to_string()))?;
            let actual = jixiao_core::sha256_hex(&bytes);
            if !actual.eq_ignore_ascii_case(expected.trim()) {
                return Err(PluginError::PinMismatch {
                    path: path.to_path_buf(),
                    expected: expected.trim().to_ascii_lowercase(),
                    actual,
                });
            }
            trust::load_pinned(path, &bytes)?
        }
        // SAFETY: loading a library runs its initialisers; the user configured this file. This is
        // the one trust decision of the plugin system (docs/security.md).
        None => unsafe { Library::new(path) }.map_err(|e| PluginError::Open {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?,
    };
    // Never unloaded: see the module comment.
    let lib: &'static Library = Box::leak(Box::new(lib));
    let table = entry_table(lib, path)?;
    let manifest = read_manifest(table, path)?;
    Ok(Opened { table, manifest })
}

fn entry_table(lib: &'static Library, path: &Path) -> Result<&'static PluginTable, PluginError> {
    // SAFETY: the symbol's type is fixed by the ABI; a library that exports the name with another
    // type breaks the contract the header states.
    let entry = match unsafe { lib.get::<EntryFn>(ENTRY_SYMBOL) } {
        Ok(sym) => *sym,
        Err(_) => {
            let other = (0..=16u32).filter(|v| *v != ABI_VERSION).find(|v| {
                let name = format!("{ENTRY_SYMBOL_PREFIX}{v}");
                // SAFETY: only the symbol's presence is checked; it is never called.
                unsafe { lib.get::<*const c_void>(name.as_bytes()) }.is_ok()
            });
            return Err(match other {
                Some(found) => PluginError::WrongAbi {
                    path: path.to_path_buf(),
                    found,
                    expected: ABI_VERSION,
                },
                None => PluginError::MissingSymbol {
                    path: path.to_path_buf(),
                    expected: ABI_VERSION,
                },
            });
        }
    };
    // SAFETY: calling the entry symbol with the ABI's signature.
    let ptr = unsafe { entry() };
    if ptr.is_null() {
        return Err(PluginError::BadTable {
            path: path.to_path_buf(),
            message: "the entry symbol returned NULL".into(),
        });
    }
    // SAFETY: every ABI version's table starts with the header; read only that first.
    let header = unsafe { std::ptr::read(ptr.cast::<TableHeader>()) };
    if header.abi_version != ABI_VERSION {
        return Err(PluginError::WrongAbi {
            path: path.to_path_buf(),
            found: header.abi_version,
            expected: ABI_VERSION,
        });
    }
    let need = std::mem::size_of::<PluginTable>();
    if (header.table_size as usize) < need {
        return Err(PluginError::BadTable {
            path: path.to_path_buf(),
            message: format!(
                "table_size {} is smaller than the v1 table ({need} bytes)",
                header.table_size
            ),
        });
    }
    // SAFETY: version and size checked; the table is a static of the (never unloaded) library.
    Ok(unsafe { &*ptr })
}

/// The host-owned sink: plugin output is copied into a `Vec<u8>` the host allocated.
pub(crate) struct SinkBuf {
    pub data: Vec<u8>,
    pub overflow: bool,
}

/// Plugin output above this is cut off (a runaway plugin must not exhaust memory).
pub(crate) const MAX_OUTPUT: usize = 64 << 20;

pub(crate) extern "C" fn sink(ctx: *mut c_void, data: *const u8, len: usize) {
    if ctx.is_null() || data.is_null() || len == 0 {
        return;
    }
    // SAFETY: ctx is the `&mut SinkBuf` the host passed for this call; data/len come from the plugin,
    // which the ABI obliges to pass a readable buffer.
    let (buf, bytes) = unsafe {
        (
            &mut *ctx.cast::<SinkBuf>(),
            std::slice::from_raw_parts(data, len),
        )
    };
    if buf.data.len().saturating_add(len) > MAX_OUTPUT {
        buf.overflow = true;
        return;
    }
    buf.data.extend_from_slice(bytes);
}

fn read_manifest(table: &PluginTable, path: &Path) -> Result<Manifest, PluginError> {
    let mut buf = SinkBuf {
        data: Vec::new(),
        overflow: false,
    };
    let status = (table.manifest)(sink, (&mut buf as *mut SinkBuf).cast());
    let err = |message: String| PluginError::Manifest {
        path: path.to_path_buf(),
        message,
    };
    if status != STATUS_OK {
        return Err(err(format!(
            "manifest() returned status {status}: {}",
            String::from_utf8_lossy(&buf.data)
        )));
    }
    let m: Manifest = serde_json::from_slice(&buf.data)
        .map_err(|e| err(format!("not valid manifest JSON: {e}")))?;
    check_manifest(&m).map_err(err)?;
    Ok(m)
}

/// What every manifest must satisfy, however it arrived: a name, checks with unique ids, maxima > 0.
pub(crate) fn check_manifest(m: &Manifest) -> Result<(), String> {
    if m.name.trim().is_empty() || m.checks.is_empty() {
        return Err("a manifest needs a name and at least one check".into());
    }
    let mut ids: Vec<&str> = m.checks.iter().map(|c| c.id.as_str()).collect();
    ids.sort_unstable();
    if ids.windows(2).any(|w| w.first() == w.get(1)) {
        return Err("check ids are not unique".into());
    }
    if let Some(c) = m
        .checks
        .iter()
        .find(|c| !(c.max_points.is_finite() && c.max_points > 0.0))
    {
        return Err(format!("check {}: max_points must be > 0", c.id));
    }
    Ok(())
}

/// Calls a library's `score()` with one request: the JSON it answered, or why it did not.
pub(crate) fn call_table(table: &PluginTable, request: &[u8]) -> Result<Vec<u8>, String> {
    let mut buf = SinkBuf {
        data: Vec::new(),
        overflow: false,
    };
    // SAFETY: the table passed the ABI checks; `request` and `buf` outlive the call.
    let status = unsafe {
        (table.score)(
            request.as_ptr(),
            request.len(),
            sink,
            (&mut buf as *mut SinkBuf).cast(),
        )
    };
    if buf.overflow {
        return Err(format!("output larger than {} MiB", MAX_OUTPUT >> 20));
    }
    let text = || String::from_utf8_lossy(&buf.data).into_owned();
    match status {
        STATUS_OK => Ok(buf.data),
        STATUS_PANIC => Err(format!("panicked: {}", text())),
        // The plugin's own words, as it wrote them.
        STATUS_ERROR => Err(text()),
        s => Err(format!("returned status {s}: {}", text())),
    }
}

/// `jixiao plugins check PATH`: opens a plugin library (no pin) and returns its manifest — in the
/// runtime's worker child when it has one (a library that crashes while loading costs a message,
/// not the command), else in this process.
pub fn inspect_plugin(
    path: &Path,
    runtime: &start::PluginRuntime,
) -> Result<Manifest, PluginError> {
    if runtime.worker.is_none() {
        return open(path, None, true).map(|o| o.manifest);
    }
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let cwd = path.parent().map(Path::to_path_buf).unwrap_or_default();
    start::start_worker(&path, None, true, &cwd, runtime, start::DEFAULT_TIMEOUT).map(|(_, m)| m)
}

/// Validates configured params against a manifest's schema: required keys present, no unknown keys,
/// types as declared. Returns every problem.
pub(crate) fn validate_params(
    m: &Manifest,
    params: &serde_json::Map<String, serde_json::Value>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (k, spec) in &m.params {
        match params.get(k) {
            None if spec.required => {
                out.push(format!("params.{k} is required ({})", spec.kind.as_str()))
            }
            Some(v) if !spec.kind.accepts(v) => out.push(format!(
                "params.{k} must be of type {}, got {v}",
                spec.kind.as_str()
            )),
            _ => {}
        }
    }
    for k in params.keys().filter(|k| !m.params.contains_key(*k)) {
        let known: Vec<&str> = m.params.keys().map(String::as_str).collect();
        out.push(format!(
            "params.{k} is not a parameter of this plugin (known: {})",
            known.join(", ")
        ));
    }
    out
}
