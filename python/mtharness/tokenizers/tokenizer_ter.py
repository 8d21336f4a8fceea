"""sacreBLEU's `TercomTokenizer` (``sacrebleu.tokenizers.tokenizer_ter``), over the library's."""

from .. import _native

__all__ = ["TercomTokenizer"]


class TercomTokenizer:
    """TER's tokenizer (a port of Tercom's normaliser, as sacreBLEU 2.6.0 has it).

    :param normalized: Tercom normalisation (punctuation split, XML entities).
    :param no_punct: Remove punctuation.
    :param asian_support: CJK handling (with `normalized` and/or `no_punct`).
    :param case_sensitive: Do not lowercase.
    """

    def __init__(self, normalized: bool = False, no_punct: bool = False,
                 asian_support: bool = False, case_sensitive: bool = False):
        self._normalized = normalized
        self._no_punct = no_punct
        self._asian_support = asian_support
        self._case_sensitive = case_sensitive

    def signature(self) -> str:
        return "tercom"

    def __call__(self, sent: str) -> str:
        if not isinstance(sent, str):
            raise TypeError(f"a tokenizer takes a str (got {type(sent).__name__})")
        if not sent:
            return ""
        return _native.ter_tokenize(sent, bool(self._normalized), bool(self._no_punct),
                                    bool(self._asian_support), bool(self._case_sensitive))
