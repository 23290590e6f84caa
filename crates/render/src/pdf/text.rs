//! Text measurement and line breaking: UAX #14 break opportunities (unicode-linebreak: no break
//! before `，。）”`, none after `（“`), widths from the faces' advances along the fallback chain.

use std::collections::BTreeSet;

use unicode_linebreak::{BreakOpportunity, linebreaks};

use super::fonts::{FontSet, Role};

/// Characters no font could draw, collected while laying out (reported once each).
#[derive(Debug, Default)]
pub(crate) struct Missing(pub(crate) BTreeSet<char>);

/// What a missing character is drawn as: visible, so the gap is seen on paper too.
const REPLACEMENT: char = '□';

impl FontSet {
    /// Splits `text` into runs of one face each, without building them: `f` gets each run's face,
    /// its characters with their glyphs (in `buffer`, reused) and its width at 1 pt — what drawing
    /// a text needs, for every text of every page. Characters no face has become `□` and are
    /// noted in `missing`.
    pub(crate) fn each_run(
        &self,
        role: Role,
        text: &str,
        missing: &mut Missing,
        buffer: &mut Vec<(char, u16)>,
        mut f: impl FnMut(usize, &[(char, u16)], f32),
    ) {
        buffer.clear();
        let mut run: Option<(usize, f32)> = None;
        for c in text.chars() {
            let Some((c, face, glyph, w)) = self.drawn(role, c, missing) else {
                continue;
            };
            match &mut run {
                Some((f, width)) if *f == face => *width += w,
                _ => {
                    if let Some((face, width)) = run.replace((face, w)) {
                        f(face, buffer, width);
                        buffer.clear();
                    }
                }
            }
            buffer.push((c, glyph));
        }
        if let Some((face, width)) = run {
            f(face, buffer, width);
        }
    }

    /// Notes the characters of `text` no face draws, as [`FontSet::each_run`] would.
    pub(crate) fn note_missing(&self, role: Role, text: &str, missing: &mut Missing) {
        for c in text.chars() {
            self.drawn(role, c, missing);
        }
    }

    /// The character drawn for `c` (a tab as a space, a missing character as `□`, noted), with
    /// its face, glyph and advance at 1 pt; `None` for a control character or when not even `□`
    /// can be drawn.
    #[inline]
    fn drawn(&self, role: Role, c: char, missing: &mut Missing) -> Option<(char, usize, u16, f32)> {
        let c = if c == '\t' { ' ' } else { c };
        if c.is_control() {
            return None;
        }
        match self.lookup_measured(role, c) {
            Some((face, glyph, advance)) => Some((c, face, glyph, advance)),
            None => {
                missing.0.insert(c);
                let (face, glyph, advance) = self.lookup_measured(role, REPLACEMENT)?;
                Some((REPLACEMENT, face, glyph, advance))
            }
        }
    }

    /// Width of `text` at `size` pt: the width of its runs (`FontSet::each_run`), summed the same
    /// way (run by run), without building them — wrapping measures every segment of every cell.
    pub fn width(&self, role: Role, text: &str, size: f32) -> f32 {
        let mut total = 0.0f32;
        let mut run: Option<(usize, f32)> = None;
        for c in text.chars() {
            let c = if c == '\t' { ' ' } else { c };
            if c.is_control() {
                continue;
            }
            // A `match`, not `or_else`: with the fallback in a closure the lookup was not inlined
            // and measuring took three times as long.
            let (face, w) = match self.lookup_measured(role, c) {
                Some((face, _, w)) => (face, w),
                None => match self.lookup_measured(role, REPLACEMENT) {
                    Some((face, _, w)) => (face, w),
                    None => continue,
                },
            };
            match &mut run {
                Some((f, width)) if *f == face => *width += w,
                _ => {
                    if let Some((_, width)) = run.replace((face, w)) {
                        total += width;
                    }
                }
            }
        }
        if let Some((_, width)) = run {
            total += width;
        }
        total * size
    }

    /// Breaks `text` into lines no wider than `max` pt at `size`: pieces of `text`, their ends
    /// trimmed. Hard line breaks are kept; a word longer than a line is cut between characters.
    pub fn wrap<'t>(&self, role: Role, text: &'t str, size: f32, max: f32) -> Vec<&'t str> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            self.wrap_paragraph(role, paragraph.trim_end(), size, max, &mut lines);
        }
        if lines.is_empty() {
            lines.push("");
        }
        lines
    }

    /// [`FontSet::wrap`] of a text whose width at `size` is known (`width`, as
    /// [`FontSet::width`] gave it): a one-paragraph text narrower than the line is not measured
    /// again.
    pub fn wrap_measured<'t>(
        &self,
        role: Role,
        text: &'t str,
        size: f32,
        max: f32,
        width: f32,
    ) -> Vec<&'t str> {
        let one_paragraph = !text.is_empty() && !text.contains('\n') && text.trim_end() == text;
        if one_paragraph && is_one_line(text, width, max) {
            return vec![text];
        }
        self.wrap(role, text, size, max)
    }

    fn wrap_paragraph<'t>(
        &self,
        role: Role,
        text: &'t str,
        size: f32,
        max: f32,
        out: &mut Vec<&'t str>,
    ) {
        if text.is_empty() {
            out.push("");
            return;
        }
        if is_one_line(text, self.width(role, text, size), max) {
            out.push(text);
            return;
        }
        self.break_paragraph(role, text, size, max, out);
    }

    /// Breaks a paragraph at its break opportunities. A line is a piece of `text`
    /// (`text[start..end]`): segments follow one another, so a line grows by moving its end.
    fn break_paragraph<'t>(
        &self,
        role: Role,
        text: &'t str,
        size: f32,
        max: f32,
        out: &mut Vec<&'t str>,
    ) {
        // Segments between break opportunities, as byte ranges; a mandatory break ends the line.
        // A document number (`〔2020〕10号`) is never broken.
        let unbreakable = document_numbers(text);
        let mut segments: Vec<(usize, usize, bool)> = Vec::new();
        let mut start = 0;
        for (at, kind) in linebreaks(text) {
            let inside = unbreakable.iter().any(|r| r.start < at && at < r.end);
            if inside && kind != BreakOpportunity::Mandatory {
                continue;
            }
            if at > start {
                segments.push((start, at, kind == BreakOpportunity::Mandatory));
            }
            start = at;
        }
        let (mut line_start, mut line_end) = (0, 0);
        let mut width = 0.0;
        let mut end_line = |line_start: &mut usize, line_end: usize, width: &mut f32| {
            out.push(text[*line_start..line_end].trim_end());
            *line_start = line_end;
            *width = 0.0;
        };
        for (seg_start, seg_end, mandatory) in segments {
            let segment = &text[seg_start..seg_end];
            let w = self.width(role, segment, size);
            let trimmed = segment.trim_end();
            let trimmed_w = if trimmed.len() == segment.len() {
                w
            } else {
                self.width(role, trimmed, size)
            };
            if width + trimmed_w > max && line_end > line_start {
                end_line(&mut line_start, line_end, &mut width);
            }
            if trimmed_w > max {
                // A segment wider than the line (a long number or URL): cut by characters.
                for c in segment.chars() {
                    let cw = self.width(role, c.encode_utf8(&mut [0; 4]), size);
                    if width + cw > max && line_end > line_start {
                        end_line(&mut line_start, line_end, &mut width);
                    }
                    line_end += c.len_utf8();
                    width += cw;
                }
            } else {
                line_end = seg_end;
                width += w;
            }
            if mandatory {
                end_line(&mut line_start, line_end, &mut width);
            }
        }
        let rest = &text[line_start..line_end];
        if !rest.trim().is_empty() {
            out.push(rest.trim_end());
        }
    }
}

/// Byte ranges of document numbers (`〔2020〕10号`, `[2023]40号`): a bracketed year, a number, 号.
fn document_numbers(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    for (open, c) in text
        .char_indices()
        .filter(|(_, c)| matches!(c, '〔' | '[' | '［' | '【'))
    {
        let rest = &text[open + c.len_utf8()..];
        let year: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if year.len() != 4 {
            continue;
        }
        let after_year = &rest[year.len()..];
        let Some(close) = after_year
            .chars()
            .next()
            .filter(|c| matches!(c, '〕' | ']' | '］' | '】'))
        else {
            continue;
        };
        let tail = &after_year[close.len_utf8()..];
        let number: String = tail.chars().take_while(char::is_ascii_digit).collect();
        if !number.is_empty() && tail[number.len()..].starts_with('号') {
            let end = open
                + c.len_utf8()
                + year.len()
                + close.len_utf8()
                + number.len()
                + '号'.len_utf8();
            out.push(open..end);
        }
    }
    out
}

/// Characters that break a line wherever they stand.
const FORCED_BREAKS: [char; 6] = ['\r', '\u{0B}', '\u{0C}', '\u{85}', '\u{2028}', '\u{2029}'];

/// Whether `text` (a paragraph, its end trimmed), `width` wide, is one line as
/// [`FontSet::break_paragraph`] would break it — most table cells are — told by one measurement:
/// it has no forced break inside and is narrower than the line by more than summing its segments
/// one by one could add in rounding.
fn is_one_line(text: &str, width: f32, max: f32) -> bool {
    fits(width, max) && !text.contains(FORCED_BREAKS)
}

/// Whether a paragraph `width` wide is one line in `max`: narrower by more than summing its
/// segments one by one could add in rounding.
fn fits(width: f32, max: f32) -> bool {
    width * 1.001 < max
}

#[cfg(test)]
mod tests {
    use super::super::tests::fonts;
    use super::*;

    #[test]
    fn chinese_wraps_without_orphan_punctuation() {
        let f = fonts();
        let text = "根据预算法和项目支出绩效评价管理办法，对各部门报送的绩效目标表进行了审核。";
        let lines = f.wrap(Role::Body, text, 10.0, 100.0);
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(f.width(Role::Body, l, 10.0) <= 100.0 + 0.01, "{l}");
            assert!(!l.starts_with('，') && !l.starts_with('。'), "{l}");
        }
        assert_eq!(lines.concat(), text);
    }

    #[test]
    fn a_document_number_is_never_broken() {
        let f = fonts();
        let text =
            "根据《项目支出绩效评价管理办法》（财预〔2020〕10号）和本级预算绩效目标管理的有关规定";
        assert_eq!(document_numbers(text).len(), 1);
        // From a measure that holds the number (narrower lines must cut it).
        for max in (80..200).step_by(3) {
            let lines = f.wrap(Role::Body, text, 10.0, max as f32);
            assert!(
                lines.iter().any(|l| l.contains("〔2020〕10号")),
                "split at {max}: {lines:?}"
            );
        }
    }

    /// A paragraph taken for one line by its width alone is what breaking it gives: for
    /// table-cell and prose texts at widths from far too narrow to just wide enough.
    #[test]
    fn one_line_paragraphs_are_what_breaking_gives() {
        let f = fonts();
        let texts = [
            "根据预算法和项目支出绩效评价管理办法，对各部门报送的绩效目标表进行了审核。",
            "（财预〔2020〕10号）",
            "≥95%",
            "12692.07",
            "  前导空格 与 ideographic　space",
            "Tab\tand words that may break here and there",
            "行\u{2028}分隔",
            "x",
        ];
        for text in texts {
            let text = text.trim_end();
            for size in [7.5f32, 9.0, 10.0] {
                let natural = f.width(Role::Body, text, size);
                for k in 0..=60 {
                    let max = natural * (0.5 + k as f32 / 40.0);
                    let mut fast = Vec::new();
                    f.wrap_paragraph(Role::Body, text, size, max, &mut fast);
                    let mut slow = Vec::new();
                    f.break_paragraph(Role::Body, text, size, max, &mut slow);
                    assert_eq!(fast, slow, "{text} at {max}");
                }
            }
        }
    }

    /// Wrapping a text of known width gives what wrapping it measures: one-line and broken
    /// texts, several paragraphs, trailing spaces and forced breaks, at many widths.
    #[test]
    fn a_known_width_wraps_as_measuring_it_does() {
        let f = fonts();
        for text in [
            "产出指标",
            "≥95%",
            "项目完成后，受益群众满意度不低于90%。",
            "第一行\n第二行",
            "末尾有空格   ",
            "分\u{2028}行",
            "",
            "a very long latin text without any chinese characters in it at all",
        ] {
            let width = f.width(Role::Body, text, 9.0);
            for max in (4..240).step_by(7) {
                let max = max as f32;
                assert_eq!(
                    f.wrap_measured(Role::Body, text, 9.0, max, width),
                    f.wrap(Role::Body, text, 9.0, max),
                    "{text:?} in {max}"
                );
            }
        }
    }

    /// Lines are pieces of the text, in order, and together hold every character that is not
    /// white space at a line's end — for Chinese, Latin, long numbers, document numbers, hard
    /// breaks and widths from a few characters to a page.
    #[test]
    fn lines_are_the_texts_own_pieces_in_order() {
        let f = fonts();
        let texts = [
            "本级财政部门关于盐边县公安局（五）2024年度项目支出绩效目标的审核意见：量化指标占比53%（9/17），低于80%。",
            "按照《中央部门预算绩效目标管理办法》（财预〔2015〕88号），审核结果作为预算安排的重要依据。",
            "see https://example.org/a/very/long/path/that/does/not/break/anywhere/at/all and 12345678901234567890123",
            "第一行\n\n第三行  有空格   \n  缩进的第四行",
            "a\u{2028}b  c",
        ];
        for text in texts {
            for max in [12.0, 40.0, 90.0, 200.0, 600.0] {
                let lines = f.wrap(Role::Body, text, 9.0, max);
                let mut from = 0;
                for line in &lines {
                    let at = (line.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
                    if line.is_empty() {
                        continue;
                    }
                    assert!(
                        at >= from && at + line.len() <= text.len(),
                        "{line:?} in {text:?}"
                    );
                    assert_eq!(&text[at..at + line.len()], *line);
                    from = at + line.len();
                }
                let kept: String = lines
                    .concat()
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                let all: String = text.chars().filter(|c| !c.is_whitespace()).collect();
                assert_eq!(kept, all, "{text:?} at {max}");
            }
        }
    }

    #[test]
    fn long_latin_words_are_cut() {
        let f = fonts();
        let text = "x".repeat(200);
        let lines = f.wrap(Role::Body, &text, 10.0, 50.0);
        assert!(lines.len() > 3);
        assert!(lines.iter().all(|l| f.width(Role::Body, l, 10.0) <= 50.01));
    }

    #[test]
    fn missing_characters_are_reported_not_dropped() {
        let f = fonts();
        let mut missing = Missing::default();
        // U+E000 (private use) is in no font.
        let mut drawn = String::new();
        f.each_run(
            Role::Body,
            "甲\u{E000}乙",
            &mut missing,
            &mut Vec::new(),
            |_, glyphs, _| {
                drawn.extend(glyphs.iter().map(|(c, _)| c));
            },
        );
        assert!(missing.0.contains(&'\u{E000}'));
        assert_eq!(drawn, "甲□乙");
    }
}
