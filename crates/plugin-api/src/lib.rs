//! The scoring-plugin SDK: the C ABI a plugin exports, the JSON payloads it exchanges, and
//! [`export_scorer!`], which turns a plain [`Scorer`] impl into a loadable plugin.
//!
//! Map:
//! - [`abi`]: the `#[repr(C)]` [`PluginTable`] returned by the one exported symbol
//!   [`ENTRY_SYMBOL`] (`jixiao_plugin_v1`), status codes, the host-owned output sink. Mirrored by the
//!   hand-written C header `include/jixiao_plugin.h` ([`C_HEADER`]).
//! - [`payload`]: what crosses the boundary as JSON — the [`Manifest`] a plugin describes itself with,
//!   the [`ScoreRequest`] (one canonical record + the plugin's params) and the list of
//!   [`PluginCheckResult`]s it answers with.
//! - [`record`]: the record a plugin is given — the SDK's own versioned types, converted by the
//!   host from jixiao's canonical record (this crate does not depend on jixiao's other crates).
//! - [`protocol`]: the same exchange as JSON Lines over a child's stdin/stdout (version
//!   [`PROTOCOL_VERSION`]), spoken by `command = [...]` plugins in any language and by the worker
//!   child that runs a library plugin in isolation.
//! - [`export`]: the `catch_unwind` wrappers behind [`export_scorer!`]; no panic ever crosses the boundary.
//!
//! The host side (loading, pins, version checks, fault handling) lives in `jixiao-score`.

pub mod abi;
#[cfg(feature = "build-c")]
pub mod build_c;
pub mod export;
pub mod payload;
pub mod protocol;
pub mod record;

pub use abi::{
    ABI_VERSION, ENTRY_SYMBOL, ENTRY_SYMBOL_PREFIX, EntryFn, ManifestFn, PluginTable, STATUS_ERROR,
    STATUS_OK, STATUS_PANIC, ScoreFn, SinkFn, TableHeader,
};
pub use payload::{
    Manifest, ManifestCheck, ParamSpec, ParamType, PluginCheckResult, PluginEvidence, ScoreRequest,
};
pub use protocol::{
    HostMessage, HostMessageKind, PROTOCOL_VERSION, PluginMessage, PluginMessageKind,
};
pub use record::{Funds, FundsItem, Indicator, PlanPoint, Record, Time, Value, levels};

/// The C header, for tools that want to print or install it.
pub const C_HEADER: &str = include_str!("../include/jixiao_plugin.h");

/// What a plugin author implements. One instance serves every call; it must be `Sync` because a
/// plugin whose manifest says `thread_safe: true` is called from several threads at once.
pub trait Scorer: Send + Sync {
    /// Name, version, checks, parameter schema. Called once, when the host loads the plugin.
    fn manifest(&self) -> Manifest;
    /// Scores one record. `Err(message)` is a plugin-reported fault: the host marks this plugin's
    /// checks "not scored" for the record and reports the message.
    fn score(&self, request: &ScoreRequest) -> Result<Vec<PluginCheckResult>, String>;
}

/// Exports a [`Scorer`] type (which must implement `Default`) as a plugin: defines the entry
/// symbol `jixiao_plugin_v1` returning a static [`PluginTable`].
///
/// ```ignore
/// #[derive(Default)]
/// struct MyRules;
/// impl jixiao_plugin_api::Scorer for MyRules { /* ... */ }
/// jixiao_plugin_api::export_scorer!(MyRules);
/// ```
#[macro_export]
macro_rules! export_scorer {
    ($ty:ty) => {
        fn __jixiao_instance() -> &'static $ty {
            static INSTANCE: ::std::sync::OnceLock<$ty> = ::std::sync::OnceLock::new();
            INSTANCE.get_or_init(<$ty as ::core::default::Default>::default)
        }

        extern "C" fn __jixiao_manifest(
            sink: $crate::SinkFn,
            sink_ctx: *mut ::core::ffi::c_void,
        ) -> i32 {
            $crate::export::manifest_entry(__jixiao_instance, sink, sink_ctx)
        }

        /// # Safety
        /// `request` must point to `request_len` readable bytes (the host guarantees it).
        unsafe extern "C" fn __jixiao_score(
            request: *const u8,
            request_len: usize,
            sink: $crate::SinkFn,
            sink_ctx: *mut ::core::ffi::c_void,
        ) -> i32 {
            // SAFETY: forwarded unchanged from the host, which owns the request buffer for the call.
            unsafe {
                $crate::export::score_entry(__jixiao_instance, request, request_len, sink, sink_ctx)
            }
        }

        static __JIXIAO_TABLE: $crate::PluginTable = $crate::PluginTable {
            abi_version: $crate::ABI_VERSION,
            table_size: ::core::mem::size_of::<$crate::PluginTable>() as u32,
            manifest: __jixiao_manifest,
            score: __jixiao_score,
        };

        /// The plugin's entry symbol: its name carries the ABI version. Exported by name, so
        /// reachable whatever module the macro is used in.
        #[unsafe(no_mangle)]
        #[allow(unreachable_pub)]
        pub extern "C" fn jixiao_plugin_v1() -> *const $crate::PluginTable {
            &__JIXIAO_TABLE
        }
    };
}
