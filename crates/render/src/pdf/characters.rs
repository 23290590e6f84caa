//! The characters a run prints, for the PDF fonts' working copies (`working.rs`): a copy holds
//! the glyphs of these and of the punctuation and symbol blocks official text uses, instead of
//! every GB 2312 hanzi (the samples print 1,540 of its 6,763: a copy of what they print costs a
//! third of the time to make). The driver notes the text of records.json and scores.json as it
//! writes them (≈ 0.4 ms per MB), the context its templates, strings and the pipeline's own words.
//! A character missed would cost only time: a PDF drawing it cuts its subset from the installed
//! face, the same bytes (a test keeps this at zero for the test packet).

use std::sync::atomic::{AtomicU64, Ordering};

/// A set of the Basic Multilingual Plane's characters, noted from any thread.
pub struct Characters {
    bits: Box<[AtomicU64]>,
}

/// 64-bit words of the Basic Multilingual Plane's bits.
const WORDS: usize = 0x10000 / 64;

impl Default for Characters {
    fn default() -> Self {
        Characters {
            bits: (0..WORDS).map(|_| AtomicU64::new(0)).collect(),
        }
    }
}

impl Characters {
    /// Notes every character of `text`.
    pub fn note_str(&self, text: &str) {
        self.note_utf8(text.as_bytes());
    }

    /// Notes the characters of a piece of UTF-8 text cut anywhere: a character cut at either end
    /// is skipped (it is noted where it occurs whole). Runs of ASCII (always in a copy) are
    /// skipped eight bytes at a time and bits gathered locally first: a province's records.json
    /// and scores.json pass through here as they are written.
    pub fn note_utf8(&self, bytes: &[u8]) {
        let mut local = [0u64; WORDS];
        let mut set = |code: u32| {
            let code = code as usize;
            if let Some(word) = local.get_mut(code / 64) {
                *word |= 1 << (code % 64);
            }
        };
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            let eight = bytes
                .get(i..i + 8)
                .and_then(|s| <[u8; 8]>::try_from(s).ok());
            if eight.is_some_and(|w| u64::from_ne_bytes(w) & 0x8080_8080_8080_8080 == 0) {
                i += 8;
                continue;
            }
            match b {
                0xC2..=0xDF => {
                    if let Some(&b1) = bytes.get(i + 1) {
                        set(u32::from(b & 0x1F) << 6 | u32::from(b1 & 0x3F));
                    }
                    i += 2;
                }
                0xE0..=0xEF => {
                    if let (Some(&b1), Some(&b2)) = (bytes.get(i + 1), bytes.get(i + 2)) {
                        set(u32::from(b & 0x0F) << 12
                            | u32::from(b1 & 0x3F) << 6
                            | u32::from(b2 & 0x3F));
                    }
                    i += 3;
                }
                0xF0..=0xF4 => i += 4,
                // ASCII and the continuation bytes of a cut character.
                _ => i += 1,
            }
        }
        for (word, bits) in self.bits.iter().zip(local) {
            if bits & !word.load(Ordering::Relaxed) != 0 {
                word.fetch_or(bits, Ordering::Relaxed);
            }
        }
    }

    /// Whether `c` was noted (ASCII, in every copy, is not).
    pub fn contains(&self, c: char) -> bool {
        let code = u32::from(c) as usize;
        self.bits
            .get(code / 64)
            .is_some_and(|w| w.load(Ordering::Relaxed) & (1 << (code % 64)) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text cut at every byte is noted as the whole text is, but for the character cut.
    #[test]
    fn noted_characters_are_the_texts() {
        let text = "绩效目标：≥95%，ÅÉ·—①㎡ x";
        let whole = Characters::default();
        whole.note_str(text);
        for c in text.chars().filter(|c| !c.is_ascii()) {
            assert!(whole.contains(c), "{c}");
        }
        assert!(!whole.contains('乙'));
        let bytes = text.as_bytes();
        for cut in 0..bytes.len() {
            let noted = Characters::default();
            noted.note_utf8(&bytes[..cut]);
            noted.note_utf8(&bytes[cut..]);
            for (at, c) in text.char_indices() {
                let whole_here = at + c.len_utf8() <= cut || at >= cut;
                if whole_here && !c.is_ascii() {
                    assert!(noted.contains(c), "{c} with a cut at {cut}");
                }
            }
            assert!(!noted.contains('乙'));
        }
    }
}
