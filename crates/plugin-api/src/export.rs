//! The entry wrappers [`crate::export_scorer!`] expands to. Every path runs inside `catch_unwind`:
//! a panic unwinding out of an `extern "C"` function would abort the host process (Rust ≥ 1.81), so
//! it is turned into [`STATUS_PANIC`] plus the panic message instead.

use std::any::Any;
use std::ffi::c_void;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::{STATUS_ERROR, STATUS_OK, STATUS_PANIC, ScoreRequest, Scorer, SinkFn};

fn emit(sink: SinkFn, ctx: *mut c_void, bytes: &[u8]) {
    sink(ctx, bytes.as_ptr(), bytes.len());
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic with a non-string payload".to_string()
    }
}

/// Backs the table's `manifest` entry.
pub fn manifest_entry<S: Scorer>(
    instance: fn() -> &'static S,
    sink: SinkFn,
    ctx: *mut c_void,
) -> i32 {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        serde_json::to_vec(&instance().manifest()).map_err(|e| e.to_string())
    }));
    finish(outcome, sink, ctx)
}

/// Backs the table's `score` entry.
///
/// # Safety
/// `request` must point to `request_len` readable bytes for the duration of the call (or be null
/// with `request_len == 0`).
pub unsafe fn score_entry<S: Scorer>(
    instance: fn() -> &'static S,
    request: *const u8,
    request_len: usize,
    sink: SinkFn,
    ctx: *mut c_void,
) -> i32 {
    let bytes: &[u8] = if request.is_null() || request_len == 0 {
        &[]
    } else {
        // SAFETY: the caller guarantees `request_len` readable bytes at `request`.
        unsafe { std::slice::from_raw_parts(request, request_len) }
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let req: ScoreRequest =
            serde_json::from_slice(bytes).map_err(|e| format!("invalid request JSON: {e}"))?;
        let results = instance().score(&req)?;
        serde_json::to_vec(&results).map_err(|e| e.to_string())
    }));
    finish(outcome, sink, ctx)
}

fn finish(
    outcome: Result<Result<Vec<u8>, String>, Box<dyn Any + Send>>,
    sink: SinkFn,
    ctx: *mut c_void,
) -> i32 {
    match outcome {
        Ok(Ok(json)) => {
            emit(sink, ctx, &json);
            STATUS_OK
        }
        Ok(Err(msg)) => {
            emit(sink, ctx, msg.as_bytes());
            STATUS_ERROR
        }
        Err(payload) => {
            emit(sink, ctx, panic_message(payload.as_ref()).as_bytes());
            STATUS_PANIC
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Manifest, ManifestCheck, PluginCheckResult, Record, ScoreRequest, Scorer};

    #[derive(Default)]
    struct Panicky;

    impl Scorer for Panicky {
        fn manifest(&self) -> Manifest {
            Manifest {
                name: "panicky".into(),
                version: "0".into(),
                description: String::new(),
                checks: vec![ManifestCheck {
                    id: "P1".into(),
                    title: "t".into(),
                    max_points: 1.0,
                    rule: String::new(),
                }],
                params: Default::default(),
                thread_safe: true,
            }
        }
        fn score(&self, req: &ScoreRequest) -> Result<Vec<PluginCheckResult>, String> {
            match req.record.name.as_deref() {
                Some("panic") => panic!("boom in plugin"),
                Some("error") => Err("refused".into()),
                _ => Ok(vec![PluginCheckResult {
                    id: "P1".into(),
                    points: 1.0,
                    evidence: vec![],
                }]),
            }
        }
    }

    crate::export_scorer!(Panicky);

    extern "C" fn collect(ctx: *mut std::ffi::c_void, data: *const u8, len: usize) {
        // SAFETY: the tests pass a `&mut Vec<u8>` as ctx and the wrapper passes a valid slice.
        unsafe {
            let buf = &mut *(ctx as *mut Vec<u8>);
            buf.extend_from_slice(std::slice::from_raw_parts(data, len));
        }
    }

    fn call(name: &str) -> (i32, String) {
        let mut rec = Record {
            kind: "project".into(),
            lines: [1, 1],
            ..Record::default()
        };
        rec.name = Some(name.into());
        let req = serde_json::json!({"record": rec, "params": {}, "year": 2024}).to_string();
        // SAFETY: the table is this test binary's own static.
        let table = unsafe { &*jixiao_plugin_v1() };
        let mut out = Vec::new();
        // SAFETY: request points to req.len() bytes; out outlives the call.
        let status = unsafe {
            (table.score)(
                req.as_ptr(),
                req.len(),
                collect,
                &mut out as *mut Vec<u8> as *mut _,
            )
        };
        (status, String::from_utf8_lossy(&out).into_owned())
    }

    #[test]
    fn panic_is_caught_and_reported() {
        let (status, msg) = call("panic");
        assert_eq!(status, crate::STATUS_PANIC);
        assert!(msg.contains("boom in plugin"), "{msg}");
    }

    #[test]
    fn error_and_success_paths() {
        assert_eq!(call("error"), (crate::STATUS_ERROR, "refused".to_string()));
        let (status, json) = call("fine");
        assert_eq!(status, crate::STATUS_OK);
        assert!(json.contains("\"P1\""), "{json}");
    }

    #[test]
    fn bad_request_is_an_error_not_a_crash() {
        // SAFETY: the table is this test binary's own static.
        let table = unsafe { &*jixiao_plugin_v1() };
        let mut out = Vec::new();
        // SAFETY: three readable bytes.
        let status = unsafe {
            (table.score)(
                b"{{{".as_ptr(),
                3,
                collect,
                &mut out as *mut Vec<u8> as *mut _,
            )
        };
        assert_eq!(status, crate::STATUS_ERROR);
        let mut m = Vec::new();
        let status = (table.manifest)(collect, &mut m as *mut Vec<u8> as *mut _);
        assert_eq!(status, crate::STATUS_OK);
        assert_eq!(table.abi_version, crate::ABI_VERSION);
        assert!(String::from_utf8_lossy(&m).contains("panicky"));
    }
}
