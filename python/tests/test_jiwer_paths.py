"""The default transforms run in Rust; the same transforms written out as a new `Compose` run in
Python (jiwer's own `re.sub`, `str.strip`, `str.split`). Both paths must give the same words,
chunks and counts on text full of odd whitespace."""

import random

import pytest

import mtharness as jiwer
from mtharness import transforms as tr

PIECES = ["a", "b", "cat", "Dog", "ü", "漢", "x.y", " ", "  ", "\t", "\n", "\r\n", "\xa0", "\u2028",
          "\u3000", "\x1c", "\x1f", "\x85", "\u200b", "\ufeff", "\x0b", "\x0c", ""]


def random_text(rng):
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 12)))


PY_WER = tr.Compose([tr.RemoveMultipleSpaces(), tr.Strip(), tr.ReduceToListOfListOfWords()])
PY_CER = tr.Compose([tr.Strip(), tr.ReduceToListOfListOfChars()])


@pytest.mark.parametrize("seed", range(20))
def test_rust_and_python_word_paths_agree(seed):
    rng = random.Random(seed)
    refs = [random_text(rng) for _ in range(30)]
    hyps = [random_text(rng) for _ in range(30)]
    fast = jiwer.process_words(refs, hyps)
    slow = jiwer.process_words(refs, hyps, reference_transform=PY_WER, hypothesis_transform=PY_WER)
    assert fast.references == slow.references
    assert fast.hypotheses == slow.hypotheses
    assert fast.alignments == slow.alignments
    assert (fast.wer, fast.hits, fast.substitutions, fast.deletions, fast.insertions) == (
        slow.wer, slow.hits, slow.substitutions, slow.deletions, slow.insertions)
    assert jiwer.wer(refs, hyps) == slow.wer


@pytest.mark.parametrize("seed", range(20))
def test_rust_and_python_char_paths_agree(seed):
    rng = random.Random(1000 + seed)
    refs = [random_text(rng) for _ in range(30)]
    hyps = [random_text(rng) for _ in range(30)]
    fast = jiwer.process_characters(refs, hyps)
    slow = jiwer.process_characters(refs, hyps, reference_transform=PY_CER, hypothesis_transform=PY_CER)
    assert fast.references == slow.references
    assert fast.alignments == slow.alignments
    assert fast.cer == slow.cer
