//! Reports: CSV (segments, documents, systems), JSON, HTML and the terminal table.
//!
//! Every file is written to a temporary file in the target folder and renamed into place when
//! complete, so an interrupted run leaves the old file or the new one, never half of one;
//! devices and FIFOs are written directly ([`write_atomic`]). The CSV reports of
//! [`write_csv_reports`] are replaced as a set.
//!
//! Text cells of every CSV report (names, ids, texts, contexts) go through [`csv_text`], which
//! neutralises spreadsheet formulas unless [`CsvOptions::escape`] is off; numbers are written as
//! they are.
//!
//! # Example
//!
//! ```
//! use mtharness::corpus::{load, LoadSpec};
//! use mtharness::eval::{evaluate, EvalOptions};
//! use mtharness::metrics::{build_metrics, MetricOptions};
//! use mtharness::report::{format_table, json_string, write_csv_reports, CsvOptions, TableOptions};
//!
//! let corpus = load(&LoadSpec { input: Some("corpora/sample".into()), ..LoadSpec::default() })?;
//! let ev = evaluate(corpus, build_metrics(&["bleu".into()], &MetricOptions::default())?,
//!                   &EvalOptions::default())?;
//! let dir = std::env::temp_dir().join(format!("mtharness-doc-report-{}", std::process::id()));
//! write_csv_reports(&ev, &dir, &CsvOptions::default())?;
//! for file in ["segments.csv", "documents.csv", "systems.csv", "alignments.csv"] {
//!     assert!(dir.join(file).is_file());
//! }
//! assert!(json_string(&ev)?.contains("\"BLEU\""));
//! assert!(format_table(&ev, &TableOptions::default()).contains("seed-mt"));
//! # std::fs::remove_dir_all(&dir).unwrap();
//! # Ok::<(), mtharness::Error>(())
//! ```

mod align;
mod atomic;
mod csv;
mod html;
mod json;
mod pages;
mod table;
mod terms;

pub use self::align::{
    alignment_summary, format_alignment_table, write_alignments_csv,
    write_evaluation_alignments_csv, AlignmentSummary,
};
pub use self::atomic::write_atomic;
pub(crate) use self::atomic::{AtomicFile, ReportSet};
pub(crate) use self::csv::{document_header, document_row, segment_header, segment_row};
pub use self::csv::{write_csv_reports, write_systems_csv, CsvOptions};
pub use self::html::{escape, render_html, write_html};
pub use self::json::{json_report, json_string, write_json};
pub use self::pages::{
    render_compare_html, render_rules_html, write_compare_html, write_rules_html,
};
pub use self::table::{format_table, TableOptions};
pub use self::terms::{format_terms_table, write_terms_csv};

use std::borrow::Cow;

/// First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection":
/// `=`, `+`, `-`, `@`, tab, carriage return).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell of a CSV report: when `escape` is on ([`CsvOptions::escape`], the default) and
/// `s` begins with a character in `FORMULA_STARTS`, `s` with a `'` in front, so that a
/// spreadsheet shows it as text instead of running it; else `s` itself (no copy). Only for
/// text: numbers such as a negative gain `-0.51` must be written without it. O(1) unless a
/// copy is made.
pub fn csv_text(s: &str, escape: bool) -> Cow<'_, str> {
    if escape && s.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// The inverse of [`csv_text`] for files mtharness wrote and reads back (a `rules.csv` given as
/// `--baseline`): `'` followed by a formula start loses the `'`; anything else is kept. A cell
/// written with `--no-csv-escape` that itself began with `'=` (or `'+`, ...) is misread; no real
/// name does. O(1).
pub fn csv_text_unescape(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => s,
    }
}

/// [`csv_text`] as an owned `String`, for rows built as `Vec<String>`.
pub fn csv_string(s: &str, escape: bool) -> String {
    csv_text(s, escape).into_owned()
}

/// Formats a statistic: integers without a fraction, other values in Rust's shortest
/// round-trip form (deterministic, exact).
pub fn fmt_stat(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// Formats a score with a fixed number of decimals; NaN and infinities as `nan`, `inf`.
pub fn fmt_score(x: f64, decimals: usize) -> String {
    if x.is_finite() {
        let s = format!("{x:.decimals$}");
        // "-0.0000" is noise from rounding a tiny negative value.
        if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
            s[1..].to_string()
        } else {
            s
        }
    } else {
        format!("{x}").to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_others_kept() {
        for bad in [
            "=HYPERLINK(\"x\")",
            "+1 cmd",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(csv_text(bad, true), format!("'{bad}"));
            assert_eq!(csv_text(bad, false), bad);
        }
        for ok in ["", "system-A", "a=b", "'quoted", "1.5"] {
            assert!(matches!(csv_text(ok, true), Cow::Borrowed(_)));
            assert_eq!(csv_text_unescape(&csv_text(ok, true)), ok);
        }
        for bad in ["=x", "-y", "+1 cmd"] {
            assert_eq!(csv_text_unescape(&csv_text(bad, true)), bad);
        }
    }

    #[test]
    fn number_formats() {
        assert_eq!(fmt_stat(12.0), "12");
        assert_eq!(fmt_stat(12.5), "12.5");
        assert_eq!(fmt_score(-0.00001, 4), "0.0000");
        assert_eq!(fmt_score(33.33333, 2), "33.33");
        assert_eq!(fmt_score(f64::NAN, 2), "nan");
    }
}
