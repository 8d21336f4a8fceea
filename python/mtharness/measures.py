"""jiwer's measures (``jiwer.measures``): `wer`, `mer`, `wil`, `wip` and `cer`, micro-averaged
over all sentences as jiwer 4.0.0 computes them."""

from typing import List, Union

from . import transforms as tr
from .process import _measures, _word_counts, process_characters
from .transformations import cer_default, wer_default

__all__ = ["cer", "mer", "wer", "wil", "wip"]


def wer(
    reference: Union[str, List[str]] = None,
    hypothesis: Union[str, List[str]] = None,
    reference_transform: Union[tr.Compose, tr.AbstractTransform] = wer_default,
    hypothesis_transform: Union[tr.Compose, tr.AbstractTransform] = wer_default,
) -> float:
    """Word error rate, (S + D + I) / (H + S + D), of one or more sentence pairs (a fraction;
    with no reference word at all, the number of inserted words)."""
    return _measures(_word_counts(reference, hypothesis, reference_transform, hypothesis_transform))[0]


def mer(
    reference: Union[str, List[str]] = None,
    hypothesis: Union[str, List[str]] = None,
    reference_transform: Union[tr.Compose, tr.AbstractTransform] = wer_default,
    hypothesis_transform: Union[tr.Compose, tr.AbstractTransform] = wer_default,
) -> float:
    """Match error rate, (S + D + I) / (H + S + D + I)."""
    return _measures(_word_counts(reference, hypothesis, reference_transform, hypothesis_transform))[1]


def wip(
    reference: Union[str, List[str]] = None,
    hypothesis: Union[str, List[str]] = None,
    reference_transform: Union[tr.Compose, tr.AbstractTransform] = wer_default,
    hypothesis_transform: Union[tr.Compose, tr.AbstractTransform] = wer_default,
) -> float:
    """Word information preserved, (H / N_ref) * (H / N_hyp)."""
    return _measures(_word_counts(reference, hypothesis, reference_transform, hypothesis_transform))[3]


def wil(
    reference: Union[str, List[str]] = None,
    hypothesis: Union[str, List[str]] = None,
    reference_transform: Union[tr.Compose, tr.AbstractTransform] = wer_default,
    hypothesis_transform: Union[tr.Compose, tr.AbstractTransform] = wer_default,
) -> float:
    """Word information lost, 1 - WIP."""
    return _measures(_word_counts(reference, hypothesis, reference_transform, hypothesis_transform))[2]


def cer(
    reference: Union[str, List[str]] = None,
    hypothesis: Union[str, List[str]] = None,
    reference_transform: Union[tr.Compose, tr.AbstractTransform] = cer_default,
    hypothesis_transform: Union[tr.Compose, tr.AbstractTransform] = cer_default,
) -> float:
    """Character error rate of one or more sentence pairs (jiwer: each sentence stripped,
    spaces count as characters)."""
    return process_characters(reference, hypothesis, reference_transform, hypothesis_transform).cer
