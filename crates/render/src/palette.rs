//! One grade palette for the three formats: 优 green, 良 blue, 中 amber, 差 red, each as the text colour,
//! the light cell fill and the chart colour (0xRRGGBB). The xlsx and PDF writers read these constants;
//! the HTML stylesheet (`templates/html/style.html`, `--g1` … `--g4-fill`) states the same values, which a
//! test checks, so 优 is one green everywhere.

/// (grade, text, fill, chart), in 优 良 中 差 order.
pub(crate) const GRADES: [(&str, u32, u32, u32); 4] = [
    ("优", 0x3B8A51, 0xDCEFE0, 0x4D9E61),
    ("良", 0x2F67A8, 0xDDE8F7, 0x457DBF),
    ("中", 0xA86A10, 0xFCEBCC, 0xE69E2E),
    ("差", 0xB3352F, 0xF8DCDA, 0xCC423D),
];

/// `0xRRGGBB` → red, green, blue in 0..=1.
pub(crate) const fn unit_rgb(hex: u32) -> (f32, f32, f32) {
    (
        ((hex >> 16) & 0xFF) as f32 / 255.0,
        ((hex >> 8) & 0xFF) as f32 / 255.0,
        (hex & 0xFF) as f32 / 255.0,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stylesheet_states_the_same_grade_colours() {
        let css = include_str!("../../../templates/html/style.html");
        for (k, (grade, text, fill, chart)) in GRADES.iter().enumerate() {
            let n = k + 1;
            for (var, hex) in [("", text), ("-fill", fill), ("-bar", chart)] {
                let decl = format!("--g{n}{var}: #{hex:06x};");
                assert!(css.contains(&decl), "{grade}: style.html lacks `{decl}`");
            }
        }
    }
}
