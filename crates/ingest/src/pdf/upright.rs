//! Pages whose text runs sideways or upside down, turned so that it runs left to right before
//! tables and lines are looked for: a landscape table drawn turned on a portrait page and shown
//! upright by the page's `/Rotate` (a print to a portrait PDF printer, turned back in a viewer)
//! would otherwise be read as columns of single characters.

use std::borrow::Cow;

use super::layout::{Glyph, PageContent, Segment};

/// The quarter turn (0–3, counter-clockwise) of text whose baseline runs along (`dx`, `dy`).
pub(super) fn quarter_turn(dx: f64, dy: f64) -> u8 {
    let quarters = (dy.atan2(dx) / std::f64::consts::FRAC_PI_2).round();
    if quarters.is_finite() {
        (quarters as i64).rem_euclid(4) as u8
    } else {
        0
    }
}

/// `page` turned so that most of its text runs left to right; as it is when it already does.
pub(super) fn upright(page: &PageContent) -> Cow<'_, PageContent> {
    let mut counts = [0usize; 4];
    for g in page.glyphs.iter().filter(|g| !g.text.trim().is_empty()) {
        counts[usize::from(g.turn % 4)] += 1;
    }
    let total: usize = counts.iter().sum();
    let Some((turn, &most)) = counts.iter().enumerate().max_by_key(|(_, n)| **n) else {
        return Cow::Borrowed(page);
    };
    if turn == 0 || most * 2 <= total {
        return Cow::Borrowed(page);
    }
    // Turns the page back by `turn` quarters (clockwise).
    let back = move |(x, y): (f64, f64)| match turn {
        1 => (y, -x),
        2 => (-x, -y),
        _ => (-y, x),
    };
    Cow::Owned(turned(page, back, 4 - turn as u8))
}

/// `page` with every point moved by `turn_point` (a quarter-turn map) and every glyph's baseline
/// turned by `quarters` more.
pub(super) fn turned(
    page: &PageContent,
    turn_point: impl Fn((f64, f64)) -> (f64, f64),
    quarters: u8,
) -> PageContent {
    let glyphs = page
        .glyphs
        .iter()
        .map(|g| {
            let (x, y) = turn_point((g.x, g.y));
            Glyph {
                x,
                y,
                turn: (g.turn + quarters) % 4,
                ..g.clone()
            }
        })
        .collect();
    let segments = page
        .segments
        .iter()
        .filter_map(|s| {
            let (a, b) = if s.horizontal {
                ((s.from, s.pos), (s.to, s.pos))
            } else {
                ((s.pos, s.from), (s.pos, s.to))
            };
            Segment::from_line(turn_point(a), turn_point(b))
        })
        .collect();
    PageContent { glyphs, segments }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarter_turns_of_baselines() {
        assert_eq!(quarter_turn(1.0, 0.0), 0);
        assert_eq!(quarter_turn(0.0, 12.0), 1);
        assert_eq!(quarter_turn(-1.0, 0.01), 2);
        assert_eq!(quarter_turn(0.0, -1.0), 3);
        assert_eq!(quarter_turn(f64::NAN, 1.0), 0);
    }
}
