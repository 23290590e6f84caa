//! html reader (being written).

use jixiao_core::ReadLimits;

use crate::grid::{Grid, ReadError};

pub(crate) fn read(
    _bytes: &[u8],
    _encoding: Option<&str>,
    _limits: &ReadLimits,
) -> Result<Grid, ReadError> {
    Err(ReadError::Corrupt("this format is not read yet".into()))
}
