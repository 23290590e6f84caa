//! The PDF's fonts: resolved once per run in the order `[render.fonts] files`, installed system
//! fonts by family (宋体/仿宋/黑体 on Windows, Noto CJK / WenQuanYi on Linux, Songti/PingFang on
//! macOS), then the bundled WenQuanYi Micro Hei (Apache-2.0, `assets/fonts/`), so a bare machine
//! still prints Chinese. Every character is looked up along the chain; one that no font has is
//! reported, never dropped silently.

use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use jixiao_config::FontsConfig;
use jixiao_core::Diagnostic;
use rustc_hash::FxHashMap;

use super::characters::Characters;
use super::working::WorkingFont;
use crate::RenderError;

/// The bundled fallback (face 0 of the collection): CJK ideographs, punctuation, Latin, digits.
const BUNDLED: &[u8] = include_bytes!("../../../../assets/fonts/wqy-microhei.ttc");
pub(crate) const BUNDLED_NAME: &str = "WenQuanYi Micro Hei (bundled)";

/// Body text families (宋体/仿宋 style first), tried after `[render.fonts] body`.
const BODY_FAMILIES: [&str; 10] = [
    "SimSun",
    "宋体",
    "FangSong",
    "仿宋",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "Songti SC",
    "Noto Sans CJK SC",
    "WenQuanYi Micro Hei",
    "PingFang SC",
];

/// Heading families (黑体 style), tried after `[render.fonts] heading`.
const HEADING_FAMILIES: [&str; 8] = [
    "SimHei",
    "黑体",
    "Microsoft YaHei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "PingFang SC",
    "Heiti SC",
];

/// A face's file: the bundled font's bytes where the binary holds them, or a file mapped (or, where
/// it cannot be, read whole); never copied again: Noto CJK's collections are 20–27 MB each.
#[derive(Clone)]
pub enum FontData {
    /// `assets/fonts/`, in the binary.
    Bundled(&'static [u8]),
    /// A configured or installed font file, read whole.
    Read(Arc<Vec<u8>>),
    /// A configured or installed font file, mapped: only the tables and glyphs a run uses are
    /// paged in (reading two Noto CJK collections whole was most of a small run's start).
    Mapped(Arc<memmap2::Mmap>),
}

impl FontData {
    /// The font file at `path`, mapped, or read whole where it cannot be mapped.
    #[allow(unsafe_code)]
    pub(crate) fn open(path: &Path) -> std::io::Result<FontData> {
        let file = std::fs::File::open(path)?;
        // SAFETY: the map is only read. A font file rewritten while a run reads it would change
        // what the map shows (or, truncated, fault); installed fonts are replaced, not rewritten
        // in place, by package managers and installers — and fontdb, which found the file, maps
        // fonts the same way.
        match unsafe { memmap2::Mmap::map(&file) } {
            Ok(map) => Ok(FontData::Mapped(Arc::new(map))),
            Err(_) => std::fs::read(path).map(|bytes| FontData::Read(Arc::new(bytes))),
        }
    }
}

impl std::ops::Deref for FontData {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            FontData::Bundled(bytes) => bytes,
            FontData::Read(bytes) => bytes,
            FontData::Mapped(map) => map,
        }
    }
}

/// One parsed face: its file's bytes (what the PDF embeds a subset of), its character map and its
/// advances, read once so that laying out text never parses the font again.
pub struct Face {
    /// File and face name as reported in diagnostics and `jixiao validate`.
    pub name: String,
    /// The whole font file (a collection keeps every face; `index` selects one).
    pub data: FontData,
    pub index: u32,
    pub metrics: FaceMetrics,
    /// Character → glyph, from the face's Unicode `cmap` subtables (the first subtable that maps a
    /// character wins, as in a font's own lookup). Glyph 0 (`.notdef`, a box) is never stored.
    cmap: FxHashMap<char, u16>,
    /// Advance of every glyph, in font units (`hmtx`).
    advances: Vec<u16>,
    /// A CFF face's working copy (`working.rs`), made once for the body and heading faces of a
    /// run that cuts many subsets (`FontSet::prepare_working_copies`).
    working: OnceLock<Option<WorkingFont>>,
    /// A TrueType face's copy without glyph names that its subsets are cut from (`unnamed.rs`),
    /// made when the first is cut.
    unnamed: OnceLock<Option<Vec<u8>>>,
}

/// What the PDF's font descriptor says about a face, in font units.
#[derive(Debug, Clone)]
pub struct FaceMetrics {
    pub postscript_name: String,
    pub units_per_em: f32,
    pub ascent: f32,
    pub descent: f32,
    pub cap_height: f32,
    pub italic_angle: f32,
    /// `[x_min, y_min, x_max, y_max]`.
    pub bbox: [f32; 4],
    /// CFF outlines (embedded as `CIDFontType0C`) rather than TrueType ones.
    pub cff: bool,
}

impl Face {
    fn parse(name: String, data: FontData, index: u32) -> Option<Face> {
        let face = ttf_parser::Face::parse(&data, index).ok()?;
        let mut cmap = FxHashMap::default();
        if let Some(table) = face.tables().cmap {
            for subtable in table.subtables.into_iter().filter(|t| t.is_unicode()) {
                subtable.codepoints(|cp| {
                    if let Some(c) = char::from_u32(cp)
                        && let Some(g) = subtable.glyph_index(cp).filter(|g| g.0 != 0)
                    {
                        cmap.entry(c).or_insert(g.0);
                    }
                });
            }
        }
        let advances = (0..face.number_of_glyphs())
            .map(|g| face.glyph_hor_advance(ttf_parser::GlyphId(g)).unwrap_or(0))
            .collect();
        let metrics = FaceMetrics::of(&face);
        Some(Face {
            name,
            metrics,
            cmap,
            advances,
            data,
            index,
            working: OnceLock::new(),
            unnamed: OnceLock::new(),
        })
    }

    /// Every character the face draws, with its glyph (in no particular order).
    pub fn characters(&self) -> impl Iterator<Item = (char, u16)> + '_ {
        self.cmap.iter().map(|(c, g)| (*c, *g))
    }

    /// The working copy a PDF cuts its subset from, when one was made
    /// ([`FontSet::prepare_working_copies`]); `None` tells the PDF to cut it from the installed
    /// face (the same bytes).
    pub(crate) fn working(&self) -> Option<&WorkingFont> {
        self.working.get()?.as_ref()
    }

    /// The working copy for a run printing `printed`, made now if it is not yet (CFF faces only).
    fn make_working_copy(&self, printed: &Characters) -> Option<&WorkingFont> {
        if !self.metrics.cff {
            return None;
        }
        self.working
            .get_or_init(|| WorkingFont::of(self, printed))
            .as_ref()
    }

    /// The font file and face index a TrueType face's subsets are cut from: its copy without
    /// glyph names, or the face itself when it has none to drop.
    pub(crate) fn truetype_source(&self) -> (&[u8], u32) {
        let copy = self
            .unnamed
            .get_or_init(|| super::unnamed::without_glyph_names(&self.data, self.index));
        match copy {
            Some(copy) => (copy, 0),
            None => (&self.data, self.index),
        }
    }

    /// The glyph of `c`, if the face has one.
    pub fn glyph(&self, c: char) -> Option<u16> {
        self.cmap.get(&c).copied()
    }

    /// Advance of glyph `g` at 1 pt.
    pub fn advance(&self, g: u16) -> f32 {
        f32::from(self.advance_units(g)) / self.metrics.units_per_em
    }

    /// Advance of glyph `g` in font units.
    pub fn advance_units(&self, g: u16) -> u16 {
        self.advances.get(usize::from(g)).copied().unwrap_or(0)
    }
}

impl FaceMetrics {
    fn of(face: &ttf_parser::Face<'_>) -> FaceMetrics {
        let postscript_name = face
            .names()
            .into_iter()
            .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .find_map(|n| n.to_string())
            .unwrap_or_default();
        let b = face.global_bounding_box();
        let ascent = f32::from(face.ascender());
        FaceMetrics {
            postscript_name,
            units_per_em: f32::from(face.units_per_em().max(1)),
            ascent,
            descent: f32::from(face.descender()),
            cap_height: face.capital_height().map_or(ascent, f32::from),
            italic_angle: face.italic_angle(),
            bbox: [b.x_min, b.y_min, b.x_max, b.y_max].map(f32::from),
            cff: face.tables().cff.is_some(),
        }
    }
}

/// Which chain of faces a text uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Body,
    Heading,
}

/// The faces of a run and the two fallback chains (indices into `faces`).
pub struct FontSet {
    /// Every face loaded: the configured files, the chosen system faces, then the bundled one.
    pub faces: Vec<Face>,
    body: Vec<usize>,
    heading: Vec<usize>,
    /// What [`FontSet::lookup`] found for each BMP character met so far, per role.
    found: [FoundGlyphs; 2],
    /// Subsets cut from an installed CFF face although it had a working copy (a character the
    /// copy lacks): time lost, never bytes; tests keep it at zero.
    pub(crate) missed_copies: AtomicUsize,
}

/// Character → face, glyph and advance along one role's chain, for the Basic Multilingual Plane,
/// filled as characters are first laid out (each lookup went through a hash map face by face: a
/// seventh of a PDF's time; the advance beside them saves measuring a second lookup in the face's
/// advances). Slots are written at most with the one value the chain gives, so threads share the
/// table without locks.
struct FoundGlyphs(Box<[AtomicU64]>);

/// A slot not looked up yet, and one no face draws; others hold the advance at 1 pt (`f32` bits)
/// in the high half and `(face + 1) << 16 | glyph` in the low one.
const NOT_LOOKED_UP: u64 = 0;
const NO_FACE: u64 = 1;

impl Default for FoundGlyphs {
    fn default() -> Self {
        FoundGlyphs(
            (0..=0xFFFF)
                .map(|_| AtomicU64::new(NOT_LOOKED_UP))
                .collect(),
        )
    }
}

impl FoundGlyphs {
    /// The slot's value for `c`: [`NOT_LOOKED_UP`] also for a character beyond the BMP.
    #[inline]
    fn slot(&self, c: char) -> u64 {
        self.0
            .get(c as usize)
            .map_or(NOT_LOOKED_UP, |slot| slot.load(Ordering::Relaxed))
    }

    /// Notes what the chain found for `c`: the face, the glyph and its advance at 1 pt.
    fn store(&self, c: char, found: Option<(usize, u16, f32)>) {
        let value = match found {
            Some((face, glyph, advance)) => match u64::try_from(face + 1) {
                Ok(f) if f <= 0xFFFF => {
                    u64::from(advance.to_bits()) << 32 | f << 16 | u64::from(glyph)
                }
                _ => return,
            },
            None => NO_FACE,
        };
        if let Some(slot) = self.0.get(c as usize) {
            slot.store(value, Ordering::Relaxed);
        }
    }
}

/// A found slot's face and glyph.
#[inline]
fn face_and_glyph(slot: u64) -> (usize, u16) {
    (((slot >> 16) & 0xFFFF) as usize - 1, slot as u16)
}

impl FontSet {
    /// Makes the working copies (`working.rs`) of the faces text starts with, body and heading,
    /// holding what `printed` notes, in parallel; nothing when they are made. Without them, each
    /// PDF cuts its subsets from the installed faces (≈ 3.5 ms each for Noto Serif CJK), which a
    /// run of a few departments does for less than the copies cost.
    pub fn prepare_working_copies(&self, printed: &Characters) {
        use rayon::prelude::*;
        let firsts: Vec<&Face> = self
            .body
            .first()
            .into_iter()
            .chain(self.heading.first())
            .filter_map(|i| self.faces.get(*i))
            .collect();
        firsts.par_iter().for_each(|face| {
            let _ = face.make_working_copy(printed);
        });
    }

    /// Resolves the fonts. A configured file that cannot be read is an error (the bureau asked for
    /// it); a missing system family is not (the next one is tried).
    pub fn resolve(
        config: &FontsConfig,
        base_dir: &Path,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<FontSet, RenderError> {
        let mut set = FontSet {
            faces: Vec::new(),
            body: Vec::new(),
            heading: Vec::new(),
            found: Default::default(),
            missed_copies: AtomicUsize::new(0),
        };
        for file in &config.files {
            let path = base_dir.join(file);
            let data = FontData::open(&path).map_err(|e| RenderError::Font {
                name: path.display().to_string(),
                message: format!("cannot read: {e}"),
            })?;
            let face = Face::parse(path.display().to_string(), data, 0).ok_or_else(|| {
                RenderError::Font {
                    name: path.display().to_string(),
                    message: "not a TrueType/OpenType font".into(),
                }
            })?;
            set.push(face, true, true);
        }
        // The installed faces are found and read, and the bundled one parsed, at once: reading
        // a CJK face whole and its character map is most of what a small run takes.
        let (body, heading, bundled) = std::thread::scope(|scope| {
            let bundled =
                scope.spawn(|| Face::parse(BUNDLED_NAME.into(), FontData::Bundled(BUNDLED), 0));
            let (body, heading) = if config.system {
                system_faces(config)
            } else {
                (None, None)
            };
            (body, heading, joined(bundled))
        });
        if let Some(face) = body {
            set.push(face, true, false);
        }
        if let Some(face) = heading {
            set.push(face, false, true);
        }
        let bundled = bundled.ok_or_else(|| RenderError::Font {
            name: BUNDLED_NAME.into(),
            message: "the bundled font does not parse".into(),
        })?;
        set.push(bundled, true, true);
        if set.body.len() == 1 && config.system {
            diagnostics.push(Diagnostic::info(
                "render.font-fallback",
                format!("no installed CJK font found: the PDF uses {BUNDLED_NAME}"),
                None,
            ));
        }
        Ok(set)
    }

    /// Adds a face to the chains; only while resolving, before any lookup fills `found`.
    fn push(&mut self, face: Face, body: bool, heading: bool) {
        let i = self.faces.len();
        self.faces.push(face);
        if body {
            self.body.push(i);
        }
        if heading {
            self.heading.push(i);
        }
    }

    /// The chain of a role; the other role's faces follow, so a character is found if any face has
    /// it.
    pub fn chain(&self, role: Role) -> impl Iterator<Item = usize> + '_ {
        let (first, second) = match role {
            Role::Body => (&self.body, &self.heading),
            Role::Heading => (&self.heading, &self.body),
        };
        first
            .iter()
            .chain(second.iter().filter(|i| !first.contains(i)))
            .copied()
    }

    /// The face and glyph that draw `c` in `role`, if any face can.
    #[inline]
    pub fn lookup(&self, role: Role, c: char) -> Option<(usize, u16)> {
        self.lookup_measured(role, c)
            .map(|(face, glyph, _)| (face, glyph))
    }

    /// [`FontSet::lookup`] with the glyph's advance at 1 pt (`Face::advance`).
    #[inline]
    pub(crate) fn lookup_measured(&self, role: Role, c: char) -> Option<(usize, u16, f32)> {
        match self.found[role as usize].slot(c) {
            NOT_LOOKED_UP => self.look_up_chain(role, c),
            NO_FACE => None,
            v => {
                let (face, glyph) = face_and_glyph(v);
                Some((face, glyph, f32::from_bits((v >> 32) as u32)))
            }
        }
    }

    /// [`FontSet::lookup`] along the chain, noted in the table.
    #[cold]
    fn look_up_chain(&self, role: Role, c: char) -> Option<(usize, u16, f32)> {
        let found = self.chain(role).find_map(|i| {
            let face = &self.faces[i];
            face.glyph(c).map(|g| (i, g, face.advance(g)))
        });
        self.found[role as usize].store(c, found);
        found
    }

    /// The faces in use, for `jixiao validate` and the docs: `(role, name)`.
    pub fn describe(&self) -> Vec<(String, String)> {
        let mut v = Vec::new();
        for (role, list) in [("body", &self.body), ("heading", &self.heading)] {
            for i in list {
                v.push((role.to_string(), self.faces[*i].name.clone()));
            }
        }
        v
    }
}

/// The installed body and heading faces (the first family of each list that is installed),
/// read at once.
fn system_faces(config: &FontsConfig) -> (Option<Face>, Option<Face>) {
    let mut db = fontdb::Database::new();
    db.load_system_fonts();
    let body = families(&config.body, &BODY_FAMILIES);
    let heading = families(&config.heading, &HEADING_FAMILIES);
    let db = &db;
    std::thread::scope(|scope| {
        let heading = scope.spawn(move || system_face(db, &heading, fontdb::Weight::BOLD));
        let body = system_face(db, &body, fontdb::Weight::NORMAL);
        (body, joined(heading))
    })
}

/// The families to look for: the bureau's (`[render.fonts] body`/`heading`) first, then ours.
fn families<'a>(own: &'a [String], ours: &[&'static str]) -> Vec<&'a str> {
    own.iter()
        .map(String::as_str)
        .chain(ours.iter().copied())
        .collect()
}

/// The first installed face of the first family that exists, nearest to `weight`.
fn system_face(db: &fontdb::Database, families: &[&str], weight: fontdb::Weight) -> Option<Face> {
    for family in families {
        let query = fontdb::Query {
            families: &[fontdb::Family::Name(family)],
            weight,
            ..fontdb::Query::default()
        };
        let Some(id) = db.query(&query) else {
            continue;
        };
        let info = db.face(id)?;
        let face = match &info.source {
            fontdb::Source::File(path) => {
                let name = format!("{} ({}#{})", family, path.display(), info.index);
                FontData::open(path)
                    .ok()
                    .and_then(|data| Face::parse(name, data, info.index))
            }
            _ => db
                .with_face_data(id, |data, index| {
                    let data = FontData::Read(Arc::new(data.to_vec()));
                    Face::parse(family.to_string(), data, index)
                })
                .flatten(),
        };
        if face.is_some() {
            return face;
        }
    }
    None
}

/// What a font-reading thread returned; its panic goes on in the caller.
fn joined<T>(thread: std::thread::ScopedJoinHandle<'_, T>) -> T {
    thread
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table gives what the chain gives, the first time and after, for characters every
    /// face has, some have, none has, and one beyond the BMP.
    #[test]
    fn lookups_through_the_table_are_the_chains_own() {
        let fonts = crate::pdf::tests::fonts();
        for role in [Role::Body, Role::Heading] {
            let chain = |c: char| {
                fonts
                    .chain(role)
                    .find_map(|i| fonts.faces[i].glyph(c).map(|g| (i, g)))
            };
            let measured = |c: char| chain(c).map(|(i, g)| (i, g, fonts.faces[i].advance(g)));
            for c in ['绩', 'A', '（', '□', '\u{E000}', '𠀀', '䶮', '\u{FFFF}'] {
                assert_eq!(fonts.lookup(role, c), chain(c), "{c}");
                assert_eq!(fonts.lookup(role, c), chain(c), "{c} again");
                assert_eq!(fonts.lookup_measured(role, c), measured(c), "{c}");
            }
            // Looked up with its advance first, then alone.
            for c in ['效', 'z', '）', '\u{E001}', '𠀁'] {
                assert_eq!(fonts.lookup_measured(role, c), measured(c), "{c}");
                assert_eq!(fonts.lookup_measured(role, c), measured(c), "{c} again");
                assert_eq!(fonts.lookup(role, c), chain(c), "{c}");
            }
        }
    }
}
