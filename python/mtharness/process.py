"""jiwer's `process_words` and `process_characters` (``jiwer.process``), jiwer 4.0.0's results.

The alignment of each sentence pair is the one rapidfuzz 3.14.6's ``Levenshtein.opcodes``
reports (the library reproduces its tie-breaking), so the chunks and the counts equal jiwer's.
With the default transforms everything runs in the Rust library with the GIL released; a
custom transform runs in Python and the library aligns its output.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, List, Sequence, Tuple, Union

from . import _native
from . import transforms as tr
from .transformations import cer_default, wer_default

__all__ = [
    "AlignmentChunk",
    "CharacterOutput",
    "WordOutput",
    "process_characters",
    "process_words",
]


@dataclass
class AlignmentChunk:
    """An aligned stretch of reference and hypothesis tokens.

    Attributes:
        type: one of `equal`, `substitute`, `insert`, or `delete`
        ref_start_idx: the start index of the reference subsequence
        ref_end_idx: the end index of the reference subsequence
        hyp_start_idx: the start index of the hypothesis subsequence
        hyp_end_idx: the end index of the hypothesis subsequence
    """

    type: str
    ref_start_idx: int
    ref_end_idx: int
    hyp_start_idx: int
    hyp_end_idx: int

    def __post_init__(self):
        if self.type not in ("replace", "insert", "delete", "equal", "substitute"):
            raise ValueError(f"unknown alignment chunk type {self.type!r}")
        if self.type == "replace":
            self.type = "substitute"
        if self.ref_start_idx > self.ref_end_idx:
            raise ValueError(
                f"ref_start_idx={self.ref_start_idx} is larger than ref_end_idx={self.ref_end_idx}"
            )
        if self.hyp_start_idx > self.hyp_end_idx:
            raise ValueError(
                f"hyp_start_idx={self.hyp_start_idx} is larger than hyp_end_idx={self.hyp_end_idx}"
            )


@dataclass
class WordOutput:
    """Word-level alignment of reference and hypothesis sentences, with jiwer's measures and
    counts (micro-averaged over all sentences)."""

    references: List[List[str]]
    hypotheses: List[List[str]]
    alignments: List[List[AlignmentChunk]]
    wer: float
    mer: float
    wil: float
    wip: float
    hits: int
    substitutions: int
    insertions: int
    deletions: int


@dataclass
class CharacterOutput:
    """Character-level alignment of reference and hypothesis sentences, with the character
    error rate and counts."""

    references: List[List[str]]
    hypotheses: List[List[str]]
    alignments: List[List[AlignmentChunk]]
    cer: float
    hits: int
    substitutions: int
    insertions: int
    deletions: int


def _sentences(x: Any, what: str) -> List[str]:
    """The input of a default transform as a list of strings (jiwer accepts a `str` or a
    `list`; anything else is a `ValueError`, a non-string item a `TypeError`)."""
    if isinstance(x, str):
        return [x]
    if not isinstance(x, list):
        raise ValueError(f"input {x} was expected to be a string or list of strings")
    for i, s in enumerate(x):
        if not isinstance(s, str):
            raise TypeError(f"each {what} should be a string (item {i} is {type(s).__name__})")
    return x


def _is_list_of_list_of_strings(x: Any) -> bool:
    return isinstance(x, list) and all(
        isinstance(e, list) and all(isinstance(s, str) for s in e) for e in x
    )


def _apply_transform(sentence: Union[str, List[str]], transform, is_reference: bool):
    transformed = transform(sentence)
    if not _is_list_of_list_of_strings(transformed):
        raise ValueError(
            "After applying the transformation, each "
            f"{'reference' if is_reference else 'hypothesis'} should be a "
            "list of strings, with each string being a single word or character."
            "Please ensure the given transformation reduces the input "
            "to a list of list strings."
        )
    return transformed


def _check_lengths(n_ref: int, n_hyp: int) -> None:
    if n_ref != n_hyp:
        raise ValueError(
            "After applying the transforms on the reference and hypothesis sentences, "
            f"their lengths must match. "
            f"Instead got {n_ref} reference and "
            f"{n_hyp} hypothesis sentences."
        )


_FIELDS = ("type", "ref_start_idx", "ref_end_idx", "hyp_start_idx", "hyp_end_idx")


def _chunk(c: Tuple[str, int, int, int, int]) -> AlignmentChunk:
    """An `AlignmentChunk` from the library's tuple, already valid (no `__post_init__`)."""
    chunk = object.__new__(AlignmentChunk)
    chunk.__dict__.update(zip(_FIELDS, c))
    return chunk


@contextmanager
def _no_gc():
    """Builds many small lists without the cyclic collector running over them again and again
    (they hold no cycles); the collector's state is restored afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _chunks(raw: List[List[Tuple[str, int, int, int, int]]]) -> List[List[AlignmentChunk]]:
    return [[_chunk(c) for c in sentence] for sentence in raw]


def _measures(counts: Sequence[int]) -> Tuple[Any, Any, Any, Any]:
    """jiwer 4.0.0's `(wer, mer, wil, wip)` of summed counts, with its types: `float`s, except
    in its edge cases (no reference word: WER is the insertion count; no hypothesis word:
    WIP 0), where jiwer returns `int`s."""
    hits, subs, dels, ins = counts
    wer, mer, wil, wip = _native.word_measures(hits, subs, dels, ins)
    n_ref = hits + subs + dels
    n_hyp = hits + subs + ins
    if n_ref == 0:
        wer, mer, wip = ins, (0 if n_hyp == 0 else 1), (1 if n_hyp == 0 else 0)
        return wer, mer, 1 - wip, wip
    if n_hyp == 0:
        return wer, mer, 1, 0
    return wer, mer, wil, wip


def _words(reference, hypothesis, reference_transform, hypothesis_transform):
    """`(refs, hyps, chunks, counts)` of a word- or character-level comparison."""
    if isinstance(reference, str):
        reference = [reference]
    if isinstance(hypothesis, str):
        hypothesis = [hypothesis]
    if reference_transform is wer_default and hypothesis_transform is wer_default:
        refs = _sentences(reference, "reference") or [""]
        hyps = _sentences(hypothesis, "hypothesis") or [""]
        _check_lengths(len(refs), len(hyps))
        rw, hw, raw, counts = _native.align_words_default(refs, hyps)
        return rw, hw, raw, counts
    if reference_transform is cer_default and hypothesis_transform is cer_default:
        refs = _sentences(reference, "reference") or [""]
        hyps = _sentences(hypothesis, "hypothesis") or [""]
        _check_lengths(len(refs), len(hyps))
        return _native.align_chars_default(refs, hyps)
    ref_t = _apply_transform(reference, reference_transform, is_reference=True)
    hyp_t = _apply_transform(hypothesis, hypothesis_transform, is_reference=False)
    _check_lengths(len(ref_t), len(hyp_t))
    raw, counts = _native.align_token_lists(ref_t, hyp_t)
    return ref_t, hyp_t, raw, counts


def process_words(
    reference: Union[str, List[str]],
    hypothesis: Union[str, List[str]],
    reference_transform: Union[tr.Compose, tr.AbstractTransform] = wer_default,
    hypothesis_transform: Union[tr.Compose, tr.AbstractTransform] = wer_default,
) -> WordOutput:
    """Word-level Levenshtein alignment of one or more reference and hypothesis sentences, with
    the measures computed from it (jiwer's `process_words`).

    Args:
        reference: The reference sentence(s).
        hypothesis: The hypothesis sentence(s).
        reference_transform: The transformation(s) to apply to the reference string(s).
        hypothesis_transform: The transformation(s) to apply to the hypothesis string(s).

    Returns:
        (WordOutput): The processed sentences, alignments, measures and counts.

    Raises:
        ValueError: If after applying the transforms, the numbers of reference and hypothesis
            sentences differ, or a transform does not give lists of lists of strings.
    """
    with _no_gc():
        refs, hyps, raw, counts = _words(reference, hypothesis, reference_transform, hypothesis_transform)
        alignments = _chunks(raw)
    wer, mer, wil, wip = _measures(counts)
    hits, subs, dels, ins = counts
    return WordOutput(
        references=refs,
        hypotheses=hyps,
        alignments=alignments,
        wer=wer,
        mer=mer,
        wil=wil,
        wip=wip,
        hits=hits,
        substitutions=subs,
        insertions=ins,
        deletions=dels,
    )


def process_characters(
    reference: Union[str, List[str]],
    hypothesis: Union[str, List[str]],
    reference_transform: Union[tr.Compose, tr.AbstractTransform] = cer_default,
    hypothesis_transform: Union[tr.Compose, tr.AbstractTransform] = cer_default,
) -> CharacterOutput:
    """Character-level Levenshtein alignment of one or more reference and hypothesis
    sentences, with the character error rate (jiwer's `process_characters`; spaces count as
    characters unless a transform removes them).

    Args:
        reference: The reference sentence(s).
        hypothesis: The hypothesis sentence(s).
        reference_transform: The transformation(s) to apply to the reference string(s).
        hypothesis_transform: The transformation(s) to apply to the hypothesis string(s).

    Returns:
        (CharacterOutput): The processed sentences, alignments, CER and counts.
    """
    with _no_gc():
        refs, hyps, raw, counts = _words(reference, hypothesis, reference_transform, hypothesis_transform)
        alignments = _chunks(raw)
    cer = _measures(counts)[0]
    hits, subs, dels, ins = counts
    return CharacterOutput(
        references=refs,
        hypotheses=hyps,
        alignments=alignments,
        cer=cer,
        hits=hits,
        substitutions=subs,
        insertions=ins,
        deletions=dels,
    )


def _word_counts(reference, hypothesis, reference_transform, hypothesis_transform):
    """The counts alone (the path of `wer()` and friends with the default transform)."""
    if reference_transform is wer_default and hypothesis_transform is wer_default:
        if isinstance(reference, str):
            reference = [reference]
        if isinstance(hypothesis, str):
            hypothesis = [hypothesis]
        refs = _sentences(reference, "reference") or [""]
        hyps = _sentences(hypothesis, "hypothesis") or [""]
        _check_lengths(len(refs), len(hyps))
        return _native.count_words_default(refs, hyps)
    return _words(reference, hypothesis, reference_transform, hypothesis_transform)[3]
