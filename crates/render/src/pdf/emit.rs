//! Laid-out pages → PDF bytes through printpdf, which makes the document (catalog, page tree,
//! boxes, metadata) and lopdf, which writes it: each page's content stream is written here
//! (`Content`: text as runs of one font each, rectangles and lines as vector paths, in the
//! operators and bytes printpdf's `Op`s gave), the fonts by `embed.rs`, document metadata from the
//! pipeline (never the clock), and a trailer ID derived from the content so reruns are
//! byte-identical.

use printpdf::{FontId, Mm, PdfDocument, PdfPage, PdfSaveOptions, Pt};
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
    let mut scratch = Scratch::default();
    let mut contents = Vec::with_capacity(pages.len());
    let mut out_pages = Vec::with_capacity(pages.len());
    for page in pages {
        let mut content = Content::default();
        let mut state = PageState::default();
        for item in &page.items {
            match item {
                Item::Text { .. } => {
                    state.text(item, fonts, &mut used, &ids, &mut scratch, &mut content);
                }
                Item::Rect {
                    x,
                    y,
                    w,
                    h,
                    fill,
                    stroke,
                } => state.rect([*x, *y, *w, *h], *fill, *stroke, &mut content),
                Item::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                    color,
                    dashed,
                } => state.line([*x1, *y1, *x2, *y2], *width, *color, *dashed, &mut content),
            }
        }
        contents.push(content.bytes);
        // printpdf makes the page (boxes, resources, the page tree); its content stream is the
        // one written here, put in place below.
        let (w, h) = (Pt(page.width()), Pt(page.height()));
        out_pages.push(PdfPage::new(Mm::from(w), Mm::from(h), Vec::new()));
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
        // The pages reach printpdf without operators (their content streams are `Content`s).
        secure: false,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut doc = pdf.to_lopdf_document(&options, &mut warnings);
    set_contents(&mut doc, contents);
    add_fonts(&mut doc, fonts, &used, &ids)?;
    super::navigation::add(&mut doc, navigation)?;
    compress_streams(&mut doc);
    // printpdf draws the trailer ID from a process-wide counter: the ID is a digest of the document's
    // title, date, length and the CRC-32 of its own bytes, so the same packet always has the same
    // ID (a CRC, not SHA-256, of the bytes: the bytes are then hashed once for the manifest, not
    // twice). Saved once with a placeholder of the digest's length, hashed, and the placeholder
    // overwritten in place.
    let placeholder = vec![b'0'; ID_HEX_LEN];
    let id = lopdf::Object::String(placeholder.clone(), lopdf::StringFormat::Literal);
    doc.trailer
        .set("ID", lopdf::Object::Array(vec![id.clone(), id]));
    // The file is mostly its streams: room for them and the objects around them, so the bytes
    // are not copied again and again as they grow.
    let streams: usize = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .map(|s| s.content.len())
        .sum();
    let mut bytes = Vec::with_capacity(streams + streams / 8 + 16 * 1024);
    doc.save_to(&mut bytes).map_err(|e| RenderError::Format {
        format: "pdf".into(),
        message: e.to_string(),
    })?;
    let mut crc = flate2::Crc::new();
    crc.update(&bytes);
    let mut digest = Sha256::new();
    digest.update(info.title.as_bytes());
    digest.update(info.date.as_bytes());
    digest.update((bytes.len() as u64).to_le_bytes());
    digest.update(crc.sum().to_le_bytes());
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

/// What drawing reuses from text to text: characters no face draws (already noted while laying
/// out), a run's characters and glyphs.
#[derive(Default)]
struct Scratch {
    missing: Missing,
    glyphs: Vec<(char, u16)>,
}

/// The graphics state a page's content stream has set so far: a colour, line width, dash or font
/// is set only when it changes (a table's hundreds of borders share one stroke; each drawn in
/// `q … Q` with its own colour and width was a sixth of a packet's content bytes). `None`: not
/// set on this page yet.
#[derive(Default)]
struct PageState {
    fill: Option<Rgb>,
    stroke: Option<Rgb>,
    line_width: Option<f32>,
    /// Whether the dash pattern in force is `[3 2] 0` (a page starts solid).
    dashed: bool,
    font: Option<(usize, f32)>,
}

impl PageState {
    fn set_fill(&mut self, color: Rgb, content: &mut Content) {
        if self.fill != Some(color) {
            content.op(&rgb(color), "rg");
            self.fill = Some(color);
        }
    }

    fn set_stroke(&mut self, color: Rgb, width: f32, dashed: bool, content: &mut Content) {
        if self.stroke != Some(color) {
            content.op(&rgb(color), "RG");
            self.stroke = Some(color);
        }
        if self.line_width != Some(width) {
            content.op(&[width], "w");
            self.line_width = Some(width);
        }
        if self.dashed != dashed {
            content.start();
            let pattern: &[u8] = if dashed { b"[3 2] 0 d" } else { b"[] 0 d" };
            content.bytes.extend_from_slice(pattern);
            self.dashed = dashed;
        }
    }

    /// A filled and/or stroked rectangle (a stroke half a point wide, solid).
    fn rect(
        &mut self,
        xywh: [f32; 4],
        fill: Option<Rgb>,
        stroke: Option<Rgb>,
        content: &mut Content,
    ) {
        if let Some(f) = fill {
            self.set_fill(f, content);
        }
        if let Some(s) = stroke {
            self.set_stroke(s, 0.5, false, content);
        }
        content.op(&xywh, "re");
        let paint = match (fill, stroke) {
            (Some(_), Some(_)) => "B",
            (Some(_), None) => "f",
            // A rectangle with neither paints nothing, as before: `n` ends the path unpainted.
            (None, Some(_)) => "S",
            (None, None) => "n",
        };
        content.op(&[], paint);
    }

    /// A stroked line, solid or dashed 3 on, 2 off.
    fn line(
        &mut self,
        from_to: [f32; 4],
        width: f32,
        color: Rgb,
        dashed: bool,
        content: &mut Content,
    ) {
        self.set_stroke(color, width, dashed, content);
        content.op(&from_to[..2], "m");
        content.op(&from_to[2..], "l");
        content.op(&[], "S");
    }

    /// `BT … ET` drawing a text item: a `Td` and one hex string per run of one face. `Td` moves
    /// from the start of the previous run: the first move is the item's position, each next one
    /// the width of the run before it. Other items draw nothing here.
    fn text(
        &mut self,
        item: &Item,
        fonts: &FontSet,
        used: &mut [Option<UsedGlyphs>],
        ids: &[FontId],
        scratch: &mut Scratch,
        content: &mut Content,
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
        content.op(&[], "BT");
        // Character spacing is text state, which outlives `ET`: set for this item, reset after.
        let spaced = *spacing != 0.0;
        if spaced {
            content.op(&[*spacing], "Tc");
        }
        self.set_fill(*color, content);
        let mut step = (*x, *y);
        let Scratch { missing, glyphs } = scratch;
        fonts.each_run(*role, text, missing, glyphs, |face, glyphs, width| {
            if self.font != Some((face, *size)) {
                content.font(&ids[face].0, *size);
                self.font = Some((face, *size));
            }
            content.op(&[step.0, step.1], "Td");
            // The subset's codes, two bytes each, as one string.
            let used = used[face].get_or_insert_with(UsedGlyphs::default);
            content.show(glyphs.iter().map(|(c, gid)| used.code(*gid, *c)));
            step = (width * size + spacing * glyphs.len() as f32, 0.0);
        });
        if spaced {
            content.op(&[0.0], "Tc");
        }
        content.op(&[], "ET");
    }
}

/// A page's content stream, written directly (operands each followed by a space, then the
/// operator; operators one per line; numbers with at most three decimals, `decimal.rs`), without
/// printpdf's `Op`, a lopdf operation and its operand objects per operator — a fifth of the
/// PDF's time on a province's packets.
#[derive(Default)]
struct Content {
    bytes: Vec<u8>,
}

impl Content {
    fn start(&mut self) {
        if !self.bytes.is_empty() {
            self.bytes.push(b'\n');
        }
    }

    fn number(&mut self, v: f32) {
        super::decimal::push_f32(&mut self.bytes, v);
        self.bytes.push(b' ');
    }

    /// One operator after its numeric operands.
    fn op(&mut self, operands: &[f32], operator: &str) {
        self.start();
        for v in operands {
            self.number(*v);
        }
        self.bytes.extend_from_slice(operator.as_bytes());
    }

    /// `/<name> <size> Tf`; font resource names are six capitals (`subset_tag`).
    fn font(&mut self, name: &str, size: f32) {
        self.start();
        self.bytes.push(b'/');
        self.bytes.extend_from_slice(name.as_bytes());
        self.bytes.push(b' ');
        self.number(size);
        self.bytes.extend_from_slice(b"Tf");
    }

    /// `<…> Tj`: two-byte codes as upper-case hex.
    fn show(&mut self, codes: impl Iterator<Item = u16>) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        self.start();
        self.bytes.push(b'<');
        for code in codes {
            for byte in code.to_be_bytes() {
                self.bytes.push(HEX[usize::from(byte >> 4)]);
                self.bytes.push(HEX[usize::from(byte & 0xF)]);
            }
        }
        self.bytes.extend_from_slice(b"> Tj");
    }
}

fn rgb(c: Rgb) -> [f32; 3] {
    [c.0, c.1, c.2]
}

/// Puts each page's content stream in place of the empty one printpdf wrote for it.
fn set_contents(doc: &mut lopdf::Document, contents: Vec<Vec<u8>>) {
    let pages: Vec<lopdf::ObjectId> = doc.get_pages().into_values().collect();
    for (page, bytes) in pages.into_iter().zip(contents) {
        let stream = doc
            .get_dictionary(page)
            .and_then(|d| d.get(b"Contents"))
            .and_then(lopdf::Object::as_reference);
        if let Ok(id) = stream
            && let Ok(lopdf::Object::Stream(stream)) = doc.get_object_mut(id)
        {
            stream.set_content(bytes);
        }
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
            let id = add_font(
                doc,
                &fonts.faces[i],
                glyphs,
                &ids[i].0,
                &fonts.missed_copies,
            )?;
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
    use rayon::prelude::*;

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
        if let Some(compressed) = deflate(&stream.content)
            && compressed.len() + 19 < stream.content.len()
        {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    });
}

thread_local! {
    /// Each thread's deflate state, reset between streams: a new one per stream allocated and
    /// cleared its window and tables (≈ 2 % of a PDF run for pages of a few KB).
    static DEFLATE: std::cell::RefCell<Option<flate2::Compress>> = const { std::cell::RefCell::new(None) };
}

/// `bytes` as a zlib stream at the fastest level; `None` if the compressor fails.
fn deflate(bytes: &[u8]) -> Option<Vec<u8>> {
    use flate2::{Compress, Compression, FlushCompress, Status};
    DEFLATE.with_borrow_mut(|state| {
        let compress = state.get_or_insert_with(|| Compress::new(Compression::fast(), true));
        compress.reset();
        let mut out = Vec::with_capacity(bytes.len() / 2 + 64);
        // As `ZlibEncoder` feeds it (the same bytes): the input without flushing, then the end.
        loop {
            let read = usize::try_from(compress.total_in()).ok()?;
            let rest = bytes.get(read..)?;
            let flush = if rest.is_empty() {
                FlushCompress::Finish
            } else {
                FlushCompress::None
            };
            if out.len() == out.capacity() {
                out.reserve(out.capacity().max(64));
            }
            let written = out.len();
            match compress.compress_vec(rest, &mut out, flush) {
                Ok(Status::StreamEnd) => return Some(out),
                // No progress though there was room to write: give up rather than spin.
                Ok(_) if out.len() == written && compress.total_in() as usize == read => {
                    return None;
                }
                Ok(_) => {}
                Err(_) => return None,
            }
        }
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_streams_write_pdf_operators_one_per_line() {
        let mut content = Content::default();
        let mut state = PageState::default();
        let grey = Rgb(0.55, 0.55, 0.55);
        state.rect(
            [1.0, 2.5, 30.0, 4.0],
            Some(Rgb(0.9, 0.92, 0.95)),
            Some(Rgb(0.0, 0.0, 0.0)),
            &mut content,
        );
        state.line([0.0, 10.0, 100.0, 10.0], 0.8, grey, true, &mut content);
        content.op(&[], "BT");
        content.font("JXAAAB", 10.5);
        content.op(&[72.0, 700.25], "Td");
        content.show([1u16, 0x2AF].into_iter());
        content.op(&[], "ET");
        let text = String::from_utf8(content.bytes).unwrap_or_default();
        assert_eq!(
            text,
            "0.9 0.92 0.95 rg\n0 0 0 RG\n0.5 w\n1 2.5 30 4 re\nB\n\
             0.55 0.55 0.55 RG\n0.8 w\n[3 2] 0 d\n0 10 m\n100 10 l\nS\n\
             BT\n/JXAAAB 10.5 Tf\n72 700.25 Td\n<000102AF> Tj\nET"
        );
    }

    /// A colour, width or dash is set once while it holds, and again when it changes: what the
    /// stream sets before each path is what that path is drawn with.
    #[test]
    fn graphics_state_is_set_only_when_it_changes() {
        let mut content = Content::default();
        let mut state = PageState::default();
        let (grey, black) = (Rgb(0.5, 0.5, 0.5), Rgb(0.0, 0.0, 0.0));
        state.line([0.0, 0.0, 1.0, 0.0], 0.4, grey, false, &mut content);
        state.line([0.0, 1.0, 1.0, 1.0], 0.4, grey, false, &mut content);
        state.line([0.0, 2.0, 1.0, 2.0], 0.4, grey, true, &mut content);
        state.line([0.0, 3.0, 1.0, 3.0], 0.4, grey, false, &mut content);
        state.rect([0.0, 0.0, 2.0, 2.0], None, Some(grey), &mut content);
        state.rect([0.0, 0.0, 2.0, 2.0], Some(black), None, &mut content);
        state.rect([0.0, 0.0, 2.0, 2.0], Some(black), Some(black), &mut content);
        let text = String::from_utf8(content.bytes).unwrap_or_default();
        assert_eq!(
            text,
            "0.5 0.5 0.5 RG\n0.4 w\n0 0 m\n1 0 l\nS\n\
             0 1 m\n1 1 l\nS\n\
             [3 2] 0 d\n0 2 m\n1 2 l\nS\n\
             [] 0 d\n0 3 m\n1 3 l\nS\n\
             0.5 w\n0 0 2 2 re\nS\n\
             0 0 0 rg\n0 0 2 2 re\nf\n\
             0 0 0 RG\n0 0 2 2 re\nB"
        );
    }

    /// The reused compressor writes what a fresh `ZlibEncoder` writes, stream after stream.
    #[test]
    fn deflate_with_a_reused_state_writes_the_encoders_bytes() -> std::io::Result<()> {
        use std::io::Write;
        let mut text = Vec::new();
        let mut state = 7u32;
        for i in 0..60_000u32 {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            write!(text, "{} {} Td ", i % 700, state >> 20)?;
        }
        let inputs: [&[u8]; 4] = [b"", b"BT /JXAAAA 10.5 Tf ET", &text, &[0u8; 300_000]];
        for input in inputs.iter().chain(inputs.iter()) {
            let mut encoder =
                flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
            encoder.write_all(input)?;
            assert_eq!(
                deflate(input).as_ref(),
                Some(&encoder.finish()?),
                "{} bytes",
                input.len()
            );
        }
        Ok(())
    }
}
