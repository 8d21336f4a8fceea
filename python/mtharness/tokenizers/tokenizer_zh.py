"""sacreBLEU module path `sacrebleu.tokenizers.tokenizer_zh`."""

from .tokenizer_base import TokenizerZh

__all__ = ["TokenizerZh"]
