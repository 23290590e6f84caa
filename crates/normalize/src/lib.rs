//! `SourceDocument`s → `Ledger` (stub; being written).
