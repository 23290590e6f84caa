//! 二、审核范围's places: where the tables come from by their units' names, and which documents
//! lie outside `[pipeline] jurisdiction`.

use std::collections::BTreeMap;

use jixiao_core::{DocumentRecords, Jurisdiction, Locality, document_locality};

use super::{CorpusSummary, PLACES_LISTED};

/// Fills `places`, `place_count`, `placeless_documents` and `other_places` of `summary`.
pub(super) fn fill(
    summary: &mut CorpusSummary,
    documents: &[&DocumentRecords],
    jurisdiction: Option<&Locality>,
) {
    let mut tables: BTreeMap<String, usize> = BTreeMap::new();
    for d in documents {
        match document_locality(&d.records) {
            Some((place, _)) => {
                *tables.entry(place.name()).or_default() += d.records.len();
                if jurisdiction.is_some_and(|j| j.contains(&place) == Jurisdiction::Other) {
                    summary
                        .other_places
                        .push(format!("{}（{}）", d.file, place.name()));
                }
            }
            None if !d.records.is_empty() => summary.placeless_documents += 1,
            None => {}
        }
    }
    let mut ranked: Vec<(String, usize)> = tables.into_iter().collect();
    // Most tables first; ties by name (the map's order, kept by the stable sort).
    ranked.sort_by_key(|r| std::cmp::Reverse(r.1));
    summary.place_count = ranked.len();
    summary.places = ranked
        .into_iter()
        .take(PLACES_LISTED)
        .map(|(name, n)| format!("{name}（{n}张）"))
        .collect();
}
