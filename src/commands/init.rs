//! `jixiao init [DIR]`: writes the commented starter pipeline.toml; never overwrites a file.

use std::io::Write;

use anyhow::Context;
use jixiao_driver::ExitStatus;

use super::{Failure, Outcome};
use crate::cli::InitArgs;

pub(super) fn execute(args: &InitArgs) -> Outcome {
    let io = |e: anyhow::Error| Failure::new(ExitStatus::Io, e);
    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("cannot create {}", args.dir.display()))
        .map_err(io)?;
    let path = args.dir.join("pipeline.toml");
    // `create_new` makes the existence check and the creation one step: no window in which another
    // process's file could be clobbered.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                anyhow::anyhow!(
                    "{} already exists; not overwriting it (remove it or pick another folder)",
                    path.display()
                )
            } else {
                anyhow::Error::new(e).context(format!("cannot create {}", path.display()))
            }
        })
        .map_err(io)?;
    file.write_all(crate::pipeline_file::starter().as_bytes())
        .and_then(|_| file.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))
        .map_err(io)?;
    tracing::info!(
        "wrote {}; edit [[inputs]] and [output], then `jixiao validate {}`",
        path.display(),
        path.display()
    );
    Ok(ExitStatus::Ok)
}
