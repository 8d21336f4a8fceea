"""sacreBLEU module path `sacrebleu.tokenizers.tokenizer_char`."""

from .tokenizer_base import TokenizerChar

__all__ = ["TokenizerChar"]
