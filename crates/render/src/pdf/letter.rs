//! The layout of a department's letter (审核意见书): A4 portrait, the title centred in the body
//! (宋体-style) face at 16 pt, as 公文 set their titles in a 宋 face — and one font embedded instead
//! of two —, the addressee flush left, indented body paragraphs, the issuer and the date right-aligned
//! at the end (kept together), `第 x 页 共 y 页` at the foot of every page.

use jixiao_core::Diagnostic;

use super::doc::{BLACK, BODY_SIZE, Doc, GREY, LEADING, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X};
use super::fonts::Role;
use super::{FontSet, emit, navigation};
use crate::RenderError;
use crate::letter::LetterText;

/// The letter as PDF bytes.
pub(crate) fn write(
    text: &LetterText<'_>,
    fonts: &FontSet,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<u8>, RenderError> {
    let mut doc = Doc::new(fonts);
    doc.new_page(false);
    doc.y = MARGIN_TOP;
    let size = 16.0;
    for line in fonts.wrap(Role::Body, text.title, size, doc.width()) {
        let w = fonts.width(Role::Body, line, size);
        let x = (doc.page().width() - w) / 2.0;
        let top = doc.y;
        doc.text_at(x, top, size, Role::Body, line, BLACK);
        doc.y += size * 1.5;
    }
    doc.space(BODY_SIZE);
    let line = BODY_SIZE * LEADING;
    let (addressee, body) = match text.paragraphs.split_first() {
        Some((a, rest)) => (Some(a), rest),
        None => (None, &[][..]),
    };
    if let Some(a) = addressee {
        doc.paragraph_styled(a, BODY_SIZE, BLACK);
    }
    for (i, p) in body.iter().enumerate() {
        if i + 1 == body.len() {
            // The signature is never alone on a page: the last paragraph goes with it.
            let indented = format!("\u{3000}\u{3000}{p}");
            let lines = fonts
                .wrap(Role::Body, &indented, BODY_SIZE, doc.width())
                .len();
            doc.ensure(lines as f32 * line + line * 4.0);
        }
        doc.paragraph(p);
    }
    doc.space(line * 1.5);
    for part in [text.issuer, text.date] {
        let w = fonts.width(Role::Body, part, BODY_SIZE);
        let x = doc.page().width() - MARGIN_X - w - 2.0 * BODY_SIZE;
        let top = doc.y;
        doc.text_at(x, top, BODY_SIZE, Role::Body, part, BLACK);
        doc.y += line;
    }
    footers(&mut doc, text.footer);
    if !doc.missing.0.is_empty() {
        diagnostics.push(Diagnostic::warning(
            "render.missing-glyph",
            format!("{}: a character no font has is printed as □", text.title),
            None,
        ));
    }
    emit::emit(
        &doc.pages,
        fonts,
        &emit::Info {
            title: text.title,
            author: text.issuer,
            subject: text.title,
            date: text.as_of,
        },
        &navigation::Navigation {
            outline: &[],
            links: &[],
        },
    )
}

/// `第 x 页 共 y 页` on every page (a letter has no cover).
fn footers(doc: &mut Doc<'_>, pattern: &str) {
    let total = doc.pages.len();
    let size = 9.0;
    for i in 0..total {
        let text = pattern
            .replace("{page}", &(i + 1).to_string())
            .replace("{pages}", &total.to_string());
        let w = doc.fonts.width(Role::Body, &text, size);
        let page = &doc.pages[i];
        let x = (page.width() - w) / 2.0;
        doc.pages[i].items.push(super::doc::Item::Text {
            x,
            y: MARGIN_BOTTOM / 2.0,
            size,
            role: Role::Body,
            text,
            color: GREY,
            spacing: 0.0,
        });
    }
}
