//! The HTML packet: one self-contained page (`index.html`) — inline CSS, JS and SVG, no network —
//! with the report, a sortable and filterable project table, one review sheet per record
//! (`<details>`), and the annexes.
//!
//! The page is the tera template `index.html` with its partials under `html/` (all in
//! `templates/`), rendered with the [`PacketContext`] plus `html` (what is easier computed in
//! Rust: chart geometry, the date in words). A bureau replaces any of them by name from its
//! `[render] templates` folder. Autoescape is on for every `.html` template; nothing taken from a
//! document is ever marked `safe`, and the charts' geometry is numbers only, their labels written by
//! the template.

use serde::Serialize;

use crate::RenderError;
use crate::format::date_zh;
use crate::packet::PacketContext;
use crate::wording::Wording;

mod charts;

use charts::Charts;

/// The bundled HTML templates, by the name a bureau's folder overrides them with. Partials come
/// before the page that includes them (each is checked when it is added).
pub(crate) const TEMPLATES: [(&str, &str); 5] = [
    (
        "html/style.html",
        include_str!("../../../templates/html/style.html"),
    ),
    (
        "html/script.html",
        include_str!("../../../templates/html/script.html"),
    ),
    (
        "html/charts.html",
        include_str!("../../../templates/html/charts.html"),
    ),
    (
        "html/sheet.html",
        include_str!("../../../templates/html/sheet.html"),
    ),
    ("index.html", include_str!("../../../templates/index.html")),
];

/// Page settings.
pub struct HtmlOptions<'a> {
    /// The templates the page is rendered with (`index.html` and `html/*`).
    pub wording: &'a Wording,
}

/// What the template gets as `html`, besides the packet.
#[derive(Debug, Clone, Serialize)]
struct Extras {
    charts: Charts,
    /// `meta.as_of` in words (`2021年3月1日`).
    as_of_zh: String,
    /// The grades in order, for the filter and the legends.
    grades: [&'static str; 4],
    /// When only part of the findings are listed: how many and where the rest are.
    findings_note: Option<String>,
    /// The department means chart's caption (it says when only the lowest are shown).
    means_caption: String,
    /// Indices of the departments the department table lists: all of them, or in a split run's
    /// page past 150 the lowest means (the page of a province must open in seconds; each
    /// department's own page and `packet.xlsx` have the rest).
    department_rows: Vec<usize>,
    /// Each listed department's 序号 among all departments, by index into `departments`.
    department_numbers: Vec<usize>,
    /// Says when the table lists only part of the departments.
    departments_note: Option<String>,
    /// Says when 附件3 lists only part of the sources.
    sources_note: Option<String>,
    /// Says when 附件4 lists only part of its rows.
    unparsed_note: Option<String>,
}

/// Renders `index.html` for `packet`.
pub fn write(packet: &PacketContext, options: &HtmlOptions<'_>) -> Result<Vec<u8>, RenderError> {
    let (shown, departments_note) = if packet.department_links.is_empty() {
        ((0..packet.departments.len()).collect(), None)
    } else {
        packet.report_departments()
    };
    // A split run's page lists at most 150 departments: its template context holds those only,
    // not a province's ten thousand (the charts are made from every department first).
    let charts = Charts::build(packet);
    let listed;
    let (page, department_rows, department_numbers) = if shown.len() < packet.departments.len() {
        listed = packet.with_departments(&shown);
        let numbers = shown.iter().map(|i| i + 1).collect();
        (&listed, (0..shown.len()).collect(), numbers)
    } else {
        let numbers = (1..=packet.departments.len()).collect();
        (packet, shown, numbers)
    };
    let mut context = tera::Context::from_serialize(page).map_err(|e| RenderError::Format {
        format: "html".into(),
        message: e.to_string(),
    })?;
    context.insert(
        "html",
        &Extras {
            charts,
            as_of_zh: date_zh(&packet.meta.as_of),
            grades: ["优", "良", "中", "差"],
            findings_note: packet.findings_note(),
            means_caption: packet.means_caption(),
            department_rows,
            department_numbers,
            departments_note,
            sources_note: packet.sources_note(),
            unparsed_note: packet.unparsed_note(),
        },
    );
    options.wording.render_html("index.html", &context)
}

/// Escapes `input` for HTML exactly as tera's `escape_html` does (`&amp;` `&lt;` `&gt;` `&quot;`
/// `&#39;`), writing the text between those characters in one piece: tera's own writes each
/// byte on its own through the output's `dyn Write` (≈ 5 % of writing the department pages).
pub(crate) fn escape(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        out.write_all(entity)?;
        start = i + 1;
    }
    out.write_all(&bytes[start..])
}

#[cfg(test)]
mod tests;
