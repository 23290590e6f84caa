//! A records-only run's score cards and findings kept on disk until `scores.json` is written: each
//! item serialised as `scores.json` will hold it ([`pretty::serialised`] at
//! [`pretty::ITEM_DEPTH`]) and appended to an anonymous temporary file in the output folder (gone
//! when the run ends, however it ends), with only its length in memory.

use std::io::{self, BufRead, Read, Write};
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

    /// Appends `items`, serialised in parallel.
    pub(crate) fn push_all<T: Serialize + Sync>(&mut self, items: &[T]) -> io::Result<()> {
        let serialised: Vec<Vec<u8>> = items
            .par_iter()
            .map(|item| pretty::serialised(item, pretty::ITEM_DEPTH))
            .collect::<io::Result<_>>()?;
        for bytes in serialised {
            let len = u32::try_from(bytes.len()).map_err(io::Error::other)?;
            self.file.write_all(&bytes)?;
            self.lengths.push(len);
        }
        Ok(())
    }

    /// Each item's bytes, in order, with its index.
    pub(crate) fn read_back(
        self,
        mut each: impl FnMut(usize, &[u8]) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut file = self.file.into_inner().map_err(|e| e.into_error())?;
        io::Seek::rewind(&mut file)?;
        let mut reader = io::BufReader::with_capacity(1 << 20, file);
        let mut buf = Vec::new();
        for (i, len) in self.lengths.into_iter().enumerate() {
            buf.resize(len as usize, 0);
            reader.read_exact(&mut buf)?;
            each(i, &buf)?;
        }
        // Nothing may be left: the file holds exactly the items counted.
        if !reader.fill_buf()?.is_empty() {
            return Err(io::Error::other("a spill file is longer than its items"));
        }
        Ok(())
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

    /// Each card's bytes in order, given to `each` with its department's new spelling when
    /// `names` respells it.
    pub(crate) fn read_back(
        self,
        names: &jixiao_score::DepartmentNames,
        mut each: impl FnMut(&[u8], Option<&str>) -> io::Result<()>,
    ) -> io::Result<()> {
        let CardSpill {
            file,
            departments,
            names: written,
            ..
        } = self;
        file.read_back(|i, bytes| {
            let name = departments
                .get(i)
                .and_then(|d| written.get(*d as usize))
                .ok_or_else(|| io::Error::other("a spilled card without its department"))?;
            let unified = names.of(name);
            each(bytes, (unified != name).then_some(unified))
        })
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
        spill.read_back(|i, bytes| {
            back.push((i, String::from_utf8_lossy(bytes).into_owned()));
            Ok(())
        })?;
        assert_eq!(
            back,
            [
                (0, "\"一\"".to_string()),
                (1, "\"二\"".into()),
                (2, "\"三\"".into())
            ]
        );
        // Anonymous: nothing is left in the folder.
        assert_eq!(dir.path().read_dir()?.count(), 0);
        Ok(())
    }
}
