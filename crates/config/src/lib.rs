//! pipeline.toml → typed `Pipeline` (stub; being written).
