//! sacreBLEU's own output lines: the verbose score line of `sacrebleu -f text`
//! (`score -f line`) and one line per segment (`score -sl`).
//!
//! A line is `NAME|SIGNATURE = SCORE`, plus for BLEU sacreBLEU's details
//! `P1/P2/P3/P4 (BP = .. ratio = .. hyp_len = .. ref_len = ..)`. NAME is sacreBLEU's
//! (`BLEU`, `chrF2`, `chrF2++`, `TER`; ours for the jiwer metrics) and SIGNATURE ours (it ends in
//! `compat:...|version:mtharness-...` where sacreBLEU's ends in `version:2.6.0`).

use mtharness::eval::Evaluation;
use mtharness::metrics::compute_bleu;
use mtharness::report::fmt_score;
use mtharness::Smooth;

/// sacreBLEU's verbose part of a BLEU score from BLEU statistics
/// (`[sys_len, ref_len, correct.., total..]`): precisions with one decimal, BP and ratio with
/// three, the lengths as integers.
pub fn bleu_details(stats: &[f64], smooth: Smooth, effective_order: bool) -> String {
    let n = stats.len().saturating_sub(2) / 2;
    let get = |i: usize| stats.get(i).copied().unwrap_or(0.0);
    let correct = stats.get(2..2 + n).unwrap_or(&[]);
    let total = stats.get(2 + n..2 + 2 * n).unwrap_or(&[]);
    let b = compute_bleu(correct, total, get(0), get(1), smooth, effective_order, n);
    let precisions: Vec<String> = b.precisions.iter().map(|p| fmt_score(*p, 1)).collect();
    let ratio = if b.ref_len > 0.0 {
        b.sys_len / b.ref_len
    } else {
        0.0
    };
    format!(
        "{} (BP = {} ratio = {} hyp_len = {} ref_len = {})",
        precisions.join("/"),
        fmt_score(b.bp, 3),
        fmt_score(ratio, 3),
        b.sys_len as u64,
        b.ref_len as u64
    )
}

/// How the lines are printed.
pub struct LineOptions {
    pub width: usize,
    /// Only the score (sacreBLEU's `-b`).
    pub score_only: bool,
    /// BLEU's smoothing (for its details).
    pub smooth: Smooth,
}

/// One metric's line: `NAME|SIG = SCORE [details]`, or the score alone.
fn line(ev: &Evaluation, m: usize, stats: &[f64], sentence: bool, o: &LineOptions) -> String {
    let metric = &ev.metrics[m].metric;
    let score = if sentence {
        metric.sentence_score(stats)
    } else {
        metric.corpus_score(stats)
    };
    let score = fmt_score(score, o.width);
    if o.score_only {
        return score;
    }
    let is_bleu = ev.metrics[m].id == "BLEU";
    let mut sig = ev.signature(m);
    if sentence && is_bleu {
        // Sentence BLEU always uses effective order (sacreBLEU's `-sl` sets it too).
        sig = sig.replace("|eff:no|", "|eff:yes|");
    }
    let mut s = format!("{}|{sig} = {score}", metric.name());
    if is_bleu {
        s.push(' ');
        s.push_str(&bleu_details(
            stats,
            o.smooth,
            sentence || sig.contains("|eff:yes|"),
        ));
    }
    s
}

/// sacreBLEU's alignment of several lines: right-justified up to the first ` =`.
fn align(lines: Vec<String>) -> String {
    let w = lines
        .iter()
        .map(|l| l.find('=').map_or(0, |i| i.saturating_sub(1)))
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for l in lines {
        match l.find('=') {
            Some(i) if !l[..i].is_empty() => {
                let cut = i.saturating_sub(1);
                let left = &l[..cut];
                let pad = w.saturating_sub(left.chars().count());
                out.push_str(&" ".repeat(pad));
                out.push_str(&l);
            }
            _ => out.push_str(&l),
        }
        out.push('\n');
    }
    out
}

/// `score -f line`: sacreBLEU's `-f text` lines, one per metric, aligned on `=` as sacreBLEU
/// aligns them; with several systems each system's block is headed by its name.
pub fn corpus_lines(ev: &Evaluation, o: &LineOptions) -> String {
    let mut out = String::new();
    for sys in &ev.systems {
        if ev.systems.len() > 1 {
            out.push_str(&sys.name);
            out.push_str(":\n");
        }
        let lines = (0..ev.metrics.len())
            .map(|m| line(ev, m, &sys.stats[m], false, o))
            .collect();
        out.push_str(&align(lines));
    }
    out
}

/// `score -sl`: one line per segment in segment order; several metrics are separated by a tab
/// (sacreBLEU takes one metric), several systems prefix the line with the system's name and a
/// tab (sacreBLEU takes one system).
pub fn sentence_lines(ev: &Evaluation, o: &LineOptions) -> String {
    let mut out = String::new();
    for sys in &ev.systems {
        for i in 0..sys.segments.len() {
            let row = sys.segment(i);
            if ev.systems.len() > 1 {
                out.push_str(&sys.name);
                out.push('\t');
            }
            let parts: Vec<String> = (0..ev.metrics.len())
                .map(|m| line(ev, m, row.metric(m), true, o))
                .collect();
            out.push_str(&parts.join("\t"));
            out.push('\n');
        }
    }
    out
}
