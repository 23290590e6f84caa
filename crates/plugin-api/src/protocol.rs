//! The plugin protocol over a pipe, version 1: JSON Lines on the child's stdin and stdout.
//!
//! Every plugin that runs in a child process speaks it: a `command = [...]` plugin written in any
//! language, and a library plugin under `isolation = "process"` (the default), which `jixiao` loads
//! in a worker child of its own (`jixiao __plugin-worker`) that translates between this protocol and
//! the C ABI. One message per line, UTF-8 JSON, no line breaks inside a message (JSON escapes them).
//!
//! ```text
//! host → plugin  {"type":"hello","protocol":1}
//! plugin → host  {"type":"manifest","protocol":1,"manifest":{...Manifest...}}
//! host → plugin  {"type":"score","id":1,"request":{"record":{...},"params":{...},"year":2024}}
//! plugin → host  {"type":"result","id":1,"results":[{"id":"X1","points":2,"evidence":[...]}]}
//!            or  {"type":"error","id":1,"message":"why this record could not be scored"}
//! ...            one request, one answer, in order; the host closes stdin when the run is done.
//! ```
//!
//! A plugin that cannot speak the host's version answers the hello with
//! `{"type":"error","message":"..."}` (or a manifest with its own `protocol`): the host refuses it
//! at load time, naming both versions. stdout carries only protocol messages; anything a plugin
//! wants to say goes to stderr, which the host copies into its log.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::Manifest;

/// The protocol version this SDK speaks.
pub const PROTOCOL_VERSION: u32 = 1;

/// What a host message is (its `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HostMessageKind {
    /// The first message: carries the host's `protocol`.
    Hello,
    /// Score one record: carries `id` and `request`.
    Score,
}

/// Host → plugin. A flat object (not a tagged enum) so that `request` passes through as raw JSON.
#[derive(Debug, Serialize, Deserialize)]
pub struct HostMessage {
    /// `hello` or `score`.
    #[serde(rename = "type")]
    pub kind: HostMessageKind,
    /// hello: [`PROTOCOL_VERSION`] of the host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<u32>,
    /// score: echoed in the answer; increases by one per request on this pipe.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    /// score: the [`ScoreRequest`](crate::ScoreRequest) JSON, exactly the bytes the C ABI's
    /// `score()` receives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<Box<RawValue>>,
}

impl HostMessage {
    /// The hello that opens every pipe.
    pub fn hello() -> HostMessage {
        HostMessage {
            kind: HostMessageKind::Hello,
            protocol: Some(PROTOCOL_VERSION),
            id: None,
            request: None,
        }
    }

    /// A score request.
    pub fn score(id: u64, request: Box<RawValue>) -> HostMessage {
        HostMessage {
            kind: HostMessageKind::Score,
            protocol: None,
            id: Some(id),
            request: Some(request),
        }
    }
}

/// What a plugin message is (its `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PluginMessageKind {
    /// The answer to the hello: carries `protocol` and `manifest`.
    Manifest,
    /// The answer to a score request: carries `id` and `results`.
    Result,
    /// The plugin could not answer: carries `message`, and `id` unless it answers the hello.
    Error,
}

/// Plugin → host.
#[derive(Debug, Serialize, Deserialize)]
pub struct PluginMessage {
    /// `manifest`, `result` or `error`.
    #[serde(rename = "type")]
    pub kind: PluginMessageKind,
    /// manifest: the protocol version the plugin speaks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<u32>,
    /// manifest: what the plugin checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest: Option<Manifest>,
    /// result, error: the request's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    /// result: a JSON array of [`PluginCheckResult`](crate::PluginCheckResult)s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results: Option<Box<RawValue>>,
    /// error: why, in words a reviewer can pass on to the plugin's author.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl PluginMessage {
    fn empty(kind: PluginMessageKind) -> PluginMessage {
        PluginMessage {
            kind,
            protocol: None,
            manifest: None,
            id: None,
            results: None,
            message: None,
        }
    }

    /// The answer to the hello.
    pub fn manifest(manifest: Manifest) -> PluginMessage {
        PluginMessage {
            protocol: Some(PROTOCOL_VERSION),
            manifest: Some(manifest),
            ..PluginMessage::empty(PluginMessageKind::Manifest)
        }
    }

    /// The results of request `id`.
    pub fn result(id: u64, results: Box<RawValue>) -> PluginMessage {
        PluginMessage {
            id: Some(id),
            results: Some(results),
            ..PluginMessage::empty(PluginMessageKind::Result)
        }
    }

    /// A failure to answer request `id` (or the hello, when `id` is `None`).
    pub fn error(id: Option<u64>, message: impl Into<String>) -> PluginMessage {
        PluginMessage {
            id,
            message: Some(message.into()),
            ..PluginMessage::empty(PluginMessageKind::Error)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_single_json_lines_with_a_type_tag() {
        let request = RawValue::from_string(r#"{"record":{},"params":{},"year":2024}"#.into())
            .expect("raw json");
        let line = serde_json::to_string(&HostMessage::score(7, request)).expect("json");
        assert_eq!(
            line,
            r#"{"type":"score","id":7,"request":{"record":{},"params":{},"year":2024}}"#
        );
        let back: HostMessage = serde_json::from_str(&line).expect("parse");
        assert_eq!(back.kind, HostMessageKind::Score);
        assert_eq!(
            back.request.map(|r| r.get().to_string()).as_deref(),
            Some(r#"{"record":{},"params":{},"year":2024}"#)
        );
        let hello = serde_json::to_string(&HostMessage::hello()).expect("json");
        assert_eq!(hello, r#"{"type":"hello","protocol":1}"#);
        let answer: PluginMessage =
            serde_json::from_str(r#"{"type":"result","id":7,"results":[]}"#).expect("parse");
        assert_eq!(
            (answer.kind, answer.id),
            (PluginMessageKind::Result, Some(7))
        );
        let err: PluginMessage =
            serde_json::from_str(r#"{"type":"error","message":"no"}"#).expect("parse");
        assert_eq!((err.kind, err.id), (PluginMessageKind::Error, None));
    }
}
