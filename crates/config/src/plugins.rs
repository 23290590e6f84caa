//! `[[scoring.plugins]]`: a scoring plugin — a shared library speaking the C ABI, or any program
//! speaking the JSON Lines protocol — and how far it is trusted (isolation, timeout, pin).

use std::time::Duration;

use serde::Deserialize;

use crate::checker::Checker;

/// What a plugin fault does to the run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OnError {
    /// Report a diagnostic, mark the plugin's checks "not scored" and go on.
    #[default]
    Skip,
    /// Fail the run.
    Fail,
}

/// Where a library plugin runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Isolation {
    /// In a worker child process (`jixiao __plugin-worker`): a crash, an `exit()` or an endless
    /// loop costs that plugin's checks on that record, never the run.
    #[default]
    Process,
    /// Loaded into jixiao itself: faster, but a crash inside the plugin ends the whole run. Only for
    /// plugins the bureau built and trusts.
    InProcess,
}

/// `[[scoring.plugins]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PluginConfig {
    /// A shared library speaking the C ABI, relative to the pipeline file. Exactly one of `path`
    /// and `command`.
    pub path: Option<String>,
    /// A program and its arguments speaking the JSON Lines protocol, e.g.
    /// `["python3", "rules/my_rule.py"]`; run in the pipeline file's folder.
    pub command: Option<Vec<String>>,
    /// Hex SHA-256 of the library file (`path` only); checked before the library is opened.
    pub sha256: Option<String>,
    /// Multiplies the plugin's points and maxima. Default 1.
    #[serde(default = "default_weight")]
    pub weight: f64,
    /// Parameters passed to the plugin with every record; validated against its manifest.
    #[serde(default)]
    pub params: toml::Table,
    /// What a fault of this plugin does to the run (default `skip`).
    #[serde(default)]
    pub on_error: OnError,
    /// Where a library plugin runs (default `process`); a command always runs in its own process.
    #[serde(default)]
    pub isolation: Isolation,
    /// Longest wait for one record's answer from a plugin in a child process, in seconds
    /// (default 5); a plugin that takes longer is stopped and restarted.
    #[serde(default = "default_timeout")]
    pub timeout_seconds: f64,
    /// Accept a library that other users may write, or that sits in a folder they may write
    /// (refused by default on Unix: they could replace it). Default false.
    #[serde(default)]
    pub allow_writable: bool,
}

/// A checked plugin's program: what [`PluginConfig::source`] returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PluginSource<'a> {
    /// `path = "..."`: a shared library.
    Library(&'a str),
    /// `command = [...]`: a program and its arguments (at least the program).
    Command(&'a [String]),
}

fn default_weight() -> f64 {
    1.0
}

fn default_timeout() -> f64 {
    5.0
}

/// Longest `timeout_seconds` accepted: one record never needs an hour.
const MAX_TIMEOUT_SECONDS: f64 = 3600.0;

impl PluginConfig {
    /// The library or the command; `None` only for a configuration the compile step rejected.
    pub fn source(&self) -> Option<PluginSource<'_>> {
        match (&self.path, &self.command) {
            (Some(p), None) => Some(PluginSource::Library(p)),
            (None, Some(c)) if !c.is_empty() => Some(PluginSource::Command(c)),
            _ => None,
        }
    }

    /// `timeout_seconds` as a duration (checked to be positive and finite).
    pub fn timeout(&self) -> Duration {
        Duration::try_from_secs_f64(self.timeout_seconds)
            .unwrap_or_else(|_| Duration::from_secs_f64(default_timeout()))
    }

    /// The checks serde cannot express: one program, a pin only on a library, a sane timeout.
    pub(crate) fn check(&self, index: usize, checker: &mut Checker<'_>) {
        let i = index.to_string();
        let at = |key: &'static str| ["scoring", "plugins", i.as_str(), key];
        match (&self.path, &self.command) {
            (None, None) => checker.error_at(
                &["scoring", "plugins", &i],
                "a plugin needs `path` (a shared library) or `command` (a program speaking the JSON Lines protocol)",
            ),
            (Some(_), Some(_)) => checker.error_at(
                &at("command"),
                "write either `path` (a shared library) or `command` (a program), not both",
            ),
            (None, Some(c)) if c.first().is_none_or(|p| p.trim().is_empty()) => checker.error_at(
                &at("command"),
                "`command` needs the program first, e.g. [\"python3\", \"rules/my_rule.py\"]",
            ),
            (None, Some(_)) => {
                if self.sha256.is_some() {
                    checker.error_at(
                        &at("sha256"),
                        "`sha256` pins a library (`path`); a command's script is not pinned",
                    );
                }
                if self.isolation == Isolation::InProcess {
                    checker.error_at(
                        &at("isolation"),
                        "a `command` plugin always runs in its own process; `in-process` is for libraries",
                    );
                }
            }
            (Some(p), None) if p.trim().is_empty() => {
                checker.error_at(&at("path"), "`path` is empty")
            }
            (Some(_), None) => {}
        }
        let t = self.timeout_seconds;
        if !(t.is_finite() && t > 0.0 && t <= MAX_TIMEOUT_SECONDS) {
            checker.error_at(
                &at("timeout_seconds"),
                format!("`timeout_seconds` is a number of seconds above 0 and at most {MAX_TIMEOUT_SECONDS}, not {t}"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plugin(toml_text: &str) -> PluginConfig {
        toml::from_str(toml_text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn defaults_are_process_isolation_and_five_seconds() {
        let p = plugin("path = \"libx.so\"");
        assert_eq!(p.isolation, Isolation::Process);
        assert_eq!(p.timeout(), Duration::from_secs(5));
        assert_eq!(p.source(), Some(PluginSource::Library("libx.so")));
        let c = plugin("command = [\"python3\", \"r.py\"]\nisolation = \"process\"");
        assert!(matches!(c.source(), Some(PluginSource::Command(args)) if args.len() == 2));
        let t = plugin("path = \"x\"\nisolation = \"in-process\"\ntimeout_seconds = 0.5");
        assert_eq!(t.isolation, Isolation::InProcess);
        assert_eq!(t.timeout(), Duration::from_millis(500));
    }
}
