//! The terminal table: one row per system, one column per metric, signatures below.

use crate::eval::Evaluation;
use crate::report::fmt_score;

/// Options of the terminal table.
#[derive(Debug, Clone)]
pub struct TableOptions {
    /// Decimals shown (sacreBLEU's `-w`, default 2 like sacreBLEU's text output).
    pub decimals: usize,
    /// Print signatures under the table.
    pub signatures: bool,
}

impl Default for TableOptions {
    fn default() -> TableOptions {
        TableOptions {
            decimals: 2,
            signatures: true,
        }
    }
}

/// Renders the system table as aligned text.
pub fn format_table(ev: &Evaluation, opts: &TableOptions) -> String {
    let aligned = ev.systems.iter().any(|s| {
        s.omissions() > 0 || s.additions() > 0 || s.segments.iter().any(|p| p.pair.bead() != "1-1")
    });
    let mut head: Vec<String> = vec!["System".into()];
    head.extend(ev.metrics.iter().map(|m| m.id.clone()));
    if aligned {
        head.push("Omitted".into());
        head.push("Added".into());
    }
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (s, sys) in ev.systems.iter().enumerate() {
        let mut row = vec![sys.name.clone()];
        for m in 0..ev.metrics.len() {
            row.push(fmt_score(ev.system_score(s, m), opts.decimals));
        }
        if aligned {
            row.push(sys.omissions().to_string());
            row.push(sys.additions().to_string());
        }
        rows.push(row);
    }
    let mut out = text_grid(&head, &rows, true);
    if opts.signatures {
        out.push('\n');
        for (m, spec) in ev.metrics.iter().enumerate() {
            out.push_str(&format!("{}: {}\n", spec.id, ev.signature(m)));
        }
    }
    out
}

/// Lays out a text table: the first column left-aligned, the others right-aligned, two spaces
/// between columns; with `rule`, a line of dashes under the header. Widths count characters.
pub(crate) fn text_grid(head: &[String], rows: &[Vec<String>], rule: bool) -> String {
    let widths: Vec<usize> = (0..head.len())
        .map(|c| {
            rows.iter()
                .map(|r| r[c].chars().count())
                .chain([head[c].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    let line = |cells: &[String], out: &mut String| {
        for (c, cell) in cells.iter().enumerate() {
            let pad = " ".repeat(widths[c] - cell.chars().count());
            if c == 0 {
                out.push_str(cell);
                out.push_str(&pad);
            } else {
                out.push_str("  ");
                out.push_str(&pad);
                out.push_str(cell);
            }
        }
        out.push('\n');
    };
    line(head, &mut out);
    if rule {
        let total: usize = widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
        out.push_str(&"-".repeat(total));
        out.push('\n');
    }
    for r in rows {
        line(r, &mut out);
    }
    out
}
