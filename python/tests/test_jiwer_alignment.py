"""jiwer 4.0.0's tests/test_alignment.py and test_count_errors.py cases: the alignment views
must print exactly what jiwer prints (which also pins the chunks of rapidfuzz's alignment)."""

import pytest

import mtharness as jiwer
from mtharness import visualize_alignment

WORD_CASES = [
    ("this is a", "this is a test",
     "=== SENTENCE 1 ===\n\nREF: this is a ****\nHYP: this is a test\n                  I\n"),
    ("this is a test", "this is a",
     "=== SENTENCE 1 ===\n\nREF: this is a test\nHYP: this is a ****\n                  D\n"),
    ("this is a test", "this was a test",
     "=== SENTENCE 1 ===\n\nREF: this  is a test\nHYP: this was a test\n            S       \n"),
    ("this is a test of skill", "this was a messy test",
     "=== SENTENCE 1 ===\n\nREF: this  is a ***** test of skill\nHYP: this was a messy test ** *****\n"
     "            S       I       D     D\n"),
    ("empty", "", "=== SENTENCE 1 ===\n\nREF: empty\nHYP: *****\n         D\n"),
    (["one", "two"], ["1", "2"],
     "=== SENTENCE 1 ===\n\nREF: one\nHYP:   1\n       S\n\n=== SENTENCE 2 ===\n\nREF: two\nHYP:   2\n       S\n"),
    (["perfect", "one", "two", "three"], ["perfect", "1", "2", "three"],
     "=== SENTENCE 2 ===\n\nREF: one\nHYP:   1\n       S\n\n=== SENTENCE 3 ===\n\nREF: two\nHYP:   2\n       S\n"),
    ("", "", ""),
    ("", "inserted", "=== SENTENCE 1 ===\n\nREF: ********\nHYP: inserted\n            I\n"),
]

CHAR_CASES = [
    ("this is a", "this is a test",
     "=== SENTENCE 1 ===\n\nREF: this is a*****\nHYP: this is a test\n              IIIII\n"),
    ("this is a test", "this is a",
     "=== SENTENCE 1 ===\n\nREF: this is a test\nHYP: this is a*****\n              DDDDD\n"),
    ("this is a test", "this iz a test",
     "=== SENTENCE 1 ===\n\nREF: this is a test\nHYP: this iz a test\n           S       \n"),
    ("this is a test of skill", "this was a messy test",
     "=== SENTENCE 1 ===\n\nREF: this *is a tes*t of skill\nHYP: this was a messy te*st***\n"
     "          IS    S  IS SSD SDDD\n"),
    ("empty", "", "=== SENTENCE 1 ===\n\nREF: empty\nHYP: *****\n     DDDDD\n"),
    (["one", "two"], ["1", "2"],
     "=== SENTENCE 1 ===\n\nREF: one\nHYP: 1**\n     SDD\n\n=== SENTENCE 2 ===\n\nREF: two\nHYP: 2**\n     SDD\n"),
    ("", "", ""),
    ("", "inserted", "=== SENTENCE 1 ===\n\nREF: ********\nHYP: inserted\n     IIIIIIII\n"),
]


@pytest.mark.parametrize("ref, hyp, expected", WORD_CASES)
def test_word_alignment(ref, hyp, expected):
    assert visualize_alignment(jiwer.process_words(ref, hyp), show_measures=False) == expected


@pytest.mark.parametrize("ref, hyp, expected", CHAR_CASES)
def test_char_alignment(ref, hyp, expected):
    assert visualize_alignment(jiwer.process_characters(ref, hyp), show_measures=False) == expected


def test_word_show_measures():
    expected = """=== SENTENCE 1 ===

REF: this test will have a high word error rate
HYP:   no   it will  not * **** **** ***** ****
        S    S         S D    D    D     D    D

=== SUMMARY ===
number of sentences: 1
substitutions=3 deletions=5 insertions=0 hits=1

mer=88.89%
wil=97.22%
wip=2.78%
wer=88.89%
"""
    out = jiwer.process_words("this test will  have a high word error rate", "no it will not")
    assert visualize_alignment(out, show_measures=True) == expected


def test_char_show_measures():
    expected = (
        "=== SENTENCE 1 ===\n\n"
        "REF: this test will  have a high word error rate\n"
        "HYP: no** i**t will n*************o***********t*\n"
        "     SSDD SDD       SDDDDDDDDDDDDD DDDDDDDDDDD D\n"
        "\n=== SUMMARY ===\n"
        "number of sentences: 1\n"
        "substitutions=4 deletions=29 insertions=0 hits=10\n"
        "\n"
        "cer=76.74%\n"
    )
    out = jiwer.process_characters("this test will  have a high word error rate", "no it will not")
    assert visualize_alignment(out, show_measures=True) == expected


def test_word_line_width():
    expected = """=== SENTENCE 1 ===

REF: this sentence could be
HYP: this sentence  will be
                       S   

REF: split ** **
HYP: split by ai
            I  I
"""
    out = jiwer.process_words("this sentence could be split", "this sentence will be split by ai")
    assert visualize_alignment(out, line_width=30, show_measures=False) == expected


def test_char_line_width():
    expected = """=== SENTENCE 1 ===

REF: this sentence could be sp
HYP: this sentence will* be sp
                   SSS D      

REF: lit******
HYP: lit by ai
        IIIIII
"""
    out = jiwer.process_characters("this sentence could be split", "this sentence will be split by ai")
    assert visualize_alignment(out, line_width=30, show_measures=False) == expected


# test_count_errors.py
REF = ["sub", "sub", "sub", "sub", "sub", "this was", "del", "hit"]
HYP = ["bus", "bus", "bus", "usb", "bsu", "this was ins", "", "hit"]


def test_count_word_errors():
    expected = """=== SUBSTITUTIONS ===
sub --> bus = 3x
sub --> usb = 1x
sub --> bsu = 1x

=== INSERTIONS ===
ins = 1x

=== DELETIONS ===
del = 1x"""
    assert jiwer.visualize_error_counts(jiwer.process_words(REF, HYP)) == expected


def test_count_char_errors():
    expected = """=== SUBSTITUTIONS ===
s --> b = 3x
b --> s = 3x

=== INSERTIONS ===
u    = 1x
b    = 1x
 ins = 1x

=== DELETIONS ===
u   = 1x
b   = 1x
del = 1x"""
    assert jiwer.visualize_error_counts(jiwer.process_characters(REF, HYP)) == expected


def test_top_k():
    expected = """=== SUBSTITUTIONS ===
sub --> bus = 3x

=== INSERTIONS ===
ins = 1x

=== DELETIONS ===
del = 1x"""
    assert jiwer.visualize_error_counts(jiwer.process_words(REF, HYP), top_k=1) == expected


def test_show_selective():
    out = jiwer.process_words(REF, HYP)
    no_sub = jiwer.visualize_error_counts(out, show_substitutions=False)
    no_ins = jiwer.visualize_error_counts(out, show_insertions=False)
    no_del = jiwer.visualize_error_counts(out, show_deletions=False)
    sub, ins, del_ = "=== SUBSTITUTIONS ===", "=== INSERTIONS ===", "=== DELETIONS ==="
    assert sub not in no_sub and ins in no_sub and del_ in no_sub
    assert sub in no_ins and ins not in no_ins and del_ in no_ins
    assert sub in no_del and ins in no_del and del_ not in no_del
