//! The data model every stage shares, and nothing else: no I/O lives here.
//!
//! The flow is `ingest → normalize → score → render`; each stage takes the previous stage's type:
//! - [`SourceDocument`]: what `ingest` returns — a file as rows of cells, each with its line and column.
//! - [`DocumentRecords`]: what `normalize` returns per document — canonical [`Record`]s plus diagnostics.
//!   A `Vec<DocumentRecords>` is the [`Ledger`].
//! - [`Scorecard`]: what `score` returns — per-record check results with evidence, findings, rubric.
//! - [`ParsedValue`]: the structured reading of an indicator's 指标值.
//! - [`Diagnostic`]: a problem or repair with its severity, code and line; diagnostics ride along with
//!   results instead of aborting the run.
//! - [`summary`]: department and corpus aggregates of a scorecard (means, grade counts), shared by
//!   every view so the numbers agree.
//! - [`Locality`]: the place a unit's name starts with, and whether it lies in the review's
//!   jurisdiction.
//! - [`ReadLimits`]: how much a reader may take from one file (`[limits]`).
//! - [`RunContext`]: the budget year and as-of date a run is pinned to (for reproducible outputs).

#![forbid(unsafe_code)]

mod date;
mod diagnostic;
mod digest;
mod limits;
mod locality;
mod record;
mod run;
mod scorecard;
mod source;
pub mod summary;
mod value;

pub use date::{civil_from_days, days_from_civil};
pub use diagnostic::{Diagnostic, DiagnosticCode, Severity};
pub use digest::{hex, sha256_hex};
pub use limits::ReadLimits;
pub use locality::{Jurisdiction, Locality, document_locality};
pub use record::{
    Confidence, ConfidenceLevel, DocumentFacts, DocumentRecords, Funds, FundsItem, Indicator,
    Ledger, Level1, Level2, PlanPoint, Record, RecordKind, Sourced, majority_year,
};
pub use run::RunContext;
pub use scorecard::{
    CheckInfo, CheckResult, CheckStatus, Evidence, Finding, Grade, GradeBands, RecordRef,
    RecordScore, RubricInfo, Scorecard,
};
pub use source::{Cell, Layout, Row, SourceDocument, SourceFormat};
pub use value::{Comparator, ParsedValue, TimeKind, TimeSpec};
