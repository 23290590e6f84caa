//! Every diagnostic code this stage emits, with its severity and meaning (docs/normalize.md
//! explains each; docs/diagnostics.md lists all stages').

use jixiao_core::{DiagnosticCode, Severity};

/// The normaliser's diagnostic codes.
pub const CODES: &[DiagnosticCode] = &[
    DiagnosticCode::new(
        "normalize.count",
        Severity::Info,
        "tables read, next to the number the document states",
    ),
    DiagnosticCode::new(
        "normalize.no-tables",
        Severity::Warning,
        "no target table in the document",
    ),
    DiagnosticCode::new(
        "normalize.skipped-content",
        Severity::Info,
        "narrative, other tables, attachment references: not target tables",
    ),
    DiagnosticCode::new(
        "normalize.not-target-table",
        Severity::Info,
        "a self-evaluation or score sheet, skipped",
    ),
    DiagnosticCode::new(
        "normalize.table-not-understood",
        Severity::Error,
        "a titled table without readable indicator rows",
    ),
    DiagnosticCode::new(
        "normalize.table-rejected",
        Severity::Error,
        "a table that would give a garbage record; not scored",
    ),
    DiagnosticCode::new(
        "normalize.page-furniture",
        Severity::Info,
        "running heads, footers and page numbers skipped",
    ),
    DiagnosticCode::new(
        "normalize.fused-cells",
        Severity::Info,
        "rows written without separators split at their labels",
    ),
    DiagnosticCode::new(
        "normalize.unlabelled-text",
        Severity::Info,
        "text in a table header that no label claims",
    ),
    DiagnosticCode::new(
        "normalize.goal-label-missing",
        Severity::Warning,
        "unlabelled text above the indicators taken as the goal (medium)",
    ),
    DiagnosticCode::new(
        "normalize.second-goal",
        Severity::Info,
        "a second labelled goal not used",
    ),
    DiagnosticCode::new(
        "normalize.no-name",
        Severity::Warning,
        "the table has no project name",
    ),
    DiagnosticCode::new(
        "normalize.no-funds",
        Severity::Warning,
        "the table has no funds",
    ),
    DiagnosticCode::new("normalize.no-goal", Severity::Info, "the table has no goal"),
    DiagnosticCode::new(
        "normalize.no-values",
        Severity::Warning,
        "no indicator has a target value (low)",
    ),
    DiagnosticCode::new(
        "normalize.unit-from-page-header",
        Severity::Info,
        "unit taken from the running head (medium)",
    ),
    DiagnosticCode::new(
        "normalize.total-from-parts",
        Severity::Info,
        "blank 资金总额 = sum of its parts (medium)",
    ),
    DiagnosticCode::new(
        "normalize.funds-shifted",
        Severity::Warning,
        "blank total and 财政拨款 = 其他资金: read as shifted (low)",
    ),
    DiagnosticCode::new(
        "normalize.no-column-titles",
        Severity::Info,
        "indicator columns inferred from the first row (medium)",
    ),
    DiagnosticCode::new(
        "normalize.repeated-header",
        Severity::Info,
        "column-title row repeated at a page break, skipped",
    ),
    DiagnosticCode::new(
        "normalize.level1-inferred",
        Severity::Info,
        "一级 taken from the 二级 (medium)",
    ),
    DiagnosticCode::new(
        "normalize.no-category",
        Severity::Warning,
        "an indicator without 一级/二级 (medium)",
    ),
    DiagnosticCode::new(
        "normalize.row-continued",
        Severity::Info,
        "a split row or page-break fragment joined (medium)",
    ),
    DiagnosticCode::new(
        "normalize.row-split",
        Severity::Info,
        "one row held several indicator rows (medium)",
    ),
    DiagnosticCode::new(
        "normalize.per-column-values",
        Severity::Info,
        "per-place value columns read as one 指标值 (medium)",
    ),
    DiagnosticCode::new(
        "normalize.template-value",
        Severity::Warning,
        "a 指标值 that is only a unit or placeholder: no value (medium)",
    ),
    DiagnosticCode::new(
        "normalize.cut-off",
        Severity::Warning,
        "the source is cut off inside the table (low)",
    ),
    DiagnosticCode::new(
        "normalize.prose-indicators",
        Severity::Info,
        "indicators read from prose (medium)",
    ),
    DiagnosticCode::new(
        "normalize.narrative-department",
        Severity::Info,
        "department targets read from narrative (medium)",
    ),
    DiagnosticCode::new(
        "normalize.narrative-indicators",
        Severity::Info,
        "indicators read from `绩效指标：` paragraphs, categories inferred (medium)",
    ),
    DiagnosticCode::new(
        "normalize.garbage-field",
        Severity::Warning,
        "punctuation or header words dropped (low)",
    ),
    DiagnosticCode::new(
        "normalize.garbage-indicator",
        Severity::Warning,
        "punctuation or header words dropped (low)",
    ),
    DiagnosticCode::new(
        "normalize.low-confidence",
        Severity::Warning,
        "(packet only) a low-confidence record listed in the 未能解析 annex",
    ),
];
