//! Chart axes shared by the HTML and PDF charts, so both scale a chart the same way.

/// A round axis maximum at or above `max` and its step (1, 2 or 5 × 10ⁿ, at least 1: counts).
pub(crate) fn axis(max: f64) -> (f64, f64) {
    if max <= 0.0 {
        return (1.0, 1.0);
    }
    let rough = max / 5.0;
    let magnitude = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * magnitude)
        .max(1.0);
    ((max / step).ceil() * step, step)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_are_round() {
        assert_eq!(axis(0.0), (1.0, 1.0));
        assert_eq!(axis(3.0), (3.0, 1.0));
        assert_eq!(axis(12.0), (15.0, 5.0));
        assert_eq!(axis(25.0), (25.0, 5.0));
        assert_eq!(axis(99.0), (100.0, 20.0));
    }
}
