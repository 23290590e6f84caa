//! Scoring a corpus a batch of documents at a time: [`CorpusScorer`]. Each record's card and each
//! document's findings depend on that document alone and are returned with the batch; what needs the
//! whole corpus — the copies across projects, the department names' spellings, the plugin fault
//! summaries — is tallied on the side in a compact form and settled by [`CorpusScorer::finish`].
//! A province's run scores its documents as they are normalised and never holds its records and
//! cards all at once; [`crate::score`] is the same over one batch, the whole ledger.

use jixiao_core::{
    Diagnostic, DocumentRecords, Finding, Record, RecordRef, RecordScore, RubricInfo,
};
use rayon::prelude::*;

use crate::departments::{DepartmentNames, DepartmentTally};
use crate::findings::corpus::{CopyFindings, CopyTally, RecordTable};
use crate::host::call::PluginFault;
use crate::{ScoreContext, checks, findings, host, record_ref};

/// A corpus being scored batch by batch ([`CorpusScorer::add`], in corpus order), then
/// [`CorpusScorer::finish`]ed.
pub struct CorpusScorer<'c> {
    ctx: &'c ScoreContext,
    /// Documents added so far: the next batch's first document index.
    documents: usize,
    records: usize,
    faults: Vec<(usize, PluginFault)>,
    departments: DepartmentTally,
    copies: CopyTally,
    /// Every record so far, compactly: what the copies' findings name.
    table: RecordTable,
}

/// One batch's score cards and findings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScoredBatch {
    /// One card per record of the batch's documents, in order, each with its department as its
    /// table writes it: the corpus's spelling comes from [`CorpusScores::departments`].
    pub records: Vec<RecordScore>,
    /// The batch's documents' own findings, in document order.
    pub findings: Vec<Finding>,
}

/// What the whole corpus settles once every batch is scored.
#[derive(Debug, Clone)]
pub struct CorpusScores {
    /// The rubric the cards were made with.
    pub rubric: RubricInfo,
    /// Each department's one spelling: apply it to every card before it is written.
    pub departments: DepartmentNames,
    /// The corpus's findings, after every batch's: copies across projects, then department names
    /// alike.
    pub findings: CorpusFindings,
    /// The stage's diagnostics: the plugins' loading, then their faults (summarised per plugin).
    pub diagnostics: Vec<Diagnostic>,
}

impl<'c> CorpusScorer<'c> {
    /// An empty corpus, the first wordings of its indicators kept in memory.
    pub fn new(ctx: &'c ScoreContext) -> CorpusScorer<'c> {
        CorpusScorer::with_wordings(ctx, Box::new(crate::WordingBlocks::default()))
    }

    /// An empty corpus whose indicators' first wordings are kept in `wordings` (a province's run
    /// keeps them on disk: most are never read back).
    pub fn with_wordings(
        ctx: &'c ScoreContext,
        wordings: Box<dyn crate::WordingStore>,
    ) -> CorpusScorer<'c> {
        CorpusScorer {
            ctx,
            documents: 0,
            records: 0,
            faults: Vec::new(),
            departments: DepartmentTally::default(),
            copies: CopyTally::with_store(wordings),
            table: RecordTable::default(),
        }
    }

    /// Scores the corpus's next documents (in parallel, order kept): their cards refer to them by
    /// their index in the whole corpus.
    pub fn add(&mut self, documents: &[DocumentRecords]) -> ScoredBatch {
        let ctx = self.ctx;
        let first = self.documents;
        let jobs: Vec<(RecordRef, &Record, checks::FormFacts)> = documents
            .iter()
            .enumerate()
            .flat_map(|(d, doc)| {
                let form = checks::FormFacts::of(&doc.records);
                doc.records
                    .iter()
                    .enumerate()
                    .map(move |(k, rec)| (record_ref(first + d, k, &doc.file, rec), rec, form))
            })
            .collect();
        let scored: Vec<(RecordScore, Vec<(usize, PluginFault)>)> = jobs
            .par_iter()
            .map(|(r, rec, form)| crate::score_record(r.clone(), rec, ctx, *form))
            .collect();
        let mut records = Vec::with_capacity(scored.len());
        for (s, f) in scored {
            records.push(s);
            self.faults.extend(f);
        }
        self.departments.add(&records);
        for doc in documents {
            self.table.add_document(doc);
        }
        let first_record = self.records as u32;
        let pairs: Vec<(u32, &Record)> = jobs
            .into_iter()
            .enumerate()
            .map(|(k, (_, rec, _))| (first_record + k as u32, rec))
            .collect();
        self.copies.add(&pairs, &ctx.rubric.findings);
        let findings = findings::documents_findings(
            first,
            documents,
            &ctx.rubric,
            ctx.year,
            ctx.jurisdiction.as_ref(),
        );
        self.documents += documents.len();
        self.records += records.len();
        ScoredBatch { records, findings }
    }

    /// The corpus's findings, department names and diagnostics.
    pub fn finish(self) -> CorpusScores {
        let ctx = self.ctx;
        let mut diagnostics = ctx.diagnostics.clone();
        diagnostics.extend(host::faults::diagnostics(
            &ctx.plugins,
            &self.faults,
            self.records,
        ));
        let copies = self.copies.finish(&ctx.rubric.findings);
        let (departments, similar) = self.departments.finish();
        CorpusScores {
            rubric: ctx.rubric_info(),
            departments,
            findings: CorpusFindings {
                copies,
                table: self.table,
                similar,
            },
            diagnostics,
        }
    }
}

/// The corpus's findings (copies across projects, then department names alike), each made when
/// asked for ([`CorpusFindings::get`]): at a province's scale the copies name millions of records,
/// which a run writes a chunk at a time instead of holding.
#[derive(Debug, Clone, Default)]
pub struct CorpusFindings {
    copies: CopyFindings,
    table: RecordTable,
    similar: Vec<Finding>,
}

impl CorpusFindings {
    /// How many findings.
    pub fn len(&self) -> usize {
        self.copies.len() + self.similar.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `i`th finding.
    pub fn get(&self, i: usize) -> Option<Finding> {
        match i.checked_sub(self.copies.len()) {
            None => self.copies.finding(i, &self.table),
            Some(j) => self.similar.get(j).cloned(),
        }
    }

    /// Every finding, in order.
    pub fn to_vec(&self) -> Vec<Finding> {
        (0..self.len()).filter_map(|i| self.get(i)).collect()
    }
}
