//! Sharded scoring: `mtharness score --shard I/N --stats FILE` scores one part of a corpus and
//! stores its sufficient statistics; `mtharness merge` combines the parts into the reports a
//! single run writes, byte for byte.
//!
//! # Which part a shard scores
//! Shard `I` of `N` takes the documents whose index (in corpus order, from 0) is `I` modulo
//! `N`. Round-robin rather than contiguous slices: corpora are often ordered by domain or by
//! document length, and round-robin spreads both evenly over the shards. When the corpus is a
//! single document (line-aligned files without `--docids`) the *segments* are dealt out the
//! same way (segment `k` to shard `k % N`) — unless that document must be sentence-aligned
//! (segment counts differ), which needs the whole document: shard 0 then scores all of it and
//! the others nothing.
//!
//! Exactness: segment statistics do not depend on other segments, and [`merge`] re-forms every
//! document and system sum from the segment rows in corpus order with
//! [`crate::eval::summarize`], the code a single run uses, so the merged sums have the same
//! bits. Statistics are stored in Rust's shortest round-trip form and read back exactly.
//!
//! # The stats file (`stats.csv`)
//! Header lines starting with `#`, one `key: value` each, then a CSV table:
//!
//! ```text
//! # mtharness-stats 1
//! # version: 0.1.0                      mtharness version that wrote it
//! # corpus: wmt22-ru-en
//! # refs: ["A"]                         reference set names (JSON)
//! # systems: ["sys1","sys2"]            system names, in order (JSON)
//! # metrics: ["bleu","chrf"]            metric names as given to `-m` (JSON)
//! # metric_options: {...}               the metric options (JSON)
//! # normalize: none                     `--normalize` as given
//! # align: auto                         auto | always | never
//! # documents: 2016                     documents in the whole corpus
//! # split: documents                    documents | segments (one-document corpus)
//! # shard: 0/3
//! ```
//!
//! All header lines but `shard` form the shard's signature: [`merge`] refuses files whose
//! signatures differ (other options, corpus or version), a missing or repeated shard index, or
//! files of different `N`.
//!
//! Columns: `kind,system,doc,document,pair,ref_from,ref_to,hyp_from,hyp_to,similarity,pairs,
//! omissions,additions,lines`, then one `ID:stat` column per statistic of every metric (as in
//! `segments.csv`). Three kinds of rows:
//! - `doc`: one per document of the shard: `doc` (index in the corpus), `document` (id), `lines`
//!   (space-separated 1-based line of each reference segment, after sentence splitting for
//!   aligned documents). Other cells empty.
//! - `sum`: one per system and document of the shard: `pairs`, `omissions`, `additions` and the
//!   summed statistics of the shard's pairs of that document (a check: [`merge`] verifies them
//!   against the segment rows).
//! - `seg`: one per scored pair: `pair` (its position among the document's pairs, or the
//!   segment index for a split one-document corpus), the 0-based half-open reference and
//!   hypothesis segment ranges, the aligner `similarity` (empty for pairs by position) and the
//!   pair's statistics.
//!
//! The stats file is not a report: its text cells (document ids, system names) are written as
//! they are, without the formula guard of [`crate::report::csv_text`], because [`merge`] must
//! read back exactly the ids and names a single run would have. Open it in a spreadsheet only
//! with formulas disabled.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;
use std::str::FromStr;

use crate::corpus::{Corpus, Document};
use crate::error::{Error, Location, Result};
use crate::eval::{
    evaluate, needs_alignment, summarize, AlignMode, DocumentInfo, EvalOptions, Evaluation, Pair,
    SegmentEval,
};
use crate::metrics::bleu::Smooth;
use crate::metrics::ter::Ter;
use crate::metrics::{build_metrics, MetricOptions, MetricSpec, VERSION};
use crate::report::{fmt_stat, write_atomic};
use crate::text::normalize::Normalizer;
use crate::text::tokenize::Tokenizer;

/// First header line of a stats file; the number is the format version.
const MAGIC: &str = "mtharness-stats 1";
/// Fixed columns of the stats table, before the statistics.
const COLUMNS: [&str; 14] = [
    "kind",
    "system",
    "doc",
    "document",
    "pair",
    "ref_from",
    "ref_to",
    "hyp_from",
    "hyp_to",
    "similarity",
    "pairs",
    "omissions",
    "additions",
    "lines",
];

/// Shard `index` of `count` (`index < count`), written `I/N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardSpec {
    pub index: usize,
    pub count: usize,
}

impl ShardSpec {
    /// The whole corpus as one shard.
    pub const WHOLE: ShardSpec = ShardSpec { index: 0, count: 1 };

    fn takes(&self, k: usize) -> bool {
        k % self.count == self.index
    }
}

impl FromStr for ShardSpec {
    type Err = Error;
    fn from_str(s: &str) -> Result<ShardSpec> {
        let bad = || Error::config(format!("--shard '{s}': expected I/N with 0 <= I < N"));
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: usize = i.trim().parse().map_err(|_| bad())?;
        let count: usize = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(ShardSpec { index, count })
    }
}

impl fmt::Display for ShardSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// Everything that determines the statistics, recorded in the stats header so that a merge can
/// rebuild the metrics and refuse shards scored differently.
#[derive(Debug, Clone)]
pub struct ShardConfig {
    /// Metric names as `score -m` takes them.
    pub metrics: Vec<String>,
    pub metric_options: MetricOptions,
    /// Normalisation steps as `score --normalize` takes them.
    pub normalize: String,
    pub align: AlignMode,
}

/// How documents were dealt to shards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Split {
    Documents,
    Segments,
}

/// The statistics of one shard, as stored in a stats file.
#[derive(Debug, Clone)]
pub struct ShardStats {
    /// Header `key: value` pairs in file order (the `shard` one included).
    header: Vec<(String, String)>,
    shard: ShardSpec,
    /// `doc` rows: corpus index -> facts.
    docs: BTreeMap<usize, DocumentInfo>,
    /// `sum` rows: (system, doc) -> (pairs, omissions, additions, stats).
    sums: BTreeMap<(usize, usize), DocSum>,
    /// `seg` rows: (system, doc, pair order, segment, its statistics: every metric's back to
    /// back).
    segs: Vec<SegRow>,
}

/// A `seg` row: (system, doc, pair order, segment, its statistics).
type SegRow = (usize, usize, usize, SegmentEval, Vec<f64>);

#[derive(Debug, Clone, PartialEq)]
struct DocSum {
    pairs: usize,
    omissions: usize,
    additions: usize,
    stats: Vec<Vec<f64>>,
}

fn align_name(a: AlignMode) -> &'static str {
    match a {
        AlignMode::Auto => "auto",
        AlignMode::Always => "always",
        AlignMode::Never => "never",
    }
}

fn parse_align(s: &str) -> Result<AlignMode> {
    match s {
        "auto" => Ok(AlignMode::Auto),
        "always" => Ok(AlignMode::Always),
        "never" => Ok(AlignMode::Never),
        _ => Err(Error::config(format!(
            "stats file: unknown align mode '{s}'"
        ))),
    }
}

/// The metric options as the stats header records them (`score`'s flag names, in
/// alphabetical order).
#[derive(serde::Serialize, serde::Deserialize)]
struct OptionsRecord {
    lowercase: bool,
    smooth_method: String,
    smooth_value: Option<f64>,
    ter_asian_support: bool,
    ter_case_sensitive: bool,
    ter_no_punct: bool,
    ter_normalized: bool,
    tokenize: Tokenizer,
}

fn options_json(o: &MetricOptions) -> String {
    let record = OptionsRecord {
        tokenize: o.tokenize,
        lowercase: o.lowercase,
        smooth_method: o.smooth.name().to_string(),
        smooth_value: match o.smooth {
            Smooth::Floor(v) | Smooth::AddK(v) => Some(v),
            Smooth::None | Smooth::Exp => None,
        },
        ter_case_sensitive: o.ter.case_sensitive,
        ter_normalized: o.ter.normalized,
        ter_no_punct: o.ter.no_punct,
        ter_asian_support: o.ter.asian_support,
    };
    serde_json::to_string(&record).unwrap_or_default()
}

fn options_from_json(text: &str) -> Result<MetricOptions> {
    let r: OptionsRecord = serde_json::from_str(text)
        .map_err(|e| Error::config(format!("stats file: metric_options: {e}")))?;
    Ok(MetricOptions {
        tokenize: r.tokenize,
        lowercase: r.lowercase,
        smooth: Smooth::from_name(&r.smooth_method, r.smooth_value)?,
        ter: Ter {
            case_sensitive: r.ter_case_sensitive,
            normalized: r.ter_normalized,
            no_punct: r.ter_no_punct,
            asian_support: r.ter_asian_support,
        },
    })
}

fn json_list(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// Scores shard `shard` of `corpus` (see the module docs for which part) and returns the
/// shard's own evaluation (its documents and pairs only, for the usual reports) and its stats.
pub fn evaluate_shard(
    corpus: &Corpus,
    cfg: &ShardConfig,
    shard: ShardSpec,
) -> Result<(Evaluation, ShardStats)> {
    let normalizer: Normalizer = cfg.normalize.parse()?;
    let metrics = build_metrics(&cfg.metrics, &cfg.metric_options)?;
    let split = if corpus.documents.len() == 1 {
        Split::Segments
    } else {
        Split::Documents
    };
    // the part of the corpus this shard scores, and where its documents and segments came from
    let mut sub = Corpus {
        documents: Vec::new(),
        ..corpus.clone_header()
    };
    let mut doc_map = Vec::new();
    let mut seg_map: Option<Vec<usize>> = None;
    // A one-document corpus that must be aligned is scored whole by shard 0; the others hold
    // an empty stand-in of it, which is not theirs to describe.
    let mut stand_in = false;
    match split {
        Split::Documents => {
            for (k, d) in corpus.documents.iter().enumerate() {
                if shard.takes(k) {
                    sub.documents.push(d.clone());
                    doc_map.push(k);
                }
            }
        }
        Split::Segments => {
            let d = &corpus.documents[0];
            if needs_alignment(d, cfg.align)? {
                if shard.index == 0 {
                    sub.documents.push(d.clone());
                } else {
                    stand_in = true;
                    sub.documents.push(Document {
                        id: d.id.clone(),
                        source: None,
                        refs: vec![Vec::new(); d.refs.len()],
                        hyps: vec![Vec::new(); d.hyps.len()],
                        lines: Vec::new(),
                    });
                }
            } else {
                let keep: Vec<usize> = (0..d.num_segments()).filter(|&k| shard.takes(k)).collect();
                let pick = |v: &Vec<String>| keep.iter().map(|&k| v[k].clone()).collect();
                sub.documents.push(Document {
                    id: d.id.clone(),
                    source: d.source.as_ref().map(pick),
                    refs: d.refs.iter().map(pick).collect(),
                    hyps: d.hyps.iter().map(pick).collect(),
                    lines: keep
                        .iter()
                        .map(|&k| d.lines.get(k).copied().unwrap_or(k + 1))
                        .collect(),
                });
                seg_map = Some(keep);
            }
            doc_map.push(0);
        }
    }
    let opts = EvalOptions {
        normalizer,
        align: cfg.align,
        ..EvalOptions::default()
    };
    let ev = evaluate(&sub, metrics, &opts)?;

    let header = vec![
        ("version".to_string(), VERSION.to_string()),
        ("corpus".to_string(), corpus.name.clone()),
        ("refs".to_string(), json_list(&corpus.ref_names)),
        ("systems".to_string(), json_list(&corpus.system_names)),
        ("metrics".to_string(), json_list(&cfg.metrics)),
        (
            "metric_options".to_string(),
            options_json(&cfg.metric_options),
        ),
        ("normalize".to_string(), cfg.normalize.clone()),
        ("align".to_string(), align_name(cfg.align).to_string()),
        ("documents".to_string(), corpus.documents.len().to_string()),
        (
            "split".to_string(),
            match split {
                Split::Documents => "documents",
                Split::Segments => "segments",
            }
            .to_string(),
        ),
        ("shard".to_string(), shard.to_string()),
    ];
    let mut docs = BTreeMap::new();
    for (k, info) in ev.documents.iter().enumerate() {
        if stand_in {
            continue;
        }
        let lines = if seg_map.is_some() {
            // a split one-document corpus is line-aligned: the lines of the whole document
            corpus.documents[0].lines.clone()
        } else {
            info.lines.clone()
        };
        docs.insert(
            doc_map[k],
            DocumentInfo {
                id: info.id.clone(),
                lines,
                aligned: info.aligned,
            },
        );
    }
    let remap = |r: &std::ops::Range<usize>| match &seg_map {
        Some(m) if !r.is_empty() => m[r.start]..m[r.end - 1] + 1,
        _ => r.clone(),
    };
    let mut sums = BTreeMap::new();
    let mut segs = Vec::new();
    for (s, sys) in ev.systems.iter().enumerate() {
        for d in &sys.documents {
            sums.insert(
                (s, doc_map[d.doc]),
                DocSum {
                    pairs: d.pairs,
                    omissions: d.omissions,
                    additions: d.additions,
                    stats: d.stats.clone(),
                },
            );
        }
        let mut last = usize::MAX;
        let mut order = 0;
        for (i, seg) in sys.segments.iter().enumerate() {
            if seg.doc != last {
                last = seg.doc;
                order = 0;
            }
            let pair_index = match &seg_map {
                Some(m) => m[seg.pair.refs.start.min(m.len().saturating_sub(1))],
                None => order,
            };
            order += 1;
            let doc = doc_map[seg.doc];
            segs.push((
                s,
                doc,
                pair_index,
                SegmentEval {
                    doc,
                    pair: Pair {
                        refs: remap(&seg.pair.refs),
                        hyps: remap(&seg.pair.hyps),
                        similarity: seg.pair.similarity,
                    },
                },
                sys.segment(i).row().to_vec(),
            ));
        }
    }
    Ok((
        ev,
        ShardStats {
            header,
            shard,
            docs,
            sums,
            segs,
        },
    ))
}

/// Writes a stats file atomically (format in the module docs). `metrics` gives the column names.
pub fn write_stats(path: &Path, st: &ShardStats, metrics: &[MetricSpec]) -> Result<()> {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let systems: Vec<String> = header_value(&st.header, "systems")
        .and_then(|v| serde_json::from_str(v).ok())
        .unwrap_or_default();
    write_atomic(path, |w| {
        writeln!(w, "# {MAGIC}")?;
        for (k, v) in &st.header {
            writeln!(w, "# {k}: {v}")?;
        }
        let mut out = csv::Writer::from_writer(w);
        let mut head: Vec<String> = COLUMNS.map(String::from).to_vec();
        for m in metrics {
            for s in m.metric.stat_names() {
                head.push(format!("{}:{s}", m.id));
            }
        }
        let width = head.len();
        out.write_record(&head).map_err(std::io::Error::other)?;
        let mut row: Vec<String> = Vec::with_capacity(width);
        let blank = |row: &mut Vec<String>| {
            row.clear();
            row.resize(width, String::new());
        };
        let push_stats = |row: &mut Vec<String>, stats: &mut dyn Iterator<Item = &f64>| {
            row.truncate(COLUMNS.len());
            row.extend(stats.map(|&x| fmt_stat(x)));
        };
        for (doc, info) in &st.docs {
            blank(&mut row);
            row[0] = "doc".into();
            row[2] = doc.to_string();
            row[3] = info.id.clone();
            row[13] = info
                .lines
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(" ");
            out.write_record(&row).map_err(std::io::Error::other)?;
        }
        let name = |s: usize| systems.get(s).cloned().unwrap_or_default();
        for ((s, doc), sum) in &st.sums {
            blank(&mut row);
            row[0] = "sum".into();
            row[1] = name(*s);
            row[2] = doc.to_string();
            row[10] = sum.pairs.to_string();
            row[11] = sum.omissions.to_string();
            row[12] = sum.additions.to_string();
            push_stats(&mut row, &mut sum.stats.iter().flatten());
            out.write_record(&row).map_err(std::io::Error::other)?;
        }
        for (s, doc, pair, seg, stats) in &st.segs {
            blank(&mut row);
            row[0] = "seg".into();
            row[1] = name(*s);
            row[2] = doc.to_string();
            row[4] = pair.to_string();
            row[5] = seg.pair.refs.start.to_string();
            row[6] = seg.pair.refs.end.to_string();
            row[7] = seg.pair.hyps.start.to_string();
            row[8] = seg.pair.hyps.end.to_string();
            row[9] = seg
                .pair
                .similarity
                .map_or(String::new(), |x| format!("{x:?}"));
            push_stats(&mut row, &mut stats.iter());
            out.write_record(&row).map_err(std::io::Error::other)?;
        }
        out.flush()
    })
}

fn header_value<'a>(h: &'a [(String, String)], key: &str) -> Option<&'a str> {
    h.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// Reads a stats file written by [`write_stats`]. Errors name the file and line.
pub fn read_stats(path: &Path) -> Result<ShardStats> {
    let text = crate::corpus::read_text(path)?;
    let mut lines = text.lines();
    let at = |n: usize| Location::line(path, n);
    if lines.next().map(str::trim_end) != Some(&format!("# {MAGIC}")) {
        return Err(Error::input(
            at(1),
            format!("not an mtharness stats file (first line must be '# {MAGIC}')"),
        ));
    }
    let mut header = Vec::new();
    let mut body_start = 1;
    for (i, l) in text.lines().enumerate().skip(1) {
        let Some(rest) = l.strip_prefix("# ") else {
            body_start = i;
            break;
        };
        let (k, v) = rest
            .split_once(": ")
            .ok_or_else(|| Error::input(at(i + 1), "header line must be '# key: value'"))?;
        header.push((k.to_string(), v.to_string()));
    }
    let get = |k: &str| {
        header_value(&header, k)
            .ok_or_else(|| Error::input(at(1), format!("header has no '{k}' line")))
    };
    let shard: ShardSpec = get("shard")?.parse()?;
    let systems: Vec<String> = serde_json::from_str(get("systems")?)
        .map_err(|e| Error::input(at(1), format!("header 'systems': {e}")))?;
    let n_docs: usize = get("documents")?
        .parse()
        .map_err(|_| Error::input(at(1), "header 'documents' is not a number"))?;
    let metrics = rebuild_metrics(&header)?;
    let widths: Vec<usize> = metrics
        .iter()
        .map(|m| m.metric.stat_names().len())
        .collect();
    let n_stats: usize = widths.iter().sum();

    let body: String = text
        .lines()
        .skip(body_start)
        .flat_map(|l| [l, "\n"])
        .collect();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(body.as_bytes());
    let head = rdr
        .headers()
        .map_err(|e| Error::input(at(body_start + 1), format!("CSV header: {e}")))?
        .clone();
    if head.len() != COLUMNS.len() + n_stats || head.iter().take(COLUMNS.len()).ne(COLUMNS) {
        return Err(Error::input(
            at(body_start + 1),
            format!(
                "unexpected columns (want {} fixed columns and {n_stats} statistics)",
                COLUMNS.len()
            ),
        ));
    }
    let sys_index: HashMap<&str, usize> = systems
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    let mut st = ShardStats {
        header: header.clone(),
        shard,
        docs: BTreeMap::new(),
        sums: BTreeMap::new(),
        segs: Vec::new(),
    };
    for (r, rec) in rdr.records().enumerate() {
        let line = body_start + r + 2;
        let here = || at(line);
        let rec = rec.map_err(|e| Error::input(here(), format!("CSV: {e}")))?;
        let cell = |c: usize| rec.get(c).unwrap_or("");
        let num = |c: usize| -> Result<usize> {
            cell(c).parse().map_err(|_| {
                Error::input(
                    here(),
                    format!("column {}: '{}' is not a number", COLUMNS[c], cell(c)),
                )
            })
        };
        let doc = num(2)?;
        if doc >= n_docs {
            return Err(Error::input(
                here(),
                format!("document index {doc} >= {n_docs}"),
            ));
        }
        let system = || -> Result<usize> {
            sys_index
                .get(cell(1))
                .copied()
                .ok_or_else(|| Error::input(here(), format!("unknown system '{}'", cell(1))))
        };
        let stats = || -> Result<Vec<Vec<f64>>> {
            let mut out = Vec::with_capacity(widths.len());
            let mut c = COLUMNS.len();
            for &w in &widths {
                let mut v = Vec::with_capacity(w);
                for _ in 0..w {
                    v.push(cell(c).parse::<f64>().map_err(|_| {
                        Error::input(
                            here(),
                            format!("column {}: '{}' is not a number", c + 1, cell(c)),
                        )
                    })?);
                    c += 1;
                }
                out.push(v);
            }
            Ok(out)
        };
        match cell(0) {
            "doc" => {
                let lines = cell(13)
                    .split_whitespace()
                    .map(|x| x.parse::<usize>())
                    .collect::<std::result::Result<Vec<_>, _>>()
                    .map_err(|_| Error::input(here(), "column lines: not numbers"))?;
                st.docs.insert(
                    doc,
                    DocumentInfo {
                        id: cell(3).to_string(),
                        lines,
                        // Not stored: derived from the segment rows after reading (a document
                        // was aligned exactly when its pairs carry an aligner similarity).
                        aligned: false,
                    },
                );
            }
            "sum" => {
                let key = (system()?, doc);
                let sum = DocSum {
                    pairs: num(10)?,
                    omissions: num(11)?,
                    additions: num(12)?,
                    stats: stats()?,
                };
                st.sums.insert(key, sum);
            }
            "seg" => {
                let similarity = match cell(9) {
                    "" => None,
                    x => Some(x.parse::<f64>().map_err(|_| {
                        Error::input(here(), format!("column similarity: '{x}' is not a number"))
                    })?),
                };
                let (rf, rt, hf, ht) = (num(5)?, num(6)?, num(7)?, num(8)?);
                if rf > rt || hf > ht {
                    return Err(Error::input(here(), "segment range ends before it starts"));
                }
                st.segs.push((
                    system()?,
                    doc,
                    num(4)?,
                    SegmentEval {
                        doc,
                        pair: Pair {
                            refs: rf..rt,
                            hyps: hf..ht,
                            similarity,
                        },
                    },
                    stats()?.concat(),
                ));
            }
            other => {
                return Err(Error::input(
                    here(),
                    format!("unknown row kind '{other}' (doc, sum or seg)"),
                ))
            }
        }
    }
    Ok(st)
}

/// The metrics named in a stats header, built with its options.
fn rebuild_metrics(header: &[(String, String)]) -> Result<Vec<MetricSpec>> {
    let get = |k: &str| {
        header_value(header, k)
            .ok_or_else(|| Error::config(format!("stats file: header has no '{k}' line")))
    };
    let names: Vec<String> = serde_json::from_str(get("metrics")?)
        .map_err(|e| Error::config(format!("stats file: header 'metrics': {e}")))?;
    build_metrics(&names, &options_from_json(get("metric_options")?)?)
}

/// The signature of a shard: its header without the `shard` line.
fn signature(st: &ShardStats) -> Vec<&(String, String)> {
    st.header.iter().filter(|(k, _)| k != "shard").collect()
}

/// Combines the stats of all `N` shards of one run into the [`Evaluation`] a single run gives
/// (same documents, pairs, sums; `corpus` holds no texts). Shards may come in any order.
/// Errors: no shard, different signatures (options, corpus, version), different `N`, a
/// missing or repeated shard, a document covered by no shard, a stored sum that its segment
/// rows do not give. O(total rows * log).
pub fn merge(shards: Vec<ShardStats>) -> Result<Evaluation> {
    let first = shards
        .first()
        .ok_or_else(|| Error::config("merge: no stats file given"))?;
    let n = first.shard.count;
    let sig = signature(first);
    let mut seen = vec![false; n];
    for st in &shards {
        let other = signature(st);
        if other != sig {
            let diff: Vec<String> = sig
                .iter()
                .zip(&other)
                .filter(|(a, b)| a != b)
                .map(|(a, b)| format!("{}: '{}' vs '{}'", a.0, a.1, b.1))
                .collect();
            return Err(Error::config(format!(
                "merge: shards were scored differently and cannot be combined ({})",
                if diff.is_empty() {
                    "different header lines".to_string()
                } else {
                    diff.join("; ")
                }
            )));
        }
        if st.shard.count != n {
            return Err(Error::config(format!(
                "merge: shard {} belongs to a run of {} shards, another to a run of {n}",
                st.shard, st.shard.count
            )));
        }
        if std::mem::replace(&mut seen[st.shard.index], true) {
            return Err(Error::config(format!(
                "merge: shard {} given twice",
                st.shard
            )));
        }
    }
    if let Some(missing) = seen.iter().position(|&s| !s) {
        return Err(Error::config(format!(
            "merge: shard {missing}/{n} is missing ({} of {n} given)",
            shards.len()
        )));
    }
    let header: Vec<(String, String)> = first.header.clone();
    let get = |k: &str| header_value(&header, k).unwrap_or("");
    let parse_list = |k: &str| -> Result<Vec<String>> {
        serde_json::from_str(get(k)).map_err(|e| Error::config(format!("stats header '{k}': {e}")))
    };
    let ref_names = parse_list("refs")?;
    let system_names = parse_list("systems")?;
    let n_docs: usize = get("documents")
        .parse()
        .map_err(|_| Error::config("stats header 'documents' is not a number"))?;
    let metrics = rebuild_metrics(&header)?;
    let normalizer: Normalizer = get("normalize").parse()?;
    parse_align(get("align"))?;

    // documents: every one must be covered; copies (split one-document corpus) must agree
    let mut documents: Vec<Option<DocumentInfo>> = vec![None; n_docs];
    for st in &shards {
        for (&d, info) in &st.docs {
            match &documents[d] {
                Some(prev) if prev != info => {
                    return Err(Error::config(format!(
                        "merge: shards disagree on document {} ({})",
                        d, info.id
                    )))
                }
                _ => documents[d] = Some(info.clone()),
            }
        }
    }
    let mut documents: Vec<DocumentInfo> = documents
        .into_iter()
        .enumerate()
        .map(|(d, x)| x.ok_or_else(|| Error::config(format!("merge: document {d} is in no shard"))))
        .collect::<Result<_>>()?;
    for st in &shards {
        for (_, d, _, seg, _) in &st.segs {
            if seg.pair.similarity.is_some() {
                if let Some(info) = documents.get_mut(*d) {
                    info.aligned = true;
                }
            }
        }
    }

    // each shard's stored sums must be what its segment rows give
    for st in &shards {
        let mut per: BTreeMap<(usize, usize), (Vec<SegmentEval>, Vec<f64>)> = BTreeMap::new();
        let mut rows: Vec<&SegRow> = st.segs.iter().collect();
        rows.sort_by_key(|r| (r.0, r.1, r.2));
        for r in rows {
            let (segs, stats) = per.entry((r.0, r.1)).or_default();
            segs.push(SegmentEval {
                doc: 0,
                ..r.3.clone()
            });
            stats.extend_from_slice(&r.4);
        }
        for (&(s, d), sum) in &st.sums {
            let (segs, stats) = per.remove(&(s, d)).unwrap_or_default();
            let got = summarize("", segs, stats, 1, &metrics);
            let doc = &got.documents[0];
            let want = DocSum {
                pairs: doc.pairs,
                omissions: doc.omissions,
                additions: doc.additions,
                stats: doc.stats.clone(),
            };
            if &want != sum {
                return Err(Error::config(format!(
                    "merge: shard {}: the stored sums of system {} document {} differ from its segment rows",
                    st.shard,
                    system_names.get(s).map_or("?", String::as_str),
                    documents[d].id
                )));
            }
        }
        if let Some(((s, d), _)) = per.into_iter().next() {
            return Err(Error::config(format!(
                "merge: shard {}: segment rows of system {s} document {d} have no sum row",
                st.shard
            )));
        }
    }

    // segments of each system in corpus order
    let mut per_system: Vec<Vec<SegRow>> = vec![Vec::new(); system_names.len()];
    for st in shards {
        for row in st.segs {
            per_system
                .get_mut(row.0)
                .ok_or_else(|| Error::config("merge: system index out of range"))?
                .push(row);
        }
    }
    let mut systems = Vec::with_capacity(system_names.len());
    for (name, mut segs) in system_names.iter().zip(per_system) {
        segs.sort_by_key(|r| (r.1, r.2));
        if let Some(w) = segs
            .windows(2)
            .find(|w| (w[0].1, w[0].2) == (w[1].1, w[1].2))
        {
            return Err(Error::config(format!(
                "merge: system {name}: pair {} of document {} is in two shards",
                w[0].2, documents[w[0].1].id
            )));
        }
        let mut flat = Vec::with_capacity(segs.iter().map(|r| r.4.len()).sum());
        let segs: Vec<SegmentEval> = segs
            .into_iter()
            .map(|(_, _, _, seg, stats)| {
                flat.extend_from_slice(&stats);
                seg
            })
            .collect();
        systems.push(summarize(name, segs, flat, n_docs, &metrics));
    }
    let corpus_name = get("corpus").to_string();
    Ok(Evaluation {
        corpus: Corpus {
            name: corpus_name.clone(),
            ref_names: ref_names.clone(),
            system_names,
            documents: Vec::new(),
        },
        corpus_name,
        ref_names,
        metrics,
        normalizer,
        documents,
        systems,
    })
}

/// Reads the stats files and merges them ([`read_stats`], [`merge`]).
pub fn merge_files<P: AsRef<Path>>(paths: &[P]) -> Result<Evaluation> {
    let shards = paths
        .iter()
        .map(|p| read_stats(p.as_ref()))
        .collect::<Result<Vec<_>>>()?;
    merge(shards)
}

impl Corpus {
    /// The corpus without its documents.
    fn clone_header(&self) -> Corpus {
        Corpus {
            name: self.name.clone(),
            ref_names: self.ref_names.clone(),
            system_names: self.system_names.clone(),
            documents: Vec::new(),
        }
    }
}
