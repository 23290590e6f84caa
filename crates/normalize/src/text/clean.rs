//! [`clean_cell`]: removes what HTML export and LaTeX-flavoured OCR leave in a cell, nothing more.

/// Cleans one cell for display and parsing: HTML tags dropped (block tags become a space), common
/// entities decoded, LaTeX math residue made plain (`$\geq 85\%$` → `≥85%`), whitespace runs collapsed
/// to one space, ends trimmed, radicals a PDF's font map put for ideographs made the ideographs
/// ([`super::unify_radicals`]). Chinese punctuation and full-width characters stay as written.
///
/// One left-to-right pass: decoded text is never rescanned, so `&lt;p&gt;` stays the literal `<p>`.
pub(crate) fn clean_cell(text: &str) -> String {
    match super::unify_radicals(text) {
        Some(unified) => clean_unified(&unified),
        None => clean_unified(text),
    }
}

/// [`clean_cell`] of a text without radicals to unify.
fn clean_unified(text: &str) -> String {
    // Most cells hold no markup at all (braces are LaTeX only beside a `$`): their whitespace is
    // all there is to clean, and most have none to collapse either.
    if !text.contains(['<', '&', '\\', '$']) {
        return collapse_whitespace(text);
    }
    collapse_whitespace(&strip_markup(text))
}

/// Tags, entities and LaTeX residue of a cell made plain; its whitespace as it was.
fn strip_markup(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let math = chars.contains(&'$');
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match c {
            '<' => {
                if let Some(end) = tag_end(&chars, i) {
                    // A tag separates words the way a line break would.
                    out.push(' ');
                    i = end;
                    continue;
                }
                out.push(c);
            }
            '&' => {
                if let Some((decoded, end)) = entity(&chars, i) {
                    out.push(decoded);
                    i = end;
                    continue;
                }
                out.push(c);
            }
            '\\' => {
                if let Some((decoded, end)) = latex_command(&chars, i) {
                    out.push_str(decoded);
                    i = end;
                    continue;
                }
                out.push(c);
            }
            '$' => {}
            // Braces are LaTeX grouping only when the cell holds math; elsewhere they are text.
            '{' | '}' if math => {}
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

fn collapse_whitespace(text: &str) -> String {
    let collapsed = !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains("  ")
        && !text.chars().any(|c| c.is_whitespace() && c != ' ');
    if collapsed {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars() {
        if c.is_whitespace() {
            gap = true;
        } else {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.push(c);
        }
    }
    out
}

/// End (exclusive) of an HTML tag or comment starting at `start`, if it is one. Only ASCII tag names
/// count, so `<关于…的通知>` (a title in angle brackets) and `<=90` stay text.
fn tag_end(chars: &[char], start: usize) -> Option<usize> {
    let mut i = start + 1;
    if chars.get(i) == Some(&'!') || chars.get(i) == Some(&'/') {
        i += 1;
    }
    if !chars.get(i).is_some_and(|c| c.is_ascii_alphabetic()) && chars.get(start + 1) != Some(&'!')
    {
        return None;
    }
    // Bounded look-ahead keeps the pass linear on a stray `<a` without `>`.
    let limit = (start + 400).min(chars.len());
    (i..limit)
        .find(|&j| chars.get(j) == Some(&'>'))
        .filter(|&j| !chars.get(i..j).is_some_and(|s| s.contains(&'<')))
        .map(|j| j + 1)
}

/// Decodes `&name;`, `&#NNN;` or `&#xHH;` at `start`.
fn entity(chars: &[char], start: usize) -> Option<(char, usize)> {
    let limit = (start + 12).min(chars.len());
    let semi = (start + 1..limit).find(|&j| chars.get(j) == Some(&';'))?;
    let name: String = chars.get(start + 1..semi)?.iter().collect();
    let decoded = if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(code)?
    } else {
        named_entity(&name)?
    };
    Some((decoded, semi + 1))
}

fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        "ge" => '≥',
        "le" => '≤',
        "ne" => '≠',
        "times" => '×',
        "divide" => '÷',
        "plusmn" => '±',
        "deg" => '°',
        "middot" => '·',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "yen" => '¥',
        "permil" => '‰',
        "ldquo" => '“',
        "rdquo" => '”',
        "lsquo" => '‘',
        "rsquo" => '’',
        "sim" => '~',
        "asymp" => '≈',
        _ => return None,
    })
}

/// A LaTeX command at `start` (`\geq`, `\%` ...) and what it reads as; unknown commands stay as text.
fn latex_command(chars: &[char], start: usize) -> Option<(&'static str, usize)> {
    let next = *chars.get(start + 1)?;
    if !next.is_ascii_alphabetic() {
        let plain = match next {
            '%' => "%",
            '$' => "$",
            '&' => "&",
            '#' => "#",
            '_' => "_",
            ',' | ';' | ' ' => " ",
            _ => return None,
        };
        return Some((plain, start + 2));
    }
    let mut end = start + 1;
    while chars.get(end).is_some_and(|c| c.is_ascii_alphabetic()) {
        end += 1;
    }
    let name: String = chars.get(start + 1..end)?.iter().collect();
    let plain = match name.as_str() {
        "geq" | "ge" | "geqslant" => "≥",
        "leq" | "le" | "leqslant" => "≤",
        "neq" | "ne" => "≠",
        "times" => "×",
        "div" => "÷",
        "cdot" => "·",
        "pm" => "±",
        "sim" => "~",
        "approx" => "≈",
        "lt" => "<",
        "gt" => ">",
        "circ" => "°",
        "permil" => "‰",
        // Font and text wrappers: keep only their argument.
        "text" | "mathrm" | "textbf" | "mathbf" | "rm" | "left" | "right" => "",
        _ => return None,
    };
    // A space after a command word only terminates it in LaTeX.
    if chars.get(end) == Some(&' ') {
        end += 1;
    }
    Some((plain, end))
}

#[cfg(test)]
mod tests {
    use super::{clean_cell, strip_markup};

    /// The shortcuts for cells without markup or without whitespace to collapse give what the
    /// full pass gives (markup made plain, whitespace runs one space, ends trimmed), on strings
    /// drawn from markup, whitespace and text characters.
    #[test]
    fn plain_cells_clean_as_the_full_pass_cleans_them() {
        let tokens = [
            "<p>",
            "</p>",
            "<br/>",
            "<!-- c -->",
            "<",
            ">",
            "&ge;",
            "&lt;",
            "&amp;",
            "&#8805;",
            "&",
            ";",
            "$",
            "\\geq",
            "\\%",
            "\\",
            "{",
            "}",
            " ",
            "  ",
            "\t",
            "\n",
            "\u{3000}",
            "\u{A0}",
            "绩效",
            "≥95%",
            "x",
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..50_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 9) as usize;
            let text: String = (0..len)
                .map(|k| tokens[((state >> (6 * k)) % tokens.len() as u64) as usize])
                .collect();
            let full = strip_markup(&text)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            assert_eq!(clean_cell(&text), full, "{text:?}");
        }
    }

    #[test]
    fn html_tags_go_titles_in_angle_brackets_stay() {
        assert_eq!(clean_cell("<p>≥95%</p>"), "≥95%");
        assert_eq!(clean_cell("一<br/>二<br>三"), "一 二 三");
        assert_eq!(clean_cell("<span style=\"x\">12</span>个"), "12 个");
        assert_eq!(clean_cell("<!-- c -->ok"), "ok");
        assert_eq!(
            clean_cell("办公厅<关于做好工作的通知>"),
            "办公厅<关于做好工作的通知>"
        );
        assert_eq!(clean_cell("<=90天"), "<=90天");
        assert_eq!(clean_cell("a <b"), "a <b");
    }

    #[test]
    fn entities_decode_once() {
        assert_eq!(clean_cell("&ge;90%"), "≥90%");
        assert_eq!(clean_cell("&lt;=5&nbsp;天"), "<=5 天");
        assert_eq!(clean_cell("&#8805;85%"), "≥85%");
        assert_eq!(clean_cell("&#x2264;3"), "≤3");
        assert_eq!(clean_cell("A&amp;B &lt;p&gt;"), "A&B <p>");
        assert_eq!(clean_cell("&le;2个工作日"), "≤2个工作日");
        assert_eq!(clean_cell("R&D &unknown; &"), "R&D &unknown; &");
    }

    #[test]
    fn latex_residue_becomes_plain() {
        assert_eq!(clean_cell("$\\geq 85\\%$"), "≥85%");
        assert_eq!(clean_cell("完成率 $\\geq 99.9\\%$ ；"), "完成率 ≥99.9% ；");
        assert_eq!(clean_cell("$\\le 3$天"), "≤3天");
        assert_eq!(clean_cell("$\\leq 10\\text{次}$"), "≤10次");
        assert_eq!(clean_cell("$3 \\times 5$"), "3 ×5");
        assert_eq!(clean_cell("\\ge90"), "≥90");
        assert_eq!(clean_cell("C:\\path"), "C:\\path");
    }

    #[test]
    fn whitespace_collapses_and_width_is_kept() {
        assert_eq!(clean_cell("  ９５％ \t\n 以上\u{3000}"), "９５％ 以上");
        assert_eq!(clean_cell("（一）完成，达标。"), "（一）完成，达标。");
        assert_eq!(clean_cell(""), "");
        assert_eq!(clean_cell(" \n "), "");
    }
}
