"""chrF (Popović 2015) and chrF++ (Popović 2017) with sacreBLEU 2.6.0's API."""

from __future__ import annotations

from typing import List, Optional, Sequence

from .. import _native
from .base import Metric, Score

__all__ = ["CHRF", "CHRFScore"]


class CHRFScore(Score):
    """A chrF score (sacreBLEU's `CHRFScore`).

    :param score: The chrF (chrF++) score.
    :param char_order: The character n-gram order.
    :param word_order: The word n-gram order (2: chrF++).
    :param beta: The weight of recall relative to precision.
    """

    def __init__(self, score: float, char_order: int, word_order: int, beta: int):
        self.beta = beta
        self.char_order = char_order
        self.word_order = word_order
        name = f"chrF{self.beta}" + "+" * self.word_order
        super().__init__(name, score)


def _non_negative(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer (got {value!r})")
    return value


class CHRF(Metric):
    """Computes chrF / chrF++ (sacreBLEU's `CHRF`).

    :param char_order: Character n-gram order (6).
    :param word_order: Word n-gram order (0; 2 is chrF++).
    :param beta: Recall is `beta` times as important as precision (2).
    :param lowercase: Case-insensitive.
    :param whitespace: Keep whitespace in character n-grams.
    :param eps_smoothing: chrF++.py-style epsilon smoothing instead of effective order.
    :param references: Reference streams to keep for `corpus_score(hyps, None)`.
    """

    CHAR_ORDER = 6
    WORD_ORDER = 0
    BETA = 2

    _PUNCTS = set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~')

    _SIGNATURE_ABBR = {"case": "c", "eff": "e", "nc": "nc", "nw": "nw", "space": "s"}

    def __init__(
        self,
        char_order: int = CHAR_ORDER,
        word_order: int = WORD_ORDER,
        beta: int = BETA,
        lowercase: bool = False,
        whitespace: bool = False,
        eps_smoothing: bool = False,
        references: Optional[Sequence[Sequence[str]]] = None,
    ):
        super().__init__()
        self.beta = _non_negative("beta", beta)
        self.char_order = _non_negative("char_order", char_order)
        self.word_order = _non_negative("word_order", word_order)
        self.order = self.char_order + self.word_order
        self.lowercase = lowercase
        self.whitespace = whitespace
        self.eps_smoothing = eps_smoothing
        self._native = _native.Metric.chrf(
            char_order, word_order, beta, bool(lowercase), bool(whitespace), bool(eps_smoothing)
        )
        if references is not None:
            self._ref_cache = self._cache_references(references)

    def _compute_f_score(self, statistics: List[float]) -> float:
        """The chrF score of `[hyp, ref, match]` triples (one per order), in [0, 100]."""
        return self._native.score([float(x) for x in statistics])

    def _compute_score_from_stats(self, stats: List[float]) -> CHRFScore:
        return CHRFScore(self._compute_f_score(stats), self.char_order, self.word_order, self.beta)
