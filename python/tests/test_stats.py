"""Additive statistics: `stats()`, `Stats` arithmetic, pickling and scores."""

import pickle
import threading

import pytest

import mtharness
from mtharness import _native

REFS = [
    ["The dog bit the man.", "It was not unexpected.", "The man bit him first."],
    ["The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."],
]
SYS = ["The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."]


def test_scores_equal_the_sacrebleu_api():
    st = mtharness.stats(SYS, REFS)
    scores = st.scores()
    assert list(scores) == ["BLEU", "chrF", "chrF++", "TER", "WER", "CER"]
    assert scores["BLEU"] == mtharness.corpus_bleu(SYS, REFS).score
    assert scores["chrF"] == mtharness.corpus_chrf(SYS, REFS).score
    assert scores["chrF++"] == mtharness.CHRF(word_order=2).corpus_score(SYS, REFS).score
    assert scores["TER"] == mtharness.corpus_ter(SYS, REFS).score
    assert scores["WER"] == pytest.approx(100 * mtharness.wer(REFS[0], SYS))
    assert st.segments == 3
    assert st.metrics == ["BLEU", "chrF", "chrF++", "TER", "WER", "CER"]


def test_parts_add_up_exactly():
    whole = mtharness.stats(SYS, REFS)
    parts = [mtharness.stats(SYS[i:i + 1], [r[i:i + 1] for r in REFS]) for i in range(3)]
    assert sum(parts).scores() == whole.scores()
    assert (parts[0] + parts[1] + parts[2]) == whole
    assert (0 + parts[0]) == parts[0] and (parts[0] + 0) == parts[0]
    assert sum(parts[1:], parts[0]) == whole


@pytest.mark.parametrize(
    "metric", [mtharness.BLEU(), mtharness.CHRF(word_order=2), mtharness.TER()],
    ids=["BLEU", "chrF++", "TER"])
def test_one_segment_path_equals_the_corpus_path(metric):
    """A one-segment corpus (`sentence_score`) is scored on the calling thread; its statistics
    are the rows the parallel corpus path sums, with or without a missing reference."""
    native = metric._native
    for refs in (REFS, [REFS[0], [REFS[1][0], None, REFS[1][2]]]):
        whole, counts = native.corpus_stats(SYS, refs)
        rows = [native.corpus_stats([SYS[i]], [[r[i]] for r in refs])[0] for i in range(3)]
        assert [sum(col) for col in zip(*rows)] == whole
        nrefs = len(refs) - (refs[1][1] is None)
        assert native.corpus_stats([SYS[1]], [[r[1]] for r in refs])[1] == [nrefs]


def test_single_stream_as_flat_list():
    assert mtharness.stats(SYS, REFS[0]) == mtharness.stats(SYS, [REFS[0]])


def test_pickle_round_trip():
    st = mtharness.stats(SYS, REFS, metrics=["bleu", "ter", "wer"], tokenize="intl", lowercase=True)
    back = pickle.loads(pickle.dumps(st))
    assert back == st and back.scores() == st.scores() and back.segments == 3
    assert isinstance(back, mtharness.Stats)
    assert mtharness.Stats.from_json(st.to_json()) == st


def test_different_configurations_do_not_add():
    a = mtharness.stats(SYS, REFS, metrics=["bleu"])
    with pytest.raises(ValueError, match="cannot add statistics of different metrics"):
        a + mtharness.stats(SYS, REFS, metrics=["bleu"], lowercase=True)
    with pytest.raises(ValueError, match="cannot add statistics of different metrics"):
        a + mtharness.stats(SYS, REFS, metrics=["chrf"])
    with pytest.raises(ValueError, match="reference counts"):
        a + mtharness.stats(SYS, REFS[:1], metrics=["bleu"])
    with pytest.raises(TypeError):
        a + "x"
    with pytest.raises(TypeError):
        a + 1


def test_repr_and_raw():
    st = mtharness.stats(SYS, REFS, metrics=["ter"])
    assert repr(st) == "Stats(segments=3, nrefs=2, TER=40.0000)"
    assert st.raw()["TER"] == [6.0, 15.0]
    assert st.stat_names() == {"TER": ["num_edits", "ref_length"]}


def test_options_and_names():
    st = mtharness.stats(SYS, REFS, metrics=["BLEU", "chrf++", "mer", "wil", "wip", "charsim"],
                         smooth_method="floor", smooth_value=0.2)
    assert list(st.scores()) == ["BLEU", "chrF++", "MER", "WIL", "WIP", "CharSim"]
    assert st.scores()["BLEU"] == mtharness.corpus_bleu(
        SYS, REFS, smooth_method="floor", smooth_value=0.2).score
    with pytest.raises(ValueError, match="unknown metric 'bleurt'"):
        mtharness.stats(SYS, REFS, metrics=["bleurt"])
    with pytest.raises(ValueError, match="given twice"):
        mtharness.stats(SYS, REFS, metrics=["bleu", "BLEU"])
    with pytest.raises(NotImplementedError, match="ja-mecab"):
        mtharness.stats(SYS, REFS, tokenize="ja-mecab")


def test_signatures_and_nrefs():
    st = mtharness.stats(SYS, REFS, metrics=["bleu", "wer"])
    assert st.nrefs == 2
    sig = st.signatures()
    assert sig["BLEU"].startswith("nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|")
    assert list(sig) == ["BLEU", "WER"]


def test_missing_references_are_refused():
    with pytest.raises(TypeError, match="item 1 is None"):
        mtharness.stats(SYS, [[REFS[0][0], None, REFS[0][2]]])


def test_from_json_rejects_garbage():
    with pytest.raises(ValueError, match="not mtharness statistics"):
        mtharness.Stats.from_json("{}")
    st = mtharness.stats(SYS, REFS, metrics=["ter"])
    broken = st.to_json().replace("[6.0,15.0]", "[6.0]")
    with pytest.raises(ValueError, match="expects 2 statistics"):
        mtharness.Stats.from_json(broken)


def test_scoring_releases_the_gil():
    """Another Python thread runs while a corpus is scored."""
    hyps = [f"the quick brown fox {i} jumps over the lazy dog number {i % 7}" for i in range(20000)]
    refs = [[f"a quick brown fox {i} jumped over a lazy dog no. {i % 5}" for i in range(20000)]]
    ticks = [0]
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            ticks[0] += 1

    t = threading.Thread(target=spin)
    t.start()
    try:
        before = ticks[0]
        _native.stats(hyps, refs, ["bleu", "chrf", "ter", "wer"], "13a", False, "exp", None,
                      False, False, False, False)
        during = ticks[0] - before
    finally:
        stop.set()
        t.join()
    assert during > 1000, during
