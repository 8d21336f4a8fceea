//! `score -f latex`: the system table as a LaTeX booktabs `tabular`, as sacreBLEU's `-f latex`
//! prints it for several systems (tabulate's `latex_booktabs`): the system column right-aligned,
//! the scores centred, one row per system. The metric signatures follow as LaTeX comments
//! (`% BLEU nrefs:1|...`) so that the whole output can be pasted into a document; sacreBLEU
//! prints them as plain text under a `Metric signatures` heading.

use mtharness::eval::Evaluation;
use mtharness::report::fmt_score;

/// LaTeX's special characters in a system name, escaped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '\\' => out.push_str("\\textbackslash{}"),
            _ => out.push(c),
        }
    }
    out
}

/// `s` centred in `w` columns (the extra space on the right, as Python's `str.center`
/// when the padding is odd and the text's length even).
fn center(s: &str, w: usize) -> String {
    let pad = w.saturating_sub(s.chars().count());
    let left = pad / 2;
    format!("{}{s}{}", " ".repeat(left), " ".repeat(pad - left))
}

/// The table of `ev`'s systems and metrics with `width` decimals.
pub fn table(ev: &Evaluation, width: usize) -> String {
    let names: Vec<String> = ev.systems.iter().map(|s| escape(&s.name)).collect();
    let headers: Vec<String> = ev.metrics.iter().map(|m| m.metric.name()).collect();
    let scores: Vec<Vec<String>> = (0..ev.systems.len())
        .map(|s| {
            (0..ev.metrics.len())
                .map(|m| fmt_score(ev.system_score(s, m), width))
                .collect()
        })
        .collect();
    let w0 = names
        .iter()
        .map(|n| n.chars().count())
        .chain([6])
        .max()
        .unwrap_or(6);
    let ws: Vec<usize> = (0..headers.len())
        .map(|m| {
            scores
                .iter()
                .map(|r| r[m].len())
                .chain([headers[m].chars().count()])
                .max()
                .unwrap_or(0)
                + 2
        })
        .collect();
    let row = |first: &str, cells: Vec<String>| -> String {
        let mut s = format!(" {first:>w0$} ");
        for (c, w) in cells.iter().zip(&ws) {
            s.push_str("& ");
            s.push_str(&center(c, *w));
            s.push(' ');
        }
        s.push_str("\\\\\n");
        s
    };
    let mut out = format!(
        "\\begin{{tabular}}{{r{}}}\n\\toprule\n",
        "c".repeat(headers.len())
    );
    out.push_str(&row("System", headers.clone()));
    out.push_str("\\midrule\n");
    for (name, r) in names.iter().zip(scores) {
        out.push_str(&row(name, r));
    }
    out.push_str("\\bottomrule\n\\end{tabular}\n");
    for (m, h) in headers.iter().enumerate() {
        out.push_str(&format!("% {h:<10} {}\n", ev.signature(m)));
    }
    out
}
