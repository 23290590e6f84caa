//! The workbook's detail rows one project at a time. A split run's whole-run context holds no
//! project rows (its report and index page show totals); the run's workbook still lists every
//! record, so it asks a [`ProjectRows`] for them, and [`LazyRows`] builds each row from the ledger
//! and the scorecard when asked and drops it after: memory stays bounded by one row, whatever the
//! corpus.

use std::collections::BTreeMap;

use jixiao_core::{Ledger, RecordScore};

use super::ProjectRow;
use super::rows::project_row;

/// The projects of a workbook's detail sheets, in 序号 order.
pub(crate) trait ProjectRows: Sync {
    /// Calls `f` with each row in order; every call walks all of them again.
    fn each(&self, f: &mut dyn FnMut(&ProjectRow));
    /// How many indicator rows they have (the workbook streams past a size).
    fn indicators(&self) -> usize;
}

impl ProjectRows for Vec<ProjectRow> {
    fn each(&self, f: &mut dyn FnMut(&ProjectRow)) {
        self.iter().for_each(f);
    }

    fn indicators(&self) -> usize {
        self.iter().map(|p| p.indicators.len()).sum()
    }
}

/// Rows built from the ledger and the scorecard when walked (see [`super::lazy_rows`]).
pub(crate) struct LazyRows<'l> {
    pub(super) ledger: &'l Ledger,
    pub(super) titles: BTreeMap<&'l str, &'l str>,
    pub(super) order: Vec<&'l RecordScore>,
    pub(super) indicators: usize,
}

impl ProjectRows for LazyRows<'_> {
    fn each(&self, f: &mut dyn FnMut(&ProjectRow)) {
        for s in &self.order {
            f(&project_row(self.ledger, s, &self.titles));
        }
    }

    fn indicators(&self) -> usize {
        self.indicators
    }
}
