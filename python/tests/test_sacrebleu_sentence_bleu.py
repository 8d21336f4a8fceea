"""sacreBLEU 2.6.0's test/test_sentence_bleu.py cases (sacreBLEU issues #98 and #141)."""

import pytest

import mtharness as sacrebleu

EPSILON = 1e-3

# sacreBLEU #98
REF = "producţia de zahăr brut se exprimă în zahăr alb;"
SYS = "Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;"

CASES = [
    # smoothing
    ("exp", None, False, "13a", 8.493),
    ("none", None, False, "13a", 0.0),
    ("floor", None, False, "13a", 4.51688),  # defaults to 0.1
    ("floor", 0.1, False, "13a", 4.51688),
    ("floor", 0.5, False, "13a", 10.10),
    ("add-k", None, False, "13a", 14.882),  # defaults to 1
    ("add-k", 1, False, "13a", 14.882),
    ("add-k", 2, False, "13a", 21.389),
    # tokenizer
    ("exp", None, False, "none", 7.347),
    ("exp", None, False, "intl", 8.493),
    ("exp", None, False, "char", 40.8759),
    # case
    ("exp", None, True, "char", 42.0267),
]

# sacreBLEU #141: no match at all scores 0 whatever the smoothing
REF_0 = "okay thanks"
SYS_0 = "this is a cat"

ZERO = [
    ("exp", None, False, "13a", 0.0),
    ("none", None, False, "13a", 0.0),
    ("floor", None, False, "13a", 0.0),
    ("floor", 0.1, False, "13a", 0.0),
    ("add-k", None, False, "13a", 0.0),
    ("add-k", 1, False, "13a", 0.0),
]


@pytest.mark.parametrize("smooth_method, smooth_value, lowercase, tok, expected", CASES)
def test_compat_sentence_bleu(smooth_method, smooth_value, lowercase, tok, expected):
    score = sacrebleu.compat.sentence_bleu(
        SYS, [REF], smooth_method=smooth_method, smooth_value=smooth_value,
        tokenize=tok, lowercase=lowercase, use_effective_order=True)
    assert abs(score.score - expected) < EPSILON


@pytest.mark.parametrize("smooth_method, smooth_value, lowercase, tok, expected", CASES)
def test_api_sentence_bleu(smooth_method, smooth_value, lowercase, tok, expected):
    metric = sacrebleu.metrics.BLEU(
        lowercase=lowercase, force=False, tokenize=tok,
        smooth_method=smooth_method, smooth_value=smooth_value, effective_order=True)
    assert abs(metric.sentence_score(SYS, [REF]).score - expected) < EPSILON


@pytest.mark.parametrize("smooth_method, smooth_value, lowercase, tok, expected", ZERO)
def test_api_sentence_bleu_zero(smooth_method, smooth_value, lowercase, tok, expected):
    metric = sacrebleu.metrics.BLEU(
        lowercase=lowercase, force=False, tokenize=tok,
        smooth_method=smooth_method, smooth_value=smooth_value, effective_order=True)
    assert abs(metric.sentence_score(SYS_0, [REF_0]).score - expected) < EPSILON
