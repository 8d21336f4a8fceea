"""BLEU tokenizers, each a thin callable over the library's tokenizer of the same name."""

from .. import _native


class BaseTokenizer:
    """A BLEU tokenizer: ``tok(line)`` returns the tokenized line (tokens joined by spaces)."""

    _name = "none"

    def signature(self) -> str:
        """The name sacreBLEU puts in the signature (``tok:13a``)."""
        return self._name

    def __call__(self, line: str) -> str:
        if not isinstance(line, str):
            raise TypeError(f"a tokenizer takes a str (got {type(line).__name__})")
        return _native.bleu_tokenize(self._name, line)


class NoneTokenizer(BaseTokenizer):
    """``none``: the line unchanged."""

    _name = "none"


class Tokenizer13a(BaseTokenizer):
    """``13a``: mteval-v13a, sacreBLEU's default."""

    _name = "13a"


class TokenizerV14International(BaseTokenizer):
    """``intl``: mteval-v14 international tokenization."""

    _name = "intl"


class TokenizerZh(BaseTokenizer):
    """``zh``: CJK characters split apart, the rest as 13a."""

    _name = "zh"


class TokenizerChar(BaseTokenizer):
    """``char``: every character separated by a space."""

    _name = "char"
