//! Value scales: a round maximum, and a visible cap so one outlier does not flatten the rest.

/// The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ⁿ that is ≥ `value`: close steps, so
/// the longest bar takes most of the width.
pub fn nice_ceiling(value: f64) -> f64 {
    if value <= 0.0 || !value.is_finite() {
        return 1.0;
    }
    let magnitude = 10f64.powf(value.log10().floor());
    [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|&v| v >= value * (1.0 - 1e-9))
        .unwrap_or(10.0 * magnitude)
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    /// The value drawn at the full width.
    pub limit: f64,
    /// Whether some values are larger than `limit` and drawn cut.
    pub capped: bool,
}

impl Scale {
    /// Pixels for `value` on a bar of `width` pixels, clamped to the width.
    pub fn pixels(&self, value: f64, width: f64) -> f64 {
        (value.max(0.0) / self.limit * width).min(width)
    }

    pub fn is_cut(&self, value: f64) -> bool {
        value > self.limit
    }
}

/// A plain scale up to the largest value, for quantities that are meant to be compared.
pub fn linear(values: &[f64]) -> Scale {
    let max = values.iter().copied().fold(0.0, f64::max);
    Scale {
        limit: nice_ceiling(max),
        capped: false,
    }
}

/// The scale for `values`: `cap` when the data sets one; otherwise a cap when the largest
/// value is over 2.5 times the 90th percentile of the others (e.g. one province at 5,030%).
pub fn scale_for(values: &[f64], cap: Option<f64>, floor: f64) -> Scale {
    let max = values.iter().copied().fold(floor, f64::max);
    if let Some(cap) = cap.filter(|c| *c > 0.0) {
        return Scale {
            limit: cap,
            capped: max > cap,
        };
    }
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    if sorted.len() >= 4 {
        let others = &sorted[..sorted.len() - 1];
        let rank = ((others.len() as f64) * 0.9).ceil() as usize - 1;
        let p90 = others[rank.min(others.len() - 1)];
        if p90 > 0.0 && max > 2.5 * p90 {
            let limit = nice_ceiling((p90 * 1.25).max(floor));
            return Scale {
                limit,
                capped: max > limit,
            };
        }
    }
    Scale {
        limit: nice_ceiling(max),
        capped: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ceilings() {
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(7.0), 8.0);
        assert_eq!(nice_ceiling(600.0), 600.0);
        assert_eq!(nice_ceiling(199.0), 200.0);
        assert_eq!(nice_ceiling(201.0), 250.0);
        assert_eq!(nice_ceiling(4245.0), 5000.0);
        assert_eq!(nice_ceiling(100.0), 100.0);
    }

    #[test]
    fn an_outlier_is_capped_and_the_rest_keep_their_scale() {
        let mut values = vec![
            90.0, 110.0, 120.0, 95.0, 130.0, 150.0, 105.0, 99.0, 101.0, 100.0,
        ];
        values.push(5030.0);
        let scale = scale_for(&values, None, 100.0);
        assert!(scale.capped && scale.limit == 200.0, "{scale:?}");
        assert!(scale.is_cut(5030.0) && !scale.is_cut(150.0));
        assert_eq!(scale.pixels(5030.0, 300.0), 300.0);
        assert_eq!(scale.pixels(100.0, 300.0), 150.0);
    }

    #[test]
    fn even_data_is_not_capped_and_a_configured_cap_wins() {
        let values = [10.0, 20.0, 30.0, 45.0];
        assert_eq!(
            scale_for(&values, None, 0.0),
            Scale {
                limit: 50.0,
                capped: false
            }
        );
        assert_eq!(
            scale_for(&values, Some(25.0), 0.0),
            Scale {
                limit: 25.0,
                capped: true
            }
        );
        // the floor keeps the 100% line on the scale
        assert_eq!(
            scale_for(&[20.0, 40.0, 60.0, 80.0], None, 100.0).limit,
            100.0
        );
    }
}
