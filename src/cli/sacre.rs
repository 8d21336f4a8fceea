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
use mtharness::significance::Interval;
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
    /// `--confidence`: each metric's interval (one system), printed `(μ = MEAN ± HALF)` after
    /// the score, and the signature's `bs:N|seed:S` fields; empty without it.
    pub confidence: Vec<Interval>,
    /// The seed as the signature names it (`12345`, or `none`).
    pub seed: String,
}

/// One metric's line: `NAME|SIG = SCORE [details]`, or the score alone.
fn line(ev: &Evaluation, m: usize, stats: &[f64], sentence: bool, o: &LineOptions) -> String {
    let metric = &ev.metrics[m].metric;
    let score = if sentence {
        metric.sentence_score(stats)
    } else {
        metric.corpus_score(stats)
    };
    let mut score = fmt_score(score, o.width);
    let ci = (!sentence).then(|| o.confidence.get(m)).flatten();
    if let Some(ci) = ci {
        score = format!(
            "{score} (μ = {} ± {})",
            fmt_score(ci.mean, o.width),
            fmt_score(ci.half_width, o.width)
        );
    }
    if o.score_only {
        return score;
    }
    let is_bleu = ev.metrics[m].id == "BLEU";
    let mut sig = ev.signature(m);
    if sentence && is_bleu {
        // Sentence BLEU always uses effective order (sacreBLEU's `-sl` sets it too).
        sig = sig.replace("|eff:no|", "|eff:yes|");
    }
    if let Some(ci) = ci {
        // sacreBLEU puts the resampling fields right after `nrefs`.
        let (nrefs, rest) = sig.split_once('|').unwrap_or((sig.as_str(), ""));
        sig = format!("{nrefs}|bs:{}|seed:{}|{rest}", ci.n_samples, o.seed);
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
    // Widths in characters, as Python's `str.index` counts (`μ` is one).
    let left_len = |l: &str| {
        l.find('=')
            .map_or(0, |i| l[..i].chars().count().saturating_sub(1))
    };
    let w = lines.iter().map(|l| left_len(l)).max().unwrap_or(0);
    let mut out = String::new();
    for l in lines {
        match l.find('=') {
            Some(i) if !l[..i].is_empty() => {
                let pad = w.saturating_sub(left_len(&l));
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

/// `score --confidence`: each metric's bootstrap interval of the one system
/// ([`mtharness::significance::bootstrap_ci`], sacreBLEU's resamples for the same seed), and
/// the seed as the signature names it. Several systems, or `-f` other than text or line, are
/// refused with the command that does it.
pub fn confidence(
    ev: &Evaluation,
    a: &super::args::ScoreArgs,
) -> mtharness::Result<(Vec<Interval>, String)> {
    use super::args::ScoreFormat;
    use mtharness::significance::{bootstrap_ci, parse_seed, seed_from_env, StatsMatrix};
    use mtharness::Error;
    if ev.systems.len() != 1 {
        return Err(Error::config(format!(
            "--confidence on score is for one system ({} given); for several use \
             `mtharness compare`, which prints intervals beside paired tests",
            ev.systems.len()
        )));
    }
    if !matches!(a.format, ScoreFormat::Text | ScoreFormat::Line) {
        return Err(Error::config(
            "--confidence prints sacreBLEU's score lines: use it with -f text or -f line",
        ));
    }
    let seed = match &a.seed {
        Some(s) => parse_seed(s)?,
        None => seed_from_env()?,
    };
    let sys = &ev.systems[0];
    let mut out = Vec::with_capacity(ev.metrics.len());
    for (m, spec) in ev.metrics.iter().enumerate() {
        let rows: Vec<&[f64]> = (0..sys.segments.len())
            .map(|i| sys.segment_stats(i, m))
            .collect();
        let width = rows.first().map_or(0, |r| r.len());
        let stats = StatsMatrix::from_rows(width, &rows)?;
        out.push(bootstrap_ci(
            spec.metric.as_ref(),
            &stats,
            a.confidence_n,
            seed,
        )?);
    }
    let seed = seed.map_or_else(|| "none".to_string(), |s| s.to_string());
    Ok((out, seed))
}
