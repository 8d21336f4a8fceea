//! Value parsers of the numeric options: each option's accepted range, checked by clap before
//! any work starts, so that a mistyped number is a usage error naming the option (exit 2)
//! rather than a panic, a huge allocation or a run that never ends.

/// Most decimals shown (`-w`): an `f64` score has about 17 significant digits, so more
/// decimals only print noise.
pub const MAX_WIDTH: usize = 20;

/// Most segments of a synthetic `bench` corpus (`--segments`).
pub const MAX_SYNTHETIC_SEGMENTS: usize = 100_000_000;

/// Most systems of a synthetic `bench` corpus (`--synthetic-systems`) and most timed runs per
/// row (`--repeat`).
pub const MAX_SYNTHETIC_SYSTEMS: usize = 1000;
pub const MAX_REPEAT: usize = 1000;

/// A whole number in `lo..=hi`; the error says what is expected (clap puts the option and
/// the value in front of it).
fn in_range(s: &str, lo: usize, hi: usize, unit: &str) -> Result<usize, String> {
    let expected = || format!("expected a whole number of {unit} from {lo} to {hi}");
    let v: usize = s.trim().parse().map_err(|_| expected())?;
    if v < lo || v > hi {
        return Err(expected());
    }
    Ok(v)
}

/// `-w`: 0 to [`MAX_WIDTH`] decimals.
pub fn width(s: &str) -> Result<usize, String> {
    in_range(s, 0, MAX_WIDTH, "decimals")
}

/// `--paired-bs-n`, `--paired-ar-n`, `--confidence-n`: 1 to
/// [`mtharness::significance::MAX_SAMPLES`].
pub fn samples(s: &str) -> Result<usize, String> {
    in_range(s, 1, mtharness::significance::MAX_SAMPLES, "resamples")
}

/// `bench --threads` (each of the list): 1 to [`mtharness::bench::MAX_THREADS`].
pub fn threads(s: &str) -> Result<usize, String> {
    in_range(s, 1, mtharness::bench::MAX_THREADS, "threads")
}

/// `bench --segments`.
pub fn segments(s: &str) -> Result<usize, String> {
    in_range(s, 1, MAX_SYNTHETIC_SEGMENTS, "segments")
}

/// `bench --synthetic-systems`.
pub fn systems(s: &str) -> Result<usize, String> {
    in_range(s, 1, MAX_SYNTHETIC_SYSTEMS, "systems")
}

/// `bench --repeat`.
pub fn repeat(s: &str) -> Result<usize, String> {
    in_range(s, 1, MAX_REPEAT, "runs")
}

/// `--smooth-value`: a finite number, not negative (sacreBLEU's defaults are 0.1 for floor
/// and 1 for add-k).
pub fn smooth_value(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err("expected a finite number >= 0 (floor's default is 0.1, add-k's 1)".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_checked() {
        assert_eq!(width("20"), Ok(20));
        assert!(width("21").unwrap_err().contains("from 0 to 20"));
        assert!(width("-1").is_err());
        assert!(samples("0").is_err());
        assert_eq!(samples("1000000"), Ok(1_000_000));
        assert!(samples("1000001").is_err());
        assert!(threads("1025").is_err());
        assert_eq!(smooth_value("0.5"), Ok(0.5));
        for bad in ["-5", "NaN", "inf", "x"] {
            assert!(smooth_value(bad).is_err(), "{bad}");
        }
    }
}
