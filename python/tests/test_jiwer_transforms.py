"""jiwer 4.0.0's tests/test_transforms.py cases, against `mtharness.transforms`."""

import pytest

from mtharness.transforms import (
    ExpandCommonEnglishContractions,
    ReduceToListOfListOfChars,
    ReduceToListOfListOfWords,
    ReduceToSingleSentence,
    RemoveEmptyStrings,
    RemoveKaldiNonWords,
    RemoveMultipleSpaces,
    RemovePunctuation,
    RemoveSpecificWords,
    RemoveWhiteSpace,
    Strip,
    SubstituteRegexes,
    SubstituteWords,
    ToLowerCase,
    ToUpperCase,
)

CASES = [
    (ReduceToSingleSentence(), [
        ("this is a test", "this is a test"), ("", ""),
        (["this is one", "is two"], ["this is one is two"]),
        (["one", "two", "three", "", "five six"], ["one two three five six"]),
        ([""], []),
    ]),
    (ReduceToSingleSentence("_"), [
        ("this_is_a_test", "this_is_a_test"), ("", ""),
        (["this_is_one", "is_two"], ["this_is_one_is_two"]),
        (["one", "two", "three", "", "five_six"], ["one_two_three_five_six"]),
        ([""], []),
    ]),
    (ReduceToListOfListOfWords(), [
        ("this is a test", [["this", "is", "a", "test"]]), ("", [[]]),
        (["this is one", "is two"], [["this", "is", "one"], ["is", "two"]]),
        (["one", "two", "three", "", "five six"], [["one"], ["two"], ["three"], [], ["five", "six"]]),
        ([], [[]]), ([""], [[]]), (["", "", ""], [[], [], []]),
    ]),
    (ReduceToListOfListOfWords("_"), [
        ("this_is_a_test", [["this", "is", "a", "test"]]), ("", [[]]),
        (["this_is_one", "is_two"], [["this", "is", "one"], ["is", "two"]]),
        (["one", "two", "three", "", "five_six"], [["one"], ["two"], ["three"], [], ["five", "six"]]),
        ([], [[]]), ([""], [[]]), (["", "", ""], [[], [], []]),
    ]),
    (ReduceToListOfListOfChars(), [
        ("this is a test", [list("this is a test")]), ("", [[]]),
        (["this is one", "is two"], [list("this is one"), list("is two")]),
        (["one", "two", "three", "", "five six"],
         [list("one"), list("two"), list("three"), [], list("five six")]),
        ([], [[]]), ([""], [[]]), (["", "", ""], [[], [], []]),
        ("this_is_a_test", [list("this_is_a_test")]),
    ]),
    (RemoveSpecificWords(["yhe", "yeah", "a", "he", "the"]), [
        (["yhe about that bug"], ["  about that bug"]),
        (["yeah about that bug"], ["  about that bug"]),
        (["one bug"], ["one bug"]),
        (["yhe", "about", "bug"], [" ", "about", "bug"]),
        (["yeah", "about", "bug"], [" ", "about", "bug"]),
        (["one", "bug"], ["one", "bug"]),
        (["yhe about bug"], ["  about bug"]),
        (["yeah about bug"], ["  about bug"]),
        (["about bug yhe"], ["about bug  "]),
        (["he asked a helpful question"], ["  asked   helpful question"]),
        (["normal sentence"], ["normal sentence"]),
        ("yhe awesome", "  awesome"),
        ("the apple is not a pear", "  apple is not   pear"),
        ("yhe", " "),
    ]),
    (RemoveWhiteSpace(), [("this is an example", "thisisanexample"), ("hello\tworld\n\r", "helloworld")]),
    (RemoveWhiteSpace(replace_by_space=True), [
        ("this is an example", "this is an example"), ("hello\tworld\n\r", "hello world  "),
    ]),
    (RemovePunctuation(), [
        ("this is an example!", "this is an example"), ("hello. goodbye", "hello goodbye"),
        ("this sentence has no punctuation", "this sentence has no punctuation"),
        ("word༆’'", "word"), ("‘no’", "no"), ("“yes”", "yes"),
    ]),
    (RemoveMultipleSpaces(), [
        (["this is   an   example "], ["this is an example "]),
        (["  hello goodbye  "], [" hello goodbye "]), (["  "], [" "]),
    ]),
    (SubstituteWords({"pretty": "awesome", "you": "i", "'re": " am", "foo": "bar"}), [
        (["you're pretty"], ["i am awesome"]), (["your book"], ["your book"]), (["foobar"], ["foobar"]),
    ]),
    (SubstituteRegexes({r"doom": r"sacr", r"\b(\w+)ed\b": r"\1"}), [
        (["is the world doomed or loved?"], ["is the world sacr or lov?"]),
        (["the sun is loved"], ["the sun is lov"]),
        (["edibles are allegedly cultivated"], ["edibles are allegedly cultivat"]),
    ]),
    (Strip(), [
        ([" this is an example "], ["this is an example"]), (["  hello goodbye  "], ["hello goodbye"]),
        (["  "], [""]), (["                       "], [""]),
    ]),
    (RemoveEmptyStrings(), [([""], []), (["this is an example"], ["this is an example"]), ([" "], []),
                            (["                "], [])]),
    (ExpandCommonEnglishContractions(), [
        (["she'll make sure you can't make it"], ["she will make sure you can not make it"]),
        (["let's party!"], ["let us party!"]),
    ]),
    (ToLowerCase(), [(["You're PRETTY"], ["you're pretty"])]),
    (ToUpperCase(), [(["You're amazing"], ["YOU'RE AMAZING"])]),
    (RemoveKaldiNonWords(), [(["you <unk> like [laugh]"], ["you  like "])]),
]


@pytest.mark.parametrize(
    "transform, inp, expected",
    [(t, i, o) for t, cases in CASES for i, o in cases],
    ids=lambda x: type(x).__name__ if not isinstance(x, (str, list)) else None,
)
def test_transform(transform, inp, expected):
    assert transform(inp) == expected
