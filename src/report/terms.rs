//! Terminology reports: `terms.csv` (one row per expected term occurrence, extra term and
//! inconsistency) and the terminal table of term metrics per system.

use std::path::Path;

use crate::error::Result;
use crate::report::table::text_grid;
use crate::report::{csv_string, fmt_score, write_atomic, CsvOptions};
use crate::terms::SystemTerms;

/// Writes `terms.csv`: `document,segment,system,term_id,expected,found,error,edit_distance,context`
/// (`error` is `correct`, `missing`, `forbidden`, `misspelt`, `inconsistent` or `extra`;
/// `segment` 1-based within the document, as in `segments.csv`, and empty for findings of a
/// whole document).
pub fn write_terms_csv(path: &Path, systems: &[SystemTerms], opts: &CsvOptions) -> Result<()> {
    write_atomic(path, |w| {
        let mut out = csv::Writer::from_writer(w);
        for sys in systems {
            for doc in &sys.documents {
                for r in &doc.records {
                    let mut r = r.clone();
                    r.segment = r.segment.map(|i| i + 1);
                    for cell in [
                        &mut r.document,
                        &mut r.system,
                        &mut r.term_id,
                        &mut r.expected,
                        &mut r.found,
                        &mut r.context,
                    ] {
                        *cell = csv_string(cell, opts.escape);
                    }
                    out.serialize(&r).map_err(std::io::Error::other)?;
                }
            }
        }
        out.flush()
    })
}

/// The per-system table of term metrics (rates in percent).
pub fn format_terms_table(systems: &[SystemTerms], decimals: usize) -> String {
    let head = [
        "System", "TermAcc", "Win2", "Win3", "1-TERm", "Forbid", "Missp", "Missing", "Extra",
        "Consist", "Incons", "NameErr",
    ];
    let rows: Vec<Vec<String>> = systems
        .iter()
        .map(|s| {
            let st = &s.stats;
            vec![
                s.system.clone(),
                fmt_score(100.0 * st.accuracy(), decimals),
                fmt_score(100.0 * st.window_overlap(0), decimals),
                fmt_score(100.0 * st.window_overlap(1), decimals),
                fmt_score(100.0 * st.one_minus_terw(), decimals),
                st.forbidden.to_string(),
                st.misspelt.to_string(),
                st.missing.to_string(),
                st.extra.to_string(),
                fmt_score(100.0 * st.consistency(), decimals),
                st.inconsistent_groups.to_string(),
                fmt_score(100.0 * s.names.error_rate(), decimals),
            ]
        })
        .collect();
    let head: Vec<String> = head.iter().map(|h| h.to_string()).collect();
    text_grid(&head, &rows, false)
}
