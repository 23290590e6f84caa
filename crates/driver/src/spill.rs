//! A run's score cards, findings and records kept on disk: each item serialised (cards and
//! findings as `scores.json` will hold them, [`pretty::serialised`] at [`pretty::ITEM_DEPTH`];
//! records compact) and appended to an anonymous temporary file in the output folder (gone when
//! the run ends, however it ends), with only its length in memory. Once written, a spill is read
//! back in order (`scores.json`) or an item at a time from any thread ([`SpillReader::read`]: a
//! department's records and cards for its packet).

use std::io::{self, Read, Write};
use std::path::Path;

use jixiao_core::RecordScore;
use rayon::prelude::*;
use serde::Serialize;

use crate::{DriverError, pretty};

/// Serialised items, one after another.
pub(crate) struct SpillFile {
    file: io::BufWriter<std::fs::File>,
    lengths: Vec<u32>,
}

impl SpillFile {
    pub(crate) fn new(dir: &Path) -> Result<SpillFile, DriverError> {
        let file = tempfile::tempfile_in(dir)
            .map_err(|e| DriverError::io("cannot create a temporary file in", dir, e))?;
        Ok(SpillFile {
            file: io::BufWriter::with_capacity(1 << 20, file),
            lengths: Vec::new(),
        })
    }

    /// Appends `items`, serialised in parallel as `scores.json` holds them.
    pub(crate) fn push_all<T: Serialize + Sync>(&mut self, items: &[T]) -> io::Result<()> {
        let serialised: Vec<Vec<u8>> = items
            .par_iter()
            .map(|item| pretty::serialised(item, pretty::ITEM_DEPTH))
            .collect::<io::Result<_>>()?;
        self.push_serialised(serialised)
    }

    /// Appends `items`, serialised compactly in parallel.
    pub(crate) fn push_compact<T: Serialize + Sync>(&mut self, items: &[T]) -> io::Result<()> {
        let serialised: Vec<Vec<u8>> = items
            .par_iter()
            .map(|item| serde_json::to_vec(item).map_err(io::Error::from))
            .collect::<io::Result<_>>()?;
        self.push_serialised(serialised)
    }

    /// Appends one item, serialised compactly.
    pub(crate) fn push_one(&mut self, item: &impl Serialize) -> io::Result<()> {
        self.push_serialised(vec![serde_json::to_vec(item)?])
    }

    fn push_serialised(&mut self, serialised: Vec<Vec<u8>>) -> io::Result<()> {
        for bytes in serialised {
            let len = u32::try_from(bytes.len()).map_err(io::Error::other)?;
            self.file.write_all(&bytes)?;
            self.lengths.push(len);
        }
        Ok(())
    }

    /// The file, to be read back.
    pub(crate) fn into_reader(self) -> io::Result<SpillReader> {
        let file = self.file.into_inner().map_err(|e| e.into_error())?;
        let mut offsets = Vec::with_capacity(self.lengths.len() + 1);
        let mut end = 0u64;
        offsets.push(end);
        for len in self.lengths {
            end += u64::from(len);
            offsets.push(end);
        }
        // The file must hold exactly the items counted.
        if file.metadata()?.len() != end {
            return Err(io::Error::other("a spill file is not as long as its items"));
        }
        Ok(SpillReader { file, offsets })
    }
}

/// A spill file written, read back.
pub(crate) struct SpillReader {
    file: std::fs::File,
    /// Where each item starts, and the end.
    offsets: Vec<u64>,
}

impl SpillReader {
    pub(crate) fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Item `i`'s bytes (from any thread: a positional read).
    pub(crate) fn read(&self, i: usize) -> io::Result<Vec<u8>> {
        let (Some(start), Some(end)) = (self.offsets.get(i), self.offsets.get(i + 1)) else {
            return Err(io::Error::other(format!("no item {i} in a spill file")));
        };
        let mut buf = vec![0; (end - start) as usize];
        read_exact_at(&self.file, &mut buf, *start)?;
        Ok(buf)
    }

    /// Items `range` in one positional read: their bytes one after another, and each item's span
    /// in them.
    pub(crate) fn read_many(
        &self,
        range: std::ops::Range<usize>,
    ) -> io::Result<(Vec<u8>, Vec<std::ops::Range<usize>>)> {
        let offsets = self
            .offsets
            .get(range.start..=range.end)
            .ok_or_else(|| io::Error::other(format!("no items {range:?} in a spill file")))?;
        let first = offsets.first().copied().unwrap_or(0);
        let last = offsets.last().copied().unwrap_or(first);
        let mut buf = vec![0; (last - first) as usize];
        read_exact_at(&self.file, &mut buf, first)?;
        let spans = offsets
            .windows(2)
            .map(|w| (w[0] - first) as usize..(w[1] - first) as usize)
            .collect();
        Ok((buf, spans))
    }

    /// Each item's bytes in order, with its index.
    pub(crate) fn for_each(
        &self,
        mut each: impl FnMut(usize, &[u8]) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut file = &self.file;
        io::Seek::rewind(&mut file)?;
        let mut reader = io::BufReader::with_capacity(1 << 20, file);
        let mut buf = Vec::new();
        for (i, w) in self.offsets.windows(2).enumerate() {
            buf.resize((w[1] - w[0]) as usize, 0);
            reader.read_exact(&mut buf)?;
            each(i, &buf)?;
        }
        Ok(())
    }
}

/// A spilled item read back: its JSON checked as UTF-8 once, with SIMD, then parsed as text
/// (`serde_json::from_slice` checks every string it meets on its own, ≈ 1.5 % of a split run's
/// CPU in reading departments back).
pub(crate) fn parse<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> io::Result<T> {
    let text = simdutf8::basic::from_utf8(bytes)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "spilled JSON is not UTF-8"))?;
    Ok(serde_json::from_str(text)?)
}

#[cfg(unix)]
fn read_exact_at(file: &std::fs::File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &std::fs::File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, offset)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

/// The first wordings of a run's indicators (`jixiao_score::WordingStore`), kept on disk: the
/// copies-across-projects tally keeps one per distinct indicator, and a province has millions,
/// most never read back. The first failure to write or read is kept in the shared slot
/// [`WordingSpill::new`] returns; the driver checks it after the tally is settled and fails the
/// run rather than lose a finding.
pub(crate) struct WordingSpill {
    file: io::BufWriter<std::fs::File>,
    len: u64,
    flushed: bool,
    failure: std::sync::Arc<std::sync::Mutex<Option<io::Error>>>,
}

/// Where a [`WordingSpill`] reports its first failure.
pub(crate) type WordingFailure = std::sync::Arc<std::sync::Mutex<Option<io::Error>>>;

impl WordingSpill {
    pub(crate) fn new(dir: &Path) -> Result<(WordingSpill, WordingFailure), DriverError> {
        let file = tempfile::tempfile_in(dir)
            .map_err(|e| DriverError::io("cannot create a temporary file in", dir, e))?;
        let failure = WordingFailure::default();
        let spill = WordingSpill {
            file: io::BufWriter::with_capacity(1 << 20, file),
            len: 0,
            flushed: true,
            failure: failure.clone(),
        };
        Ok((spill, failure))
    }

    fn fail(&self, e: io::Error) {
        if let Ok(mut slot) = self.failure.lock() {
            slot.get_or_insert(e);
        }
    }

    fn failed(&self) -> bool {
        self.failure.lock().map_or(true, |slot| slot.is_some())
    }

    fn read_at(&mut self, handle: u64) -> io::Result<Option<(String, String)>> {
        if !self.flushed {
            self.file.flush()?;
            self.flushed = true;
        }
        let mut head = [0u8; 8];
        read_exact_at(self.file.get_ref(), &mut head, handle)?;
        let [a, b, c, d, e, f, g, h] = head;
        let name = u32::from_le_bytes([a, b, c, d]) as usize;
        let value = u32::from_le_bytes([e, f, g, h]) as usize;
        let mut bytes = vec![0; 8 + name + value];
        read_exact_at(self.file.get_ref(), &mut bytes, handle)?;
        Ok(jixiao_score::read_wording(&bytes, 0))
    }
}

impl jixiao_score::WordingStore for WordingSpill {
    fn keep(&mut self, name: &str, value: &str) -> u64 {
        if self.failed() {
            return u64::MAX;
        }
        let bytes = jixiao_score::wording_layout(name, value);
        match self.file.write_all(&bytes) {
            Ok(()) => {
                let at = self.len;
                self.len += bytes.len() as u64;
                self.flushed = false;
                at
            }
            Err(e) => {
                self.fail(e);
                u64::MAX
            }
        }
    }

    fn read(&mut self, handle: u64) -> Option<(String, String)> {
        if self.failed() {
            return None;
        }
        match self.read_at(handle) {
            Ok(Some(wording)) => Some(wording),
            Ok(None) => {
                self.fail(io::Error::other("a wording read back is not one"));
                None
            }
            Err(e) => {
                self.fail(e);
                None
            }
        }
    }
}

/// Score cards spilled, each with its department as its table writes it (the corpus's spelling is
/// known only after the last card).
pub(crate) struct CardSpill {
    file: SpillFile,
    /// Each card's department: an index into `names`.
    departments: Vec<u32>,
    names: Vec<String>,
    index: rustc_hash::FxHashMap<String, u32>,
}

impl CardSpill {
    pub(crate) fn new(dir: &Path) -> Result<CardSpill, DriverError> {
        Ok(CardSpill {
            file: SpillFile::new(dir)?,
            departments: Vec::new(),
            names: Vec::new(),
            index: rustc_hash::FxHashMap::default(),
        })
    }

    pub(crate) fn push_all(&mut self, cards: &[RecordScore]) -> io::Result<()> {
        self.file.push_all(cards)?;
        for card in cards {
            let department = match self.index.get(&card.department) {
                Some(&i) => i,
                None => {
                    let i = self.names.len() as u32;
                    self.names.push(card.department.clone());
                    self.index.insert(card.department.clone(), i);
                    i
                }
            };
            self.departments.push(department);
        }
        Ok(())
    }

    /// The cards written, to be read back, with each card's department as its table writes it.
    pub(crate) fn into_reader(self) -> io::Result<SpilledCards> {
        Ok(SpilledCards {
            file: self.file.into_reader()?,
            departments: self.departments,
            names: self.names,
        })
    }
}

/// Score cards spilled and written, to be read back.
pub(crate) struct SpilledCards {
    pub(crate) file: SpillReader,
    departments: Vec<u32>,
    names: Vec<String>,
}

impl SpilledCards {
    /// Card `i`'s department as its table writes it.
    pub(crate) fn written_department(&self, i: usize) -> Option<&str> {
        let d = self.departments.get(i)?;
        self.names.get(*d as usize).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_come_back_in_order_as_serialised() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let mut spill = SpillFile::new(dir.path())?;
        spill.push_all(&["一", "二"])?;
        spill.push_all::<&str>(&[])?;
        spill.push_all(&["三"])?;
        let mut back = Vec::new();
        spill.push_compact(&[[4, 5]])?;
        let spill = spill.into_reader()?;
        spill.for_each(|i, bytes| {
            back.push((i, String::from_utf8_lossy(bytes).into_owned()));
            Ok(())
        })?;
        assert_eq!(
            back,
            [
                (0, "\"一\"".to_string()),
                (1, "\"二\"".into()),
                (2, "\"三\"".into()),
                (3, "[4,5]".into())
            ]
        );
        // Any item, from any thread, in any order.
        assert_eq!(spill.read(3)?, b"[4,5]");
        assert_eq!(spill.read(1)?, "\"二\"".as_bytes());
        assert_eq!(spill.len(), 4);
        assert!(spill.read(4).is_err());
        let (mut wordings, failure) = WordingSpill::new(dir.path())?;
        use jixiao_score::WordingStore;
        let first = wordings.keep("满意度", "≥90%");
        let second = wordings.keep("完成时间", "2024年12月底前");
        assert_eq!(
            wordings.read(second),
            Some(("完成时间".into(), "2024年12月底前".into()))
        );
        assert_eq!(wordings.read(first), Some(("满意度".into(), "≥90%".into())));
        assert_eq!(wordings.read(1 << 40), None, "past the end");
        assert!(
            failure.lock().map(|f| f.is_some()).unwrap_or(false),
            "the failure is kept"
        );
        // Anonymous: nothing is left in the folder.
        assert_eq!(dir.path().read_dir()?.count(), 0);
        Ok(())
    }
}
