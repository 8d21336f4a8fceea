"""sacreBLEU's documented Python API (its README's examples, expected outputs from there),
signatures and score formatting, and a sacreBLEU script run unchanged with
`import mtharness as sacrebleu`."""

import json
import subprocess
import sys
import textwrap

import pytest

import mtharness as sacrebleu
from mtharness.metrics import BLEU, CHRF, TER

REFS = [
    ["The dog bit the man.", "It was not unexpected.", "The man bit him first."],
    ["The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."],
]
SYS = ["The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."]

VERSION_TAIL = f"compat:sacrebleu-2.6.0|version:mtharness-{sacrebleu.__version__}"


def test_readme_object_api():
    bleu = BLEU()
    assert repr(bleu.corpus_score(SYS, REFS)) == (
        "BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)")
    assert str(bleu.get_signature()) == f"nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|{VERSION_TAIL}"
    assert str(CHRF().corpus_score(SYS, REFS)) == "chrF2 = 59.73"


def test_readme_variable_number_of_references():
    refs = [[None, "It was not unexpected.", "The man bit him first."], REFS[1]]
    bleu = BLEU()
    assert str(bleu.corpus_score(SYS, refs)) == (
        "BLEU = 29.44 82.4/42.9/27.3/12.5 (BP = 0.889 ratio = 0.895 hyp_len = 17 ref_len = 19)")
    assert str(bleu.get_signature()).startswith("nrefs:var|case:mixed|eff:no|tok:13a|smooth:exp|")


def test_readme_compat_api():
    assert str(sacrebleu.corpus_bleu(SYS, REFS)) == (
        "BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)")


def test_score_fields():
    b = sacrebleu.corpus_bleu(SYS, REFS)
    assert b.counts == [14, 7, 5, 3] and b.totals == [17, 14, 11, 8]
    assert isinstance(b.sys_len, int) and b.sys_len == 17 and b.ref_len == 18
    assert [round(p, 1) for p in b.precisions] == [82.4, 50.0, 45.5, 37.5]
    assert round(b.bp, 3) == 0.943 and round(b.ratio, 3) == 0.944
    c = sacrebleu.corpus_chrf(SYS, REFS)
    assert (c.name, c.char_order, c.word_order, c.beta) == ("chrF2", 6, 0, 2)
    assert CHRF(word_order=2).corpus_score(SYS, REFS).name == "chrF2++"
    t = sacrebleu.corpus_ter(SYS, REFS)
    assert isinstance(t.num_edits, int) and t.ref_length > 0
    assert t.score == pytest.approx(100 * t.num_edits / t.ref_length)


def test_format_with_signature_width_and_json():
    bleu = BLEU()
    score = bleu.corpus_score(SYS, REFS)
    sig = bleu.get_signature().format()
    assert score.format(signature=sig).startswith(f"BLEU|{sig} = 48.53 82.4/")
    assert score.format(width=4, score_only=True) == "48.5308"
    d = json.loads(score.format(signature=sig, is_json=True))
    assert d["name"] == "BLEU" and d["score"] == 48.53 and d["nrefs"] == "2" and d["tok"] == "13a"
    assert d["verbose_score"].startswith("82.4/50.0/45.5/37.5")


def test_signatures_of_each_metric():
    chrf, chrfpp, ter = CHRF(), CHRF(word_order=2), TER()
    for m in (chrf, chrfpp, ter):
        m.corpus_score(SYS, [REFS[0]])
    # the library's chrF and TER signatures carry its version (no compat field)
    tail = f"version:mtharness-{sacrebleu.__version__}"
    assert str(chrf.get_signature()) == f"nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|{tail}"
    assert str(chrfpp.get_signature()).startswith("nrefs:1|case:mixed|eff:yes|nc:6|nw:2|space:no|")
    assert str(ter.get_signature()) == f"nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|{tail}"
    assert ter.get_signature().format(short=True).startswith("#:1|c:lc|t:tercom|nr:no|pn:yes|as:no|")
    b = BLEU(smooth_method="floor", lowercase=True, tokenize="intl", effective_order=True)
    b.corpus_score(SYS, REFS)
    assert b.get_signature().format(short=True).startswith("#:2|c:lc|e:yes|tok:intl|s:floor[0.10]|")


def test_signature_needs_a_scored_corpus():
    with pytest.raises(ValueError, match="Number of references unknown"):
        BLEU().get_signature()
    assert str(BLEU(references=REFS).get_signature()).startswith("nrefs:2|")


def test_reference_cache():
    bleu = BLEU(references=REFS)
    assert bleu.corpus_score(SYS, None).score == sacrebleu.corpus_bleu(SYS, REFS).score
    with pytest.raises(RuntimeError, match="No references provided"):
        BLEU().corpus_score(SYS, None)


def test_sentence_level_functions():
    # exp(mean(log(100))) is 100.00000000000004, in sacreBLEU as here
    assert sacrebleu.sentence_bleu(SYS[0], [REFS[0][0]]).score == pytest.approx(100.0, abs=1e-12)
    assert sacrebleu.sentence_chrf(SYS[0], [REFS[0][0]]).score == 100.0
    assert sacrebleu.sentence_ter(SYS[0], [REFS[0][0]]).score == 0.0
    # BLEU().sentence_score keeps effective_order=False, as in sacreBLEU (and warns)
    # BLEU().sentence_score keeps effective_order=False, as in sacreBLEU: no 3- and 4-grams
    # give exp-smoothed precisions
    assert BLEU().sentence_score("a test", ["a test"]).score == pytest.approx(
        BLEU.compute_bleu([2, 1, 0, 0], [2, 1, 0, 0], 2, 2, smooth_method="exp").score)
    assert BLEU(effective_order=True).sentence_score("a test", ["a test"]).score == pytest.approx(100.0)


def test_tokenizers():
    from mtharness.tokenizers.tokenizer_13a import Tokenizer13a
    assert Tokenizer13a()("Hello, world! It's 3.5 U.S. dollars.") == "Hello , world ! It's 3.5 U . S . dollars ."
    assert sacrebleu.tokenizers.TokenizerChar()("ab c") == "a b   c"
    assert BLEU(tokenize="zh").tokenizer_signature == "zh"


@pytest.mark.parametrize("tok", ["ja-mecab", "ko-mecab", "spm", "flores101", "flores200", "spBLEU-1K"])
def test_unsupported_tokenizers_say_so(tok):
    with pytest.raises(NotImplementedError, match="supported tokenizers: none, zh, 13a, intl, char"):
        BLEU(tokenize=tok)


def test_trg_lang_picks_the_tokenizer():
    assert BLEU(trg_lang="zh").tokenizer_signature == "zh"
    with pytest.raises(NotImplementedError, match="ja-mecab"):
        BLEU(trg_lang="ja")


SCRIPT = '''
import mtharness as sacrebleu
from mtharness.metrics import BLEU, CHRF, TER

refs = [["The dog bit the man.", "It was not unexpected.", "The man bit him first."],
        ["The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."]]
sys_out = ["The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."]

print(sacrebleu.corpus_bleu(sys_out, refs))
print(sacrebleu.corpus_chrf(sys_out, refs))
print(sacrebleu.corpus_ter(sys_out, refs))
print(sacrebleu.sentence_bleu(sys_out[1], [r[1] for r in refs]).score > 0)
print(round(sacrebleu.sentence_chrf(sys_out[1], [r[1] for r in refs]).score, 4))
print(round(sacrebleu.sentence_ter(sys_out[1], [r[1] for r in refs]).score, 4))
for metric in (BLEU(), CHRF(word_order=2), TER()):
    score = metric.corpus_score(sys_out, refs)
    print(score.format(signature=str(metric.get_signature())).split("|")[0], f"{score.score:.2f}")
'''

SCRIPT_OUTPUT = """\
BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)
chrF2 = 59.73
TER = 40.00
True
{chrf}
{ter}
BLEU 48.53
chrF2++ 59.15
TER 40.00
"""


def test_sacrebleu_script_runs_unchanged(tmp_path):
    script = tmp_path / "evaluate.py"
    script.write_text(textwrap.dedent(SCRIPT), encoding="utf-8")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True)
    chrf = round(sacrebleu.sentence_chrf(SYS[1], [r[1] for r in REFS]).score, 4)
    ter = round(sacrebleu.sentence_ter(SYS[1], [r[1] for r in REFS]).score, 4)
    assert out.stdout == SCRIPT_OUTPUT.format(chrf=chrf, ter=ter)


@pytest.mark.parametrize("options", [
    {},
    {"effective_order": True},
    {"effective_order": True, "smooth_method": "floor", "smooth_value": 0.3},
    {"effective_order": True, "smooth_method": "add-k", "smooth_value": 2},
    {"smooth_method": "none", "lowercase": True, "tokenize": "intl"},
    {"effective_order": True, "max_ngram_order": 2, "tokenize": "char"},
])
def test_sentence_score_equals_one_segment_corpus(shared, options):
    # `sentence_score` has its own one-call native path: it must give what the corpus path
    # gives on the same one segment, field for field, with one or two references.
    from conftest import read_lines
    d = shared / "corpora" / "wmt22-de-en"
    hyps = read_lines(d / "hyp.Online-B.en")[:300]
    ref_a, ref_b = read_lines(d / "ref.A.en")[:300], read_lines(d / "ref.B.en")[:300]
    bleu = BLEU(**options)
    for h, a, b in zip(hyps, ref_a, ref_b):
        for refs in ([a], [a, b], (b, None)):
            one = bleu.sentence_score(h, refs)
            assert bleu.num_refs == sum(r is not None for r in refs)
            whole = bleu.corpus_score([h], [[r] for r in refs])
            assert (one.score, one.counts, one.totals, one.precisions, one.bp, one.sys_len,
                    one.ref_len) == (whole.score, whole.counts, whole.totals, whole.precisions,
                                     whole.bp, whole.sys_len, whole.ref_len)
            assert str(one) == str(whole)
            assert all(isinstance(c, int) for c in one.counts + one.totals)


def test_sentence_functions_reuse_no_state_across_options():
    # sentence_bleu & co. keep one metric object per set of options: alternating options
    # gives each call its own options' score.
    h, r = "The man had just bitten him.", ["The man had bitten the dog."]
    expected = {
        lc: BLEU(lowercase=lc, effective_order=True).sentence_score(h.upper(), r).score
        for lc in (False, True)
    }
    assert expected[False] != expected[True]
    for _ in range(3):
        for lc in (False, True):
            assert sacrebleu.sentence_bleu(h.upper(), r, lowercase=lc).score == expected[lc]
    assert sacrebleu.sentence_chrf(h, r).score == CHRF().sentence_score(h, r).score
    assert sacrebleu.sentence_ter(h, r).score == TER().sentence_score(h, r).score
    # an unhashable option value still works (a metric of its own)
    assert sacrebleu.sentence_bleu(h, r, smooth_value=[0.1].pop()).score > 0
