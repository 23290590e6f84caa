//! Plugin faults → diagnostics. A plugin that fails on a few records gets one diagnostic per
//! record; one that fails on many (a crash on every record, a missing interpreter module) gets one
//! summary naming how many records and the first few, so the log is not 490 copies of one line.
//! Nothing is lost either way: every record's not-scored checks carry their own reason.

use jixiao_core::{Diagnostic, Severity};

use super::call::{LoadedPlugin, PluginFault};

/// More faults than this for one plugin are summarised.
const LISTED: usize = 3;

/// Diagnostics for `faults` (plugin index, fault) in record order; `records` is how many records
/// were scored.
pub(crate) fn diagnostics(
    plugins: &[LoadedPlugin],
    faults: &[(usize, PluginFault)],
    records: usize,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (index, plugin) in plugins.iter().enumerate() {
        let mine: Vec<&PluginFault> = faults
            .iter()
            .filter(|(i, _)| *i == index)
            .map(|(_, f)| f)
            .collect();
        let who = format!(
            "plugin {} ({})",
            plugin.manifest.name,
            plugin.path.display()
        );
        if mine.len() <= LISTED {
            out.extend(mine.iter().map(|f| {
                Diagnostic::new(
                    f.severity,
                    code(f.stopped),
                    format!(
                        "{who} failed on record {}: {}; its checks are not scored for this record",
                        f.record, f.message
                    ),
                    Some(f.line),
                )
            }));
            continue;
        }
        let severity = if mine.iter().any(|f| f.severity == Severity::Error) {
            Severity::Error
        } else {
            Severity::Warning
        };
        let examples: Vec<String> = mine
            .iter()
            .take(LISTED)
            .map(|f| format!("{}: {}", f.record, f.message))
            .collect();
        out.push(Diagnostic::new(
            severity,
            code(mine.iter().any(|f| f.stopped)),
            format!(
                "{who} failed on {} of {records} records; their checks are not scored (each record's \
                 reason is in its checks). First: {}",
                mine.len(),
                examples.join("; ")
            ),
            None,
        ));
    }
    out
}

fn code(stopped: bool) -> &'static str {
    if stopped {
        "score.plugin-stopped"
    } else {
        "score.plugin-fault"
    }
}
