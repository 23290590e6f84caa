//! Building a C plugin against this SDK's header with the platform's C compiler (found by the `cc`
//! crate) — for tests and tools that compile C plugins themselves. Behind the `build-c` feature.

use std::path::{Path, PathBuf};

/// The folder holding `jixiao_plugin.h`.
pub fn include_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("include")
}

/// Compiles `source` into the shared library `out` with `-D` `defines`: warnings are errors, and
/// symbols are hidden unless exported by `JIXIAO_EXPORT` (as a Windows DLL would be). Returns what
/// the compiler said when it failed.
pub fn compile(source: &Path, out: &Path, defines: &[(&str, &str)]) -> Result<(), String> {
    let os = if cfg!(target_os = "macos") {
        "apple-darwin"
    } else {
        "unknown-linux-gnu"
    };
    let target = format!("{}-{os}", std::env::consts::ARCH);
    let compiler = cc::Build::new()
        .cargo_metadata(false)
        .opt_level(0)
        .target(&target)
        .host(&target)
        .try_get_compiler()
        .map_err(|e| format!("no C compiler: {e}"))?;
    let mut cmd = compiler.to_command();
    cmd.args([
        "-shared",
        "-fPIC",
        "-fvisibility=hidden",
        "-Wall",
        "-Werror",
        "-I",
    ])
    .arg(include_dir())
    .arg(source)
    .arg("-o")
    .arg(out);
    for (k, v) in defines {
        cmd.arg(format!("-D{k}={v}"));
    }
    let output = cmd
        .output()
        .map_err(|e| format!("cannot run the C compiler: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "compiling {} failed: {}",
            source.display(),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}
