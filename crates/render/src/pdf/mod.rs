//! The PDF packet: cover, table of contents, the report sections in A4 portrait, the per-project
//! review sheets and annex tables in A4 landscape, "第 x 页 共 y 页" on every page but the cover.
//!
//! Layout is our own ([`doc`]: flowing cursor, [`table`]: wrapped cells and repeated headers,
//! [`chart`]: vector charts) on printpdf ([`emit`]), because printpdf's HTML mode neither wraps CJK
//! cells nor repeats headers. Fonts come from [`fonts`] (read once per run); each PDF embeds a
//! subset of the glyphs it draws (`embed.rs`).

mod cff;
pub(crate) mod characters;
pub(crate) mod chart;
mod decimal;
pub(crate) mod doc;
mod embed;
pub(crate) mod emit;
pub(crate) mod fonts;
pub(crate) mod letter;
mod navigation;
mod sections;
mod sheets;
pub(crate) mod table;
pub(crate) mod text;
mod unnamed;
mod working;

use jixiao_core::Diagnostic;

pub use characters::Characters;
pub use fonts::FontSet;

use crate::RenderError;
use crate::packet::PacketContext;
use doc::{BLACK, Doc, GREY, LinkArea, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X};
use fonts::Role;

/// PDF settings.
pub struct PdfOptions<'a> {
    /// The faces text is drawn with, each character from the first face that has it.
    pub fonts: &'a FontSet,
    /// Print every record's review sheet (a department's packet, or an unsplit run's); when false
    /// the annex lists where each department's packet is (the run's report in a split run).
    pub sheets: bool,
}

/// Lays out and writes the whole PDF. Characters no font has are reported in `diagnostics`.
pub fn write(
    packet: &PacketContext,
    options: &PdfOptions<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<u8>, RenderError> {
    let s = |key: &str| {
        crate::wording::lookup(&packet.strings, key)
            .unwrap_or(key)
            .to_string()
    };
    let mut doc = Doc::new(options.fonts);
    sections::cover(&mut doc, packet);
    // The contents pages are reserved now and filled once every heading has its page.
    let entries = sections::outline_size(packet, options.sheets);
    let per_page = ((doc.full_height() - 40.0) / 20.0).floor().max(1.0) as usize;
    let toc_pages = entries.div_ceil(per_page).max(1);
    let toc_start = doc.pages.len();
    for _ in 0..toc_pages {
        doc.new_page(false);
    }
    doc.new_page(false);
    sections::report(&mut doc, packet);
    if options.sheets {
        sheets::review_sheets(&mut doc, packet);
    } else {
        sheets::department_packets(&mut doc, packet);
    }
    sections::annexes(&mut doc, packet);

    contents(
        &mut doc,
        toc_start,
        toc_pages,
        per_page,
        &s("packet.contents"),
    );
    footers(&mut doc, &s("packet.page_footer"));

    if !doc.missing.0.is_empty() {
        let list: String = doc
            .missing
            .0
            .iter()
            .map(|c| format!("“{c}”(U+{:04X})", *c as u32))
            .collect::<Vec<_>>()
            .join("、");
        diagnostics.push(Diagnostic::warning(
            "render.missing-glyph",
            format!(
                "{}: no font has {list}; printed as □. Add a font that has them under [render.fonts] files",
                packet.meta.department.as_deref().unwrap_or("packet.pdf")
            ),
            None,
        ));
    }
    let title = packet.text.cover.first().cloned().unwrap_or_default();
    emit::emit(
        &doc.pages,
        options.fonts,
        &emit::Info {
            title: &title,
            author: &packet.meta.issuer,
            subject: &packet.meta.title,
            date: &packet.meta.as_of,
        },
        &navigation::Navigation {
            outline: &doc.outline,
            links: &doc.links,
        },
    )
}

/// Fills the reserved contents pages: one line per outline entry with its page number.
fn contents(doc: &mut Doc<'_>, start: usize, pages: usize, per_page: usize, title: &str) {
    let entries = std::mem::take(&mut doc.outline);
    let saved = std::mem::take(&mut doc.pages);
    let (before, rest) = saved.split_at(start);
    let (_, after) = rest.split_at(pages);
    doc.pages = before.to_vec();
    for chunk in 0..pages {
        doc.new_page(false);
        if chunk == 0 {
            let w = doc.fonts.width(Role::Heading, title, 16.0);
            let x = (doc.page().width() - w) / 2.0;
            doc.text_at(x, MARGIN_TOP, 16.0, Role::Heading, title, BLACK);
        }
        doc.y = MARGIN_TOP + 40.0;
        let listed = entries.iter().filter(|e| e.contents);
        for e in listed.skip(chunk * per_page).take(per_page) {
            let indent = if e.level > 1 { 2.0 * 10.5 } else { 0.0 };
            let size = 10.5;
            let number = e.page.to_string();
            let nw = doc.fonts.width(Role::Body, &number, size);
            let right = doc.page().width() - MARGIN_X;
            let max_title = doc.width() - indent - nw - 30.0;
            let line = doc
                .fonts
                .wrap(Role::Body, &e.title, size, max_title)
                .into_iter()
                .next()
                .unwrap_or_default();
            let top = doc.y;
            let tw = doc.fonts.width(Role::Body, line, size);
            doc.text_at(MARGIN_X + indent, top, size, Role::Body, line, BLACK);
            // Dot leader between the title and the page number.
            let from = MARGIN_X + indent + tw + 4.0;
            let to = right - nw - 4.0;
            let dot = doc.fonts.width(Role::Body, "·", 8.0).max(1.0);
            let dots = ((to - from) / dot).max(0.0) as usize;
            let leader = "·".repeat(dots);
            doc.text_at(
                to - dots as f32 * dot,
                top + 2.0,
                8.0,
                Role::Body,
                &leader,
                GREY,
            );
            doc.text_at(right - nw, top, size, Role::Body, &number, BLACK);
            // The whole line leads to the heading's page.
            let (y1, y2) = (doc.y_at(top + size * 1.2), doc.y_at(top - 2.0));
            doc.links.push(LinkArea {
                page: doc.pages.len() - 1,
                rect: [MARGIN_X + indent, y1, right, y2],
                target: e.page,
            });
            doc.y += 20.0;
        }
    }
    doc.pages.extend(after.iter().cloned());
    doc.outline = entries;
}

/// "第 x 页 共 y 页" centred at the foot of every page after the cover (the cover is not counted).
fn footers(doc: &mut Doc<'_>, pattern: &str) {
    let total = doc.pages.len().saturating_sub(1);
    let size = 9.0;
    for i in 1..doc.pages.len() {
        let text = pattern
            .replace("{page}", &i.to_string())
            .replace("{pages}", &total.to_string());
        let w = doc.fonts.width(Role::Body, &text, size);
        let page = &doc.pages[i];
        let x = (page.width() - w) / 2.0;
        let y = MARGIN_BOTTOM / 2.0;
        doc.pages[i].items.push(doc::Item::Text {
            x,
            y,
            size,
            role: Role::Body,
            text,
            color: GREY,
            spacing: 0.0,
        });
    }
}

#[cfg(test)]
pub(crate) mod tests;
