"""Type stubs of `mtharness._native`, the Rust extension (python/src/lib.rs). Use the
public API of `mtharness` instead: these functions take already-checked plain values."""

from typing import Dict, List, Optional, Sequence, Tuple

__version__: str

_Chunk = Tuple[str, int, int, int, int]
_Counts = Tuple[int, int, int, int]

class Metric:
    """One configured metric of the library."""

    @staticmethod
    def bleu(
        tokenize: str,
        lowercase: bool,
        smooth_method: str,
        smooth_value: Optional[float],
        max_order: int,
        effective_order: bool,
    ) -> "Metric": ...
    @staticmethod
    def chrf(
        char_order: int,
        word_order: int,
        beta: int,
        lowercase: bool,
        whitespace: bool,
        eps_smoothing: bool,
    ) -> "Metric": ...
    @staticmethod
    def ter(normalized: bool, no_punct: bool, asian_support: bool, case_sensitive: bool) -> "Metric": ...
    def id(self) -> str: ...
    def name(self) -> str: ...
    def signature(self, nrefs: int) -> str: ...
    def stat_names(self) -> List[str]: ...
    def corpus_stats(
        self, hyps: Sequence[str], refs: Sequence[Sequence[Optional[str]]]
    ) -> Tuple[List[float], List[int]]: ...
    def sentence_stats(self, hyp: str, refs: Sequence[Optional[str]]) -> List[float]: ...
    def bleu_sentence(
        self, hyp: str, refs: Sequence[Optional[str]]
    ) -> Optional[Tuple[float, List[int], List[int], List[float], float, int, int]]: ...
    def bootstrap(
        self, hyps: Sequence[str], refs: Sequence[Sequence[Optional[str]]], n_samples: int
    ) -> Tuple[float, float, Optional[int]]: ...
    def bootstrap_signature(self, nrefs: int, n_samples: int, seed: Optional[int]) -> str: ...
    def score(self, stats: Sequence[float]) -> float: ...
    def sentence_score(self, stats: Sequence[float]) -> float: ...

class Stats:
    """Summed sufficient statistics of one or more metrics (see `mtharness.stats`)."""

    @staticmethod
    def from_json(text: str) -> "Stats": ...
    def to_json(self) -> str: ...
    @property
    def segments(self) -> int: ...
    @property
    def nrefs(self) -> int: ...
    @property
    def metrics(self) -> List[str]: ...
    def raw(self) -> Dict[str, List[float]]: ...
    def stat_names(self) -> Dict[str, List[str]]: ...
    def scores(self) -> Dict[str, float]: ...
    def signatures(self) -> Dict[str, str]: ...
    def __add__(self, other: "Stats | int") -> "Stats": ...
    def __radd__(self, other: "Stats | int") -> "Stats": ...
    def __eq__(self, other: object) -> bool: ...

def compute_bleu_py(
    correct: Sequence[float],
    total: Sequence[float],
    sys_len: float,
    ref_len: float,
    smooth_method: str,
    smooth_value: Optional[float],
    effective_order: bool,
    max_order: int,
) -> Tuple[float, List[float], float]: ...
def bleu_tokenize(name: str, line: str) -> str: ...
def ter_tokenize(line: str, normalized: bool, no_punct: bool, asian_support: bool, case_sensitive: bool) -> str: ...
def stats(
    hyps: Sequence[str],
    refs: Sequence[Sequence[str]],
    metrics: Sequence[str],
    tokenize: str,
    lowercase: bool,
    smooth_method: str,
    smooth_value: Optional[float],
    ter_normalized: bool,
    ter_no_punct: bool,
    ter_asian_support: bool,
    ter_case_sensitive: bool,
) -> Stats: ...
def align_words_default(
    refs: Sequence[str], hyps: Sequence[str]
) -> Tuple[List[List[str]], List[List[str]], List[List[_Chunk]], _Counts]: ...
def count_words_default(refs: Sequence[str], hyps: Sequence[str]) -> _Counts: ...
def align_chars_default(
    refs: Sequence[str], hyps: Sequence[str]
) -> Tuple[List[List[str]], List[List[str]], List[List[_Chunk]], _Counts]: ...
def align_token_lists(
    refs: Sequence[Sequence[str]], hyps: Sequence[Sequence[str]]
) -> Tuple[List[List[_Chunk]], _Counts]: ...
def word_measures(hits: int, substitutions: int, deletions: int, insertions: int) -> Tuple[float, float, float, float]: ...
def score_corpus(
    input: Optional[str],
    refs: Sequence[str],
    hyps: Sequence[str],
    docids: Optional[str],
    source: Optional[str],
    name: Optional[str],
    collection: Optional[str],
    systems: Optional[Sequence[str]],
    metrics: Sequence[str],
    align: str,
    tokenize: str,
    lowercase: bool,
    smooth_method: str,
    smooth_value: Optional[float],
    ter_normalized: bool,
    ter_no_punct: bool,
    ter_asian_support: bool,
    ter_case_sensitive: bool,
) -> Dict[str, object]: ...
