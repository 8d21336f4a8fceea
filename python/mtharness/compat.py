"""sacreBLEU's function API (``sacrebleu.compat``): `corpus_bleu`, `sentence_bleu`,
`corpus_chrf`, `sentence_chrf`, `corpus_ter`, `sentence_ter` and `raw_corpus_bleu`, with
sacreBLEU 2.6.0's signatures and defaults."""

from functools import lru_cache
from typing import Any, Optional, Sequence

from .metrics import BLEU, CHRF, TER, BLEUScore, CHRFScore, TERScore

__all__ = ["corpus_bleu", "raw_corpus_bleu", "sentence_bleu", "corpus_chrf", "sentence_chrf",
           "corpus_ter", "sentence_ter"]


@lru_cache(maxsize=64)
def _cached_metric(cls: type, options: tuple) -> Any:
    return cls(**dict(options))


def _metric(cls: type, **options: Any) -> Any:
    """A metric object for these options, reused across calls with the same options (a
    `sentence_bleu` loop would otherwise build one per segment; the functions below only
    score with it, and scoring keeps no state that changes a later score)."""
    try:
        return _cached_metric(cls, tuple(sorted(options.items())))
    except TypeError:  # an unhashable option value: a metric of its own
        return cls(**options)


def corpus_bleu(hypotheses: Sequence[str],
                references: Sequence[Sequence[str]],
                smooth_method='exp',
                smooth_value=None,
                force=False,
                lowercase=False,
                tokenize=BLEU.TOKENIZER_DEFAULT,
                use_effective_order=False) -> BLEUScore:
    """BLEU of a corpus against one or more reference streams.

    :param hypotheses: A sequence of hypothesis strings.
    :param references: A sequence of reference streams (each a sequence of strings).
    :param smooth_method: ``floor``, ``add-k``, ``exp`` or ``none``.
    :param smooth_value: The value for ``floor`` and ``add-k``; `None` is the default.
    :param force: Ignore data that looks already tokenized.
    :param lowercase: Lowercase the data.
    :param tokenize: The tokenizer to use.
    :param use_effective_order: Average only over n-gram orders with a non-zero total.
    :return: a `BLEUScore`.
    """
    metric = BLEU(
        lowercase=lowercase, force=force, tokenize=tokenize,
        smooth_method=smooth_method, smooth_value=smooth_value,
        effective_order=use_effective_order)
    return metric.corpus_score(hypotheses, references)


def raw_corpus_bleu(hypotheses: Sequence[str],
                    references: Sequence[Sequence[str]],
                    smooth_value: Optional[float] = BLEU.SMOOTH_DEFAULTS['floor']) -> BLEUScore:
    """BLEU without tokenization (``none``), ``floor`` smoothing and effective order."""
    return corpus_bleu(
        hypotheses, references, smooth_method='floor',
        smooth_value=smooth_value, force=True, tokenize='none',
        use_effective_order=True)


def sentence_bleu(hypothesis: str,
                  references: Sequence[str],
                  smooth_method: str = 'exp',
                  smooth_value: Optional[float] = None,
                  lowercase: bool = False,
                  tokenize=BLEU.TOKENIZER_DEFAULT,
                  use_effective_order: bool = True) -> BLEUScore:
    """BLEU of one hypothesis against one or more reference strings (effective order on)."""
    metric = _metric(
        BLEU,
        lowercase=lowercase, tokenize=tokenize, force=False,
        smooth_method=smooth_method, smooth_value=smooth_value,
        effective_order=use_effective_order)
    return metric.sentence_score(hypothesis, references)


def corpus_chrf(hypotheses: Sequence[str],
                references: Sequence[Sequence[str]],
                char_order: int = CHRF.CHAR_ORDER,
                word_order: int = CHRF.WORD_ORDER,
                beta: int = CHRF.BETA,
                remove_whitespace: bool = True,
                eps_smoothing: bool = False) -> CHRFScore:
    """chrF (``word_order=2``: chrF++) of a corpus against one or more reference streams."""
    metric = CHRF(
        char_order=char_order,
        word_order=word_order,
        beta=beta,
        whitespace=not remove_whitespace,
        eps_smoothing=eps_smoothing)
    return metric.corpus_score(hypotheses, references)


def sentence_chrf(hypothesis: str,
                  references: Sequence[str],
                  char_order: int = CHRF.CHAR_ORDER,
                  word_order: int = CHRF.WORD_ORDER,
                  beta: int = CHRF.BETA,
                  remove_whitespace: bool = True,
                  eps_smoothing: bool = False) -> CHRFScore:
    """chrF of one hypothesis against one or more reference strings."""
    metric = _metric(
        CHRF,
        char_order=char_order,
        word_order=word_order,
        beta=beta,
        whitespace=not remove_whitespace,
        eps_smoothing=eps_smoothing)
    return metric.sentence_score(hypothesis, references)


def corpus_ter(hypotheses: Sequence[str],
               references: Sequence[Sequence[str]],
               normalized: bool = False,
               no_punct: bool = False,
               asian_support: bool = False,
               case_sensitive: bool = False) -> TERScore:
    """TER of a corpus against one or more reference streams."""
    metric = TER(
        normalized=normalized,
        no_punct=no_punct,
        asian_support=asian_support,
        case_sensitive=case_sensitive)
    return metric.corpus_score(hypotheses, references)


def sentence_ter(hypothesis: str,
                 references: Sequence[str],
                 normalized: bool = False,
                 no_punct: bool = False,
                 asian_support: bool = False,
                 case_sensitive: bool = False) -> TERScore:
    """TER of one hypothesis against one or more reference strings."""
    metric = _metric(
        TER,
        normalized=normalized,
        no_punct=no_punct,
        asian_support=asian_support,
        case_sensitive=case_sensitive)
    return metric.sentence_score(hypothesis, references)
