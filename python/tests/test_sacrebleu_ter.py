"""sacreBLEU 2.6.0's test/test_ter.py and test/test_tokenizer_ter.py cases."""

import pytest

import mtharness as sacrebleu
from mtharness.tokenizers.tokenizer_ter import TercomTokenizer

EPSILON = 1e-3

CASES = [
    (["aaaa bbbb cccc dddd"], ["aaaa bbbb cccc dddd"], 0),  # perfect match
    (["dddd eeee ffff"], ["aaaa bbbb cccc"], 1),  # no overlap
    ([""], ["a"], 1),  # empty hypothesis
    (["a"], [""], 1),  # empty reference
    ([""], [""], 0),  # both empty: 0 by definition
    (["d e f g h a b c"], ["a b c d e f g h"], 1 / 8),  # a single shift fixes the MT
    (
        [
            'wählen Sie " Bild neu berechnen , " um beim Ändern der Bildgröße Pixel hinzuzufügen oder zu entfernen , damit das Bild ungefähr dieselbe Größe aufweist wie die andere Größe .',
            'wenn Sie alle Aufgaben im aktuellen Dokument aktualisieren möchten , wählen Sie im Menü des Aufgabenbedienfelds die Option " Alle Aufgaben aktualisieren . "',
            'klicken Sie auf der Registerkarte " Optionen " auf die Schaltfläche " Benutzerdefiniert " und geben Sie Werte für " Fehlerkorrektur-Level " und " Y / X-Verhältnis " ein .',
            'Sie können beispielsweise ein Dokument erstellen , das ein Auto über die Bühne enthält .',
            'wählen Sie im Dialogfeld " Neu aus Vorlage " eine Vorlage aus und klicken Sie auf " Neu . "',
        ],
        [
            'wählen Sie " Bild neu berechnen , " um beim Ändern der Bildgröße Pixel hinzuzufügen oder zu entfernen , damit die Darstellung des Bildes in einer anderen Größe beibehalten wird .',
            'wenn Sie alle Aufgaben im aktuellen Dokument aktualisieren möchten , wählen Sie im Menü des Aufgabenbedienfelds die Option " Alle Aufgaben aktualisieren . "',
            'klicken Sie auf der Registerkarte " Optionen " auf die Schaltfläche " Benutzerdefiniert " und geben Sie für " Fehlerkorrektur-Level " und " Y / X-Verhältnis " niedrigere Werte ein .',
            'Sie können beispielsweise ein Dokument erstellen , das ein Auto enthalt , das sich über die Bühne bewegt .',
            'wählen Sie im Dialogfeld " Neu aus Vorlage " eine Vorlage aus und klicken Sie auf " Neu . "',
        ],
        0.136,  # WMT dev data (2019)
    ),
]


@pytest.mark.parametrize("hyps, refs, expected", CASES)
def test_ter(hyps, refs, expected):
    score = sacrebleu.metrics.TER().corpus_score(hyps, [refs]).score
    assert abs(score - 100 * expected) < EPSILON


# sacreBLEU tokenises references twice (Metric._cache_references, then
# TER._extract_reference_info) and hypotheses once; normalisation is not idempotent, so equal
# strings can have edits. Expected values from sacreBLEU 2.6.0's
# TER(**options)._extract_corpus_statistics([hyp], [[ref]]).
TWICE = [
    ({"normalized": True}, "Jim's, car.", "Jim's, car.", 40.0),
    ({"normalized": True, "asian_support": True}, "Jim's, car.", "Jim's, car.", 40.0),
    ({"normalized": True, "no_punct": True}, "Jim's, car.", "Jim's, car.", 200 / 3),
    ({"no_punct": True}, "Jim's, car.", "Jim's, car.", 0.0),
    ({"normalized": True}, "The cat sat on the mat.", "The cat, it sat on the mat!", 100 / 3),
]


@pytest.mark.parametrize("options, hyp, ref, expected", TWICE)
def test_ter_tokenises_references_twice(options, hyp, ref, expected):
    score = sacrebleu.metrics.TER(**options).corpus_score([hyp], [[ref]]).score
    assert abs(score - expected) < 1e-9


TOK_DEFAULT = [("a b c d", "a b c d"), ("", ""), ("a b c d.", "a b c d."), ("A B C D.", "a b c d.")]
TOK_NO_PUNCT = [("a b c d.", "a b c d"), ("A ; B ) C : D.", "a b c d")]
TOK_NORM = [("a b (c) d.", "a b ( c ) d ."), ("Jim's car.", "jim 's car ."), ("4.2", "4.2")]
TOK_ASIAN = [
    ("美众院公布对特", "美 众 院 公 布 对 特"),  # Chinese
    ("りの拳銃を持", "りの 拳 銃 を 持"),  # Japanese, the first two letters Hiragana
]


@pytest.mark.parametrize("text, expected", TOK_DEFAULT)
def test_ter_tokenizer_default(text, expected):
    assert TercomTokenizer()(text) == expected


@pytest.mark.parametrize("text, expected", TOK_NO_PUNCT)
def test_ter_tokenizer_nopunct(text, expected):
    assert TercomTokenizer(no_punct=True)(text) == expected


@pytest.mark.parametrize("text, expected", TOK_NORM)
def test_ter_tokenizer_norm(text, expected):
    assert TercomTokenizer(normalized=True)(text) == expected


@pytest.mark.parametrize("text, expected", TOK_ASIAN)
def test_ter_tokenizer_asian(text, expected):
    assert TercomTokenizer(normalized=True, asian_support=True)(text) == expected
