//! A split run's packet made from its spill: the corpus pass appends every record to a spill file
//! and keeps each document's summary and each record's codes ([`PacketSpill::add_documents`]);
//! while `scores.json` is written every card and finding is fed to the whole-run context and
//! filed under its department ([`PacketSpill::add_card`], [`PacketSpill::add_finding`]); then
//! the render stage reads one department at a time back from the spill files
//! ([`SpilledSource`], a [`jixiao_render::DepartmentSource`]). What stays in memory is the
//! whole-run context, a few numbers per record and the departments being rendered.

use std::collections::BTreeSet;
use std::io;
use std::path::Path;

use jixiao_core::{DocumentRecords, Finding, Record, RecordScore, RubricInfo};
use jixiao_render::{DocumentSummary, LoadedDepartment, PacketMeta, RunPacket, ScopeBuilder};
use jixiao_score::{CorpusFindings, DepartmentNames};
use rustc_hash::FxHashMap;

use crate::DriverError;
use crate::spill::{SpillFile, SpillReader, SpilledCards};

/// What a split run's packet keeps while the corpus is read and its scores written.
pub(crate) struct PacketSpill {
    records: SpillFile,
    /// The run's finding rows, as its workbook lists them (the whole-run context keeps only the
    /// report's).
    finding_rows: SpillFile,
    /// Each document's first record's ordinal (records counted in corpus order).
    document_first: Vec<u32>,
    /// Each record's project code and `单位编码`.
    codes: Vec<(Option<String>, Option<String>)>,
    summaries: Vec<DocumentSummary>,
    indicators: usize,
    whole: ScopeBuilder,
    departments: Departments,
}

/// Each department's cards and findings, by their ordinals.
#[derive(Default)]
struct Departments {
    index: FxHashMap<String, usize>,
    /// Cards and findings of each department, in order.
    members: Vec<(Vec<u32>, Vec<u32>)>,
    /// Each card's department.
    of_card: Vec<u32>,
    findings: u32,
}

impl PacketSpill {
    pub(crate) fn new(
        dir: &Path,
        rubric: &RubricInfo,
        meta: PacketMeta,
    ) -> Result<Self, DriverError> {
        Ok(PacketSpill {
            records: SpillFile::new(dir)?,
            finding_rows: SpillFile::new(dir)?,
            document_first: Vec::new(),
            codes: Vec::new(),
            summaries: Vec::new(),
            indicators: 0,
            whole: ScopeBuilder::new(rubric, meta, None, false),
            departments: Departments::default(),
        })
    }

    /// The corpus's next documents.
    pub(crate) fn add_documents(&mut self, documents: &[DocumentRecords]) -> io::Result<()> {
        for d in documents {
            self.document_first.push(self.codes.len() as u32);
            let summary = DocumentSummary::of(d);
            self.whole.add_summary(&summary);
            self.summaries.push(summary);
            for r in &d.records {
                self.codes
                    .push((r.code.clone(), r.attributes.get("单位编码").cloned()));
                self.indicators += r.indicators.len();
            }
        }
        let records: Vec<&Record> = documents.iter().flat_map(|d| &d.records).collect();
        self.records.push_compact(&records)
    }

    /// Card `i` (in scorecard order, its department respelled).
    pub(crate) fn add_card(&mut self, i: usize, card: &RecordScore) {
        let (code, unit_code) = self
            .codes
            .get_mut(i)
            .map(std::mem::take)
            .unwrap_or_default();
        self.whole.add_card_facts(card, code, unit_code);
        let d = &mut self.departments;
        let department = *d.index.entry(card.department.clone()).or_insert_with(|| {
            d.members.push((Vec::new(), Vec::new()));
            d.members.len() - 1
        });
        d.members[department].0.push(i as u32);
        d.of_card.push(department as u32);
    }

    /// The next finding, after every card: its row to the run's, and the finding to the
    /// department of its main record.
    pub(crate) fn add_finding(&mut self, f: &Finding) -> io::Result<()> {
        if let Some(row) = self.whole.finding_row(f) {
            self.finding_rows.push_one(&row)?;
        }
        let d = &mut self.departments;
        let owner = f.records.first().and_then(|m| {
            let first = *self.document_first.get(m.document)? as usize;
            let end = self
                .document_first
                .get(m.document + 1)
                .map_or(self.codes.len(), |e| *e as usize);
            (first + m.record < end)
                .then(|| d.of_card.get(first + m.record).copied())
                .flatten()
        });
        if let Some(members) = owner.and_then(|o| d.members.get_mut(o as usize)) {
            members.1.push(d.findings);
        }
        d.findings += 1;
        Ok(())
    }

    /// The run's context, and its departments to be read back.
    pub(crate) fn finish(
        self,
        cards: SpilledCards,
        findings: SpillReader,
        corpus: CorpusFindings,
        names: DepartmentNames,
    ) -> io::Result<(RunPacket, SpilledSource)> {
        let run = RunPacket {
            context: self.whole.finish(),
            indicators: self.indicators,
        };
        let source = SpilledSource {
            records: self.records.into_reader()?,
            finding_rows: self.finding_rows.into_reader()?,
            cards,
            findings,
            corpus,
            names,
            summaries: self.summaries,
            index: self.departments.index,
            members: self.departments.members,
        };
        Ok((run, source))
    }
}

/// A split run's departments, read back from its spill files one at a time.
pub(crate) struct SpilledSource {
    records: SpillReader,
    finding_rows: SpillReader,
    cards: SpilledCards,
    findings: SpillReader,
    corpus: CorpusFindings,
    names: DepartmentNames,
    summaries: Vec<DocumentSummary>,
    index: FxHashMap<String, usize>,
    members: Vec<(Vec<u32>, Vec<u32>)>,
}

impl jixiao_render::DepartmentSource for SpilledSource {
    fn load(&self, department: &str) -> Result<LoadedDepartment, String> {
        let (cards, findings) = self
            .index
            .get(department)
            .and_then(|i| self.members.get(*i))
            .ok_or_else(|| format!("no department named {department} in the spill"))?;
        self.read(cards, findings).map_err(|e| e.to_string())
    }

    fn finding_rows(
        &self,
        f: &mut dyn FnMut(jixiao_render::FindingRow),
    ) -> Option<Result<(), String>> {
        let read = self.finding_rows.for_each(|_, bytes| {
            f(crate::spill::parse(bytes)?);
            Ok(())
        });
        Some(read.map_err(|e| e.to_string()))
    }
}

impl SpilledSource {
    fn read(&self, cards: &[u32], findings: &[u32]) -> io::Result<LoadedDepartment> {
        let mut out = LoadedDepartment::default();
        let mut documents = BTreeSet::new();
        for i in cards.iter().map(|i| *i as usize) {
            let mut card: RecordScore = crate::spill::parse(&self.cards.file.read(i)?)?;
            self.names.apply(&mut card);
            let record: Record = crate::spill::parse(&self.records.read(i)?)?;
            documents.insert(card.record.document);
            out.cards.push((card, Some(record)));
        }
        out.documents = documents
            .into_iter()
            .filter_map(|d| self.summaries.get(d).cloned())
            .collect();
        let spilled = self.findings.len();
        for j in findings.iter().map(|j| *j as usize) {
            let finding = match j.checked_sub(spilled) {
                None => crate::spill::parse(&self.findings.read(j)?)?,
                Some(k) => self
                    .corpus
                    .get(k)
                    .ok_or_else(|| io::Error::other(format!("no corpus finding {k}")))?,
            };
            out.findings.push(finding);
        }
        Ok(out)
    }
}
