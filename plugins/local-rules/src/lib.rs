//! `local-rules`: a bureau's own rules on top of the national rubric, all read from params.
//!
//! - Takes: one record + params `required` (project-type keyword → indicator names a project of that
//!   type must have, e.g. `培训 = ["培训人数", "培训合格率"]`) and `banned_phrases` (wording the
//!   bureau rejects, e.g. `原则上`, `力争`).
//! - Returns: `LR1` 必备指标 (5 points × share of required indicators present; left out — "not
//!   applicable" — when the project name matches no keyword) and `LR2` 禁用表述 (5 − 1 per cell
//!   using a banned phrase).
//!
//! Built as `cdylib` (loaded by the host) and `rlib` (unit-tested here as plain Rust).

use jixiao_plugin_api::{
    Manifest, ManifestCheck, ParamSpec, ParamType, PluginCheckResult, PluginEvidence, ScoreRequest,
    Scorer,
};

/// The `local-rules` scorer: checks `LR1` (required indicators) and `LR2` (banned phrases).
/// Exported by [`jixiao_plugin_api::export_scorer!`].
#[derive(Default)]
pub struct LocalRules;

fn strings(v: Option<&serde_json::Value>) -> Vec<String> {
    v.and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

impl LocalRules {
    fn required(&self, req: &ScoreRequest) -> Option<PluginCheckResult> {
        let name = req.record.name.as_deref().unwrap_or("");
        let rules = req.params.get("required")?.as_object()?;
        let mut wanted: Vec<(String, String)> = Vec::new();
        for (keyword, names) in rules.iter().filter(|(k, _)| name.contains(k.as_str())) {
            wanted.extend(
                strings(Some(names))
                    .into_iter()
                    .map(|n| (keyword.clone(), n)),
            );
        }
        if wanted.is_empty() {
            return None; // not applicable to this project type
        }
        let per = 5.0 / wanted.len() as f64;
        let evidence: Vec<PluginEvidence> = wanted
            .iter()
            .filter(|(_, n)| {
                !req.record
                    .indicators
                    .iter()
                    .any(|i| i.name.contains(n.as_str()))
            })
            .map(|(k, n)| PluginEvidence {
                subject: n.clone(),
                text: name.to_string(),
                line: Some(req.record.lines[0]),
                reason: format!("“{k}”类项目应设置“{n}”指标，请补充"),
                deduction: per,
            })
            .collect();
        let points = (5.0 - per * evidence.len() as f64).max(0.0);
        Some(PluginCheckResult {
            id: "LR1".into(),
            points,
            evidence,
        })
    }

    fn banned(&self, req: &ScoreRequest) -> PluginCheckResult {
        let phrases = strings(req.params.get("banned_phrases"));
        let rec = &req.record;
        let mut cells: Vec<(String, String, Option<u32>)> = Vec::new();
        if let Some(g) = &rec.goal {
            cells.push((
                "年度目标".into(),
                g.clone(),
                rec.field_lines.get("goal").copied(),
            ));
        }
        for i in &rec.indicators {
            cells.push((i.name.clone(), i.value.clone(), Some(i.line)));
        }
        let mut left = 5.0_f64;
        let mut evidence = Vec::new();
        for (subject, text, line) in cells {
            if let Some(p) = phrases
                .iter()
                .find(|p| !p.is_empty() && text.contains(p.as_str()))
            {
                let d = left.min(1.0);
                left -= d;
                evidence.push(PluginEvidence {
                    subject,
                    text: text.clone(),
                    line,
                    reason: format!("使用了本地禁用表述“{p}”，请改为明确的目标"),
                    deduction: d,
                });
            }
        }
        PluginCheckResult {
            id: "LR2".into(),
            points: left,
            evidence,
        }
    }
}

impl Scorer for LocalRules {
    fn manifest(&self) -> Manifest {
        let param = |kind, description: &str| ParamSpec {
            kind,
            required: false,
            description: description.into(),
        };
        Manifest {
            name: "local-rules".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "本地必备指标与禁用表述".into(),
            checks: vec![
                ManifestCheck {
                    id: "LR1".into(),
                    title: "本地必备指标".into(),
                    max_points: 5.0,
                    rule: "项目名称含某类关键词时，应设置该类项目的必备指标；按缺少比例扣分".into(),
                },
                ManifestCheck {
                    id: "LR2".into(),
                    title: "无禁用表述".into(),
                    max_points: 5.0,
                    rule: "年度目标或指标值每使用一次禁用表述扣1分".into(),
                },
            ],
            params: [
                (
                    "required".to_string(),
                    param(ParamType::Object, "项目类型关键词 → 必备指标名称列表"),
                ),
                (
                    "banned_phrases".to_string(),
                    param(ParamType::StringArray, "禁用表述"),
                ),
            ]
            .into_iter()
            .collect(),
            thread_safe: true,
        }
    }

    fn score(&self, req: &ScoreRequest) -> Result<Vec<PluginCheckResult>, String> {
        let mut out: Vec<PluginCheckResult> = self.required(req).into_iter().collect();
        out.push(self.banned(req));
        Ok(out)
    }
}

jixiao_plugin_api::export_scorer!(LocalRules);

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_plugin_api::{Indicator, Record};

    fn req(name: &str, indicators: &[(&str, &str)]) -> ScoreRequest {
        let r = Record {
            kind: "project".into(),
            lines: [7, 7],
            name: Some(name.into()),
            goal: Some("原则上完成全年培训任务".into()),
            indicators: indicators
                .iter()
                .map(|(n, v)| Indicator {
                    name: n.to_string(),
                    value: v.to_string(),
                    line: 9,
                    ..Indicator::default()
                })
                .collect(),
            ..Record::default()
        };
        let params = serde_json::json!({
            "required": {"培训": ["培训人数", "培训合格率"]},
            "banned_phrases": ["原则上", "力争"]
        });
        ScoreRequest {
            record: r,
            params: params.as_object().cloned().unwrap_or_default(),
            year: 2024,
        }
    }

    #[test]
    fn required_indicators_by_project_type() {
        let out = LocalRules
            .score(&req("干部培训经费", &[("培训人数", "200人")]))
            .unwrap();
        assert_eq!(out[0].id, "LR1");
        assert_eq!(out[0].points, 2.5);
        assert_eq!(out[0].evidence[0].subject, "培训合格率");
        let out = LocalRules.score(&req("办公楼维修", &[])).unwrap();
        assert!(
            out.iter().all(|r| r.id != "LR1"),
            "not applicable → left out"
        );
    }

    #[test]
    fn banned_phrases_cost_a_point_each() {
        let out = LocalRules
            .score(&req("办公楼维修", &[("完成率", "力争100%")]))
            .unwrap();
        let lr2 = out.iter().find(|r| r.id == "LR2").unwrap();
        assert_eq!(lr2.points, 3.0);
        assert_eq!(lr2.evidence.len(), 2);
    }
}
