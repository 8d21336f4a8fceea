//! Bit-parallel Levenshtein kernels (Myers 1999, in Hyyrö's 2003 formulation): the pattern's
//! positions are bits, the text is processed one element (one "row") at a time, and each row
//! updates the vertical delta vectors `VP` (`D[i][j] - D[i-1][j] = +1`) and `VN` (`= -1`).
//!
//! The multi-word kernel restricts the computation to the blocks inside an Ukkonen band, with
//! the same band rules as rapidfuzz 3.14.6 (`levenshtein_hyrroe2003_block`), because the
//! recorded delta vectors drive the edit-operation traceback and their values at the band edge
//! decide which of several optimal alignments is reported: to report jiwer's counts we must
//! record the very same bits.

use super::pattern::{BlockMasks, WORD};

/// The delta vectors of every row, as recorded for a traceback. Row `r` stores `cols` words
/// starting at pattern bit `offsets[r]`; bits left of the stored range read as `false`, stored
/// words never written keep their initial value (`VP` all ones, `VN` zero), as in rapidfuzz.
///
/// Memory: `2 * rows * cols` words, i.e. O(|text| * |pattern| / 32) bytes.
pub struct DeltaMatrix {
    cols: usize,
    vp: Vec<u64>,
    vn: Vec<u64>,
    offsets: Vec<isize>,
}

impl DeltaMatrix {
    pub fn new(rows: usize, cols: usize) -> DeltaMatrix {
        DeltaMatrix {
            cols,
            vp: vec![!0u64; rows * cols],
            vn: vec![0u64; rows * cols],
            offsets: vec![0; rows],
        }
    }

    #[inline]
    fn set(&mut self, row: usize, word: usize, vp: u64, vn: u64) {
        if word >= self.cols {
            // Never happens with rapidfuzz's band sizes; guards against writing into the next row.
            return;
        }
        let k = row * self.cols + word;
        self.vp[k] = vp;
        self.vn[k] = vn;
    }

    /// Sets the stored range of row `row` to start at pattern bit `offset`.
    pub fn set_offset(&mut self, row: usize, offset: isize) {
        self.offsets[row] = offset;
    }

    #[inline]
    fn bit(&self, data: &[u64], row: usize, col: usize) -> bool {
        let offset = self.offsets[row];
        let col = if offset < 0 {
            col + offset.unsigned_abs()
        } else if col >= offset as usize {
            col - offset as usize
        } else {
            return false;
        };
        let word = col / WORD;
        if word >= self.cols {
            // Outside the recorded band on the right; rapidfuzz never reads here.
            return false;
        }
        data[row * self.cols + word] & (1u64 << (col % WORD)) != 0
    }

    /// `D[col+1][row+1] - D[col][row+1] == +1` (pattern position `col`, text position `row`).
    #[inline]
    pub fn vp(&self, row: usize, col: usize) -> bool {
        self.bit(&self.vp, row, col)
    }

    /// `D[col+1][row+1] - D[col][row+1] == -1`.
    #[inline]
    pub fn vn(&self, row: usize, col: usize) -> bool {
        self.bit(&self.vn, row, col)
    }
}

/// Distance of a pattern of 1..=64 symbols and a text, given the text as its sequence of
/// match masks (bit `i` set when the text element equals `pattern[i]`).
/// Records every row's delta vectors into `record` (one column, offset 0) when given.
///
/// O(|text|) time, O(1) memory besides the record.
pub fn single_word(
    text_masks: impl Iterator<Item = u64>,
    pattern_len: usize,
    mut record: Option<&mut DeltaMatrix>,
) -> usize {
    debug_assert!((1..=WORD).contains(&pattern_len));
    let mut vp = !0u64;
    let mut vn = 0u64;
    let mut dist = pattern_len;
    let last = 1u64 << (pattern_len - 1);
    for (row, x) in text_masks.enumerate() {
        let d0 = (((x & vp).wrapping_add(vp)) ^ vp) | x | vn;
        let mut hp = vn | !(d0 | vp);
        let mut hn = d0 & vp;
        dist += usize::from(hp & last != 0);
        dist -= usize::from(hn & last != 0);
        hp = (hp << 1) | 1;
        hn <<= 1;
        vp = hn | !(d0 | hp);
        vn = hp & d0;
        if let Some(rec) = record.as_deref_mut() {
            rec.set(row, 0, vp, vn);
        }
    }
    dist
}

/// The state of one row of the block kernel, kept when the kernel stops early at a given row
/// (Hirschberg's split needs the scores of a middle row).
pub struct RowState {
    pub first_block: usize,
    pub last_block: usize,
    /// Score of the cell just left of `first_block` (column `first_block * 64`).
    pub prev_score: usize,
    pub vp: Vec<u64>,
    pub vn: Vec<u64>,
}

/// What the block kernel returns: the distance (or `max + 1` when it exceeds `max`), and the
/// state of `stop_row` when one was asked for.
pub struct BlockOutcome {
    pub dist: usize,
    pub row: Option<RowState>,
}

/// Multi-word kernel over an Ukkonen band for `max`, with rapidfuzz's band rules.
///
/// `record`: store the delta vectors (the matrix must have `text.len()` rows and
/// [`block_record_cols`] columns). `stop_row`: stop after that row and return its state.
/// O(|text| * band / 64) time, O(|pattern| / 64) memory besides the record.
pub fn block(
    pm: &BlockMasks,
    pattern_len: usize,
    text: &[u32],
    max: usize,
    mut record: Option<&mut DeltaMatrix>,
    stop_row: Option<usize>,
) -> BlockOutcome {
    let len1 = pattern_len;
    let len2 = text.len();
    if max < len1.abs_diff(len2) {
        return BlockOutcome {
            dist: max.saturating_add(1),
            row: None,
        };
    }
    let words = pm.words();
    let mut vp = vec![!0u64; words];
    let mut vn = vec![0u64; words];
    let mut scores: Vec<usize> = (1..=words).map(|w| w * WORD).collect();
    scores[words - 1] = len1;
    let last_bit = 1u64 << ((len1 - 1) % WORD);
    let mut pm_row = vec![0u64; words];

    let mut max = max.min(len1.max(len2));
    let mut first_block = 0usize;
    // `max + len1 - len2` cannot underflow: `max >= |len1 - len2|` was checked above.
    let mut last_block = words.min((((max + len1 - len2) / 2).min(max) + 1).div_ceil(WORD)) - 1;

    // Pattern position of the last bit of block `w` (0-based).
    let row_num = |w: usize| -> usize {
        if w + 1 == words {
            len1 - 1
        } else {
            (w + 1) * WORD - 1
        }
    };

    for (row, &c) in text.iter().enumerate() {
        pm.fill_row(c, &mut pm_row);
        let mut hp_carry = 1u64;
        let mut hn_carry = 0u64;
        if let Some(rec) = record.as_deref_mut() {
            rec.offsets[row] = (first_block * WORD) as isize;
        }
        // Block `w` of this row by `step`, its delta vectors recorded when asked; evaluates to
        // the change of the block's score. A macro, not a closure: it borrows the row's state
        // only where it is used, and the step stays inline in the band loop.
        macro_rules! step_block {
            ($w:expr) => {{
                let w = $w;
                let delta = step(
                    pm_row[w],
                    &mut vp[w],
                    &mut vn[w],
                    w + 1 == words,
                    last_bit,
                    &mut hp_carry,
                    &mut hn_carry,
                );
                if let Some(rec) = record.as_deref_mut() {
                    rec.set(row, w - first_block, vp[w], vn[w]);
                }
                delta
            }};
        }

        // `w` also indexes `pm_row`, `vp` and `vn` inside `step_block!`, which clippy cannot see.
        #[allow(clippy::needless_range_loop)]
        for w in first_block..=last_block {
            scores[w] = (scores[w] as isize + step_block!(w)) as usize;
        }

        // Tighten max by what the last block's score can still reach.
        let rest = (len2 as isize - row as isize - 1)
            .max(len1 as isize - (((1 + last_block) * WORD - 1) as isize - 1));
        max = (max as isize).min(scores[last_block] as isize + rest) as usize;

        // Extend the band by one block below when it may enter it.
        if last_block + 1 < words {
            let cond =
                (max + 2 * WORD + row + len1) as isize - (scores[last_block] + 2 + len2) as isize;
            if (row_num(last_block) as isize) < cond {
                last_block += 1;
                vp[last_block] = !0;
                vn[last_block] = 0;
                let chars_in_block = if last_block + 1 == words {
                    (len1 - 1) % WORD + 1
                } else {
                    WORD
                };
                let w = last_block;
                let start = scores[w - 1] + chars_in_block + hn_carry as usize - hp_carry as usize;
                scores[w] = (start as isize + step_block!(w)) as usize;
            }
        }

        // Drop blocks that left the band at the bottom ...
        let mut lb = last_block as isize;
        while lb >= first_block as isize {
            let w = lb as usize;
            let in_score = scores[w] < max + WORD;
            let cond = (max + 2 * WORD + row + len1 + 1) as isize - (scores[w] + 2 + len2) as isize;
            if in_score && (row_num(w) as isize) <= cond {
                break;
            }
            lb -= 1;
        }
        // ... and at the top.
        while first_block as isize <= lb {
            let w = first_block;
            let in_score = scores[w] < max + WORD;
            let cond = (scores[w] + len1 + row) as isize - (max + len2) as isize;
            if in_score && (row_num(w) as isize) >= cond {
                break;
            }
            first_block += 1;
        }
        if lb < first_block as isize {
            return BlockOutcome {
                dist: max + 1,
                row: None,
            };
        }
        last_block = lb as usize;

        if stop_row == Some(row) {
            let prev_score = if first_block == 0 {
                row + 1
            } else {
                let relevant = ((first_block + 1) * WORD).min(len1) % WORD;
                let mask = if relevant == 0 {
                    !0u64
                } else {
                    !0u64 >> (WORD - relevant)
                };
                (scores[first_block] as isize + (vn[first_block] & mask).count_ones() as isize
                    - (vp[first_block] & mask).count_ones() as isize) as usize
            };
            return BlockOutcome {
                dist: 0,
                row: Some(RowState {
                    first_block,
                    last_block,
                    prev_score,
                    vp,
                    vn,
                }),
            };
        }
    }

    let dist = scores[words - 1];
    BlockOutcome {
        dist: if dist > max { max + 1 } else { dist },
        row: None,
    }
}

/// One block of one row: consumes the carries coming from the block above and leaves the
/// carries going out; returns the change of the score at the block's last bit.
#[inline(always)]
fn step(
    pm: u64,
    vp: &mut u64,
    vn: &mut u64,
    is_last_word: bool,
    last_bit: u64,
    hp_carry: &mut u64,
    hn_carry: &mut u64,
) -> isize {
    let x = pm | *hn_carry;
    let d0 = (((x & *vp).wrapping_add(*vp)) ^ *vp) | x | *vn;
    let mut hp = *vn | !(d0 | *vp);
    let mut hn = d0 & *vp;
    let (hp_in, hn_in) = (*hp_carry, *hn_carry);
    if is_last_word {
        *hp_carry = u64::from(hp & last_bit != 0);
        *hn_carry = u64::from(hn & last_bit != 0);
    } else {
        *hp_carry = hp >> 63;
        *hn_carry = hn >> 63;
    }
    hp = (hp << 1) | hp_in;
    hn = (hn << 1) | hn_in;
    *vp = hn | !(d0 | hp);
    *vn = hp & d0;
    *hp_carry as isize - *hn_carry as isize
}

/// Columns (words per row) of the record the block kernel needs for `max`.
pub fn block_record_cols(pattern_len: usize, words: usize, max: usize) -> usize {
    let full_band = pattern_len.min(max.saturating_mul(2).saturating_add(1));
    words.min(full_band / WORD + 2)
}

/// `a >> shift`, zero for shifts of 64 or more (and for negative shifts, which do not occur).
#[inline]
fn shr(a: u64, shift: isize) -> u64 {
    if (0..WORD as isize).contains(&shift) {
        a >> shift
    } else {
        0
    }
}

/// Diagonal-band kernel for `max <= 31` with a long pattern (rapidfuzz
/// `levenshtein_hyrroe2003_small_band`, the recording variant): one 64-bit word follows the
/// diagonal band `[-max, max]` and the pattern masks are shifted into it as the text advances.
/// Requires `max <= pattern.len()`, `max <= text.len()` and `|pattern| - |text| <= max`.
/// Returns the distance (`max + 1` if larger) and the recorded delta matrix.
///
/// O(|text|) time, O(|text|) memory for the record.
pub fn small_band(
    pattern: &[u32],
    n_symbols: u32,
    text: &[u32],
    max: usize,
) -> (usize, DeltaMatrix) {
    let len1 = pattern.len();
    let len2 = text.len();
    let mut rec = DeltaMatrix::new(len2, 1);
    let start_offset = max as isize + 2 - WORD as isize;
    for i in 0..len2 {
        rec.set_offset(i, start_offset + i as isize);
    }
    if max >= WORD || max > len1 || max > len2 || len1 > len2 + max {
        return (max.saturating_add(1), rec);
    }
    let mut vp = !0u64 << (WORD - max - 1);
    let mut vn = 0u64;
    let mut dist = max;
    let diagonal_mask = 1u64 << 63;
    let mut horizontal_mask = 1u64 << 62;
    let break_score = 2 * max + len2 - len1;
    // Per symbol: the text position its mask was last aligned to, and the mask.
    let mut pm: Vec<(isize, u64)> = vec![(0, 0); n_symbols as usize + 1];
    let mut k = 0usize;
    for j in -(max as isize)..0 {
        let x = &mut pm[pattern[k] as usize];
        x.1 = shr(x.1, j - x.0) | (1u64 << 63);
        x.0 = j;
        k += 1;
    }
    for (i, &c) in text.iter().enumerate() {
        let ii = i as isize;
        if k < len1 {
            let x = &mut pm[pattern[k] as usize];
            x.1 = shr(x.1, ii - x.0) | (1u64 << 63);
            x.0 = ii;
            k += 1;
        }
        let (pos, mask) = pm[c as usize];
        let x = shr(mask, ii - pos);
        let d0 = (((x & vp).wrapping_add(vp)) ^ vp) | x | vn;
        let hp = vn | !(d0 | vp);
        let hn = d0 & vp;
        if i < len1 - max {
            dist += usize::from(d0 & diagonal_mask == 0);
        } else {
            dist += usize::from(hp & horizontal_mask != 0);
            dist -= usize::from(hn & horizontal_mask != 0);
            horizontal_mask >>= 1;
        }
        if dist > break_score {
            return (max + 1, rec);
        }
        vp = hn | !((d0 >> 1) | hp);
        vn = (d0 >> 1) & hp;
        rec.set(i, 0, vp, vn);
    }
    (if dist > max { max + 1 } else { dist }, rec)
}
