//! Laid-out pages → PDF bytes through printpdf: text as runs of one font each (the fonts themselves
//! are written by `embed.rs`),
//! rectangles and lines as vector paths, document metadata from the pipeline (never the clock), and
//! a trailer ID derived from the content so reruns are byte-identical.

use printpdf::{
    Color, DictItem, FontId, Line, LineDashPattern, LinePoint, Mm, Op, PaintMode, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect,
};
use sha2::{Digest, Sha256};

use super::doc::{Item, Page, Rgb};
use super::embed::{UsedGlyphs, add_font};
use super::fonts::FontSet;
use super::text::Missing;
use crate::RenderError;

/// Document information written into the file.
pub(crate) struct Info<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub subject: &'a str,
    /// `YYYY-MM-DD`: creation and modification date.
    pub date: &'a str,
}

pub(crate) fn emit(
    pages: &[Page],
    fonts: &FontSet,
    info: &Info<'_>,
    navigation: &super::navigation::Navigation<'_>,
) -> Result<Vec<u8>, RenderError> {
    let mut pdf = PdfDocument::new(info.title);
    // Font resource names are the subset tags of the embedded fonts' names, which PDF readers
    // expect as six capital letters (`JXAAAA+WenQuanYiMicroHei`).
    let ids: Vec<FontId> = (0..fonts.faces.len())
        .map(|i| FontId(subset_tag(i)))
        .collect();
    let mut used: Vec<Option<UsedGlyphs>> = fonts.faces.iter().map(|_| None).collect();
    let mut scratch = Missing::default();
    let mut out_pages = Vec::with_capacity(pages.len());
    for page in pages {
        let mut ops = Vec::new();
        let mut state = PageState::default();
        for item in &page.items {
            match item {
                Item::Text { .. } => {
                    state.text_ops(item, fonts, &mut used, &ids, &mut scratch, &mut ops);
                }
                Item::Rect {
                    x,
                    y,
                    w,
                    h,
                    fill,
                    stroke,
                } => {
                    let mode = match (fill, stroke) {
                        (Some(_), Some(_)) => PaintMode::FillStroke,
                        (Some(_), None) => PaintMode::Fill,
                        _ => PaintMode::Stroke,
                    };
                    ops.push(Op::SaveGraphicsState);
                    if let Some(f) = fill {
                        ops.push(Op::SetFillColor { col: color_of(*f) });
                    }
                    if let Some(s) = stroke {
                        ops.push(Op::SetOutlineColor { col: color_of(*s) });
                        ops.push(Op::SetOutlineThickness { pt: Pt(0.5) });
                    }
                    let mut rect = Rect::from_xywh(Pt(*x), Pt(*y), Pt(*w), Pt(*h));
                    rect.mode = Some(mode);
                    ops.push(Op::DrawRectangle { rectangle: rect });
                    ops.push(Op::RestoreGraphicsState);
                }
                Item::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                    color,
                    dashed,
                } => {
                    ops.push(Op::SaveGraphicsState);
                    ops.push(Op::SetOutlineColor {
                        col: color_of(*color),
                    });
                    ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                    if *dashed {
                        ops.push(Op::SetLineDashPattern {
                            dash: LineDashPattern::new(0.0, &[3.0, 2.0]),
                        });
                    }
                    let point = |x: f32, y: f32| LinePoint {
                        p: Point { x: Pt(x), y: Pt(y) },
                        bezier: false,
                    };
                    ops.push(Op::DrawLine {
                        line: Line {
                            points: vec![point(*x1, *y1), point(*x2, *y2)],
                            is_closed: false,
                        },
                    });
                    ops.push(Op::RestoreGraphicsState);
                }
            }
        }
        let (w, h) = (Pt(page.width()), Pt(page.height()));
        out_pages.push(PdfPage::new(Mm::from(w), Mm::from(h), ops));
    }
    let date = date_time(info.date);
    let meta = &mut pdf.metadata.info;
    meta.creation_date = date;
    meta.modification_date = date;
    meta.metadata_date = date;
    meta.author = info.author.to_string();
    meta.subject = info.subject.to_string();
    meta.creator = "jixiao".into();
    meta.producer = format!("jixiao {}", env!("CARGO_PKG_VERSION"));
    meta.identifier = String::new();
    pdf.with_pages(out_pages);

    let options = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        // Off so that the `Tj` operators of `PageState::text_ops` are written; every operator
        // comes from this file.
        secure: false,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut doc = pdf.to_lopdf_document(&options, &mut warnings);
    add_fonts(&mut doc, fonts, &used, &ids)?;
    super::navigation::add(&mut doc, navigation)?;
    compress_streams(&mut doc);
    // printpdf draws the trailer ID from a process-wide counter: the ID is a digest of the document's
    // own bytes, so the same packet always has the same ID. Saved once with a placeholder of the
    // digest's length, hashed, and the placeholder overwritten in place.
    let placeholder = vec![b'0'; ID_HEX_LEN];
    let id = lopdf::Object::String(placeholder.clone(), lopdf::StringFormat::Literal);
    doc.trailer
        .set("ID", lopdf::Object::Array(vec![id.clone(), id]));
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).map_err(|e| RenderError::Format {
        format: "pdf".into(),
        message: e.to_string(),
    })?;
    let mut digest = Sha256::new();
    digest.update(info.title.as_bytes());
    digest.update(info.date.as_bytes());
    digest.update(&bytes);
    let hex = jixiao_core::hex(&digest.finalize()[..ID_HEX_LEN / 2]).into_bytes();
    // The trailer is written last: its two placeholders are the last two in the file.
    let mut end = bytes.len();
    for _ in 0..2 {
        let pattern = [b"(".as_slice(), &placeholder, b")"].concat();
        let Some(at) = bytes[..end]
            .windows(pattern.len())
            .rposition(|w| w == pattern.as_slice())
        else {
            break;
        };
        bytes[at + 1..at + 1 + ID_HEX_LEN].copy_from_slice(&hex);
        end = at;
    }
    Ok(bytes)
}

/// The fill colour and font a page's content stream has set so far: setting them again is
/// skipped (rectangles and lines change them only inside `q … Q`, which restores them).
#[derive(Default)]
struct PageState {
    fill: Option<Rgb>,
    font: Option<(usize, f32)>,
}

impl PageState {
    /// `BT … ET` drawing a text item: a `Td` and one hex string per run of one face. `Td` moves
    /// from the start of the previous run: the first move is the item's position, each next one
    /// the width of the run before it. Other items draw nothing here.
    fn text_ops(
        &mut self,
        item: &Item,
        fonts: &FontSet,
        used: &mut [Option<UsedGlyphs>],
        ids: &[FontId],
        scratch: &mut Missing,
        ops: &mut Vec<Op>,
    ) {
        let Item::Text {
            x,
            y,
            size,
            role,
            text,
            color,
            spacing,
        } = item
        else {
            return;
        };
        ops.push(Op::StartTextSection);
        // Character spacing is text state, which outlives `ET`: set for this item, reset after.
        let spaced = *spacing != 0.0;
        if spaced {
            ops.push(Op::Unknown {
                key: "Tc".into(),
                value: vec![DictItem::Real(*spacing)],
            });
        }
        if self.fill != Some(*color) {
            ops.push(Op::SetFillColor {
                col: color_of(*color),
            });
            self.fill = Some(*color);
        }
        let mut step = (*x, *y);
        for run in fonts.runs(*role, text, scratch) {
            if self.font != Some((run.face, *size)) {
                ops.push(Op::SetFont {
                    font: PdfFontHandle::External(ids[run.face].clone()),
                    size: Pt(*size),
                });
                self.font = Some((run.face, *size));
            }
            ops.push(Op::SetTextCursor {
                pos: Point {
                    x: Pt(step.0),
                    y: Pt(step.1),
                },
            });
            // The subset's codes, two bytes each, as one string: printpdf's glyph items would
            // write a string per glyph. A custom operator is printpdf's way to write it (kept
            // only when `secure` is off).
            let glyphs = used[run.face].get_or_insert_with(UsedGlyphs::default);
            let mut data = Vec::with_capacity(run.glyphs.len() * 2);
            for (gid, c) in run.glyphs.iter().zip(run.text.chars()) {
                data.extend_from_slice(&glyphs.code(*gid, c).to_be_bytes());
            }
            ops.push(Op::Unknown {
                key: "Tj".into(),
                value: vec![DictItem::String {
                    data,
                    literal: false,
                }],
            });
            step = (run.width * size + spacing * run.glyphs.len() as f32, 0.0);
        }
        if spaced {
            ops.push(Op::Unknown {
                key: "Tc".into(),
                value: vec![DictItem::Real(0.0)],
            });
        }
        ops.push(Op::EndTextSection);
    }
}

/// Writes the fonts the pages use into the font dictionary every page's resources share (printpdf
/// writes one, empty, since it was given no font).
fn add_fonts(
    doc: &mut lopdf::Document,
    fonts: &FontSet,
    used: &[Option<UsedGlyphs>],
    ids: &[FontId],
) -> Result<(), RenderError> {
    let Some(dict_id) = shared_font_dictionary(doc) else {
        return Ok(());
    };
    let mut entries = Vec::new();
    for (i, glyphs) in used.iter().enumerate() {
        if let Some(glyphs) = glyphs {
            let id = add_font(doc, &fonts.faces[i], glyphs, &ids[i].0)?;
            entries.push((ids[i].0.clone(), id));
        }
    }
    if let Ok(dict) = doc.get_object_mut(dict_id).and_then(|o| o.as_dict_mut()) {
        for (name, id) in entries {
            dict.set(name, lopdf::Object::Reference(id));
        }
    }
    Ok(())
}

/// The font dictionary of the first page's resources, which printpdf shares between pages.
fn shared_font_dictionary(doc: &lopdf::Document) -> Option<lopdf::ObjectId> {
    let page = *doc.get_pages().values().next()?;
    let resources = doc.get_dictionary(page).ok()?.get(b"Resources").ok()?;
    let resources = match resources {
        lopdf::Object::Reference(id) => doc.get_dictionary(*id).ok()?,
        lopdf::Object::Dictionary(d) => d,
        _ => return None,
    };
    resources.get(b"Font").ok()?.as_reference().ok()
}

/// Length of the document ID in hex digits.
const ID_HEX_LEN: usize = 32;

/// Deflates every stream that is not yet filtered but CFF font programs, in parallel and at the
/// fastest level: lopdf's own `compress` uses the slowest level on one thread, which dominated a
/// 10 000-page packet, and level 3 took ≈ 4 % more of a 10× run's CPU than level 1 for a packet
/// 3.6 % smaller. Each stream is compressed on its own, so the bytes do not depend on the threads.
fn compress_streams(doc: &mut lopdf::Document) {
    use flate2::Compression;
    use flate2::write::ZlibEncoder;
    use rayon::prelude::*;
    use std::io::Write;

    let streams: Vec<&mut lopdf::Stream> = doc
        .objects
        .values_mut()
        .filter_map(|o| o.as_stream_mut().ok())
        .filter(|s| s.dict.get(b"Filter").is_err())
        // CFF programs are compact already (deflate saved 6 % of a 10× packet's bytes for 13 %
        // of its time); TrueType ones halve, and are compressed.
        .filter(|s| {
            s.dict.get(b"Subtype").ok() != Some(&lopdf::Object::Name(b"CIDFontType0C".to_vec()))
        })
        .collect();
    streams.into_par_iter().for_each(|stream| {
        let mut encoder = ZlibEncoder::new(
            Vec::with_capacity(stream.content.len() / 2),
            Compression::fast(),
        );
        if encoder.write_all(&stream.content).is_err() {
            return;
        }
        if let Ok(compressed) = encoder.finish()
            && compressed.len() + 19 < stream.content.len()
        {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    });
}

/// `JXAAAA`, `JXAAAB`, … : six capitals, distinct per face.
fn subset_tag(i: usize) -> String {
    let mut tag = *b"JXAAAA";
    let mut n = i;
    for slot in tag.iter_mut().rev().take(4) {
        *slot = b'A' + (n % 26) as u8;
        n /= 26;
    }
    String::from_utf8_lossy(&tag).into_owned()
}

fn color_of(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb::new(c.0, c.1, c.2, None))
}

/// `YYYY-MM-DD` → midnight UTC of that day; the epoch when the text is not a date (the config has
/// already checked it).
fn date_time(iso: &str) -> printpdf::OffsetDateTime {
    let parts: Vec<i64> = iso.split('-').filter_map(|p| p.parse().ok()).collect();
    let days = match parts.as_slice() {
        [y, m, d] => jixiao_core::days_from_civil(*y, *m, *d),
        _ => 0,
    };
    printpdf::OffsetDateTime::from_unix_timestamp(days * 86_400)
        .unwrap_or_else(|_| printpdf::OffsetDateTime::epoch())
}
