"""Bad input gives a clear Python exception, never a crash: wrong types, wrong shapes, None,
bytes, unpaired surrogates, unreadable files, malformed corpora."""

import pytest

import mtharness
import mtharness as jiwer
import mtharness as sacrebleu
from mtharness.metrics import BLEU, CHRF, TER

REFS = [["a b c", "d e f"]]
HYPS = ["a b c", "d e"]


@pytest.mark.parametrize("metric", [BLEU, CHRF, TER])
def test_flat_reference_list_is_a_type_error(metric):
    # sacreBLEU would score it character by character (its issues #220, #259, #272)
    with pytest.raises(TypeError, match=r"pass \[refs\] instead of refs"):
        metric().corpus_score(HYPS, ["a b c", "d e f"])


@pytest.mark.parametrize("metric", [BLEU, CHRF, TER])
def test_ragged_references_are_a_value_error(metric):
    with pytest.raises(ValueError, match="reference stream 0 has 1 segments but there are 2 hypotheses"):
        metric().corpus_score(HYPS, [["a b c"]])
    with pytest.raises(ValueError, match="reference stream 1 has 3 segments"):
        metric().corpus_score(HYPS, [REFS[0], ["x", "y", "z"]])


@pytest.mark.parametrize("bad, exc, msg", [
    (["a", None], TypeError, "Undefined line in hypotheses stream"),
    (["a", b"bytes"], TypeError, "item 1 is bytes"),
    (["a", 3], TypeError, "item 1 is int"),
    ("a b c", TypeError, "sequence of strings"),
    (None, TypeError, "sequence of strings"),
])
def test_bad_hypotheses(bad, exc, msg):
    with pytest.raises(exc, match=msg):
        sacrebleu.corpus_bleu(bad, REFS)


@pytest.mark.parametrize("refs, msg", [
    ([["a b c", 7]], "item 1 is int"),
    ([["a b c", b"x"]], "item 1 is bytes"),
    ([None], "item 0 is NoneType"),
    (None, "No references provided"),
    ([], "No references provided"),  # sacreBLEU: empty refs mean "use the cached ones"
])
def test_bad_references(refs, msg):
    with pytest.raises((TypeError, ValueError, RuntimeError), match=msg):
        sacrebleu.corpus_bleu(HYPS, refs)


def test_unpaired_surrogates_raise_unicode_errors():
    with pytest.raises(UnicodeEncodeError):
        sacrebleu.corpus_bleu(["a \ud800 b"], [["a b"]])
    with pytest.raises(UnicodeEncodeError):
        sacrebleu.sentence_chrf("x", ["\udfff"])
    with pytest.raises(UnicodeEncodeError):
        jiwer.wer("a \ud800", "a")
    with pytest.raises(UnicodeEncodeError):
        mtharness.stats(["\ud800"], [["a"]])


def test_sentence_score_arguments():
    with pytest.raises(TypeError, match="`hyp` should be a string"):
        BLEU().sentence_score(None, ["a"])
    with pytest.raises(TypeError, match="`refs` should be a sequence of strings"):
        BLEU().sentence_score("a", "a")
    with pytest.raises(TypeError, match="Each element of `refs` should be a string"):
        BLEU().sentence_score("a", [1])
    with pytest.raises(ValueError, match="no reference"):
        BLEU().sentence_score("a", [])
    with pytest.raises(TypeError, match="Each element of `refs` should be a string"):
        BLEU().sentence_score("a", ["a", b"b"])
    with pytest.raises(TypeError, match="`hyp` should be a string"):
        CHRF().sentence_score(b"a", ["a"])
    with pytest.raises(TypeError, match="`refs` should be a sequence of strings"):
        TER().sentence_score("a", None)
    # any iterable of strings (or None) is accepted, as in sacreBLEU
    expected = BLEU().sentence_score("a b", ["a b", "a c"]).score
    assert BLEU().sentence_score("a b", iter(["a b", "a c"])).score == expected
    assert BLEU().sentence_score("a b", ("a b", "a c")).score == expected
    one = BLEU().sentence_score("a b c d", ["a b c d"]).score
    assert BLEU().sentence_score("a b c d", ["a b c d", None]).score == one


def test_bad_options():
    with pytest.raises(ValueError, match="Unknown smooth_method"):
        BLEU(smooth_method="bogus")
    with pytest.raises(ValueError, match="unknown tokenizer 'bogus'"):
        BLEU(tokenize="bogus")
    with pytest.raises(ValueError, match="max_ngram_order"):
        BLEU(max_ngram_order=0)
    with pytest.raises(ValueError, match="beta"):
        CHRF(beta=-1)


def test_jiwer_inputs():
    with pytest.raises(ValueError, match="expected to be a string or list of strings"):
        jiwer.wer(None, "a")
    with pytest.raises(ValueError, match="expected to be a string or list of strings"):
        jiwer.process_words(("a",), ("a",))
    with pytest.raises(TypeError, match="item 1 is int"):
        jiwer.wer(["a", 1], ["a", "b"])
    with pytest.raises(ValueError, match="should be a list of strings"):
        jiwer.process_words("a", "a", reference_transform=lambda s: s)


def test_custom_transforms_run_in_python():
    t = jiwer.Compose([jiwer.ToLowerCase(), jiwer.RemovePunctuation(), jiwer.RemoveMultipleSpaces(),
                       jiwer.Strip(), jiwer.ReduceToListOfListOfWords()])
    out = jiwer.process_words("Hello, World!", "hello world", reference_transform=t, hypothesis_transform=t)
    assert out.wer == 0.0 and out.references == [["hello", "world"]]
    assert jiwer.wer("Hello, World!", "hello world", t, t) == 0.0
    out = jiwer.process_words(["a b", "c"], ["a", "b c"],
                              reference_transform=jiwer.wer_contiguous, hypothesis_transform=jiwer.wer_contiguous)
    assert out.wer == 0.0


def test_missing_and_broken_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.en"):
        mtharness.score_corpus(refs=[tmp_path / "nope.en"], hyps=[tmp_path / "hyp.x.en"])
    ref = tmp_path / "ref.A.en"
    hyp = tmp_path / "hyp.sys.en"
    ref.write_bytes(b"a b c\nd e f\n")
    hyp.write_bytes(b"a b c\nd \xff e\n")
    with pytest.raises(ValueError, match=r"hyp\.sys\.en:2"):
        mtharness.score_corpus(refs=[ref], hyps=[hyp])
    hyp.write_bytes(b"a b c\n")
    with pytest.raises(ValueError):
        mtharness.score_corpus(refs=[ref], hyps=[hyp], align="never")
    with pytest.raises(ValueError, match="unknown align mode"):
        mtharness.score_corpus(refs=[ref], hyps=[hyp], align="sometimes")
    with pytest.raises(ValueError, match="unknown input format"):
        mtharness.score_corpus(tmp_path / "x.docx")
    with pytest.raises(TypeError):
        mtharness.score_corpus(refs=[1], hyps=[hyp])


def test_score_corpus_rows_and_pandas(tmp_path):
    (tmp_path / "ref.A.en").write_text("the cat sat\na dog\n", encoding="utf-8")
    (tmp_path / "hyp.one.en").write_text("the cat sat\na cat\n", encoding="utf-8")
    (tmp_path / "hyp.two.en").write_text("cat\na dog\n", encoding="utf-8")
    res = mtharness.score_corpus(tmp_path, metrics=["bleu", "wer"])
    assert [r["system"] for r in res.systems] == ["one", "two"]
    assert res.system("one")["WER"] == pytest.approx(100 * jiwer.wer(["the cat sat", "a dog"], ["the cat sat", "a cat"]))
    assert [(s["system"], s["line"], s["bead"]) for s in res.segments] == [
        ("one", 1, "1-1"), ("one", 2, "1-1"), ("two", 1, "1-1"), ("two", 2, "1-1")]
    assert res.documents[0]["segments"] == 2
    assert "one: BLEU=" in repr(res)
    pytest.importorskip("pandas")
    assert list(res.to_pandas()["system"]) == ["one", "two"]
    assert len(res.to_pandas("segments")) == 4
