"""sacreBLEU 2.6.0's test/test_bleu.py cases (expected values from sacreBLEU), run against
`import mtharness as sacrebleu`."""

from collections import namedtuple

import pytest

import mtharness as sacrebleu
from mtharness.metrics import BLEU

EPSILON = 1e-8

Statistics = namedtuple("Statistics", ["common", "total"])

# (hypotheses, references, expected BLEU / 100); the first is 0.0 since sacreBLEU #141
RAW_BLEU = [
    (["this is a test", "another test"], [["ref1", "ref2"]], 0.0),
    (["this is a test"], [["this is a test"]], 1.0),
    (["this is a fest"], [["this is a test"]], 0.223606797749979),
]

REFS = [
    ["The dog bit the man.", "It was not unexpected.", "The man bit him first."],
    ["The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."],
]
HYPS = ["The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."]

CORPUS_BLEU = [
    (HYPS, REFS, {}, 48.530827),
    (("", "", ""), REFS, {}, 0.0),  # empty hypotheses are not removed
    (HYPS, REFS, {"tokenize": "none"}, 49.1919566),
    (HYPS, REFS, {"tokenize": "13a"}, 48.530827),
    (HYPS, REFS, {"tokenize": "intl"}, 43.91623493),
    (HYPS, REFS, {"smooth_method": "none"}, 48.530827),
]

OFFSET = [(["am I am a character sequence"], [["I am a symbol string sequence a a"]], 0.1555722182, 0)]

STATISTICS = [
    (["am I am a character sequence"], [["I am a symbol string sequence a a"]],
     Statistics([4, 2, 1, 0], [6, 5, 4, 3])),
]

SCORING = [((Statistics([9, 7, 5, 3], [10, 8, 6, 4]), 11, 11), 0.8375922397)]

EFFECTIVE_ORDER = [
    (["test"], [["a test"]], 0.3678794411714425),
    (["a test"], [["a test"]], 1.0),
    (["a little test"], [["a test"]], 0.03218297948685433),
]

# (statistics, sys_len, ref_len), floor value, expected score
DEGENERATE = [
    ((Statistics([0, 0, 0, 0], [4, 4, 2, 1]), 0, 1), 0.0, 0.0),
    ((Statistics([0, 0, 0, 0], [10, 11, 12, 0]), 14, 10), 0.0, 0.0),
    ((Statistics([0, 0, 0, 0], [0, 0, 0, 0]), 0, 0), 0.0, 0.0),
    ((Statistics([6, 5, 4, 0], [6, 5, 4, 3]), 6, 6), 0.0, 0.0),
    ((Statistics([0, 0, 0, 0], [0, 0, 0, 0]), 0, 0), 0.1, 0.0),
    ((Statistics([0, 0, 0, 0], [0, 0, 0, 0]), 1, 5), 0.01, 0.0),
]

MAX_ORDER = [(1, "77.65"), (2, "60.50"), (3, "53.93"), (4, "48.53"), (5, "46.14"), (6, "43.28")]


@pytest.mark.parametrize("hyps, refs, expected", RAW_BLEU)
def test_raw_bleu(hyps, refs, expected):
    assert abs(sacrebleu.raw_corpus_bleu(hyps, refs, .01).score / 100 - expected) < EPSILON


@pytest.mark.parametrize("hyps, refs, kwargs, expected", CORPUS_BLEU)
def test_corpus_bleu(hyps, refs, kwargs, expected):
    assert abs(sacrebleu.corpus_bleu(hyps, refs, **kwargs).score - expected) < EPSILON


@pytest.mark.parametrize("hyps, refs, expected", EFFECTIVE_ORDER)
def test_effective_order(hyps, refs, expected):
    assert abs(sacrebleu.raw_corpus_bleu(hyps, refs, .01).score / 100 - expected) < EPSILON


@pytest.mark.parametrize("hyps, refs, expected", STATISTICS)
def test_statistics(hyps, refs, expected):
    result = sacrebleu.raw_corpus_bleu(hyps, refs, .01)
    assert Statistics(result.counts, result.totals) == expected


@pytest.mark.parametrize("stats, expected", SCORING)
def test_scoring(stats, expected):
    score = BLEU.compute_bleu(stats[0].common, stats[0].total, stats[1], stats[2]).score / 100
    assert abs(score - expected) < EPSILON


@pytest.mark.parametrize("hyps, refs, with_offset, without_offset", OFFSET)
def test_offset(hyps, refs, with_offset, without_offset):
    assert abs(without_offset - sacrebleu.raw_corpus_bleu(hyps, refs, 0.0).score / 100) < EPSILON
    # None: BLEU's default floor of 0.1
    assert abs(with_offset - sacrebleu.raw_corpus_bleu(hyps, refs, None).score / 100) < EPSILON
    assert abs(with_offset - sacrebleu.raw_corpus_bleu(hyps, refs).score / 100) < EPSILON


@pytest.mark.parametrize("stats, offset, expected", DEGENERATE)
def test_degenerate_statistics(stats, offset, expected):
    score = BLEU.compute_bleu(
        stats[0].common, stats[0].total, stats[1], stats[2],
        smooth_method="floor", smooth_value=offset).score / 100
    assert score == expected


@pytest.mark.parametrize("order, expected", MAX_ORDER)
def test_max_ngram_order(order, expected):
    assert f"{BLEU(max_ngram_order=order).corpus_score(HYPS, REFS).score:.2f}" == expected
