//! `jixiao plugins list [PIPELINE]` and `jixiao plugins check PATH`: show and verify scoring plugins
//! through the real host (sha256 pin, ABI version, manifest, params) without running a pipeline;
//! `jixiao plugins test` lives in `plugin_test.rs`.

use std::fmt::Write as _;

use jixiao_driver::ExitStatus;
use jixiao_score::PluginManifest;

use super::{Failure, Outcome};
use crate::cli::PluginsCommand;

pub(super) fn execute(command: &PluginsCommand) -> Outcome {
    let text = match command {
        PluginsCommand::List(args) => {
            let pipeline = crate::pipeline_file::load(&args.pipeline)?;
            let ctx = jixiao_driver::score_context(&pipeline)?;
            let mut out = String::new();
            if ctx.plugins.is_empty() {
                let _ = writeln!(
                    out,
                    "no plugins configured ([[scoring.plugins]] in {})",
                    args.pipeline.display()
                );
            }
            for p in &ctx.plugins {
                describe(&mut out, &p.path, &p.manifest, p.command.as_deref());
                let runs = match (&p.command, p.isolation) {
                    (Some(_), _) => "in its own process (JSON Lines protocol)",
                    (None, jixiao_config::Isolation::Process) => {
                        "in a worker process (isolation = \"process\")"
                    }
                    (None, jixiao_config::Isolation::InProcess) => {
                        "inside jixiao (isolation = \"in-process\")"
                    }
                };
                let _ = writeln!(out, "  runs: {runs}");
            }
            // Plugins left out (`on_error = "skip"`) and disabled ones, with the reason.
            for d in &ctx.diagnostics {
                let _ = writeln!(out, "skipped: {}", d.message);
            }
            out
        }
        PluginsCommand::Check(args) => {
            let runtime = jixiao_score::PluginRuntime::this_executable();
            let manifest = jixiao_score::inspect_plugin(&args.path, &runtime).map_err(|e| {
                Failure::new(
                    ExitStatus::Config,
                    anyhow::anyhow!("{}: {e}", args.path.display()),
                )
            })?;
            let mut out = String::new();
            describe(&mut out, &args.path, &manifest, None);
            out
        }
        PluginsCommand::Test(args) => return super::plugin_test::execute(args),
    };
    super::print_stdout(&text)?;
    Ok(ExitStatus::Ok)
}

fn describe(
    out: &mut String,
    path: &std::path::Path,
    m: &PluginManifest,
    command: Option<&[String]>,
) {
    match command {
        Some(command) => {
            let _ = writeln!(out, "{} {} — {}", m.name, m.version, command.join(" "));
        }
        None => {
            let sha = jixiao_score::file_sha256(path).unwrap_or_else(|e| format!("({e})"));
            let _ = writeln!(out, "{} {} — {}", m.name, m.version, path.display());
            let _ = writeln!(out, "  sha256: {sha}");
        }
    }
    if !m.description.is_empty() {
        let _ = writeln!(out, "  {}", m.description);
    }
    let _ = writeln!(
        out,
        "  thread-safe: {}",
        if m.thread_safe {
            "yes"
        } else {
            "no (called one at a time)"
        }
    );
    for c in &m.checks {
        let _ = writeln!(
            out,
            "  check {} {} (max {} points)",
            c.id, c.title, c.max_points
        );
    }
    for (name, spec) in &m.params {
        let _ = writeln!(out, "  param {name}: {spec:?}");
    }
}
