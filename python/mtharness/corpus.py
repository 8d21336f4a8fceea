"""Whole corpora in one call: `score_corpus()` reads a corpus with the library's readers,
scores every system on every metric (segments in parallel, the GIL released) and returns plain
Python lists of dicts, with `to_pandas()` when pandas is installed."""

from __future__ import annotations

import glob
import os
from typing import Any, Dict, List, Optional, Sequence, Union

from . import _native
from .stats import DEFAULT_METRICS

__all__ = ["CorpusScores", "score_corpus"]

PathLike = Union[str, "os.PathLike[str]"]


class CorpusScores:
    """The scores of a corpus.

    Attributes:
        name: The corpus name.
        refs: The reference set names (``["A", "B"]``).
        metrics: The metric ids, in order (``["BLEU", "chrF", ...]``).
        signatures: ``{metric id: signature}``.
        systems: One dict per system: ``system``, ``segments`` and one score per metric.
        documents: One dict per system and document: ``system``, ``document``, ``segments``
            and one score per metric (from the document's summed statistics).
        segments: One dict per system and scored segment: ``system``, ``document``, ``line``
            (1-based line or segment id of the first reference segment; `None` for an MT
            segment without reference), ``bead`` (``1-1``, or the aligner's ``2-1``, ``0-1``
            ...) and one sentence score per metric (sacreBLEU's sentence-level conventions:
            BLEU with effective order).
    """

    def __init__(self, raw: Dict[str, Any]):
        self.name: str = raw["name"]
        self.refs: List[str] = raw["refs"]
        self.metrics: List[str] = raw["metrics"]
        self.signatures: Dict[str, str] = raw["signatures"]
        self.systems: List[Dict[str, Any]] = raw["systems"]
        self.documents: List[Dict[str, Any]] = raw["documents"]
        self.segments: List[Dict[str, Any]] = raw["segments"]

    def system(self, name: str) -> Dict[str, Any]:
        """The row of one system."""
        for row in self.systems:
            if row["system"] == name:
                return row
        raise KeyError(f"no system {name!r}; the corpus has: {', '.join(r['system'] for r in self.systems)}")

    def to_pandas(self, level: str = "systems"):
        """A `pandas.DataFrame` of the ``systems``, ``documents`` or ``segments`` rows (needs
        pandas, which mtharness does not depend on)."""
        if level not in ("systems", "documents", "segments"):
            raise ValueError(f"level must be 'systems', 'documents' or 'segments' (got {level!r})")
        try:
            import pandas as pd
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise ImportError("CorpusScores.to_pandas() needs pandas: pip install pandas") from e
        return pd.DataFrame(getattr(self, level))

    def __repr__(self) -> str:
        lines = [f"CorpusScores({self.name!r}, refs={self.refs}, {len(self.segments)} segments)"]
        for row in self.systems:
            scores = ", ".join(f"{m}={row[m]:.2f}" for m in self.metrics)
            lines.append(f"  {row['system']}: {scores}")
        return "\n".join(lines)


def _paths(x: Union[None, PathLike, Sequence[PathLike]], what: str) -> List[str]:
    if x is None:
        return []
    if isinstance(x, (str, os.PathLike)):
        return [os.fspath(x)]
    out = []
    for p in x:
        if not isinstance(p, (str, os.PathLike)):
            raise TypeError(f"score_corpus: {what} are paths (got {type(p).__name__})")
        out.append(os.fspath(p))
    return out


def _optional_path(x: Optional[PathLike], what: str) -> Optional[str]:
    if x is None:
        return None
    if not isinstance(x, (str, os.PathLike)):
        raise TypeError(f"score_corpus: {what} is a path (got {type(x).__name__})")
    return os.fspath(x)


def score_corpus(
    input: Optional[PathLike] = None,
    *,
    refs: Union[None, PathLike, Sequence[PathLike]] = None,
    hyps: Union[None, PathLike, Sequence[PathLike]] = None,
    metrics: Sequence[str] = DEFAULT_METRICS,
    systems: Optional[Sequence[str]] = None,
    docids: Optional[PathLike] = None,
    source: Optional[PathLike] = None,
    name: Optional[str] = None,
    collection: Optional[str] = None,
    align: str = "auto",
    tokenize: str = "13a",
    lowercase: bool = False,
    smooth_method: str = "exp",
    smooth_value: Optional[float] = None,
    ter_normalized: bool = False,
    ter_no_punct: bool = False,
    ter_asian_support: bool = False,
    ter_case_sensitive: bool = False,
) -> CorpusScores:
    """Reads and scores a whole corpus.

    What to read (as the ``mtharness`` command line):

    * ``input`` a corpus folder with ``ref/`` and ``mt/`` subfolders (one file per article),
      a WMT XML test set (``.xml``), a TSV or JSONL table (``.tsv``, ``.jsonl``);
    * ``input`` a folder of line-aligned ``ref.*`` and ``hyp.*`` files (systems named after
      the middle of ``hyp.NAME.en``);
    * or ``refs=[...]`` and ``hyps=[...]``: line-aligned reference and system files (with
      ``docids``, ``source`` and ``name`` as options).

    :param metrics: Names among ``bleu chrf chrf++ ter wer mer wil wip cer charsim``.
    :param systems: Systems to keep, in this order (default: all).
    :param collection: The collection of a WMT XML file.
    :param align: ``auto`` (align documents whose segment counts differ), ``always`` or
        ``never``.
    :param tokenize: BLEU's tokenizer; the other keyword options are BLEU's, chrF's
        (``lowercase``) and TER's, as in `stats()`.
    :return: A `CorpusScores` (lists of dicts: ``systems``, ``documents``, ``segments``).
    :raises OSError: A file cannot be read (`FileNotFoundError` when missing).
    :raises ValueError: The input is malformed or the options do not fit together; the
        message says where (file, line, document).
    """
    refs_l = _paths(refs, "refs")
    hyps_l = _paths(hyps, "hyps")
    input_s = _optional_path(input, "input")
    if input_s is not None and not refs_l and not hyps_l and os.path.isdir(input_s):
        has_folders = os.path.isdir(os.path.join(input_s, "ref")) and os.path.isdir(
            os.path.join(input_s, "mt")
        )
        if not has_folders:
            found_refs = sorted(glob.glob(os.path.join(glob.escape(input_s), "ref.*")))
            found_hyps = sorted(glob.glob(os.path.join(glob.escape(input_s), "hyp.*")))
            if found_refs and found_hyps:
                refs_l, hyps_l, input_s = found_refs, found_hyps, None
                if name is None:
                    name = os.path.basename(os.path.normpath(os.fspath(input)))
    if isinstance(metrics, str):
        metrics = [metrics]
    if systems is not None:
        systems = list(systems)
    if tokenize != "13a":
        from .metrics.bleu import _check_tokenizer

        _check_tokenizer(tokenize)
    raw = _native.score_corpus(
        input_s, refs_l, hyps_l, _optional_path(docids, "docids"),
        _optional_path(source, "source"), name, collection, systems, list(metrics), align,
        tokenize, bool(lowercase), smooth_method,
        None if smooth_value is None else float(smooth_value), bool(ter_normalized),
        bool(ter_no_punct), bool(ter_asian_support), bool(ter_case_sensitive),
    )
    return CorpusScores(raw)
