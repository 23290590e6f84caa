//! What makes the loaded code the configured code (docs/security.md): a library others may replace
//! is refused, and a pinned library is loaded from the very bytes that were hashed.

use std::path::Path;

use libloading::Library;

use super::PluginError;

/// Refuses (on Unix) a library that users other than its owner may write, or that sits in a folder
/// they may write without the sticky bit (they could replace it), unless `allow_writable`.
pub(crate) fn check_permissions(path: &Path, allow_writable: bool) -> Result<(), PluginError> {
    if allow_writable {
        return Ok(());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        const OTHERS_WRITE: u32 = 0o002;
        const STICKY: u32 = 0o1000;
        let refuse = |what: String| PluginError::Writable {
            path: path.to_path_buf(),
            message: what,
        };
        let mode = |p: &Path| std::fs::metadata(p).map(|m| m.permissions().mode()).ok();
        if mode(path).is_some_and(|m| m & OTHERS_WRITE != 0) {
            return Err(refuse("the file is writable by other users".into()));
        }
        let shared_folder = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .filter(|p| mode(p).is_some_and(|m| m & OTHERS_WRITE != 0 && m & STICKY == 0));
        if let Some(folder) = shared_folder {
            return Err(refuse(format!(
                "its folder {} is writable by other users",
                folder.display()
            )));
        }
    }
    Ok(())
}

/// Opens the library from `bytes` (the bytes whose hash matched the pin), not from the file again:
/// on Linux through a sealed in-memory file, so a file replaced after the check is never loaded.
/// Elsewhere the file is opened by its path.
pub(crate) fn load_pinned(path: &Path, bytes: &[u8]) -> Result<Library, PluginError> {
    let open_error = |message: String| PluginError::Open {
        path: path.to_path_buf(),
        message,
    };
    #[cfg(target_os = "linux")]
    {
        let memfd = sealed_copy(bytes)
            .map_err(|e| open_error(format!("cannot make an in-memory copy to load: {e}")))?;
        let proc_path = format!("/proc/self/fd/{memfd}");
        // SAFETY: loading runs the library's initialisers: these are the pinned bytes, which the
        // bureau chose to trust. The descriptor stays open for the life of the process, like the
        // library itself (never unloaded).
        unsafe { Library::new(&proc_path) }.map_err(|e| open_error(e.to_string()))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = bytes;
        // SAFETY: as above; the file was hashed just before.
        unsafe { Library::new(path) }.map_err(|e| open_error(e.to_string()))
    }
}

/// A `memfd` holding `bytes`, sealed against any further change; returns its descriptor.
#[cfg(target_os = "linux")]
fn sealed_copy(bytes: &[u8]) -> std::io::Result<i32> {
    use std::io::Write;
    use std::os::fd::{AsRawFd, FromRawFd, IntoRawFd};
    let name = c"jixiao-plugin";
    // SAFETY: plain system calls on a descriptor this function creates and owns.
    let fd =
        unsafe { libc::memfd_create(name.as_ptr(), libc::MFD_CLOEXEC | libc::MFD_ALLOW_SEALING) };
    if fd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: `fd` was just created and is owned by nothing else.
    let mut file = unsafe { std::fs::File::from_raw_fd(fd) };
    file.write_all(bytes)?;
    let seals = libc::F_SEAL_WRITE | libc::F_SEAL_SHRINK | libc::F_SEAL_GROW | libc::F_SEAL_SEAL;
    // SAFETY: as above.
    if unsafe { libc::fcntl(file.as_raw_fd(), libc::F_ADD_SEALS, seals) } < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(file.into_raw_fd())
}
