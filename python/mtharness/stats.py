"""Additive statistics: `stats()` turns a corpus into the summed sufficient statistics of
several metrics at once (a `Stats` object); statistics of parts add up (`a + b`, `sum(...)`)
to exactly the statistics of the whole, and `Stats.scores()` gives the corpus scores."""

from __future__ import annotations

from typing import Optional, Sequence, Union

from . import _native
from ._native import Stats
from .metrics.base import check_hypotheses, check_reference_streams

__all__ = ["DEFAULT_METRICS", "Stats", "stats"]

# The metrics `stats()` and `score_corpus()` compute when none are named.
DEFAULT_METRICS = ("bleu", "chrf", "chrf++", "ter", "wer", "cer")


def _streams(refs, n_hyps: int):
    """Reference streams; a flat list of strings is one stream. Every segment needs a
    reference in every stream (`Stats` records one number of references)."""
    if isinstance(refs, (list, tuple)) and refs and all(isinstance(r, str) for r in refs):
        refs = [refs]
    streams = check_reference_streams("stats", refs, n_hyps)
    for r, stream in enumerate(streams):
        if any(line is None for line in stream):
            i = stream.index(None)
            raise TypeError(
                f"stats: reference stream {r}, item {i} is None; stats() needs a reference for "
                f"every segment in every stream (sacreBLEU's missing references, None, are "
                f"taken by BLEU, CHRF and TER's corpus_score)"
            )
    return streams


def stats(
    hyps: Sequence[str],
    refs: Union[Sequence[str], Sequence[Sequence[Optional[str]]]],
    metrics: Sequence[str] = DEFAULT_METRICS,
    *,
    tokenize: str = "13a",
    lowercase: bool = False,
    smooth_method: str = "exp",
    smooth_value: Optional[float] = None,
    ter_normalized: bool = False,
    ter_no_punct: bool = False,
    ter_asian_support: bool = False,
    ter_case_sensitive: bool = False,
) -> Stats:
    """Summed sufficient statistics of `metrics` over a corpus.

    :param hyps: The hypotheses, one string per segment.
    :param refs: Reference streams as sacreBLEU takes them (``refs[r][i]``: segment ``i`` of
        reference ``r``; `None` for a missing one), or one stream as a flat list of strings.
        WER, MER, WIL, WIP, CER and CharSim use the first reference.
    :param metrics: Names among ``bleu chrf chrf++ ter wer mer wil wip cer charsim``.
    :param tokenize: BLEU's tokenizer (``13a``, ``intl``, ``zh``, ``char``, ``none``).
    :param lowercase: Lowercase for BLEU and chrF.
    :param smooth_method: BLEU's smoothing (``exp``, ``floor``, ``add-k``, ``none``).
    :param smooth_value: The value for ``floor`` / ``add-k``.
    :param ter_normalized: TER's ``normalized``.
    :param ter_no_punct: TER's ``no_punct``.
    :param ter_asian_support: TER's ``asian_support``.
    :param ter_case_sensitive: TER's ``case_sensitive``.
    :return: The library's `Stats`: ``a + b`` (same metrics, options and number of
        reference streams), ``sum([...])``, ``.scores()``, ``.segments``, ``.nrefs``,
        ``.signatures()``, picklable (as JSON).
    """
    if isinstance(metrics, str):
        metrics = [metrics]
    hyps = check_hypotheses("stats", hyps)
    streams = _streams(refs, len(hyps))
    for name in metrics:
        if not isinstance(name, str):
            raise TypeError(f"stats: metric names are strings (got {type(name).__name__})")
    if tokenize != "13a":
        from .metrics.bleu import _check_tokenizer

        _check_tokenizer(tokenize)
    return _native.stats(
        hyps, streams, list(metrics), tokenize, bool(lowercase), smooth_method,
        None if smooth_value is None else float(smooth_value), bool(ter_normalized),
        bool(ter_no_punct), bool(ter_asian_support), bool(ter_case_sensitive),
    )
