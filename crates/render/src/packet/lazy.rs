//! The workbook's detail rows one project at a time. A split run's whole-run context holds no
//! project rows (its report and index page show totals); the run's workbook still lists every
//! record, so it asks a [`ProjectRows`] for them, and the split renderer's rows read each
//! department when walked and drop it after (`crate::split`): memory stays bounded by one
//! department, whatever the corpus.

use super::ProjectRow;

/// The projects of a workbook's detail sheets, in 序号 order.
pub(crate) trait ProjectRows: Sync {
    /// Calls `f` with each row in order; every call walks all of them again.
    fn each(&self, f: &mut dyn FnMut(&ProjectRow));
    /// How many indicator rows they have (the workbook streams past a size).
    fn indicators(&self) -> usize;
    /// Calls `f` with each row of the findings sheet, in order: the packet's own, unless they are
    /// kept elsewhere (a province's run keeps them on disk and its context only the report's).
    fn each_finding(&self, packet: &super::PacketContext, f: &mut dyn FnMut(&super::FindingRow)) {
        packet.findings.iter().for_each(f);
    }
}

impl ProjectRows for Vec<ProjectRow> {
    fn each(&self, f: &mut dyn FnMut(&ProjectRow)) {
        self.iter().for_each(f);
    }

    fn indicators(&self) -> usize {
        self.iter().map(|p| p.indicators.len()).sum()
    }
}
