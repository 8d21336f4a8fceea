"""TER (Snover et al., 2006) with sacreBLEU 2.6.0's API."""

from __future__ import annotations

from typing import List, Optional, Sequence

from .. import _native
from .base import Metric, Score

__all__ = ["TER", "TERScore"]


class TERScore(Score):
    """A TER score (sacreBLEU's `TERScore`).

    :param score: The TER score.
    :param num_edits: The cumulative number of edits.
    :param ref_length: The cumulative average reference length.
    """

    def __init__(self, score: float, num_edits: float, ref_length: float):
        super().__init__("TER", score)
        self.num_edits = int(num_edits)
        self.ref_length = ref_length


class TER(Metric):
    """Translation edit rate (sacreBLEU's `TER`, a near-exact Tercom port; the library
    reproduces sacreBLEU's beam and shift limits).

    :param normalized: Tercom normalisation (punctuation split, XML entities).
    :param no_punct: Remove punctuation.
    :param asian_support: Special treatment of CJK characters (with `normalized`/`no_punct`).
    :param case_sensitive: Do not lowercase.
    :param references: Reference streams to keep for `corpus_score(hyps, None)`.
    """

    _SIGNATURE_ABBR = {"case": "c", "tok": "t", "norm": "nr", "punct": "pn", "asian": "as"}

    def __init__(
        self,
        normalized: bool = False,
        no_punct: bool = False,
        asian_support: bool = False,
        case_sensitive: bool = False,
        references: Optional[Sequence[Sequence[str]]] = None,
    ):
        super().__init__()
        self.no_punct = no_punct
        self.normalized = normalized
        self.asian_support = asian_support
        self.case_sensitive = case_sensitive

        from ..tokenizers.tokenizer_ter import TercomTokenizer

        self.tokenizer = TercomTokenizer(
            normalized=normalized,
            no_punct=no_punct,
            asian_support=asian_support,
            case_sensitive=case_sensitive,
        )
        self.tokenizer_signature = self.tokenizer.signature()
        self._native = _native.Metric.ter(
            bool(normalized), bool(no_punct), bool(asian_support), bool(case_sensitive)
        )
        if references is not None:
            self._ref_cache = self._cache_references(references)

    def _preprocess_segment(self, sent: str) -> str:
        """The tokenized segment, as TER sees it."""
        return self.tokenizer(sent.rstrip())

    def _compute_score_from_stats(self, stats: List[float]) -> TERScore:
        total_edits, sum_ref_lengths = stats[0], stats[1]
        return TERScore(self._native.score([total_edits, sum_ref_lengths]), total_edits, sum_ref_lengths)
