//! Slow twin of the TER kernels, for tests only: sacreBLEU's lib_ter.py structure kept as is
//! (full `(cost, op)` matrix with the strict `>` update order, trace string, flip, alignment
//! dictionary, candidate tuples), every candidate computed from scratch (no cache, no
//! backward matrix). O(candidates * n * m).

use std::collections::HashMap;

const INF: i64 = 10_000_000_000_000_000; // sacreBLEU _INT_INFINITY = int(1e16)

fn edit_distance(h: &[&str], r: &[&str]) -> (i64, String) {
    let (n, m) = (h.len(), r.len());
    let mut dist: Vec<Vec<(i64, char)>> = vec![vec![(INF, 'x'); m + 1]; n + 1];
    for (j, cell) in dist[0].iter_mut().enumerate() {
        *cell = (j as i64, 'i');
    }
    let ratio = if n > 0 { m as f64 / n as f64 } else { 1.0 };
    let beam: i64 = if 25.0 < ratio / 2.0 {
        (ratio / 2.0 + 25.0).ceil() as i64
    } else {
        25
    };
    for i in 1..=n {
        let diag = (i as f64 * ratio).floor() as i64;
        let min_j = (diag - beam).max(0);
        let mut max_j = (m as i64 + 1).min(diag + beam);
        if i == n {
            max_j = m as i64 + 1;
        }
        for j in min_j..max_j {
            let j = j as usize;
            if j == 0 {
                dist[i][j] = (dist[i - 1][j].0 + 1, 'd');
            } else {
                let (cs, os) = if h[i - 1] == r[j - 1] {
                    (0, ' ')
                } else {
                    (1, 's')
                };
                let ops = [
                    (dist[i - 1][j - 1].0 + cs, os),
                    (dist[i - 1][j].0 + 1, 'd'),
                    (dist[i][j - 1].0 + 1, 'i'),
                ];
                for (c, o) in ops {
                    if dist[i][j].0 > c {
                        dist[i][j] = (c, o);
                    }
                }
            }
        }
    }
    let mut trace = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let op = dist[i][j].1;
        trace.push(op);
        match op {
            's' | ' ' => {
                i -= 1;
                j -= 1;
            }
            'i' => j -= 1,
            'd' => i -= 1,
            _ => panic!("unknown op {op:?}"),
        }
    }
    trace.reverse();
    (dist[n][m].0, trace.into_iter().collect())
}

fn perform_shift<'a>(w: &[&'a str], start: usize, length: usize, target: usize) -> Vec<&'a str> {
    let n = w.len();
    let s = |a: usize, b: usize| w[a.min(n)..b.min(n).max(a.min(n))].to_vec();
    if target < start {
        [
            s(0, target),
            s(start, start + length),
            s(target, start),
            s(start + length, n),
        ]
        .concat()
    } else if target > start + length {
        [
            s(0, start),
            s(start + length, target),
            s(start, start + length),
            s(target, n),
        ]
        .concat()
    } else {
        [
            s(0, start),
            s(start + length, length + target),
            s(start, start + length),
            s(length + target, n),
        ]
        .concat()
    }
}

type Found<'a> = (i64, Vec<&'a str>, usize, Option<(usize, usize, usize)>);

fn shift<'a>(h: &[&'a str], r: &[&str], mut checked: usize) -> Found<'a> {
    let (pre, inv) = edit_distance(h, r);
    let trace: String = inv
        .chars()
        .map(|c| match c {
            'i' => 'd',
            'd' => 'i',
            o => o,
        })
        .collect();
    let (mut ph, mut pr) = (-1i64, -1i64);
    let (mut hyp_err, mut ref_err) = (Vec::new(), Vec::new());
    let mut align: HashMap<i64, i64> = HashMap::new();
    for op in trace.chars() {
        match op {
            ' ' | 's' => {
                ph += 1;
                pr += 1;
                align.insert(pr, ph);
                let e = i32::from(op == 's');
                hyp_err.push(e);
                ref_err.push(e);
            }
            'i' => {
                ph += 1;
                hyp_err.push(1);
            }
            'd' => {
                pr += 1;
                align.insert(pr, ph);
                ref_err.push(1);
            }
            _ => unreachable!(),
        }
    }
    // (gain, length, -start_h, -idx, words, (start, length, idx))
    type Cand<'b> = (i64, usize, i64, i64, Vec<&'b str>, (usize, usize, usize));
    let mut best: Option<Cand<'a>> = None;
    let (n, m) = (h.len(), r.len());
    'pairs: for sh in 0..n {
        for sr in 0..m {
            if (sr as i64 - sh as i64).abs() > 50 {
                continue;
            }
            let mut length = 0;
            while h[sh + length] == r[sr + length] && length < 10 {
                length += 1;
                let skip = hyp_err[sh..sh + length].iter().sum::<i32>() == 0
                    || ref_err[sr..sr + length].iter().sum::<i32>() == 0
                    || (sh as i64 <= align[&(sr as i64)]
                        && align[&(sr as i64)] < (sh + length) as i64);
                if !skip {
                    let mut prev_idx = -1i64;
                    for offset in -1..length as i64 {
                        let pos = sr as i64 + offset;
                        let idx = if pos == -1 {
                            0
                        } else if let Some(a) = align.get(&pos) {
                            a + 1
                        } else {
                            break;
                        };
                        if idx == prev_idx {
                            continue;
                        }
                        prev_idx = idx;
                        let shifted = perform_shift(h, sh, length, idx as usize);
                        assert_eq!(shifted.len(), n);
                        let cost = edit_distance(&shifted, r).0;
                        let cand = (
                            pre - cost,
                            length,
                            -(sh as i64),
                            -idx,
                            shifted,
                            (sh, length, idx as usize),
                        );
                        checked += 1;
                        let better = match &best {
                            None => true,
                            Some(b) => {
                                (cand.0, cand.1, cand.2, cand.3, &cand.4)
                                    > (b.0, b.1, b.2, b.3, &b.4)
                            }
                        };
                        if better {
                            best = Some(cand);
                        }
                    }
                    if checked >= 1000 {
                        break 'pairs;
                    }
                }
                if n == sh + length || m == sr + length {
                    break;
                }
            }
        }
    }
    match best {
        None => (0, h.to_vec(), checked, None),
        Some((gain, _, _, _, words, sh)) => (gain, words, checked, Some(sh)),
    }
}

/// `(edits, applied shifts as (start, length, target))`.
pub(crate) fn translation_edit_rate(h: &[&str], r: &[&str]) -> (usize, Vec<(usize, usize, usize)>) {
    if r.is_empty() {
        return (h.len(), Vec::new());
    }
    let mut words = h.to_vec();
    let mut checked = 0;
    let mut shifts = Vec::new();
    loop {
        let (delta, new_words, c, sh) = shift(&words, r, checked);
        checked = c;
        if checked >= 1000 || delta <= 0 {
            break;
        }
        shifts.push(sh.expect("a positive gain has a shift"));
        words = new_words;
    }
    let (ed, _) = edit_distance(&words, r);
    (shifts.len() + ed as usize, shifts)
}
