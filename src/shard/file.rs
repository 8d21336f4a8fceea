//! The stats file (format in the [parent module's docs](super)): the header
//! ([`StatsHeader`]) and the table, written by [`write_stats`] and read back exactly by
//! [`read_stats`].

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::{DocSum, ShardStats, StatsHeader};
use crate::align::MAX_BEAD_SIDE;
use crate::error::{Error, Location, Result};
use crate::eval::{DocumentInfo, Pair, SegmentEval};
use crate::report::{fmt_stat, write_atomic};

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

/// Writes a stats file atomically (format in the [module docs](super)).
pub fn write_stats(path: &Path, st: &ShardStats) -> Result<()> {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let metrics = st.header.build_metrics()?;
    let systems = &st.header.systems;
    write_atomic(path, |w| {
        writeln!(w, "# {MAGIC}")?;
        for (k, v) in st.header.lines() {
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
        header.push((i + 1, k.to_string(), v.to_string()));
    }
    let header = StatsHeader::from_lines(path, &header)?;
    let systems = &header.systems;
    let n_docs = header.documents;
    let metrics = header.build_metrics()?;
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
        docs: BTreeMap::new(),
        sums: BTreeMap::new(),
        segs: Vec::new(),
    };
    // (file line, document, end of the reference range) of each `seg` row
    let mut seg_lines: Vec<(usize, usize, usize)> = Vec::new();
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
                // A pair is a bead of the aligner, or one segment a side: checked here so that
                // no later stage sizes anything by a number the file only claims.
                if rt - rf > MAX_BEAD_SIDE || ht - hf > MAX_BEAD_SIDE {
                    return Err(Error::input(
                        here(),
                        format!(
                            "segment ranges {rf}..{rt} (reference) and {hf}..{ht} (MT): \
                             expected at most {MAX_BEAD_SIDE} segments a side"
                        ),
                    ));
                }
                seg_lines.push((line, doc, rt));
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
    // Every pair's reference segments are among those its document's row lists.
    for (line, doc, ref_to) in seg_lines {
        let have = st.docs.get(&doc).map(|d| d.lines.len());
        if have.is_none_or(|n| ref_to > n) {
            return Err(Error::input(
                at(line),
                match have {
                    None => format!("segment row of document {doc}, which has no doc row"),
                    Some(n) => format!(
                        "column ref_to: {ref_to}; expected at most {n}, the reference segments \
                         of document {doc}"
                    ),
                },
            ));
        }
    }
    Ok(st)
}
