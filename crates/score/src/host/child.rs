//! A plugin in child processes, spoken to in the JSON Lines protocol (`jixiao_plugin_api::protocol`).
//!
//! [`ChildPlugin`] keeps a pool of idle workers (one per rayon thread at most, each answering one
//! request at a time). A call takes an idle worker or starts one; a worker that crashes, exits,
//! breaks the protocol or does not answer within the timeout is killed and forgotten, so the next
//! call starts a fresh one — the fault costs that record's checks, never the run. Each worker's
//! stdout is read by a thread of its own (so a wait can time out), its stderr by another that copies
//! every line into the log and keeps the last few for fault messages.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jixiao_plugin_api::{
    HostMessage, Manifest, PROTOCOL_VERSION, PluginCheckResult, PluginMessage, PluginMessageKind,
};

use super::MAX_OUTPUT;

/// How to start the plugin's process.
#[derive(Debug, Clone)]
pub(crate) struct ChildSpec {
    pub program: PathBuf,
    pub args: Vec<OsString>,
    /// The pipeline file's folder: relative paths in a command resolve against it.
    pub cwd: PathBuf,
}

/// Lines of a plugin's stderr kept for the message when it fails.
const STDERR_TAIL: usize = 3;
/// A stderr line longer than this is cut (the log is for people).
const MAX_STDERR_LINE: u64 = 4096;
/// The first answer may take longer than a record's: an interpreter starting, a library loading.
const MIN_START_TIMEOUT: Duration = Duration::from_secs(10);

/// A plugin running in child processes.
pub(crate) struct ChildPlugin {
    spec: ChildSpec,
    /// Names the plugin in the log: its manifest name once known.
    label: String,
    timeout: Duration,
    idle: Mutex<Vec<Worker>>,
}

/// Why a call got no results.
pub(crate) enum CallFault {
    /// The plugin answered with an error for this record; the worker is fine.
    Answered(String),
    /// The worker is gone or out of step (crash, exit, timeout, protocol breach); it was stopped.
    Stopped(String),
}

impl CallFault {
    pub(crate) fn message(self) -> String {
        match self {
            CallFault::Answered(m) | CallFault::Stopped(m) => m,
        }
    }
}

impl ChildPlugin {
    /// Starts one worker, reads the plugin's manifest and keeps the worker for the first call.
    pub(crate) fn start(
        spec: ChildSpec,
        label: &str,
        timeout: Duration,
    ) -> Result<(ChildPlugin, Manifest), String> {
        let mut worker = Worker::spawn(&spec, label)?;
        let manifest = worker.handshake(timeout.max(MIN_START_TIMEOUT))?;
        let plugin = ChildPlugin {
            spec,
            label: manifest.name.clone(),
            timeout,
            idle: Mutex::new(vec![worker]),
        };
        Ok((plugin, manifest))
    }

    /// Scores one request (the `ScoreRequest` JSON) in an idle or a new worker.
    pub(crate) fn call(&self, request: &[u8]) -> Result<Vec<PluginCheckResult>, CallFault> {
        let idle = self.lock_idle().pop();
        let mut worker = match idle {
            Some(w) => w,
            None => {
                let mut w = Worker::spawn(&self.spec, &self.label).map_err(CallFault::Stopped)?;
                w.handshake(self.timeout.max(MIN_START_TIMEOUT))
                    .map_err(CallFault::Stopped)?;
                w
            }
        };
        let result = worker.call(request, self.timeout);
        if !matches!(result, Err(CallFault::Stopped(_))) {
            self.lock_idle().push(worker);
        }
        result
    }

    fn lock_idle(&self) -> std::sync::MutexGuard<'_, Vec<Worker>> {
        // A poisoned pool only means a host thread panicked while holding it; the workers are fine.
        self.idle.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// One running plugin process.
struct Worker {
    child: Child,
    stdin: Option<ChildStdin>,
    answers: Receiver<Result<Vec<u8>, String>>,
    stderr_tail: Arc<Mutex<VecDeque<String>>>,
    /// Disconnected when the stderr thread has read to the end (the process and its pipe are gone).
    stderr_done: Receiver<()>,
    next_id: u64,
}

impl Worker {
    fn spawn(spec: &ChildSpec, label: &str) -> Result<Worker, String> {
        let mut child = Command::new(&spec.program)
            .args(&spec.args)
            .current_dir(&spec.cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start `{}`: {e}", spec.program.display()))?;
        let (stdout, stderr) = match (child.stdout.take(), child.stderr.take()) {
            (Some(o), Some(e)) => (o, e),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Err("the child's pipes were not created".into());
            }
        };
        // Capacity 1: a worker answers one request at a time.
        let (tx, answers) = sync_channel(1);
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                match read_line(&mut reader) {
                    Ok(Some(line)) => {
                        if tx.send(Ok(line)).is_err() {
                            return;
                        }
                    }
                    Ok(None) => return,
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        return;
                    }
                }
            }
        });
        let stderr_tail = Arc::new(Mutex::new(VecDeque::new()));
        let tail = Arc::clone(&stderr_tail);
        let label = label.to_string();
        let (done, stderr_done) = sync_channel::<()>(0);
        std::thread::spawn(move || {
            copy_stderr(stderr, &label, &tail);
            drop(done);
        });
        Ok(Worker {
            stdin: child.stdin.take(),
            child,
            answers,
            stderr_tail,
            stderr_done,
            next_id: 1,
        })
    }

    /// Hello → manifest.
    fn handshake(&mut self, timeout: Duration) -> Result<Manifest, String> {
        let hello = serde_json::to_vec(&HostMessage::hello()).map_err(|e| e.to_string())?;
        let answer = self.exchange(&hello, timeout)?;
        let msg: PluginMessage = serde_json::from_slice(&answer).map_err(|e| {
            self.fail(format!(
                "answered the hello with something that is not a protocol message ({e}): {}",
                preview(&answer)
            ))
        })?;
        match (msg.kind, msg.protocol, msg.manifest, msg.message) {
            (PluginMessageKind::Manifest, Some(PROTOCOL_VERSION), Some(m), _) => Ok(m),
            (PluginMessageKind::Manifest, Some(v), _, _) if v != PROTOCOL_VERSION => Err(self.fail(
                format!(
                    "speaks plugin protocol v{v}, this jixiao speaks v{PROTOCOL_VERSION}; update the plugin or jixiao"
                ),
            )),
            (PluginMessageKind::Error, _, _, Some(message)) => {
                Err(self.fail(format!("refused to start: {message}")))
            }
            _ => Err(self.fail(format!(
                "answered the hello without a manifest and its protocol version: {}",
                preview(&answer)
            ))),
        }
    }

    fn call(
        &mut self,
        request: &[u8],
        timeout: Duration,
    ) -> Result<Vec<PluginCheckResult>, CallFault> {
        let id = self.next_id;
        self.next_id += 1;
        // Exactly `HostMessage::score(id, request)` as serde writes it, without re-parsing the
        // request to make a `RawValue` of it (tested below).
        let mut line = Vec::with_capacity(request.len() + 40);
        line.extend_from_slice(format!("{{\"type\":\"score\",\"id\":{id},\"request\":").as_bytes());
        line.extend_from_slice(request);
        line.push(b'}');
        let answer = self.exchange(&line, timeout).map_err(CallFault::Stopped)?;
        let msg: PluginMessage = serde_json::from_slice(&answer).map_err(|e| {
            CallFault::Stopped(self.fail(format!(
                "answered with something that is not a protocol message ({e}): {}",
                preview(&answer)
            )))
        })?;
        if msg.id != Some(id) {
            return Err(CallFault::Stopped(self.fail(format!(
                "answered request {id} with the id {:?}; out of step",
                msg.id
            ))));
        }
        match (msg.kind, msg.results, msg.message) {
            (PluginMessageKind::Result, Some(raw), _) => serde_json::from_str(raw.get())
                .map_err(|e| CallFault::Answered(format!("returned invalid JSON ({e})"))),
            (PluginMessageKind::Error, _, Some(message)) => {
                // The plugin's own words; its stderr is in the log.
                Err(CallFault::Answered(message))
            }
            _ => Err(CallFault::Stopped(self.fail(format!(
                "answered without results or an error message: {}",
                preview(&answer)
            )))),
        }
    }

    /// Writes one line and waits for one line back; on any failure the worker is stopped and the
    /// message says how it ended.
    fn exchange(&mut self, line: &[u8], timeout: Duration) -> Result<Vec<u8>, String> {
        let written = match self.stdin.as_mut() {
            Some(stdin) => stdin
                .write_all(line)
                .and_then(|()| stdin.write_all(b"\n"))
                .and_then(|()| stdin.flush()),
            None => Err(std::io::ErrorKind::BrokenPipe.into()),
        };
        if written.is_err() {
            // The pipe is closed: the process has ended (or closed stdin); say how.
            return Err(self.ended("stopped reading its input"));
        }
        match self.answers.recv_timeout(timeout) {
            Ok(Ok(answer)) => Ok(answer),
            Ok(Err(e)) => Err(self.fail(e)),
            Err(RecvTimeoutError::Timeout) => Err(self.fail(format!(
                "did not answer within {}; stopped",
                seconds(timeout)
            ))),
            Err(RecvTimeoutError::Disconnected) => Err(self.ended("closed its output")),
        }
    }

    /// The process broke the protocol (or its output cannot be read): it is killed; the message
    /// is `what` and the end of its stderr.
    fn fail(&mut self, what: String) -> String {
        self.stop(Duration::ZERO);
        self.with_tail(what)
    }

    /// The pipe closed: the process has ended or is ending. The message says how it ended (a
    /// signal, an exit code), or `what` when it still runs (then it is killed).
    fn ended(&mut self, what: &str) -> String {
        let start = Instant::now();
        let status = loop {
            match self.child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if start.elapsed() < Duration::from_millis(500) => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                _ => break None,
            }
        };
        let message = match status {
            Some(s) => format!("the plugin process {} before answering", describe(s)),
            None => {
                self.stop(Duration::ZERO);
                what.to_string()
            }
        };
        self.with_tail(message)
    }

    /// `message` and the last lines the (stopped) process wrote to stderr. Waits, briefly, for the
    /// stderr thread to read to the end, so the tail does not depend on timing.
    fn with_tail(&self, message: String) -> String {
        let _ = self.stderr_done.recv_timeout(Duration::from_secs(1));
        let tail = self.stderr_tail.lock().unwrap_or_else(|p| p.into_inner());
        if tail.is_empty() {
            message
        } else {
            let lines: Vec<&str> = tail.iter().map(String::as_str).collect();
            format!("{message} (stderr: {})", lines.join(" | "))
        }
    }

    /// Closes stdin, waits up to `grace` for the process to end by itself, then kills it.
    fn stop(&mut self, grace: Duration) -> Option<ExitStatus> {
        drop(self.stdin.take());
        let start = Instant::now();
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => return Some(status),
                Ok(None) if start.elapsed() < grace => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                _ => break,
            }
        }
        let _ = self.child.kill();
        self.child.wait().ok()
    }
}

impl Drop for Worker {
    /// The end of the run: the plugin sees its input close and exits; one that does not is killed.
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            self.stop(Duration::from_secs(2));
        }
    }
}

/// Reads one line (without its `\n`) of at most [`MAX_OUTPUT`] bytes; `None` at the end.
fn read_line(reader: &mut impl BufRead) -> Result<Option<Vec<u8>>, String> {
    let mut line = Vec::new();
    let n = reader
        .by_ref()
        .take(MAX_OUTPUT as u64 + 1)
        .read_until(b'\n', &mut line)
        .map_err(|e| format!("cannot read its output: {e}"))?;
    if n == 0 {
        return Ok(None);
    }
    if line.last() == Some(&b'\n') {
        line.pop();
        if line.last() == Some(&b'\r') {
            line.pop();
        }
    } else if line.len() > MAX_OUTPUT {
        return Err(format!(
            "wrote an answer larger than {} MiB",
            MAX_OUTPUT >> 20
        ));
    }
    Ok(Some(line))
}

/// Copies a plugin's stderr into the log line by line and keeps the last lines for messages.
fn copy_stderr(stderr: impl Read, label: &str, tail: &Mutex<VecDeque<String>>) {
    let mut reader = BufReader::new(stderr);
    loop {
        let mut line = Vec::new();
        match reader
            .by_ref()
            .take(MAX_STDERR_LINE)
            .read_until(b'\n', &mut line)
        {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let text = String::from_utf8_lossy(&line).trim_end().to_string();
        if text.is_empty() {
            continue;
        }
        tracing::info!(target: "jixiao::plugin", "plugin {label}: {text}");
        let mut tail = tail.lock().unwrap_or_else(|p| p.into_inner());
        if tail.len() == STDERR_TAIL {
            tail.pop_front();
        }
        tail.push_back(text);
    }
}

fn preview(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let cut: String = text.chars().take(120).collect();
    if cut.len() < text.len() {
        format!("`{cut}…`")
    } else {
        format!("`{cut}`")
    }
}

fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0} s")
    } else {
        format!("{s} s")
    }
}

/// "exited with code 3", "was killed by signal 11 (SIGSEGV)".
fn describe(status: ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            let name = match sig {
                4 => " (SIGILL)",
                6 => " (SIGABRT)",
                7 => " (SIGBUS)",
                8 => " (SIGFPE)",
                9 => " (SIGKILL)",
                11 => " (SIGSEGV)",
                15 => " (SIGTERM)",
                _ => "",
            };
            return format!("was killed by signal {sig}{name}");
        }
    }
    match status.code() {
        Some(code) => format!("exited with code {code}"),
        None => "ended".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hand_framed_request_is_the_protocol_message() {
        let request = br#"{"record":{"name":"x"},"params":{},"year":2024}"#;
        let raw = serde_json::value::RawValue::from_string(
            String::from_utf8(request.to_vec()).expect("utf-8"),
        )
        .expect("json");
        let serde_line = serde_json::to_vec(&HostMessage::score(3, raw)).expect("json");
        let mut framed = b"{\"type\":\"score\",\"id\":3,\"request\":".to_vec();
        framed.extend_from_slice(request);
        framed.push(b'}');
        assert_eq!(framed, serde_line);
    }

    #[test]
    fn lines_are_split_and_bounded() {
        let mut r = BufReader::new(&b"{\"a\":1}\r\nsecond"[..]);
        assert_eq!(read_line(&mut r), Ok(Some(b"{\"a\":1}".to_vec())));
        assert_eq!(read_line(&mut r), Ok(Some(b"second".to_vec())));
        assert_eq!(read_line(&mut r), Ok(None));
        assert_eq!(seconds(Duration::from_secs(5)), "5 s");
        assert_eq!(seconds(Duration::from_millis(300)), "0.3 s");
    }
}
