//! Corpus-level findings: problems a reviewer must see and count that the points alone hide. They
//! never change a score. Order is deterministic: per document, per record, indicator order; then the
//! cross-project copies by first occurrence.

pub(crate) mod corpus;
pub(crate) mod record;
pub(crate) mod wordings;

use jixiao_core::{DocumentRecords, Finding, RecordKind};

use crate::rubric::Rubric;

/// The findings of `documents`, the corpus's documents from index `first` on: each document's own
/// (found in parallel, one document per task), in document order. The copies across projects need
/// every record and are counted apart ([`corpus::CopyTally`]).
pub(crate) fn documents_findings(
    first: usize,
    documents: &[DocumentRecords],
    rubric: &Rubric,
    year: i32,
    jurisdiction: Option<&jixiao_core::Locality>,
) -> Vec<Finding> {
    use rayon::prelude::*;
    let per_document: Vec<Vec<Finding>> = documents
        .par_iter()
        .enumerate()
        .map(|(d, doc)| document_findings(first + d, doc, rubric, year, jurisdiction))
        .collect();
    per_document.into_iter().flatten().collect()
}

/// One document's findings: each record's (in order), then the document's own.
fn document_findings(
    d: usize,
    doc: &DocumentRecords,
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
