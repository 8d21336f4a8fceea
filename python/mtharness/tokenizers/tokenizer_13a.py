"""sacreBLEU module path `sacrebleu.tokenizers.tokenizer_13a`."""

from .tokenizer_base import Tokenizer13a

__all__ = ["Tokenizer13a"]
