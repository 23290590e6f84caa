//! The worker side of process isolation: `jixiao __plugin-worker LIBRARY [--sha256 HEX]
//! [--allow-writable]` opens one
//! plugin library with the same checks as the in-process host (pin, symbol, ABI, manifest) and
//! answers the JSON Lines protocol on stdin/stdout until stdin closes. Whatever the library does —
//! crash, abort, exit, loop — ends or stalls this process only; the host sees it and restarts.
//!
//! Before the library is opened the protocol moves to a private copy of stdout and file
//! descriptor 1 is pointed at stderr, so a plugin's own `printf` lands in the log, never in the
//! protocol (Unix; elsewhere a plugin must not write to stdout).

use std::io::{BufRead, Write};
use std::path::Path;

use jixiao_plugin_api::{HostMessage, HostMessageKind, PROTOCOL_VERSION, PluginMessage};
use serde_json::value::RawValue;

use super::{call_table, open};

/// Serves one library over stdin/stdout; returns the process's exit code (0 when the host closed
/// stdin, 65 when it broke the protocol, 74 when the pipes failed).
pub fn serve_library(library: &Path, pin: Option<&str>, allow_writable: bool) -> u8 {
    let mut out = match protocol_output() {
        Ok(out) => std::io::BufWriter::new(out),
        Err(e) => {
            eprintln!("jixiao plugin worker: cannot set up the protocol pipe: {e}");
            return 74;
        }
    };
    let mut input = std::io::stdin().lock();
    let mut send = |msg: &PluginMessage| -> bool {
        serde_json::to_writer(&mut out, msg).is_ok()
            && out.write_all(b"\n").is_ok()
            && out.flush().is_ok()
    };
    let hello = match read_message(&mut input) {
        Ok(Some(m)) => m,
        Ok(None) => return 0,
        Err(e) => {
            send(&PluginMessage::error(None, e));
            return 65;
        }
    };
    if hello.kind != HostMessageKind::Hello || hello.protocol != Some(PROTOCOL_VERSION) {
        send(&PluginMessage::error(
            None,
            format!(
                "this worker speaks plugin protocol v{PROTOCOL_VERSION} and expects a hello first"
            ),
        ));
        return 65;
    }
    let opened = match open(library, pin, allow_writable) {
        Ok(o) => o,
        Err(e) => {
            send(&PluginMessage::error(None, e.to_string()));
            return 0;
        }
    };
    if !send(&PluginMessage::manifest(opened.manifest)) {
        return 74;
    }
    loop {
        let msg = match read_message(&mut input) {
            Ok(Some(m)) => m,
            Ok(None) => return 0,
            Err(e) => {
                send(&PluginMessage::error(None, e));
                return 65;
            }
        };
        let (Some(id), Some(request)) = (msg.id, msg.request) else {
            send(&PluginMessage::error(
                msg.id,
                "a score message needs an id and a request",
            ));
            return 65;
        };
        let answer = match call_table(opened.table, request.get().as_bytes()) {
            Ok(bytes) => match String::from_utf8(bytes)
                .map_err(|e| e.to_string())
                .and_then(|s| RawValue::from_string(s).map_err(|e| e.to_string()))
            {
                Ok(raw) => PluginMessage::result(id, raw),
                Err(e) => PluginMessage::error(Some(id), format!("returned invalid JSON ({e})")),
            },
            Err(message) => PluginMessage::error(Some(id), message),
        };
        if !send(&answer) {
            return 74;
        }
    }
}

fn read_message(input: &mut impl BufRead) -> Result<Option<HostMessage>, String> {
    let mut line = String::new();
    match input.read_line(&mut line) {
        Ok(0) => Ok(None),
        Ok(_) => serde_json::from_str(line.trim_end())
            .map(Some)
            .map_err(|e| format!("not a protocol message: {e}")),
        Err(e) => Err(format!("cannot read the host's message: {e}")),
    }
}

/// A private duplicate of stdout for the protocol; fd 1 then points at stderr.
#[cfg(unix)]
fn protocol_output() -> std::io::Result<Box<dyn Write>> {
    use std::os::fd::FromRawFd;
    // SAFETY: plain descriptor calls on this process's own standard descriptors, made before any
    // plugin code runs; the duplicate is owned by the File from here on.
    unsafe {
        let fd = libc::fcntl(1, libc::F_DUPFD_CLOEXEC, 3);
        if fd < 0 {
            return Err(std::io::Error::last_os_error());
        }
        let file = std::fs::File::from_raw_fd(fd);
        if libc::dup2(2, 1) < 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(Box::new(file))
    }
}

#[cfg(not(unix))]
fn protocol_output() -> std::io::Result<Box<dyn Write>> {
    Ok(Box::new(std::io::stdout()))
}
