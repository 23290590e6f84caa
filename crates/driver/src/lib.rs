//! The driver (stub; being written).
