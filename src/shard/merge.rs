//! Merging: the stats of all shards of one run back into the [`Evaluation`] a single run gives
//! ([`merge`], [`merge_files`]), after checking that the shards belong together and that every
//! stored sum is what its segment rows give.

use std::collections::BTreeMap;
use std::path::Path;

use super::file::read_stats;
use super::{DocSum, SegRow, ShardStats};
use crate::corpus::Corpus;
use crate::error::{Error, Result};
use crate::eval::{summarize, DocumentInfo, Evaluation, SegmentEval};

/// Combines the stats of all `N` shards of one run into the [`Evaluation`] a single run gives
/// (same documents, pairs, sums; `corpus` holds no texts). Shards may come in any order.
/// Errors: no shard, different signatures (options, corpus, version), different `N`, a
/// missing or repeated shard, a document covered by no shard, a stored sum that its segment
/// rows do not give. O(total rows * log).
pub fn merge(shards: Vec<ShardStats>) -> Result<Evaluation> {
    let first = shards
        .first()
        .ok_or_else(|| Error::config("merge: no stats file given"))?;
    let n = first.header.shard.count;
    // Sets and maps, not tables of the sizes the files claim: a hostile `N` or document count
    // costs nothing before it is refused.
    let mut seen = std::collections::BTreeSet::new();
    for st in &shards {
        let diff = first.header.differences(&st.header);
        if !diff.is_empty() {
            return Err(Error::config(format!(
                "merge: shards were scored differently and cannot be combined ({})",
                diff.join("; ")
            )));
        }
        if st.header.shard.count != n {
            return Err(Error::config(format!(
                "merge: shard {} belongs to a run of {} shards, another to a run of {n}",
                st.header.shard, st.header.shard.count
            )));
        }
        if !seen.insert(st.header.shard.index) {
            return Err(Error::config(format!(
                "merge: shard {} given twice",
                st.header.shard
            )));
        }
    }
    if let Some(missing) = first_missing(&seen, n) {
        return Err(Error::config(format!(
            "merge: shard {missing}/{n} is missing ({} of {n} given)",
            shards.len()
        )));
    }
    let header = first.header.clone();
    let ref_names = header.refs.clone();
    let system_names = header.systems.clone();
    let n_docs = header.documents;
    let metrics = header.build_metrics()?;
    let normalizer = header.normalize.clone();

    // documents: every one must be covered; copies (split one-document corpus) must agree
    let mut found: BTreeMap<usize, &DocumentInfo> = BTreeMap::new();
    for st in &shards {
        for (&d, info) in &st.docs {
            match found.insert(d, info) {
                Some(prev) if prev != info => {
                    return Err(Error::config(format!(
                        "merge: shards disagree on document {} ({})",
                        d, info.id
                    )))
                }
                _ => {}
            }
        }
    }
    // `read_stats` keeps document indices below `n_docs`, so all are there when the counts agree.
    let indices: std::collections::BTreeSet<usize> = found.keys().copied().collect();
    if let Some(d) = first_missing(&indices, n_docs) {
        return Err(Error::config(format!(
            "merge: document {d} is in no shard (the stats headers claim {n_docs} documents)"
        )));
    }
    let mut documents: Vec<DocumentInfo> = found.into_values().cloned().collect();
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
                    st.header.shard,
                    system_names.get(s).map_or("?", String::as_str),
                    documents[d].id
                )));
            }
        }
        if let Some(((s, d), _)) = per.into_iter().next() {
            return Err(Error::config(format!(
                "merge: shard {}: segment rows of system {s} document {d} have no sum row",
                st.header.shard
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
    let corpus_name = header.corpus.clone();
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

/// The smallest number below `n` that `have` lacks (`have` holds numbers below `n` only).
/// O(|have|), whatever `n`.
fn first_missing(have: &std::collections::BTreeSet<usize>, n: usize) -> Option<usize> {
    if have.len() >= n {
        return None;
    }
    Some(
        (0..)
            .zip(have)
            .find(|(k, &x)| *k != x)
            .map_or(have.len(), |(k, _)| k),
    )
}

/// Reads the stats files and merges them ([`read_stats`], [`merge`]).
pub fn merge_files<P: AsRef<Path>>(paths: &[P]) -> Result<Evaluation> {
    let shards = paths
        .iter()
        .map(|p| read_stats(p.as_ref()))
        .collect::<Result<Vec<_>>>()?;
    merge(shards)
}
