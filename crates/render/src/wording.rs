//! The packet's words: `strings.toml` (sheet names, column titles, headings, grade consequences) and
//! the prose templates `text/*.txt` (cover, basis, scope, method, results, problems, opinion), plus
//! the HTML templates. All are bundled; a bureau's `[render] templates` folder replaces any of them
//! by name, and its `strings.toml` replaces single keys.
//!
//! Templates are tera 2. The prose templates are plain text (not escaped); every non-empty line of
//! their output is one paragraph, so a bureau writes paragraphs as lines.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::{Context, Kwargs, State, Tera};

use crate::RenderError;
use crate::format::{date_zh, num, score, wan};
use crate::packet::PacketContext;

/// Sections of `strings.toml` → key → text.
pub(crate) type Strings = BTreeMap<String, BTreeMap<String, String>>;

const BUNDLED_STRINGS: &str = include_str!("../../../templates/strings.toml");

/// The prose templates, by the name a bureau's folder overrides them with.
const TEXT_TEMPLATES: [(&str, &str); 9] = [
    (
        "text/cover.txt",
        include_str!("../../../templates/text/cover.txt"),
    ),
    (
        "text/basis.txt",
        include_str!("../../../templates/text/basis.txt"),
    ),
    (
        "text/scope.txt",
        include_str!("../../../templates/text/scope.txt"),
    ),
    (
        "text/method.txt",
        include_str!("../../../templates/text/method.txt"),
    ),
    (
        "text/results.txt",
        include_str!("../../../templates/text/results.txt"),
    ),
    (
        "text/problems.txt",
        include_str!("../../../templates/text/problems.txt"),
    ),
    (
        "text/problem.txt",
        include_str!("../../../templates/text/problem.txt"),
    ),
    (
        "text/opinion.txt",
        include_str!("../../../templates/text/opinion.txt"),
    ),
    (
        "text/letter.txt",
        include_str!("../../../templates/text/letter.txt"),
    ),
];

/// The packet's prose, rendered for one [`PacketContext`]: paragraphs per section.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Prose {
    /// Title, subtitle, issuer, date.
    pub cover: Vec<String>,
    /// 一、审核依据: the rules the review rests on.
    pub basis: Vec<String>,
    /// 二、审核范围: files, departments, projects and funds read, and what could not be read.
    pub scope: Vec<String>,
    /// 三、审核方法与评分规则: the rubric, its version and the grade bands.
    pub method: Vec<String>,
    /// 四、总体审核结果: means, extremes, grade counts and the number of findings.
    pub results: Vec<String>,
    /// The introduction, then one paragraph per failed rule in Pareto order.
    pub problems: Vec<String>,
    /// 七、审核意见: the consequence of each grade and what departments are to do.
    pub opinion: Vec<String>,
}

/// One point of 整改建议 in 七、审核意见.
#[derive(Debug, Serialize)]
struct Advice {
    problem: String,
    advice: String,
    projects: usize,
}

/// Points of 整改建议: the problems that cost most points.
const ADVICE_ITEMS: usize = 5;

/// Strings and templates, loaded once per run.
pub struct Wording {
    /// `strings.toml`: the bundled keys, each replaced by the bureau's where it has one.
    pub strings: Strings,
    tera: Tera,
    /// Where each template came from (`bundled` or a path), for `validate` and error messages.
    pub sources: BTreeMap<String, String>,
    /// Every string and template, one after another: what the packet prints besides the records
    /// (`pdf/characters.rs`).
    pub(crate) text: String,
}

impl Wording {
    /// Loads the bundled wording, replaced by name from `dir` where it has a file.
    pub fn load(dir: Option<&Path>) -> Result<Wording, RenderError> {
        if let Some(d) = dir.filter(|d| !d.is_dir()) {
            return Err(RenderError::Templates {
                name: d.display().to_string(),
                message: "the `[render] templates` folder does not exist".into(),
            });
        }
        let mut strings: Strings =
            toml::from_str(BUNDLED_STRINGS).map_err(|e| RenderError::Templates {
                name: "strings.toml (bundled)".into(),
                message: e.to_string(),
            })?;
        let mut sources = BTreeMap::new();
        if let Some(path) = dir.map(|d| d.join("strings.toml")).filter(|p| p.is_file()) {
            merge_strings(&mut strings, &path)?;
            sources.insert("strings.toml".into(), path.display().to_string());
        }

        let mut printed: String = strings
            .values()
            .flat_map(|section| section.values())
            .map(String::as_str)
            .collect();
        let mut tera = Tera::new();
        tera.set_escape_fn(crate::html::escape);
        tera.register_filter("wan", |x: f64, _: Kwargs, _: &State| wan(x));
        tera.register_filter("num", |x: f64, _: Kwargs, _: &State| num(x));
        tera.register_filter("score", |x: f64, _: Kwargs, _: &State| score(x));
        let bundled = TEXT_TEMPLATES.iter().chain(crate::html::TEMPLATES.iter());
        for (name, text) in bundled {
            let own = dir.map(|d| d.join(name)).filter(|p| p.is_file());
            let (source, content) = match &own {
                Some(path) => (path.display().to_string(), read(path)?),
                None => ("bundled".to_string(), text.to_string()),
            };
            printed.push_str(&content);
            tera.add_raw_template(name, &content)
                .map_err(|e| RenderError::Templates {
                    name: if own.is_some() {
                        source.clone()
                    } else {
                        name.to_string()
                    },
                    message: tera_message(&e),
                })?;
            sources.insert(name.to_string(), source);
        }
        Ok(Wording {
            strings,
            tera,
            sources,
            text: printed,
        })
    }

    /// `strings.toml` text by `section.key`; the key itself when missing, so a gap shows in the packet
    /// instead of failing it (bundled keys are all present, checked by a test).
    pub fn s<'a>(&'a self, key: &'a str) -> &'a str {
        lookup(&self.strings, key).unwrap_or(key)
    }

    /// Renders the prose for `ctx`.
    pub fn prose(&self, ctx: &PacketContext) -> Result<Prose, RenderError> {
        // Totals only (`totals_view`): the prose speaks of totals, and a tera context of every
        // row cost hundreds of MB at a province's scale.
        let mut context =
            Context::from_serialize(&ctx.totals_view()).map_err(|e| RenderError::Templates {
                name: "context".into(),
                message: tera_message(&e),
            })?;
        context.insert("as_of_zh", &date_zh(&ctx.meta.as_of));
        context.insert(
            "unparsed_count",
            &ctx.unparsed.iter().filter(|u| u.severity != "提示").count(),
        );
        context.insert("consequences", &self.strings.get("grade"));
        let render = |name: &str, context: &Context| self.paragraphs_of(name, context);
        // The rules that cost most points, named as problems, with the advice to fix each
        // (strings.toml `[problem]`, `[advice]`; a plugin's or a local rule's check keeps its title
        // and gets no standard advice).
        let named = |id: &str, title: &str| {
            lookup(&self.strings, &format!("problem.{id}"))
                .unwrap_or(title)
                .to_string()
        };
        let advice: Vec<Advice> = ctx
            .pareto
            .iter()
            .filter_map(|i| ctx.checks.get(*i))
            .filter_map(|c| {
                let text = lookup(&self.strings, &format!("advice.{}", c.id))?;
                Some(Advice {
                    problem: named(&c.id, &c.title),
                    advice: text.to_string(),
                    projects: c.failures,
                })
            })
            .take(ADVICE_ITEMS)
            .collect();
        context.insert("advice", &advice);
        let mut problems = render("text/problems.txt", &context)?;
        // One paragraph per failed check, the check's values set in the one context (a copy of
        // it per check cost as much memory again at a province's scale), and taken out after.
        for (n, i) in ctx.pareto.iter().enumerate() {
            let Some(check) = ctx.checks.get(*i) else {
                continue;
            };
            context.insert("index", &(n + 1));
            context.insert("check", check);
            context.insert("problem", &named(&check.id, &check.title));
            problems.extend(render("text/problem.txt", &context)?);
        }
        for key in ["index", "check", "problem"] {
            context.remove(key);
        }
        Ok(Prose {
            cover: render("text/cover.txt", &context)?,
            basis: render("text/basis.txt", &context)?,
            scope: render("text/scope.txt", &context)?,
            method: render("text/method.txt", &context)?,
            results: render("text/results.txt", &context)?,
            problems,
            opinion: render("text/opinion.txt", &context)?,
        })
    }

    /// The paragraphs of a department's letter (`text/letter.txt`): the addressee, then the body.
    pub(crate) fn letter(
        &self,
        ctx: &PacketContext,
        letter: &crate::letter::Letter,
    ) -> Result<Vec<String>, RenderError> {
        let mut context =
            Context::from_serialize(&ctx.totals_view()).map_err(|e| RenderError::Templates {
                name: "context".into(),
                message: tera_message(&e),
            })?;
        context.insert("letter", letter);
        self.paragraphs_of("text/letter.txt", &context)
    }

    /// Renders the prose template `name` into paragraphs; an error names the bureau's file when
    /// the template is theirs.
    fn paragraphs_of(&self, name: &str, context: &Context) -> Result<Vec<String>, RenderError> {
        let text = self
            .tera
            .render(name, context)
            .map_err(|e| RenderError::Templates {
                name: self
                    .sources
                    .get(name)
                    .filter(|s| *s != "bundled")
                    .cloned()
                    .unwrap_or_else(|| name.to_string()),
                message: tera_message(&e),
            })?;
        Ok(paragraphs(&text))
    }

    /// Renders an HTML template with `ctx`, its prose and the strings in the context, as the
    /// page's bytes (rendered into them: `Tera::render` checks a page's UTF-8 once more to make a
    /// `String` of it, ≈ 3 % of an HTML-only run).
    pub fn render_html(&self, name: &str, context: &Context) -> Result<Vec<u8>, RenderError> {
        let mut page = Vec::with_capacity(64 * 1024);
        self.tera
            .render_to(name, context, &mut page)
            .map_err(|e| RenderError::Templates {
                name: name.to_string(),
                message: tera_message(&e),
            })?;
        Ok(page)
    }
}

pub(crate) fn lookup<'s>(strings: &'s Strings, key: &str) -> Option<&'s str> {
    let (section, name) = key.split_once('.')?;
    strings.get(section)?.get(name).map(String::as_str)
}

fn read(path: &PathBuf) -> Result<String, RenderError> {
    std::fs::read_to_string(path).map_err(|e| RenderError::Templates {
        name: path.display().to_string(),
        message: format!("cannot read: {e}"),
    })
}

/// A bureau's `strings.toml` replaces bundled keys one by one; a key the bundle does not have is a
/// typo and an error.
fn merge_strings(strings: &mut Strings, path: &PathBuf) -> Result<(), RenderError> {
    let own: Strings = toml::from_str(&read(path)?).map_err(|e| RenderError::Templates {
        name: path.display().to_string(),
        message: e.to_string(),
    })?;
    let mut unknown = Vec::new();
    for (section, keys) in own {
        for (key, text) in keys {
            match strings.get_mut(&section).and_then(|s| s.get_mut(&key)) {
                Some(slot) => *slot = text,
                None => unknown.push(format!("{section}.{key}")),
            }
        }
    }
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(RenderError::Templates {
            name: path.display().to_string(),
            message: format!(
                "unknown keys {} (the bundled templates/strings.toml lists every key)",
                unknown.join(", ")
            ),
        })
    }
}

/// Tera errors carry their cause in the source chain; the whole chain is the useful message.
fn tera_message(e: &dyn std::error::Error) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

/// Every non-empty line, trimmed, is a paragraph.
fn paragraphs(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}
