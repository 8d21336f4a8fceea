"""BLEU (Papineni et al., 2002) with sacreBLEU 2.6.0's API (``sacrebleu.metrics.bleu``)."""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence

from .. import _native
from .base import Metric, Score, sacrelogger

__all__ = ["BLEU", "BLEUScore", "MAX_NGRAM_ORDER"]

# The default maximum n-gram order (sacreBLEU `MAX_NGRAM_ORDER`).
MAX_NGRAM_ORDER = 4

# The tokenizers the library implements (sacreBLEU's names).
SUPPORTED_TOKENIZERS = ("none", "zh", "13a", "intl", "char")

# sacreBLEU's other tokenizers and what they would need.
UNSUPPORTED_TOKENIZERS = {
    "ja-mecab": "MeCab with the ipadic dictionary",
    "ko-mecab": "MeCab with the mecab-ko-dic dictionary",
    "spm": "a SentencePiece model downloaded at run time",
    "flores101": "a SentencePiece model downloaded at run time",
    "flores200": "a SentencePiece model downloaded at run time",
    "spBLEU-1K": "a SentencePiece model downloaded at run time",
}


def _check_tokenizer(name: str) -> None:
    if name in SUPPORTED_TOKENIZERS:
        return
    supported = ", ".join(SUPPORTED_TOKENIZERS)
    if name in UNSUPPORTED_TOKENIZERS:
        raise NotImplementedError(
            f"mtharness does not support sacreBLEU's tokenizer {name!r} (it needs "
            f"{UNSUPPORTED_TOKENIZERS[name]}); supported tokenizers: {supported}"
        )
    raise ValueError(f"unknown tokenizer {name!r}: expected one of {supported}")


class BLEUScore(Score):
    """A BLEU score with its details (sacreBLEU's `BLEUScore`).

    :param score: The BLEU score.
    :param counts: Counts of correct n-grams, 1 <= n <= max_ngram_order.
    :param totals: Counts of total n-grams, 1 <= n <= max_ngram_order.
    :param precisions: n-gram precisions in percent.
    :param bp: The brevity penalty.
    :param sys_len: The cumulative system length.
    :param ref_len: The cumulative reference length.
    """

    def __init__(
        self,
        score: float,
        counts: List[int],
        totals: List[int],
        precisions: List[float],
        bp: float,
        sys_len: int,
        ref_len: int,
    ):
        super().__init__("BLEU", score)
        self.bp = bp
        self.counts = counts
        self.totals = totals
        self.sys_len = sys_len
        self.ref_len = ref_len
        self.precisions = precisions

    # `prec_str`, `ratio` and the verbose part of `format()` are sacreBLEU's attributes,
    # computed when read rather than for every score (a `sentence_bleu` loop rarely prints).
    @property
    def prec_str(self) -> str:
        return "/".join([f"{p:.1f}" for p in self.precisions])

    @property
    def ratio(self) -> float:
        return self.sys_len / self.ref_len if self.ref_len else 0

    @property
    def _verbose(self) -> str:  # type: ignore[override]
        return (f"{self.prec_str} (BP = {self.bp:.3f} "
                f"ratio = {self.ratio:.3f} hyp_len = {self.sys_len:d} "
                f"ref_len = {self.ref_len:d})")


class BLEU(Metric):
    """Computes BLEU given hypotheses and references (sacreBLEU's `BLEU`).

    :param lowercase: If True, lowercased BLEU is computed.
    :param force: Ignore data that looks already tokenized.
    :param tokenize: The tokenizer to use: ``13a`` (default), ``intl``, ``zh``, ``char`` or
        ``none``. sacreBLEU's ``ja-mecab``, ``ko-mecab``, ``spm``, ``flores101``,
        ``flores200`` and ``spBLEU-1K`` raise `NotImplementedError`.
    :param smooth_method: ``exp`` (default), ``floor``, ``add-k`` or ``none``.
    :param smooth_value: The value for ``floor`` (0.1) and ``add-k`` (1); `None` is the default.
    :param max_ngram_order: The maximum n-gram order (4).
    :param effective_order: Only average over n-gram orders with a non-zero total; should be
        `True` for sentence-level BLEU.
    :param trg_lang: Target language code; with ``tokenize=None`` picks ``zh`` for ``zh``
        (and sacreBLEU's MeCab tokenizers, unsupported, for ``ja`` and ``ko``).
    :param references: Reference streams to keep for `corpus_score(hyps, None)`.
    """

    SMOOTH_DEFAULTS: Dict[str, Optional[float]] = {
        "none": None,
        "floor": 0.1,
        "add-k": 1,
        "exp": None,
    }

    TOKENIZERS = ("none", "zh", "13a", "intl", "char", "ja-mecab", "ko-mecab", "spm",
                  "flores101", "flores200", "spBLEU-1K")

    TOKENIZER_DEFAULT = "13a"

    _TOKENIZER_MAP = {"zh": "zh", "ja": "ja-mecab", "ko": "ko-mecab"}

    _SIGNATURE_ABBR = {"case": "c", "eff": "e", "tok": "tok", "smooth": "s"}

    def __init__(
        self,
        lowercase: bool = False,
        force: bool = False,
        tokenize: Optional[str] = None,
        smooth_method: str = "exp",
        smooth_value: Optional[float] = None,
        max_ngram_order: int = MAX_NGRAM_ORDER,
        effective_order: bool = False,
        trg_lang: str = "",
        references: Optional[Sequence[Sequence[str]]] = None,
    ):
        super().__init__()

        self._force = force
        self.trg_lang = trg_lang
        self.lowercase = lowercase
        self.smooth_value = smooth_value
        self.smooth_method = smooth_method
        self.max_ngram_order = max_ngram_order
        self.effective_order = effective_order

        if self.smooth_method not in self.SMOOTH_DEFAULTS:
            raise ValueError(
                f"Unknown smooth_method {self.smooth_method!r}: expected one of "
                f"{', '.join(self.SMOOTH_DEFAULTS)}"
            )
        if not isinstance(max_ngram_order, int) or max_ngram_order < 1:
            raise ValueError(f"max_ngram_order must be a positive integer (got {max_ngram_order!r})")

        if tokenize is None:
            best_tokenizer = self.TOKENIZER_DEFAULT
            if self.trg_lang in self._TOKENIZER_MAP:
                best_tokenizer = self._TOKENIZER_MAP[self.trg_lang]
        else:
            best_tokenizer = tokenize
            if self.trg_lang == "zh" and best_tokenizer != "zh":
                sacrelogger.warning("Consider using the 'zh' or 'spm' tokenizer for Chinese.")
            if self.trg_lang == "ja" and best_tokenizer != "ja-mecab":
                sacrelogger.warning("Consider using the 'ja-mecab' or 'spm' tokenizer for Japanese.")
            if self.trg_lang == "ko" and best_tokenizer != "ko-mecab":
                sacrelogger.warning("Consider using the 'ko-mecab' or 'spm' tokenizer for Korean.")
        _check_tokenizer(best_tokenizer)

        from ..tokenizers import get_tokenizer

        self.tokenizer = get_tokenizer(best_tokenizer)()
        self.tokenizer_signature = self.tokenizer.signature()

        smooth_value_native = smooth_value
        if smooth_value_native is not None:
            smooth_value_native = float(smooth_value_native)
        self._native = _native.Metric.bleu(
            best_tokenizer, bool(lowercase), smooth_method, smooth_value_native,
            max_ngram_order, bool(effective_order),
        )

        if references is not None:
            self._ref_cache = self._cache_references(references)

    @staticmethod
    def compute_bleu(
        correct: List[int],
        total: List[int],
        sys_len: int,
        ref_len: int,
        smooth_method: str = "none",
        smooth_value=None,
        effective_order: bool = False,
        max_ngram_order: int = MAX_NGRAM_ORDER,
    ) -> BLEUScore:
        """Computes BLEU from its sufficient statistics with smoothing (sacreBLEU's
        `BLEU.compute_bleu`; the arithmetic is the library's, in sacreBLEU's order).

        :param correct: Counts of correct n-grams, 1 <= n <= max_ngram_order.
        :param total: Counts of total n-grams, 1 <= n <= max_ngram_order.
        :param sys_len: The cumulative system length.
        :param ref_len: The cumulative reference length.
        :param smooth_method: ``floor``, ``add-k``, ``exp`` or ``none``.
        :param smooth_value: The value for ``floor`` and ``add-k``; `None` is the default.
        :param effective_order: Average only over orders with a non-zero total.
        :param max_ngram_order: The maximum n-gram order.
        :return: A `BLEUScore`. As in sacreBLEU, ``add-k`` adds its value to `correct` and
            `total` (in place) for orders 2 and up.
        """
        if smooth_method not in BLEU.SMOOTH_DEFAULTS:
            raise ValueError(f"Unknown smooth_method {smooth_method!r}")
        if smooth_value is None:
            smooth_value = BLEU.SMOOTH_DEFAULTS[smooth_method]
        native_value = float(smooth_value) if smooth_method in ("floor", "add-k") else None
        score, precisions, bp = _native.compute_bleu_py(
            [float(c) for c in correct], [float(t) for t in total], float(sys_len),
            float(ref_len), smooth_method, native_value, bool(effective_order),
            max_ngram_order,
        )
        if any(correct):
            for n in range(1, min(max_ngram_order, len(correct), len(total)) + 1):
                if smooth_method == "add-k" and n > 1:
                    correct[n - 1] += smooth_value
                    total[n - 1] += smooth_value
                if total[n - 1] == 0:
                    break
        return BLEUScore(score, correct, total, precisions, bp, sys_len, ref_len)

    def _preprocess_segment(self, sent: str) -> str:
        """Lowercases (optionally) and tokenizes one line, as BLEU sees it."""
        if self.lowercase:
            sent = sent.lower()
        return self.tokenizer(sent.rstrip())

    def _compute_score_from_stats(self, stats: List[float]) -> BLEUScore:
        n = self.max_ngram_order
        return self.compute_bleu(
            correct=[int(x) for x in stats[2:2 + n]],
            total=[int(x) for x in stats[2 + n:]],
            sys_len=int(stats[0]),
            ref_len=int(stats[1]),
            smooth_method=self.smooth_method,
            smooth_value=self.smooth_value,
            effective_order=self.effective_order,
            max_ngram_order=n,
        )

    def sentence_score(self, hypothesis: str, references: Sequence[str]) -> BLEUScore:
        """BLEU of one hypothesis against one or more references (with this object's
        `effective_order`, as sacreBLEU; `sentence_bleu()` turns it on)."""
        if not self.effective_order:
            sacrelogger.warning(
                "It is recommended to enable `effective_order` for sentence-level BLEU."
            )
        out = self._sentence_native(self._native.bleu_sentence, hypothesis, references)
        if out is None:  # add-k smoothing: sacreBLEU's compute_bleu also changes the counts
            return super().sentence_score(hypothesis, references)
        return BLEUScore(*out)
