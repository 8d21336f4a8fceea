"""sacreBLEU module path `sacrebleu.tokenizers.tokenizer_intl`."""

from .tokenizer_base import TokenizerV14International

__all__ = ["TokenizerV14International"]
