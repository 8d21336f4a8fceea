"""sacreBLEU module path `sacrebleu.tokenizers.tokenizer_none`."""

from .tokenizer_base import NoneTokenizer

__all__ = ["NoneTokenizer"]
