"""The base `Score`, `Signature` and `Metric` classes of the sacreBLEU-compatible API.

They behave as sacreBLEU 2.6.0's classes of the same names (``sacrebleu/metrics/base.py``):
the same attributes, the same ``format()`` output and the same argument checks, with three
deliberate differences:

* reference streams of different lengths (or not as long as the hypotheses) raise
  ``ValueError`` instead of being silently truncated to the shortest (sacreBLEU issues #220,
  #259, #272);
* a flat list of reference strings where a list of reference *streams* is expected raises
  ``TypeError`` (sacreBLEU would score it character by character);
* signatures end in ``compat:sacrebleu-2.6.0|version:mtharness-X`` instead of
  ``version:2.6.0``: the fields before them are sacreBLEU's, byte for byte.

The statistics are computed by the Rust library, a corpus with the GIL released.
"""

from __future__ import annotations

import json
import logging
import statistics
from collections.abc import Iterable
from typing import Any, Dict, List, Optional, Sequence

sacrelogger = logging.getLogger("mtharness")

__all__ = ["Score", "Signature", "Metric"]


class Score:
    """A base score class (sacreBLEU's `Score`).

    :param name: The name of the underlying metric.
    :param score: A floating point number for the final metric.
    """

    # More info printed right after the score (`BLEUScore` computes its own).
    _verbose = ""

    def __init__(self, name: str, score: float):
        self.name = name
        self.score = score

        # Statistical test related fields (set by `estimate_ci`)
        self._mean = -1.0
        self._ci = -1.0

    def format(
        self,
        width: int = 2,
        score_only: bool = False,
        signature: str = "",
        is_json: bool = False,
    ) -> str:
        """Returns a pretty representation of the score, as sacreBLEU prints it.

        :param width: Floating point decimal precision width.
        :param score_only: If `True`, and the format is not `json`, returns a single score string.
        :param signature: A string representation of the given `Signature` instance.
        :param is_json: If `True`, will output the score in JSON string.
        :return: A plain or JSON-formatted string representation.
        """
        d: Dict[str, Any] = {
            "name": self.name,
            "score": float(f"{self.score:.{width}f}"),
            "signature": signature,
        }

        sc = f"{self.score:.{width}f}"

        if self._mean > 0:
            confidence_mean = f"{self._mean:.{width}f}"
            confidence_var = f"{self._ci:.{width}f}"
            confidence_str = f"μ = {confidence_mean} ± {confidence_var}"

            sc += f" ({confidence_str})"
            if is_json:
                d["confidence_mean"] = float(confidence_mean)
                d["confidence_var"] = float(confidence_var)
                d["confidence"] = confidence_str

        full_score = f"{self.name}|{signature}" if signature else self.name
        full_score = f"{full_score} = {sc}"
        if self._verbose:
            full_score += f" {self._verbose}"
            d["verbose_score"] = self._verbose

        if score_only:
            return sc

        if is_json:
            for param in signature.split("|"):
                if ":" in param:
                    key, value = param.split(":", 1)
                    d[key] = value
            return json.dumps(d, indent=1, ensure_ascii=False)

        return full_score

    def estimate_ci(self, scores: List["Score"]) -> None:
        """Stores the mean and the half width of the 95% interval of `scores`
        (e.g. from bootstrap resampling), as sacreBLEU does."""
        raw_scores = sorted([x.score for x in scores])
        n = len(raw_scores)
        lower_idx = n // 40
        upper_idx = n - lower_idx - 1
        lower, upper = raw_scores[lower_idx], raw_scores[upper_idx]
        self._ci = 0.5 * (upper - lower)
        self._mean = statistics.mean(raw_scores)

    def __repr__(self) -> str:
        return self.format()


class Signature:
    """A reproducibility signature (sacreBLEU's `Signature`).

    Built from the library's signature string; ``str()`` gives it back, ``format(short=True)``
    uses sacreBLEU's abbreviations.
    """

    _BASE_ABBR = {
        "version": "v",
        "nrefs": "#",
        "test": "t",
        "lang": "l",
        "subset": "S",
        "origlang": "o",
        "bs": "bs",
        "ar": "ar",
        "seed": "rs",
    }

    def __init__(self, signature: str, abbr: Optional[Dict[str, str]] = None):
        self._abbr = dict(self._BASE_ABBR)
        self._abbr.update(abbr or {})
        self.info: Dict[str, Any] = {}
        for field in signature.split("|"):
            key, _, value = field.partition(":")
            self.info[key] = value

    def format(self, short: bool = False) -> str:
        """Returns the signature string (`short`: sacreBLEU's abbreviated field names)."""
        pairs = []
        for name, value in self.info.items():
            if value is None:
                continue
            if isinstance(value, bool):
                value = "yes" if value else "no"
            final_name = self._abbr.get(name, name) if short else name
            pairs.append(f"{final_name}:{value}")
        return "|".join(pairs)

    def update(self, key: str, value: Any) -> None:
        """Adds a new item or updates an existing one."""
        self.info[key] = value

    def __str__(self) -> str:
        return self.format()

    def __repr__(self) -> str:
        return self.format()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Signature):
            return self.format() == other.format()
        if isinstance(other, str):
            return self.format() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.format())


def _is_sequence(x: Any) -> bool:
    return isinstance(x, Iterable) and not isinstance(x, (str, bytes, bytearray, dict))


def _describe(x: Any) -> str:
    return type(x).__name__


def check_hypotheses(prefix: str, hyps: Any) -> List[str]:
    """The hypotheses as a list of `str`, or a `TypeError` naming the first bad item."""
    if not _is_sequence(hyps):
        raise TypeError(f"{prefix}: `hyps` should be a sequence of strings (got {_describe(hyps)}).")
    hyps = list(hyps)
    for i, line in enumerate(hyps):
        if line is None:
            raise TypeError(f"{prefix}: Undefined line in hypotheses stream! (item {i} is None)")
        if not isinstance(line, str):
            raise TypeError(
                f"{prefix}: Each element of `hyps` should be a string (item {i} is {_describe(line)})."
            )
    return hyps


def check_reference_streams(prefix: str, refs: Any, n_hyps: Optional[int] = None) -> List[List[Optional[str]]]:
    """Reference streams (`refs[r][i]`: segment `i` of reference `r`) as lists of `str` or
    `None`; a `TypeError` for a wrong shape or type, a `ValueError` for streams whose length
    is not the number of hypotheses."""
    if not _is_sequence(refs):
        raise TypeError(
            f"{prefix}: `refs` should be a sequence of sequence of strings (got {_describe(refs)})."
        )
    streams = list(refs)
    if not streams:
        raise ValueError(f"{prefix}: `refs` holds no reference stream.")
    out: List[List[Optional[str]]] = []
    for r, stream in enumerate(streams):
        if isinstance(stream, str):
            raise TypeError(
                f"{prefix}: `refs` should be a list of reference streams (each a list of strings, "
                f"one per hypothesis), but item {r} is a string. For one reference, pass "
                f"[refs] instead of refs."
            )
        if not _is_sequence(stream):
            raise TypeError(
                f"{prefix}: Each element of `refs` should be a sequence of strings "
                f"(item {r} is {_describe(stream)})."
            )
        stream = list(stream)
        for i, line in enumerate(stream):
            if line is not None and not isinstance(line, str):
                raise TypeError(
                    f"{prefix}: `refs` should be a sequence of sequence of strings "
                    f"(reference {r}, item {i} is {_describe(line)})."
                )
        if n_hyps is not None and len(stream) != n_hyps:
            raise ValueError(
                f"{prefix}: reference stream {r} has {len(stream)} segments but there are "
                f"{n_hyps} hypotheses; every reference stream needs one segment per hypothesis."
            )
        out.append(stream)
    lengths = {len(s) for s in out}
    if len(lengths) > 1:
        raise ValueError(
            f"{prefix}: the reference streams have different lengths ({sorted(lengths)}); "
            f"every reference stream needs one segment per hypothesis."
        )
    return out


class Metric:
    """The base of `BLEU`, `CHRF` and `TER` (sacreBLEU's `Metric`).

    Subclasses set `self._native` (an `mtharness._native.Metric`) and implement
    `_compute_score_from_stats`.
    """

    _SIGNATURE_ABBR: Dict[str, str] = {}

    def __init__(self) -> None:
        self._ref_cache: Optional[List[List[Optional[str]]]] = None
        self._force = True
        self.n_bootstrap = None
        self.seed = None
        self._native: Any = None

    def _cache_references(self, references: Sequence[Sequence[str]]) -> List[List[Optional[str]]]:
        """Checks and keeps reference streams for later `corpus_score(hyps, None)` calls."""
        streams = check_reference_streams(type(self).__name__, references)
        counts = {sum(1 for s in streams if s[i] is not None) for i in range(len(streams[0]))}
        self.num_refs = counts.pop() if len(counts) == 1 else -1
        return streams

    def _check_sentence_score_args(self, hyp: Any, refs: Any) -> None:
        prefix = type(self).__name__
        err_msg = None
        if not isinstance(hyp, str):
            err_msg = "The argument `hyp` should be a string."
        elif isinstance(refs, str) or not _is_sequence(refs):
            err_msg = "The argument `refs` should be a sequence of strings."
        else:
            refs = list(refs)
            if not refs:
                raise ValueError(f"{prefix}: The argument `refs` holds no reference.")
            for r in refs:
                if not isinstance(r, str) and r is not None:
                    err_msg = "Each element of `refs` should be a string."
        if err_msg:
            raise TypeError(f"{prefix}: {err_msg}")

    def _extract_corpus_statistics(self, hypotheses: Any, references: Any) -> List[float]:
        """Summed statistics of a corpus; sets `num_refs` for the signature."""
        prefix = type(self).__name__
        hyps = check_hypotheses(prefix, hypotheses)
        if references is not None and not (_is_sequence(references) or isinstance(references, str)):
            raise TypeError(f"{prefix}: `refs` should be a sequence of sequence of strings.")
        if references is not None and len(list(references)) > 0:
            streams = check_reference_streams(prefix, references, len(hyps))
        elif self._ref_cache:
            streams = self._ref_cache
            if len(streams[0]) != len(hyps):
                raise ValueError(
                    f"{prefix}: the cached references have {len(streams[0])} segments but there "
                    f"are {len(hyps)} hypotheses."
                )
        else:
            raise RuntimeError("No references provided and the cache is empty.")
        if not self._force:
            tok_count = sum(1 for h in hyps if h.endswith(" ."))
            if tok_count >= 100:
                sacrelogger.warning("That's 100 lines that end in a tokenized period ('.')")
                sacrelogger.warning(
                    "It looks like you forgot to detokenize your test data, which may hurt your score."
                )
                sacrelogger.warning(
                    "If you insist your data is detokenized, or don't care, you can suppress this "
                    "message with the `force` parameter."
                )
        sums, counts = self._native.corpus_stats(hyps, streams)
        self.num_refs = counts[0] if len(counts) == 1 else -1
        return sums

    def _compute_score_from_stats(self, stats: List[float]) -> Any:
        raise NotImplementedError

    def sentence_score(self, hypothesis: str, references: Sequence[str]) -> Any:
        """Computes the metric for one hypothesis against one or more references.

        :param hypothesis: A single hypothesis string.
        :param references: A sequence of reference strings.
        :return: A `Score` object.
        """
        stats = self._sentence_stats(hypothesis, references)
        return self._compute_score_from_stats(stats)

    def _sentence_native(self, call: Any, hypothesis: Any, references: Any) -> Any:
        """`call(hypothesis, references)` on the native metric, the arguments checked as
        sacreBLEU checks them: a string and a non-empty sequence of strings (or `None`).
        Sets `num_refs`. The checks run only when the native conversion refuses the
        arguments, or for an empty sequence, so a well-formed call pays none of them."""
        try:
            if len(references) == 0:
                raise TypeError
            out = call(hypothesis, references)
        except TypeError:
            self._check_sentence_score_args(hypothesis, references)
            references = list(references)
            out = call(hypothesis, references)
        self.num_refs = sum(1 for r in references if r is not None)
        return out

    def _sentence_stats(self, hypothesis: Any, references: Any) -> List[float]:
        return self._sentence_native(self._native.sentence_stats, hypothesis, references)

    def corpus_score(
        self,
        hypotheses: Sequence[str],
        references: Optional[Sequence[Sequence[str]]],
        n_bootstrap: int = 1,
    ) -> Any:
        """Computes the metric for a corpus against one or more reference streams.

        :param hypotheses: A sequence of hypothesis strings.
        :param references: A sequence of reference streams, each a sequence of strings (one per
            hypothesis; `None` for a missing reference). If `None`, the references given to the
            constructor are used.
        :param n_bootstrap: If > 1, also estimates the mean and the 95% confidence interval by
            bootstrap resampling with `n_bootstrap` samples (the library's resampler, seeded as
            sacreBLEU is, by ``SACREBLEU_SEED`` or 12345; its random stream is not numpy's,
            so μ and ± differ from sacreBLEU's in the last digits); the signature then has
            ``bs:N|seed:S``.
        :return: A `Score` object.
        """
        stats = self._extract_corpus_statistics(hypotheses, references)
        score = self._compute_score_from_stats(stats)
        if n_bootstrap > 1:
            hyps = check_hypotheses(type(self).__name__, hypotheses)
            streams = (check_reference_streams(type(self).__name__, references, len(hyps))
                       if references is not None and len(list(references)) > 0 else self._ref_cache)
            mean, half_width, seed = self._native.bootstrap(hyps, streams, n_bootstrap)
            score._mean = mean
            score._ci = half_width
            self.n_bootstrap = n_bootstrap
            self.seed = seed
        return score

    def _signature_string(self, nrefs: int) -> str:
        if self.n_bootstrap:
            return self._native.bootstrap_signature(max(nrefs, 0), self.n_bootstrap, self.seed)
        return self._native.signature(max(nrefs, 0))

    def get_signature(self) -> Signature:
        """The reproducibility signature. Needs a scored corpus (or cached references), which
        fixes the number of references, as in sacreBLEU."""
        if not hasattr(self, "num_refs"):
            raise ValueError("Number of references unknown, please evaluate the metric first.")
        sig = Signature(self._signature_string(self.num_refs), self._SIGNATURE_ABBR)
        if self.num_refs == -1:
            sig.update("nrefs", "var")
        return sig
