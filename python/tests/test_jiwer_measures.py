"""jiwer 4.0.0's tests/test_measures.py, test_cer.py, test_empty_ref.py and test_large_vocab.py
cases (expected values from jiwer), run against `import mtharness as jiwer`."""

import pytest

import mtharness as jiwer


def all_m(wer, mer, wil):
    return {"wer": wer, "mer": mer, "wip": 1 - wil, "wil": wil}


def measures(out):
    return {"wer": out.wer, "mer": out.mer, "wip": out.wip, "wil": out.wil}


def assert_close(a, b, delta):
    assert set(a) == set(b)
    for k in a:
        assert abs(a[k] - b[k]) <= delta, (k, a[k], b[k])


INPUT_SHAPES = [
    ("This is a test", "This is a test", all_m(0, 0, 0)),
    ("This is a test", "", all_m(1, 1, 1)),
    ("This is a test", "This test", all_m(0.5, 0.5, 0.5)),
    ("This is a test", ["This is a test"], all_m(0, 0, 0)),
    ("This is a test", [""], all_m(1, 1, 1)),
    ("This is a test", ["This test"], all_m(0.5, 0.5, 0.5)),
    (["This is a test"], "This is a test", all_m(0, 0, 0)),
    (["This is a test"], "", all_m(1, 1, 1)),
    (["This is a test"], "This test", all_m(0.5, 0.5, 0.5)),
    (["This is a test"], ["This is a test"], all_m(0, 0, 0)),
    (["This is a test"], [""], all_m(1, 1, 1)),
    (["This is a test"], ["This test"], all_m(0.5, 0.5, 0.5)),
]

# From "From WER and RIL to MER and WIL" (Morris et al.)
KNOWN_VALUES = [
    ("X", "X", all_m(0, 0, 0)),
    ("X", "X X Y Y", all_m(3, 0.75, 0.75)),
    ("X Y X", "X Z", all_m(2 / 3, 2 / 3, 5 / 6)),
    ("X", "Y", all_m(1, 1, 1)),
    ("X", "Y Z", all_m(2, 1, 1)),
]

CONTIGUOUS_ONLY = [
    (["hello", "this", "sentence", "is fractured"], ["this sentence"], all_m(0.6, 0.6, 0.6)),
    ("i am a short ground truth", "i am a considerably longer and very much incorrect hypothesis",
     all_m(7 / 6, 0.7, 0.85)),
    (["i", "am i good"], ["i am", "i good"], all_m(0.0, 0.0, 0)),
    (["am i good", "i"], ["i good", "i am"], all_m(0.5, 0.4, 7 / 16)),
]

DEFAULT_PERMUTATIONS = [
    (["i", "am i good"], ["i am", "i good"], all_m(0.5, 0.4, 7 / 16)),
    (["am i good", "i"], ["i good", "i am"], all_m(0.5, 0.4, 7 / 16)),
]


@pytest.mark.parametrize("ref, hyp, expected", INPUT_SHAPES + KNOWN_VALUES + CONTIGUOUS_ONLY)
def test_measures_contiguous_transform(ref, hyp, expected):
    out = jiwer.process_words(
        reference=ref, hypothesis=hyp,
        reference_transform=jiwer.transformations.wer_contiguous,
        hypothesis_transform=jiwer.transformations.wer_contiguous)
    assert_close(measures(out), expected, 1e-16)


@pytest.mark.parametrize("ref, hyp, expected", INPUT_SHAPES + KNOWN_VALUES + DEFAULT_PERMUTATIONS)
def test_measures_default_transform(ref, hyp, expected):
    assert_close(measures(jiwer.process_words(reference=ref, hypothesis=hyp)), expected, 1e-16)


@pytest.mark.parametrize("ref, hyp, expected", INPUT_SHAPES + KNOWN_VALUES + DEFAULT_PERMUTATIONS)
def test_measure_functions_agree(ref, hyp, expected):
    got = {"wer": jiwer.wer(ref, hyp), "mer": jiwer.mer(ref, hyp), "wip": jiwer.wip(ref, hyp),
           "wil": jiwer.wil(ref, hyp)}
    assert_close(got, expected, 1e-16)


def test_different_sentence_length_unequal_type():
    reference = ["i like monthy python", "what do you mean african or european swallow"]
    hypothesis = ["i like", "python", "what you mean", "or swallow"]
    x = jiwer.process_words(reference, hypothesis,
                            reference_transform=jiwer.transformations.wer_contiguous,
                            hypothesis_transform=jiwer.transformations.wer_contiguous)
    y = jiwer.process_words(
        "i like monthy python what do you mean african or european swallow",
        "i like python what you mean or swallow",
        reference_transform=jiwer.transformations.wer_contiguous,
        hypothesis_transform=jiwer.transformations.wer_contiguous)
    assert_close(measures(x), measures(y), 1e-9)


@pytest.mark.parametrize("method", [jiwer.process_words, jiwer.wer, jiwer.wil, jiwer.wip, jiwer.mer, jiwer.cer])
def test_fail_on_different_sentence_length(method):
    with pytest.raises(ValueError):
        method(["hello", "this", "sentence", "is fractured"], ["this sentence"])


# test_cer.py
CER_CASES = [
    ("This is a test", "This is a test", 0 / 14),
    ("This is a test", "", 14 / 14),
    ("This is a test", "This test", 5 / 14),
    ("This is a test", ["This is a test"], 0 / 14),
    ("This is a test", [""], 14 / 14),
    ("This is a test", ["This test"], 5 / 14),
    (["This is a test"], "This is a test", 0 / 14),
    (["This is a test"], "", 14 / 14),
    (["This is a test"], "This test", 5 / 14),
    (["This is a test"], ["This is a test"], 0 / 14),
    (["This is a test"], [""], 14 / 14),
    (["This is a test"], ["This test"], 5 / 14),
    ("X", "X", 0),
    ("X", "X X Y Y", 6),
    ("X Y X", "X Z", 3 / 5),
    ("X", "Y", 1),
    ("X", "Y Z", 3),
    (["i", "am i good"], ["i am", "i good"], 0.6),
    (["am i good", "i"], ["i good", "i am"], 0.6),
]


@pytest.mark.parametrize("ref, hyp, expected", CER_CASES)
def test_cer(ref, hyp, expected):
    cer = jiwer.cer(reference=ref, hypothesis=hyp)
    assert isinstance(cer, float)
    assert abs(cer - expected) <= 1e-16


# test_empty_ref.py
@pytest.mark.parametrize("n", range(10))
def test_empty_ref_empty_hyp(n):
    ref, hyp = ("", "") if n == 0 else ([""] * n, [""] * n)
    out = jiwer.process_words(reference=ref, hypothesis=hyp)
    assert (out.hits, out.deletions, out.insertions, out.substitutions) == (0, 0, 0, 0)
    assert (out.wer, out.mer, out.wip, out.wil) == (0, 0, 1, 0)


def test_empty_ref():
    out = jiwer.process_words(reference="", hypothesis="hello")
    assert out.insertions == 1
    assert (out.wer, out.mer, out.wip, out.wil) == (1, 1, 0, 1)


@pytest.mark.parametrize("i", range(2, 11))
def test_empty_ref_more(i):
    out = jiwer.process_words(reference="", hypothesis=" ".join(str(j) for j in range(i)))
    assert out.insertions == i
    assert (out.wer, out.mer, out.wip, out.wil) == (i, 1, 0, 1)


def test_empty_hyp():
    out = jiwer.process_words(reference="hello", hypothesis="")
    assert out.deletions == 1
    assert (out.wer, out.mer, out.wip, out.wil) == (1, 1, 0, 1)


def test_multiple_one_empty_ref():
    out = jiwer.process_words(reference=["hello world", ""], hypothesis=["hello world", "done"])
    assert out.insertions == 1
    assert out.wer == pytest.approx(1 / 2)
    assert out.mer == pytest.approx(1 / 3)
    assert out.wil == pytest.approx(1 / 3)
    assert out.wip == pytest.approx(2 / 3)


def test_one_empty_ref_and_hyp():
    a = jiwer.process_words(reference=["hello world"], hypothesis=["hello world"])
    b = jiwer.process_words(reference=["hello world", ""], hypothesis=["hello world", ""])
    for field in ("hits", "substitutions", "insertions", "deletions", "wer", "mer", "wip", "wil"):
        assert getattr(a, field) == getattr(b, field)


@pytest.mark.parametrize("ref, hyp, expected", [("", "", 0), ("", "a", 1), ("", "abd", 3), ("a", "", 1), ("abc", "", 1)])
def test_cer_empty_ref(ref, hyp, expected):
    assert jiwer.process_characters(ref, hyp).cer == expected


# test_large_vocab.py
def test_basic_word_mapping():
    out = jiwer.process_words(reference=["same"] * 50 + ["ref_only"] * 50,
                              hypothesis=["same"] * 50 + ["hyp_only"] * 50)
    assert isinstance(out.wer, float)
    assert out.wer == 0.5
    assert out.hits == 50


VOCAB = 0x110000  # above the old chr() limit of jiwer 3


def test_vocabulary_size_limit():
    reference = [f"word{i}" for i in range(VOCAB // 2)]
    hypothesis = [f"word{i}" for i in range(VOCAB // 2, VOCAB)]
    out = jiwer.process_words(reference=reference, hypothesis=hypothesis)
    assert isinstance(out.wer, float)
    assert out.wer == 1.0


def test_wer_large_vocabulary():
    reference = [f"word{i}" for i in range(VOCAB // 2)]
    hypothesis = [f"word{i}" for i in range(VOCAB // 2, VOCAB)]
    error_rate = jiwer.wer(reference=reference, hypothesis=hypothesis)
    assert isinstance(error_rate, float)
    assert error_rate == 1.0


def test_hash_collision_handling():
    out = jiwer.process_words(reference=["a" * i for i in range(1, 1001)],
                              hypothesis=["b" * i for i in range(1, 1001)])
    assert isinstance(out.wer, float)
    assert out.wer > 0
