"""jiwer's text transforms (``jiwer.transforms``), with jiwer 4.0.0's behaviour.

A transform turns a string, or a list of strings, into another; a composition used for
`process_words` must end in `ReduceToListOfListOfWords` (for `process_characters`:
`ReduceToListOfListOfChars`), which turns the strings into lists of tokens. The defaults
(`wer_default`, `cer_default` in `mtharness.transformations`) run in the Rust library; any
other transform runs here, in Python, and the library aligns its output.
"""

from __future__ import annotations

import re
import string
import sys
import unicodedata
from functools import lru_cache
from typing import Iterable, List, Mapping, Union

__all__ = [
    "AbstractTransform",
    "Compose",
    "ExpandCommonEnglishContractions",
    "ReduceToListOfListOfChars",
    "ReduceToListOfListOfWords",
    "ReduceToSingleSentence",
    "RemoveEmptyStrings",
    "RemoveKaldiNonWords",
    "RemoveMultipleSpaces",
    "RemovePunctuation",
    "RemoveSpecificWords",
    "RemoveWhiteSpace",
    "Strip",
    "SubstituteRegexes",
    "SubstituteWords",
    "ToLowerCase",
    "ToUpperCase",
]


class AbstractTransform:
    """The base of a transform: `process_string` for one string, `process_list` for a list."""

    def __call__(self, sentences: Union[str, List[str]]):
        if isinstance(sentences, str):
            return self.process_string(sentences)
        if isinstance(sentences, list):
            return self.process_list(sentences)
        raise ValueError(f"input {sentences} was expected to be a string or list of strings")

    def process_string(self, s: str):
        raise NotImplementedError()

    def process_list(self, inp: List[str]):
        return [self.process_string(s) for s in inp]


class Compose:
    """Applies transforms one after the other."""

    def __init__(self, transforms: List[AbstractTransform]):
        self.transforms = transforms

    def __call__(self, text):
        for tr in self.transforms:
            text = tr(text)
        return text


class _Replace(AbstractTransform):
    """Replaces each of some substrings by one token, in order."""

    def __init__(self, tokens_to_remove: Iterable[str], replace_token: str = ""):
        self.tokens_to_remove = tokens_to_remove
        self.replace_token = replace_token

    def process_string(self, s: str):
        for w in self.tokens_to_remove:
            s = s.replace(w, self.replace_token)
        return s


class ReduceToListOfListOfWords(AbstractTransform):
    """Splits each sentence on `word_delimiter` into its non-empty words. An empty list of
    sentences becomes one empty sentence (``[[]]``)."""

    def __init__(self, word_delimiter: str = " "):
        self.word_delimiter = word_delimiter

    def process_string(self, s: str):
        return [[w for w in s.split(self.word_delimiter) if len(w) >= 1]]

    def process_list(self, inp: List[str]):
        out = [self.process_string(s)[0] for s in inp]
        return out if out else [[]]


class ReduceToListOfListOfChars(AbstractTransform):
    """Splits each sentence into its characters (code points). An empty list of sentences
    becomes one empty sentence (``[[]]``)."""

    def process_string(self, s: str):
        return [list(s)]

    def process_list(self, inp: List[str]):
        out = [self.process_string(s)[0] for s in inp]
        return out if out else [[]]


class ReduceToSingleSentence(AbstractTransform):
    """Joins the non-empty sentences of a list into one (with `word_delimiter`)."""

    def __init__(self, word_delimiter: str = " "):
        self.word_delimiter = word_delimiter

    def process_string(self, s: str):
        return s

    def process_list(self, inp: List[str]):
        kept = [i for i in inp if len(i) >= 1]
        return [self.word_delimiter.join(kept)] if kept else []


class SubstituteRegexes(AbstractTransform):
    """Replaces the matches of each regular expression (``re.sub``), in mapping order."""

    def __init__(self, substitutions: Mapping[str, str]):
        self.substitutions = substitutions

    def process_string(self, s: str):
        for key, value in self.substitutions.items():
            s = re.sub(key, value, s)
        return s


class SubstituteWords(AbstractTransform):
    """Replaces whole words (``\\bword\\b``), in mapping order."""

    def __init__(self, substitutions: Mapping[str, str]):
        self.substitutions = substitutions

    def process_string(self, s: str):
        for key, value in self.substitutions.items():
            s = re.sub(r"\b{}\b".format(re.escape(key)), value, s)
        return s


class RemoveSpecificWords(SubstituteWords):
    """Replaces the given whole words by a space (follow with `RemoveMultipleSpaces` and
    `Strip`)."""

    def __init__(self, words_to_remove: List[str]):
        super().__init__({word: " " for word in words_to_remove})


class RemoveWhiteSpace(_Replace):
    """Removes the characters of `string.whitespace` (or replaces each by a space)."""

    def __init__(self, replace_by_space: bool = False):
        super().__init__(list(string.whitespace), " " if replace_by_space else "")


@lru_cache(1)
def _punctuation_characters() -> frozenset:
    """Every code point whose general category starts with P."""
    return frozenset(
        chr(i) for i in range(sys.maxunicode + 1) if unicodedata.category(chr(i)).startswith("P")
    )


class RemovePunctuation(_Replace):
    """Removes every Unicode punctuation character (general category P*)."""

    def __init__(self):
        super().__init__(_punctuation_characters())


class RemoveMultipleSpaces(AbstractTransform):
    """Replaces each run of two or more whitespace characters by one space."""

    def process_string(self, s: str):
        return re.sub(r"\s\s+", " ", s)


class Strip(AbstractTransform):
    """Removes leading and trailing whitespace (``str.strip()``)."""

    def process_string(self, s: str):
        return s.strip()


class RemoveEmptyStrings(AbstractTransform):
    """Drops the strings of a list that are empty after stripping."""

    def process_string(self, s: str):
        return s.strip()

    def process_list(self, inp: List[str]):
        return [s for s in inp if self.process_string(s) != ""]


class ExpandCommonEnglishContractions(AbstractTransform):
    """Expands `won't`, `can't`, `let's`, `n't`, `'re`, `'s`, `'d`, `'ll`, `'t`, `'ve`, `'m`."""

    _RULES = (
        (r"won't", "will not"),
        (r"can\'t", "can not"),
        (r"let\'s", "let us"),
        (r"n\'t", " not"),
        (r"\'re", " are"),
        (r"\'s", " is"),
        (r"\'d", " would"),
        (r"\'ll", " will"),
        (r"\'t", " not"),
        (r"\'ve", " have"),
        (r"\'m", " am"),
    )

    def process_string(self, s: str):
        for pattern, repl in self._RULES:
            s = re.sub(pattern, repl, s)
        return s


class ToLowerCase(AbstractTransform):
    """``str.lower()``."""

    def process_string(self, s: str):
        return s.lower()


class ToUpperCase(AbstractTransform):
    """``str.upper()``."""

    def process_string(self, s: str):
        return s.upper()


class RemoveKaldiNonWords(AbstractTransform):
    """Removes tokens between ``[]`` or ``<>`` (Kaldi non-words such as ``[laugh]``)."""

    def process_string(self, s: str):
        return re.sub(r"[<\[][^>\]]*[>\]]", "", s)
