//! `[render]`: which packet formats a run writes, where a bureau's own templates live, which fonts
//! the PDF uses and whether each department gets its own packet.
//!
//! Everything is optional: an absent `[render]` writes `packet.xlsx`, `packet.pdf` and `index.html`
//! with the bundled wording and fonts. Paths are relative to the pipeline file's folder.

use serde::Deserialize;

use crate::checker::Checker;

/// The packet formats a run can write, in the order they are listed in the manifest.
pub const FORMATS: [&str; 3] = [
    PacketFormat::Xlsx.as_str(),
    PacketFormat::Pdf.as_str(),
    PacketFormat::Html.as_str(),
];

/// A packet format, as the stages see it once the configuration is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PacketFormat {
    /// `packet.xlsx`: every record as sheets a reviewer filters, sorts and pivots.
    Xlsx,
    /// `packet.pdf`: the printable packet (report and one review sheet per record).
    Pdf,
    /// `index.html`: the packet's web page (project table, review sheets).
    Html,
}

impl PacketFormat {
    /// Every format, in manifest order.
    pub const ALL: [PacketFormat; 3] = [PacketFormat::Xlsx, PacketFormat::Pdf, PacketFormat::Html];

    /// The name in `[render] formats` (also the file extension).
    pub const fn as_str(self) -> &'static str {
        match self {
            PacketFormat::Xlsx => "xlsx",
            PacketFormat::Pdf => "pdf",
            PacketFormat::Html => "html",
        }
    }

    /// The format named `name` in `[render] formats` (`None` for an unknown name).
    pub fn parse(name: &str) -> Option<PacketFormat> {
        PacketFormat::ALL.into_iter().find(|f| f.as_str() == name)
    }
}

/// `[render]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenderConfig {
    /// Formats to write: any of `xlsx`, `pdf`, `html` (default all three). `[]` writes only the JSON
    /// files.
    #[serde(default = "all_formats")]
    pub formats: Vec<String>,
    /// The issuing bureau printed on the cover and in the signature lines (`某某市财政局`).
    pub issuer: Option<String>,
    /// A folder whose files replace bundled templates of the same name (`strings.toml`,
    /// `index.html`, `text/basis.txt` ...). Files it does not have stay bundled.
    pub templates: Option<String>,
    /// One packet per department under `departments/<name>/` (its review sheets as PDF, its
    /// workbook, its page) and a short run report (`report.pdf`, `index.html` linking to them); on
    /// by default. `false`: every review sheet in one `packet.pdf` and one `index.html`.
    #[serde(default = "yes")]
    pub split_by_department: bool,
    /// `[render.fonts]`: the PDF's fonts.
    #[serde(default)]
    pub fonts: FontsConfig,
    /// The date (`YYYY-MM-DD`) by which departments are to resubmit corrected tables, printed in
    /// each department's letter (审核意见书); default 15 days after the as-of date.
    pub resubmit_by: Option<String>,
}

/// `[render.fonts]`: the fonts of the PDF, tried in order for every character (a character the first
/// font lacks falls back to the next).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FontsConfig {
    /// Font files (TTF/OTF/TTC) tried first, for body text and headings alike.
    #[serde(default)]
    pub files: Vec<String>,
    /// Whether installed system fonts are searched by family name (宋体/仿宋/黑体 on Windows, Noto CJK
    /// or WenQuanYi on Linux, PingFang/Songti on macOS). `false` makes the PDF independent of the
    /// machine: only `files` and the bundled font are used.
    #[serde(default = "yes")]
    pub system: bool,
    /// Family names tried for body text, before the built-in list.
    #[serde(default)]
    pub body: Vec<String>,
    /// Family names tried for headings, before the built-in list.
    #[serde(default)]
    pub heading: Vec<String>,
}

impl Default for FontsConfig {
    fn default() -> Self {
        FontsConfig {
            files: Vec::new(),
            system: true,
            body: Vec::new(),
            heading: Vec::new(),
        }
    }
}

impl Default for RenderConfig {
    fn default() -> Self {
        RenderConfig {
            formats: all_formats(),
            issuer: None,
            templates: None,
            split_by_department: true,
            fonts: FontsConfig::default(),
            resubmit_by: None,
        }
    }
}

fn yes() -> bool {
    true
}

fn all_formats() -> Vec<String> {
    FORMATS.iter().map(|f| f.to_string()).collect()
}

impl RenderConfig {
    /// Whether `format` is selected.
    pub fn wants(&self, format: PacketFormat) -> bool {
        self.formats.iter().any(|f| f == format.as_str())
    }

    /// The selected formats, in manifest order (names the check step refused never get here).
    pub fn selected(&self) -> Vec<PacketFormat> {
        PacketFormat::ALL
            .into_iter()
            .filter(|f| self.wants(*f))
            .collect()
    }

    /// Section checks that need the whole file: unknown or repeated formats.
    pub(crate) fn check(&self, checker: &mut Checker<'_>) {
        for (i, format) in self.formats.iter().enumerate() {
            let index = i.to_string();
            if !FORMATS.contains(&format.as_str()) {
                checker.error_at(
                    &["render", "formats", &index],
                    format!("unknown format `{format}`: use any of \"xlsx\", \"pdf\", \"html\""),
                );
            } else if self.formats[..i].contains(format) {
                checker.error_at(
                    &["render", "formats", &index],
                    format!("format `{format}` is listed twice"),
                );
            }
        }
        if let Some(date) = &self.resubmit_by
            && let Err(message) = crate::date::check_iso_date(date)
        {
            checker.error_at(
                &["render", "resubmit_by"],
                message.replacen("`as_of`", "`resubmit_by`", 1),
            );
        }
        if self.issuer.as_deref().is_some_and(|s| s.trim().is_empty()) {
            checker.error_at(
                &["render", "issuer"],
                "`issuer` is empty: write the bureau's name or leave the key out",
            );
        }
    }
}

#[cfg(test)]
mod format_tests {
    use super::*;

    #[test]
    fn formats_are_typed_once_checked_and_keep_manifest_order() {
        let config = RenderConfig {
            formats: vec!["html".into(), "xlsx".into()],
            ..RenderConfig::default()
        };
        assert_eq!(config.selected(), [PacketFormat::Xlsx, PacketFormat::Html]);
        assert!(!config.wants(PacketFormat::Pdf));
        assert_eq!(PacketFormat::parse("pdf"), Some(PacketFormat::Pdf));
        assert_eq!(PacketFormat::parse("docx"), None);
        assert_eq!(FORMATS, ["xlsx", "pdf", "html"]);
    }
}
