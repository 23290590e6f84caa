//! Where the copies-across-projects tally keeps each distinct indicator's first wording until the
//! copies are known ([`WordingStore`]): a finding quotes the first wording of its indicator, but
//! most indicators are written once and their wordings are never asked for again. In memory by
//! default ([`WordingBlocks`]); a run that must not hold a province's wordings gives the scorer a
//! store that keeps them on disk (the driver's).

/// A store of wordings: each kept once, a handle back, read back (after every one is kept) for
/// the few that are copies.
pub trait WordingStore: Send {
    /// Keeps `name` and `value`; returns the handle to read them back with.
    fn keep(&mut self, name: &str, value: &str) -> u64;
    /// The wording kept under `handle`; `None` when it could not be kept or read back (the store
    /// tells whoever made it why: a run fails rather than lose a finding).
    fn read(&mut self, handle: u64) -> Option<(String, String)>;
}

/// Bytes per block of [`WordingBlocks`].
const BLOCK: usize = 1 << 20;

/// Wordings in memory, in blocks of 1 MiB (a buffer that doubled would copy a province's text at
/// each growth), each as its name's and value's lengths then their bytes.
#[derive(Default)]
pub struct WordingBlocks {
    blocks: Vec<Vec<u8>>,
}

impl WordingStore for WordingBlocks {
    fn keep(&mut self, name: &str, value: &str) -> u64 {
        let bytes = layout(name, value);
        let fits = |b: &Vec<u8>| b.len() + bytes.len() <= b.capacity();
        if !self.blocks.last().is_some_and(fits) {
            self.blocks.push(Vec::with_capacity(BLOCK.max(bytes.len())));
        }
        let index = self.blocks.len().saturating_sub(1);
        let Some(block) = self.blocks.last_mut() else {
            return u64::MAX;
        };
        let start = block.len() as u64;
        block.extend_from_slice(&bytes);
        ((index as u64) << 32) | start
    }

    fn read(&mut self, handle: u64) -> Option<(String, String)> {
        let block = self.blocks.get((handle >> 32) as usize)?;
        read_at(block, (handle & 0xFFFF_FFFF) as usize)
    }
}

/// A wording as [`WordingBlocks`] lays it out (lengths, then the bytes), from `bytes[at..]`: the
/// layout any store may use.
pub fn read_at(bytes: &[u8], at: usize) -> Option<(String, String)> {
    let head = bytes.get(at..at + 8)?;
    let name = u32::from_le_bytes(head.get(..4)?.try_into().ok()?) as usize;
    let value = u32::from_le_bytes(head.get(4..)?.try_into().ok()?) as usize;
    let text = bytes.get(at + 8..at + 8 + name + value)?;
    let name_text = std::str::from_utf8(text.get(..name)?).ok()?;
    let value_text = std::str::from_utf8(text.get(name..)?).ok()?;
    Some((name_text.to_string(), value_text.to_string()))
}

/// `name` and `value` laid out as [`read_at`] reads them.
pub fn layout(name: &str, value: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + name.len() + value.len());
    out.extend_from_slice(&(name.len() as u32).to_le_bytes());
    out.extend_from_slice(&(value.len() as u32).to_le_bytes());
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(value.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wordings_come_back_across_blocks() {
        let mut store = WordingBlocks::default();
        let long = "指标".repeat(200_000);
        let handles: Vec<u64> = (0..8)
            .map(|k| store.keep(&format!("名称{k}"), &format!("{long}{k}")))
            .collect();
        assert!(store.blocks.len() > 2);
        for (k, h) in handles.iter().enumerate() {
            assert_eq!(
                store.read(*h),
                Some((format!("名称{k}"), format!("{long}{k}")))
            );
        }
        assert_eq!(store.read(u64::MAX), None);
        assert_eq!(
            read_at(&layout("甲", "乙"), 0),
            Some(("甲".into(), "乙".into()))
        );
    }
}
