//! Additive statistics of the term metrics and of the proper-noun check, and the scores computed
//! from their sums.

use std::ops::AddAssign;

/// `impl AddAssign<&T> for T` for a statistics struct: each field of the first list added, and
/// each array of the second added element by element. Every field must be listed: the struct is
/// destructured without `..`, so a field added later and not listed here does not compile.
macro_rules! add_assign_fields {
    ($t:ident, [$($f:ident),*], [$($arr:ident),*]) => {
        impl AddAssign<&$t> for $t {
            fn add_assign(&mut self, o: &$t) {
                let $t { $($f,)* $($arr,)* } = o;
                $(self.$f += *$f;)*
                $(
                    for (x, y) in self.$arr.iter_mut().zip($arr) {
                        *x += *y;
                    }
                )*
            }
        }
    };
}

/// Additive sufficient statistics of the term metrics (see the module docs).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TermStats {
    pub expected: u64,
    pub correct: u64,
    pub forbidden: u64,
    pub misspelt: u64,
    pub missing: u64,
    pub extra: u64,
    /// Sum of unit window-overlap scores, for `WINDOWS[0]` and `WINDOWS[1]`.
    pub window_sum: [f64; 2],
    /// Units with at least one expected occurrence.
    pub term_units: u64,
    /// Sum of unit `E / N` (TERm rates).
    pub terw_sum: f64,
    pub units: u64,
    /// Document-level: groups with at least two rendered occurrences.
    pub consistency_groups: u64,
    /// Document-level: groups rendered in more than one way.
    pub inconsistent_groups: u64,
}

impl TermStats {
    /// Statistic names, in [`TermStats::to_vec`] order.
    pub const NAMES: [&'static str; 14] = [
        "expected",
        "correct",
        "forbidden",
        "misspelt",
        "missing",
        "extra",
        "window2_sum",
        "window3_sum",
        "term_units",
        "terw_sum",
        "units",
        "consistency_groups",
        "inconsistent_groups",
        "errors",
    ];

    pub fn to_vec(&self) -> Vec<f64> {
        vec![
            self.expected as f64,
            self.correct as f64,
            self.forbidden as f64,
            self.misspelt as f64,
            self.missing as f64,
            self.extra as f64,
            self.window_sum[0],
            self.window_sum[1],
            self.term_units as f64,
            self.terw_sum,
            self.units as f64,
            self.consistency_groups as f64,
            self.inconsistent_groups as f64,
            self.errors() as f64,
        ]
    }

    /// Inverse of [`TermStats::to_vec`]; `None` when the slice is too short.
    pub fn from_slice(v: &[f64]) -> Option<TermStats> {
        if v.len() < 13 {
            return None;
        }
        let u = |x: f64| if x > 0.0 { x.round() as u64 } else { 0 };
        Some(TermStats {
            expected: u(v[0]),
            correct: u(v[1]),
            forbidden: u(v[2]),
            misspelt: u(v[3]),
            missing: u(v[4]),
            extra: u(v[5]),
            window_sum: [v[6], v[7]],
            term_units: u(v[8]),
            terw_sum: v[9],
            units: u(v[10]),
            consistency_groups: u(v[11]),
            inconsistent_groups: u(v[12]),
        })
    }

    /// Typed errors: forbidden + misspelt + missing + extra + inconsistent groups.
    pub fn errors(&self) -> u64 {
        self.forbidden + self.misspelt + self.missing + self.extra + self.inconsistent_groups
    }

    /// correct / expected; 1.0 when nothing is expected.
    pub fn accuracy(&self) -> f64 {
        if self.expected == 0 {
            1.0
        } else {
            self.correct as f64 / self.expected as f64
        }
    }

    /// Window overlap for `WINDOWS[i]`; 0.0 when no unit has terms.
    pub fn window_overlap(&self, i: usize) -> f64 {
        if self.term_units == 0 {
            0.0
        } else {
            self.window_sum[i.min(1)] / self.term_units as f64
        }
    }

    /// 1 - mean TERm rate; 1.0 for no units.
    pub fn one_minus_terw(&self) -> f64 {
        if self.units == 0 {
            1.0
        } else {
            1.0 - self.terw_sum / self.units as f64
        }
    }

    /// 1 - inconsistent / groups; 1.0 when no group has two rendered occurrences.
    pub fn consistency(&self) -> f64 {
        if self.consistency_groups == 0 {
            1.0
        } else {
            1.0 - self.inconsistent_groups as f64 / self.consistency_groups as f64
        }
    }
}

add_assign_fields!(
    TermStats,
    [
        expected,
        correct,
        forbidden,
        misspelt,
        missing,
        extra,
        term_units,
        terw_sum,
        units,
        consistency_groups,
        inconsistent_groups
    ],
    [window_sum]
);

/// Additive statistics of the proper-noun check.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NameStats {
    pub names: u64,
    pub found: u64,
    pub misspelt: u64,
    pub missing: u64,
}

impl NameStats {
    pub const NAMES: [&'static str; 4] = ["names", "found", "misspelt", "missing"];

    /// (misspelt + missing) / names; 0.0 when there are no names.
    pub fn error_rate(&self) -> f64 {
        if self.names == 0 {
            0.0
        } else {
            (self.misspelt + self.missing) as f64 / self.names as f64
        }
    }
}

add_assign_fields!(NameStats, [names, found, misspelt, missing], []);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_add_and_round_trip() {
        let mut a = TermStats {
            expected: 3,
            correct: 2,
            window_sum: [0.5, 0.25],
            terw_sum: 0.1,
            units: 1,
            ..TermStats::default()
        };
        let b = a;
        a += &b;
        assert_eq!(a.expected, 6);
        assert_eq!(TermStats::from_slice(&a.to_vec()), Some(a));
    }
}
