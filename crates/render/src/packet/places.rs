//! 二、审核范围's places: where the tables come from by their units' names, and which documents
//! lie outside `[pipeline] jurisdiction`.

use std::collections::BTreeMap;

use jixiao_core::{Jurisdiction, Locality};

use super::{CorpusSummary, PLACES_LISTED};

/// A run's documents' places, counted a document at a time ([`PlaceTally::add`]), then written
/// into the summary ([`PlaceTally::fill`]).
#[derive(Default)]
pub(super) struct PlaceTally {
    /// Tables per place.
    tables: BTreeMap<String, usize>,
    other_places: Vec<String>,
    placeless_documents: usize,
}

impl PlaceTally {
    /// A document whose tables come from `place` (as most of their units name it), with
    /// `records` tables.
    pub(super) fn add(
        &mut self,
        place: Option<&Locality>,
        records: usize,
        file: &str,
        jurisdiction: Option<&Locality>,
    ) {
        match place {
            Some(place) => {
                *self.tables.entry(place.name()).or_default() += records;
                if jurisdiction.is_some_and(|j| j.contains(place) == Jurisdiction::Other) {
                    self.other_places
                        .push(format!("{file}（{}）", place.name()));
                }
            }
            None if records > 0 => self.placeless_documents += 1,
            None => {}
        }
    }

    /// Fills `places`, `place_count`, `placeless_documents` and `other_places` of `summary`.
    pub(super) fn fill(self, summary: &mut CorpusSummary) {
        summary.other_places = self.other_places;
        summary.placeless_documents = self.placeless_documents;
        let mut ranked: Vec<(String, usize)> = self.tables.into_iter().collect();
        // Most tables first; ties by name (the map's order, kept by the stable sort).
        ranked.sort_by_key(|r| std::cmp::Reverse(r.1));
        summary.place_count = ranked.len();
        summary.places = ranked
            .into_iter()
            .take(PLACES_LISTED)
            .map(|(name, n)| format!("{name}（{n}张）"))
            .collect();
    }
}
