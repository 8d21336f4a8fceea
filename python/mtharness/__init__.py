"""mtharness: translation-quality metrics from Python, computed by the mtharness Rust library.

Three faces, one library:

* **sacreBLEU's API** (2.6.0): `BLEU`, `CHRF`, `TER` with ``corpus_score`` /
  ``sentence_score`` / ``get_signature``, the functions `corpus_bleu`, `sentence_bleu`,
  `corpus_chrf`, `sentence_chrf`, `corpus_ter`, `sentence_ter`, `raw_corpus_bleu`, and the
  modules `metrics`, `compat`, `tokenizers`: ``import mtharness as sacrebleu`` runs sacreBLEU
  scripts that use these calls unchanged.
* **jiwer's API** (4.0.0): `wer`, `mer`, `wil`, `wip`, `cer`, `process_words`,
  `process_characters` (with jiwer's alignment chunks), the transforms (`Compose`,
  `RemoveMultipleSpaces`, ... and `transformations.wer_default` ...) and
  `visualize_alignment`.
* **The library's own**: `stats()` gives additive statistics of several metrics at once
  (``a + b``, ``sum()``, pickling, ``.scores()``), and `score_corpus()` reads and scores a
  whole corpus (folders of articles, WMT XML, TSV/JSONL, line-aligned files).

Scoring runs in Rust: a corpus with the GIL released, spread over the library's threads; one
segment (``sentence_score``) on the calling thread.
"""

from . import compat, metrics, tokenizers, transformations, transforms
from ._native import __version__
from .alignment import collect_error_counts, visualize_alignment, visualize_error_counts
from .compat import (
    corpus_bleu,
    corpus_chrf,
    corpus_ter,
    raw_corpus_bleu,
    sentence_bleu,
    sentence_chrf,
    sentence_ter,
)
from .corpus import CorpusScores, score_corpus
from .measures import cer, mer, wer, wil, wip
from .metrics import BLEU, CHRF, TER, BLEUScore, CHRFScore, TERScore
from .process import (
    AlignmentChunk,
    CharacterOutput,
    WordOutput,
    process_characters,
    process_words,
)
from .stats import DEFAULT_METRICS, Stats, stats
from .transformations import (
    cer_contiguous,
    cer_default,
    wer_contiguous,
    wer_default,
    wer_standardize,
    wer_standardize_contiguous,
)
from .transforms import (
    AbstractTransform,
    Compose,
    ExpandCommonEnglishContractions,
    ReduceToListOfListOfChars,
    ReduceToListOfListOfWords,
    ReduceToSingleSentence,
    RemoveEmptyStrings,
    RemoveKaldiNonWords,
    RemoveMultipleSpaces,
    RemovePunctuation,
    RemoveSpecificWords,
    RemoveWhiteSpace,
    Strip,
    SubstituteRegexes,
    SubstituteWords,
    ToLowerCase,
    ToUpperCase,
)

__all__ = [
    "__version__",
    # sacreBLEU
    "BLEU", "CHRF", "TER", "BLEUScore", "CHRFScore", "TERScore",
    "corpus_bleu", "raw_corpus_bleu", "sentence_bleu", "corpus_chrf", "sentence_chrf",
    "corpus_ter", "sentence_ter", "metrics", "compat", "tokenizers",
    # jiwer
    "wer", "mer", "wil", "wip", "cer", "process_words", "process_characters",
    "AlignmentChunk", "WordOutput", "CharacterOutput",
    "visualize_alignment", "visualize_error_counts", "collect_error_counts",
    "transforms", "transformations",
    "AbstractTransform", "Compose", "ExpandCommonEnglishContractions",
    "ReduceToListOfListOfChars", "ReduceToListOfListOfWords", "ReduceToSingleSentence",
    "RemoveEmptyStrings", "RemoveKaldiNonWords", "RemoveMultipleSpaces", "RemovePunctuation",
    "RemoveSpecificWords", "RemoveWhiteSpace", "Strip", "SubstituteRegexes", "SubstituteWords",
    "ToLowerCase", "ToUpperCase",
    "cer_contiguous", "cer_default", "wer_contiguous", "wer_default", "wer_standardize",
    "wer_standardize_contiguous",
    # the library's own
    "DEFAULT_METRICS", "Stats", "stats", "CorpusScores", "score_corpus",
]
