//! Corpus-level findings: problems a reviewer must see and count that the points alone hide. They
//! never change a score. Order is deterministic: per document, per record, indicator order; then the
//! cross-project copies by first occurrence.

pub(crate) mod corpus;
pub(crate) mod record;

use jixiao_core::{Finding, Ledger, Record, RecordKind, RecordRef};

use crate::rubric::Rubric;

/// Every finding of a ledger. `year` is the run's budget year (records without their own inherit it).
/// A document's own findings are found in parallel (one document per task, collected in document
/// order); the copies across projects need every record and come last.
pub(crate) fn find(
    ledger: &Ledger,
    rubric: &Rubric,
    year: i32,
    jurisdiction: Option<&jixiao_core::Locality>,
) -> Vec<Finding> {
    use rayon::prelude::*;
    let per_document: Vec<Vec<Finding>> = ledger
        .documents
        .par_iter()
        .enumerate()
        .map(|(d, doc)| document_findings(d, doc, rubric, year, jurisdiction))
        .collect();
    let all: Vec<(RecordRef, &Record)> = ledger
        .documents
        .iter()
        .enumerate()
        .flat_map(|(d, doc)| {
            doc.records
                .iter()
                .enumerate()
                .map(move |(k, rec)| (crate::record_ref(d, k, &doc.file, rec), rec))
        })
        .collect();
    let mut out: Vec<Finding> = per_document.into_iter().flatten().collect();
    out.extend(corpus::copied_across_projects(&all, &rubric.findings));
    out
}

/// One document's findings: each record's (in order), then the document's own.
fn document_findings(
    d: usize,
    doc: &jixiao_core::DocumentRecords,
    rubric: &Rubric,
    year: i32,
    jurisdiction: Option<&jixiao_core::Locality>,
) -> Vec<Finding> {
    let mut out = Vec::new();
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
    }
    out.extend(corpus::reconcile_document(d, doc));
    out.extend(corpus::form_without_goal(d, doc));
    out.extend(corpus::other_year_document(d, doc, year));
    if let Some(place) = jurisdiction {
        out.extend(corpus::other_jurisdiction_document(d, doc, place));
    }
    out
}
