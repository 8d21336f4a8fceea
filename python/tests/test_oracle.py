"""The shared oracle's scores (sacreBLEU 2.6.0, jiwer 4.0.0, rapidfuzz 3.14.6 on the WMT22
corpora in ../shared), reproduced through the Python API: sacreBLEU's classes, jiwer's
functions, `stats()` and `score_corpus()`."""

import csv
import os

import pytest

import mtharness
import mtharness as jiwer
import mtharness as sacrebleu
from conftest import read_lines, shared_dir

CORPORA = ["wmt22-ru-en", "wmt22-de-en"]

# The oracle prints 10 decimals; the library follows sacreBLEU's arithmetic, so system scores
# agree far below that and sentence scores to the last printed digits.
SYSTEM_TOLERANCE = 1e-8
SENTENCE_TOLERANCE = 1e-8


class Corpus:
    def __init__(self, shared, name):
        self.dir = shared / "corpora" / name
        files = sorted(os.listdir(self.dir))
        self.refs = [read_lines(self.dir / f) for f in files if f.startswith("ref.") and f.endswith(".en")]
        self.systems = {f[4:-3]: read_lines(self.dir / f)
                        for f in files if f.startswith("hyp.") and f.endswith(".en")}
        oracle = shared / "oracle" / name
        with open(oracle / "systems.csv", encoding="utf-8") as f:
            self.system_rows = list(csv.DictReader(f))
        with open(oracle / "sentences.csv", encoding="utf-8") as f:
            self.sentence_rows = list(csv.DictReader(f))
        with open(oracle / "wer.csv", encoding="utf-8") as f:
            self.wer_rows = {r["system"]: r for r in csv.DictReader(f)}
        with open(oracle / "chars.csv", encoding="utf-8") as f:
            self.char_rows = {r["system"]: r for r in csv.DictReader(f)}

    def oracle(self, system, metric):
        for r in self.system_rows:
            if r["system"] == system and r["metric"] == metric:
                return float(r["score"]), r["signature"]
        raise KeyError((system, metric))


_cache = {}


@pytest.fixture(params=CORPORA)
def corpus(request):
    shared = shared_dir()
    if request.param not in _cache:
        _cache[request.param] = Corpus(shared, request.param)
    return _cache[request.param]


def sacrebleu_fields(signature):
    """A signature without its version fields (sacreBLEU's `version:2.6.0`, our
    `compat:...|version:mtharness-...`)."""
    return "|".join(f for f in str(signature).split("|")
                    if not f.startswith(("version:", "compat:")))


METRICS = {
    "BLEU": lambda: sacrebleu.BLEU(),
    "chrF": lambda: sacrebleu.CHRF(),
    "chrF++": lambda: sacrebleu.CHRF(word_order=2),
    "TER": lambda: sacrebleu.TER(),
}


@pytest.mark.parametrize("metric", list(METRICS))
def test_system_scores_and_signatures(corpus, metric):
    for system, hyp in corpus.systems.items():
        m = METRICS[metric]()
        score = m.corpus_score(hyp, corpus.refs).score
        expected, signature = corpus.oracle(system, metric)
        assert abs(score - expected) < SYSTEM_TOLERANCE, (system, score, expected)
        assert sacrebleu_fields(m.get_signature()) == sacrebleu_fields(signature)


def test_reference_cache_gives_the_same_scores(corpus):
    metric = sacrebleu.BLEU(references=corpus.refs)
    for system, hyp in corpus.systems.items():
        expected, _ = corpus.oracle(system, "BLEU")
        assert abs(metric.corpus_score(hyp, None).score - expected) < SYSTEM_TOLERANCE


def test_sentence_scores(corpus):
    bleu = sacrebleu.BLEU(effective_order=True)
    chrf = sacrebleu.CHRF()
    chrfpp = sacrebleu.CHRF(word_order=2)
    ter = sacrebleu.TER()
    for row in corpus.sentence_rows:
        i = int(row["line"]) - 1
        hyp = corpus.systems[row["system"]][i]
        refs = [r[i] for r in corpus.refs]
        for key, m in (("bleu", bleu), ("chrf", chrf), ("chrfpp", chrfpp), ("ter", ter)):
            got = m.sentence_score(hyp, refs).score
            assert abs(got - float(row[key])) < SENTENCE_TOLERANCE, (row["system"], i + 1, key, got, row[key])


def test_sentence_bleu_function(corpus):
    # sacrebleu.sentence_bleu (effective order by default) on the first 200 lines
    for row in corpus.sentence_rows[:200]:
        i = int(row["line"]) - 1
        got = sacrebleu.sentence_bleu(corpus.systems[row["system"]][i], [r[i] for r in corpus.refs]).score
        assert abs(got - float(row["bleu"])) < SENTENCE_TOLERANCE


def test_wer_counts_with_jiwer_api(corpus):
    for system, hyp in corpus.systems.items():
        out = jiwer.process_words(corpus.refs[0], hyp)
        row = corpus.wer_rows[system]
        assert (out.hits, out.substitutions, out.deletions, out.insertions) == (
            int(row["hits"]), int(row["substitutions"]), int(row["deletions"]), int(row["insertions"]))
        assert abs(out.wer * 100 - float(row["wer"])) < SYSTEM_TOLERANCE
        assert abs(jiwer.wer(corpus.refs[0], hyp) * 100 - float(row["wer"])) < SYSTEM_TOLERANCE


def test_stats_match_every_oracle_system_score(corpus):
    for system, hyp in corpus.systems.items():
        st = mtharness.stats(hyp, corpus.refs)
        scores = st.scores()
        for metric in ("BLEU", "chrF", "chrF++", "TER", "WER", "CER"):
            expected, _ = corpus.oracle(system, metric)
            assert abs(scores[metric] - expected) < SYSTEM_TOLERANCE, (system, metric)
        chars = corpus.char_rows[system]
        assert st.raw()["CER"] == [float(chars["char_edits"]), float(chars["ref_chars"]),
                                   float(chars["hyp_chars"])]


def test_stats_of_parts_add_up_to_the_whole(corpus):
    system, hyp = next(iter(corpus.systems.items()))
    whole = mtharness.stats(hyp, corpus.refs)
    cuts = [0, 1, 700, 701, 1500, len(hyp)]
    parts = [mtharness.stats(hyp[a:b], [r[a:b] for r in corpus.refs]) for a, b in zip(cuts, cuts[1:])]
    total = sum(parts)
    assert total.segments == whole.segments == len(hyp)
    assert total.scores() == whole.scores()
    assert total == whole


def test_score_corpus_on_the_line_aligned_folder(corpus):
    result = mtharness.score_corpus(corpus.dir)
    assert result.refs == [chr(ord("A") + k) for k in range(len(corpus.refs))]
    assert sorted(r["system"] for r in result.systems) == sorted(corpus.systems)
    for row in result.systems:
        for metric in ("BLEU", "chrF", "chrF++", "TER", "WER", "CER"):
            expected, _ = corpus.oracle(row["system"], metric)
            assert abs(row[metric] - expected) < SYSTEM_TOLERANCE, (row["system"], metric)
    by_key = {(r["system"], r["line"]): r for r in result.segments}
    assert len(by_key) == len(corpus.sentence_rows)
    for row in corpus.sentence_rows:
        seg = by_key[(row["system"], int(row["line"]))]
        assert abs(seg["BLEU"] - float(row["bleu"])) < SENTENCE_TOLERANCE
        assert abs(seg["chrF"] - float(row["chrf"])) < SENTENCE_TOLERANCE
        assert abs(seg["chrF++"] - float(row["chrfpp"])) < SENTENCE_TOLERANCE
        assert abs(seg["TER"] - float(row["ter"])) < SENTENCE_TOLERANCE


def test_score_corpus_on_line_aligned_files(corpus):
    refs = sorted(str(p) for p in corpus.dir.glob("ref.*.en"))
    hyps = sorted(str(p) for p in corpus.dir.glob("hyp.*.en"))
    result = mtharness.score_corpus(refs=refs, hyps=hyps[:1], metrics=["bleu", "ter"])
    row = result.systems[0]
    assert abs(row["BLEU"] - corpus.oracle(row["system"], "BLEU")[0]) < SYSTEM_TOLERANCE
    assert abs(row["TER"] - corpus.oracle(row["system"], "TER")[0]) < SYSTEM_TOLERANCE
    assert result.metrics == ["BLEU", "TER"]
    assert sacrebleu_fields(result.signatures["BLEU"]) == sacrebleu_fields(
        corpus.oracle(row["system"], "BLEU")[1])


def test_score_corpus_reads_the_wmt_xml():
    shared = shared_dir()
    xml = shared / "corpora" / "wmt22-ru-en" / "wmttest2022.ru-en.all.xml"
    result = mtharness.score_corpus(xml, metrics=["bleu"], systems=["Online-B"], collection="general")
    assert [r["system"] for r in result.systems] == ["Online-B"]
    assert len(result.documents) == 227
    assert abs(result.systems[0]["BLEU"] - Corpus(shared, "wmt22-ru-en").oracle("Online-B", "BLEU")[0]) < 1e-6


def test_bootstrap_interval_of_the_baseline(corpus, monkeypatch):
    """`corpus_score(n_bootstrap=1000)` against the baseline row of sacreBLEU's paired bootstrap
    table (same seed, 12345, hence the same resamples: the mean and the half width agree to the
    4 decimals sacreBLEU printed)."""
    import json
    import re

    monkeypatch.delenv("SACREBLEU_SEED", raising=False)
    path = shared_dir() / "oracle" / corpus.dir.name / "significance.json"
    lines = json.load(open(path, encoding="utf-8"))["paired-bs"]["output"]
    row = next(line for line in lines if "Baseline:" in line)
    cells = re.findall(r"([\d.]+) \(([\d.]+) ± ([\d.]+)\)", row)
    system = re.search(r"hyp\.(.+?)\.en", row).group(1)
    for metric, (score, mean, half) in zip((sacrebleu.BLEU(), sacrebleu.CHRF()), cells):
        result = metric.corpus_score(corpus.systems[system], corpus.refs, n_bootstrap=1000)
        assert abs(result.score - float(score)) < 1e-4
        assert abs(result._mean - float(mean)) < 5e-5
        assert abs(result._ci - float(half)) < 5e-5
        assert "(μ = " in str(result)
        assert str(metric.get_signature()).startswith(f"nrefs:{len(corpus.refs)}|bs:1000|seed:12345|")
