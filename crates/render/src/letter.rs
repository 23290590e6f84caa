//! 审核意见书: one letter per department, in its packet folder (`letter.pdf`, `letter.docx`). It tells the
//! department its projects' grades and, for each project graded 差, 中 or 良, the problems to fix
//! with the indicator and the source line each concerns, what to resubmit and by when
//! (`[render] resubmit_by`), signed by the issuer. The wording is `templates/text/letter.txt`
//! (bureau-overridable like every prose template); the layouts are `pdf::letter` (`letter.pdf`) and
//! `docx` (`letter.docx`, for the department to edit and reply in Word or WPS).

use serde::Serialize;

use crate::format::date_zh;
use crate::packet::{DeductionRow, PacketContext, ProjectRow};
use crate::wording::lookup;

/// Problems listed per project; the rest are counted (`另有N项，详见审核表`).
const PROBLEMS_LISTED: usize = 3;

/// Grades that get a section, worst first; 优 projects are only counted.
const LISTED_GRADES: [&str; 3] = ["差", "中", "良"];

/// What `text/letter.txt` is given besides the packet.
#[derive(Debug, Serialize)]
pub(crate) struct Letter {
    pub department: String,
    pub title: String,
    pub resubmit_zh: String,
    pub as_of_zh: String,
    /// `“中”4个、“良”2个`: the grades that occur, best first.
    pub grades: String,
    pub groups: Vec<LetterGroup>,
}

/// The projects of one grade.
#[derive(Debug, Serialize)]
pub(crate) struct LetterGroup {
    pub grade: String,
    pub consequence: String,
    pub projects: Vec<LetterProject>,
}

#[derive(Debug, Serialize)]
pub(crate) struct LetterProject {
    pub name: String,
    pub percent: f64,
    /// `“指标名”（第12行）：原因`, most points first.
    pub problems: Vec<String>,
    /// Problems not listed.
    pub more: usize,
}

/// What the letter says, already worded.
pub(crate) struct LetterText<'a> {
    pub title: &'a str,
    /// The addressee (`民政局：`) first, then the body paragraphs.
    pub paragraphs: &'a [String],
    pub issuer: &'a str,
    pub date: &'a str,
    pub as_of: &'a str,
    pub footer: &'a str,
}

/// The letter of the department packet `p` (whose `meta.department` is set).
pub(crate) fn letter(p: &PacketContext) -> Letter {
    let department = p.meta.department.clone().unwrap_or_default();
    let groups = LISTED_GRADES
        .iter()
        .filter_map(|grade| {
            let projects: Vec<LetterProject> = p
                .projects
                .iter()
                .filter(|r| r.grade == *grade)
                .map(letter_project)
                .collect();
            (!projects.is_empty()).then(|| LetterGroup {
                grade: grade.to_string(),
                consequence: lookup(&p.strings, &format!("grade.{grade}"))
                    .unwrap_or("")
                    .to_string(),
                projects,
            })
        })
        .collect();
    Letter {
        title: format!(
            "{}关于{}{}年度项目支出绩效目标的审核意见",
            p.meta.issuer, department, p.meta.year
        ),
        department,
        resubmit_zh: date_zh(&p.meta.resubmit_by),
        as_of_zh: date_zh(&p.meta.as_of),
        grades: p
            .summary
            .grades
            .iter()
            .filter(|g| g.count > 0)
            .map(|g| format!("“{}”{}个", g.grade, g.count))
            .collect::<Vec<_>>()
            .join("、"),
        groups,
    }
}

fn letter_project(r: &ProjectRow) -> LetterProject {
    let mut deductions: Vec<&DeductionRow> = r.deductions.iter().collect();
    // Most points first; ties keep the sheet's order.
    deductions.sort_by(|a, b| b.deduction.total_cmp(&a.deduction));
    let problems = deductions
        .iter()
        .take(PROBLEMS_LISTED)
        .map(|d| problem(r, d))
        .collect();
    LetterProject {
        name: r.name.clone(),
        percent: r.percent,
        problems,
        more: deductions.len().saturating_sub(PROBLEMS_LISTED),
    }
}

/// `“满意度”（第130行）：满意度目标值……`; the project itself as subject is not repeated.
fn problem(r: &ProjectRow, d: &DeductionRow) -> String {
    let subject = d.subject.trim();
    let about = if subject.is_empty() || subject == r.name {
        String::new()
    } else {
        format!("“{subject}”")
    };
    let at = d.line.map(|l| format!("（第{l}行）")).unwrap_or_default();
    let sep = if about.is_empty() && at.is_empty() {
        ""
    } else {
        "："
    };
    format!("{about}{at}{sep}{}", d.reason)
}
