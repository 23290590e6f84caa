//! Files → `SourceDocument`s (stub; being written).
