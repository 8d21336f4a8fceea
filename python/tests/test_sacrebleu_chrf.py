"""sacreBLEU 2.6.0's test/test_chrf.py cases (expected values from sacreBLEU)."""

import pytest

import mtharness as sacrebleu

EPSILON = 1e-4

SENTENCE_LEVEL = [
    (
        "Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.",
        ["Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře."],
        39.14078509,
    ),
    (
        "Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.",
        ["A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři."],
        31.22557079,
    ),
    (
        "Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.",
        ["Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli."],
        57.15704367,
    ),
]

# eps smoothing (chrF++.py / NLTK style): unfulfilled orders count
EPS_SMOOTHING = [
    (["abcdefg"], ["hijklmnop"], 0.0),
    (["a"], ["b"], 0.0),
    ([""], ["b"], 0.0),
    ([""], ["ref"], 0.0),
    ([""], ["reference"], 0.0),
    (["aa"], ["ab"], 8.3333),
    (["a", "b"], ["a", "c"], 8.3333),
    (["a"], ["a"], 16.6667),
    (["a b c"], ["a b c"], 50.0),
    (["a b c"], ["abc"], 50.0),
    ([" risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists ."],
     ["risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists ."], 63.361730),
    ([" Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. "],
     ["Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."], 64.1302698),
    (["Niemand hat die Absicht, eine Mauer zu errichten"], ["Niemand hat die Absicht, eine Mauer zu errichten"], 100.0),
]

# effective order (sacreBLEU < 2.0.0 and the default)
EFFECTIVE_ORDER = [
    (["a"], ["a"], 100.0),
    ([""], ["reference"], 0.0),
    (["a b c"], ["a b c"], 100.0),
    (["a b c"], ["abc"], 100.0),
    ([""], ["c"], 0.0),
    (["a", "b"], ["a", "c"], 50.0),
    (["aa"], ["ab"], 25.0),
]

KEEP_WHITESPACE = [
    (["Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich."],
     ["Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."], 67.3481606),
    (["risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists ."],
     ["risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists ."], 65.2414427),
]


@pytest.mark.parametrize("hyps, refs, expected", EPS_SMOOTHING)
def test_chrf(hyps, refs, expected):
    score = sacrebleu.corpus_chrf(hyps, [refs], char_order=6, word_order=0, beta=3,
                                  eps_smoothing=True).score
    assert abs(score - expected) < EPSILON


@pytest.mark.parametrize("hyps, refs, expected", EFFECTIVE_ORDER)
def test_chrf_eff_order(hyps, refs, expected):
    score = sacrebleu.corpus_chrf(hyps, [refs], char_order=6, word_order=0, beta=3,
                                  eps_smoothing=False).score
    assert abs(score - expected) < EPSILON


@pytest.mark.parametrize("hyps, refs, expected", KEEP_WHITESPACE)
def test_chrf_keep_whitespace(hyps, refs, expected):
    score = sacrebleu.corpus_chrf(hyps, [refs], char_order=6, word_order=0, beta=3,
                                  remove_whitespace=False).score
    assert abs(score - expected) < EPSILON


@pytest.mark.parametrize("hyp, refs, expected", SENTENCE_LEVEL)
def test_chrf_sentence_level(hyp, refs, expected):
    assert abs(sacrebleu.sentence_chrf(hyp, refs, eps_smoothing=True).score - expected) < EPSILON
