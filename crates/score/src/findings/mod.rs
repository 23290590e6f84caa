//! Corpus-level findings: problems a reviewer must see and count that the points alone hide. They
//! never change a score. Order is deterministic: per document, per record, indicator order; then the
//! cross-project copies by first occurrence.

pub(crate) mod corpus;
pub(crate) mod record;

use jixiao_core::{Finding, Ledger, Record, RecordKind, RecordRef};

use crate::rubric::Rubric;

/// Every finding of a ledger. `year` is the run's budget year (records without their own inherit it).
pub(crate) fn find(
    ledger: &Ledger,
    rubric: &Rubric,
    year: i32,
    jurisdiction: Option<&jixiao_core::Locality>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut all: Vec<(RecordRef, &Record)> = Vec::new();
    for (d, doc) in ledger.documents.iter().enumerate() {
        for (k, rec) in doc.records.iter().enumerate() {
            let r = crate::record_ref(d, k, &doc.file, rec);
            out.extend(record::record_findings(
                rec,
                &r,
                rec.year.unwrap_or(year),
                rubric,
            ));
            if rec.kind == RecordKind::Project {
                out.extend(corpus::copied_across_benefits(&r, rec, &rubric.findings));
            }
            all.push((r, rec));
        }
        out.extend(corpus::reconcile_document(d, doc));
        out.extend(corpus::form_without_goal(d, doc));
        out.extend(corpus::other_year_document(d, doc, year));
        if let Some(place) = jurisdiction {
            out.extend(corpus::other_jurisdiction_document(d, doc, place));
        }
    }
    out.extend(corpus::copied_across_projects(&all, &rubric.findings));
    out
}
