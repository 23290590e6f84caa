//! Starting a plugin: a library opened in this process, or the first child of an isolated library
//! (the `jixiao __plugin-worker` child, described by [`PluginRuntime`]) or of a command; the
//! manifest it answers with is checked before anything is scored.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use jixiao_config::{Isolation, PluginConfig, PluginSource};
use jixiao_plugin_api::Manifest;

use super::call::Backend;
use super::child::{ChildPlugin, ChildSpec};
use super::{PluginError, check_manifest, file_sha256, open};

/// How the host starts the worker that runs a library plugin in its own process: normally the
/// `jixiao` executable itself with the hidden `__plugin-worker` argument, which calls
/// [`serve_library`](crate::serve_library).
#[derive(Debug, Clone, Default)]
pub struct PluginRuntime {
    /// The worker program and the arguments before the library's path; `None`: no worker, so a
    /// library plugin under `isolation = "process"` cannot load (a library user without the
    /// `jixiao` executable; tests use `isolation = "in-process"`).
    pub worker: Option<(PathBuf, Vec<OsString>)>,
}

impl PluginRuntime {
    /// The running executable as the worker (`<exe> __plugin-worker`). Only the `jixiao` binary,
    /// which dispatches that argument, should use it.
    pub fn this_executable() -> PluginRuntime {
        PluginRuntime {
            worker: std::env::current_exe()
                .ok()
                .map(|exe| (exe, vec![OsString::from(WORKER_ARG)])),
        }
    }
}

/// The hidden first argument that turns `jixiao` into a plugin worker.
pub const WORKER_ARG: &str = "__plugin-worker";

/// Opens the library here or starts the plugin's first child, and reads its manifest.
pub(super) fn start(
    cfg: &PluginConfig,
    base_dir: &Path,
    runtime: &PluginRuntime,
) -> Result<(PathBuf, Backend, Manifest), PluginError> {
    // `""` is the folder of a pipeline file named without one: the current folder.
    let base = if base_dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        base_dir
    };
    let cwd = std::path::absolute(base).unwrap_or_else(|_| base.to_path_buf());
    match cfg.source() {
        Some(PluginSource::Library(rel)) => {
            // Always a path, never a bare name the dynamic loader would search for.
            let path = cwd.join(rel);
            if cfg.isolation == Isolation::InProcess {
                let opened = open(&path, cfg.sha256.as_deref(), cfg.allow_writable)?;
                let serial = (!opened.manifest.thread_safe).then(|| Mutex::new(()));
                let backend = Backend::InProcess {
                    table: opened.table,
                    serial,
                };
                return Ok((path, backend, opened.manifest));
            }
            let (child, manifest) = start_worker(
                &path,
                cfg.sha256.as_deref(),
                cfg.allow_writable,
                &cwd,
                runtime,
                cfg.timeout(),
            )?;
            Ok((path, Backend::Child(child), manifest))
        }
        Some(PluginSource::Command([program, args @ ..])) => {
            // `python3` is looked up on PATH; `rules/x.py` or `./x` is relative to the pipeline.
            let program = if program.contains('/') || program.contains('\\') {
                cwd.join(program)
            } else {
                PathBuf::from(program)
            };
            let spec = ChildSpec {
                program: program.clone(),
                args: args.iter().map(OsString::from).collect(),
                cwd,
            };
            let (child, manifest) = start_child(spec, &program, cfg.timeout())?;
            Ok((program, Backend::Child(child), manifest))
        }
        // The compile step rejects both; kept for a configuration built by hand.
        Some(PluginSource::Command([])) | None => Err(PluginError::Child {
            path: PathBuf::new(),
            message: "set `path` (a library) or `command` (a program)".into(),
        }),
    }
}

/// The timeout of `jixiao plugins check`, which has no configuration.
pub(crate) const DEFAULT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Starts the worker child for a library (`<jixiao> __plugin-worker LIBRARY [--sha256 PIN]`).
pub(crate) fn start_worker(
    path: &Path,
    pin: Option<&str>,
    allow_writable: bool,
    cwd: &Path,
    runtime: &PluginRuntime,
    timeout: std::time::Duration,
) -> Result<(ChildPlugin, Manifest), PluginError> {
    let Some((program, worker_args)) = &runtime.worker else {
        return Err(PluginError::Child {
            path: path.to_path_buf(),
            message: "isolation = \"process\" needs the jixiao executable as the worker, and none was given; use isolation = \"in-process\"".into(),
        });
    };
    // A pin is checked here, for a clear error before anything starts, and again by the worker on
    // the bytes it opens.
    if let Some(pin) = pin {
        let actual = file_sha256(path)?;
        if !actual.eq_ignore_ascii_case(pin.trim()) {
            return Err(PluginError::PinMismatch {
                path: path.to_path_buf(),
                expected: pin.trim().to_ascii_lowercase(),
                actual,
            });
        }
    } else if !path.is_file() {
        return Err(PluginError::Read {
            path: path.to_path_buf(),
            message: "no such file".into(),
        });
    }
    let mut args = worker_args.clone();
    args.push(path.as_os_str().to_os_string());
    if let Some(pin) = pin {
        args.extend(["--sha256".into(), pin.into()]);
    }
    if allow_writable {
        args.push("--allow-writable".into());
    }
    let spec = ChildSpec {
        program: program.clone(),
        args,
        cwd: cwd.to_path_buf(),
    };
    start_child(spec, path, timeout)
}

/// Starts a child and checks the manifest it sends.
pub(super) fn start_child(
    spec: ChildSpec,
    path: &Path,
    timeout: std::time::Duration,
) -> Result<(ChildPlugin, Manifest), PluginError> {
    let label = path.display().to_string();
    let (child, manifest) =
        ChildPlugin::start(spec, &label, timeout).map_err(|message| PluginError::Child {
            path: path.to_path_buf(),
            message,
        })?;
    check_manifest(&manifest).map_err(|message| PluginError::Manifest {
        path: path.to_path_buf(),
        message,
    })?;
    Ok((child, manifest))
}
