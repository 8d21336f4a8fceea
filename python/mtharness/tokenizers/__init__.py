"""sacreBLEU's tokenizers (``sacrebleu.tokenizers``) that the library implements: callables
that turn a line into its space-separated tokens, exactly as sacreBLEU 2.6.0's do."""

from .tokenizer_base import (
    BaseTokenizer,
    NoneTokenizer,
    Tokenizer13a,
    TokenizerChar,
    TokenizerV14International,
    TokenizerZh,
)
from .tokenizer_ter import TercomTokenizer

_BY_NAME = {
    "none": NoneTokenizer,
    "13a": Tokenizer13a,
    "intl": TokenizerV14International,
    "zh": TokenizerZh,
    "char": TokenizerChar,
}


def get_tokenizer(name: str):
    """The tokenizer class of a BLEU tokenizer name (``13a``, ``intl``, ``zh``, ``char``,
    ``none``)."""
    from ..metrics.bleu import _check_tokenizer

    _check_tokenizer(name)
    return _BY_NAME[name]


__all__ = ["BaseTokenizer", "NoneTokenizer", "Tokenizer13a", "TokenizerV14International",
           "TokenizerZh", "TokenizerChar", "TercomTokenizer", "get_tokenizer"]
