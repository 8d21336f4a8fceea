"""jiwer's alignment views (``jiwer.alignment``): `visualize_alignment`,
`collect_error_counts` and `visualize_error_counts`, printing what jiwer 4.0.0 prints."""

from __future__ import annotations

from collections import defaultdict
from typing import List, Optional, Tuple, Union

from .process import AlignmentChunk, CharacterOutput, WordOutput

__all__ = ["collect_error_counts", "visualize_alignment", "visualize_error_counts"]

_OP_CHAR = {"equal": " ", "substitute": "S", "delete": "D", "insert": "I"}


def visualize_alignment(
    output: Union[WordOutput, CharacterOutput],
    show_measures: bool = True,
    skip_correct: bool = True,
    line_width: Optional[int] = None,
) -> str:
    """The alignment of each sentence pair as three lines (`REF:`, `HYP:` and the operations
    `S`, `D`, `I`), optionally followed by a summary of the counts and measures.

    Args:
        output: The result of `process_words` or `process_characters`.
        show_measures: Append the counts and measures.
        skip_correct: Leave out sentences without errors.
        line_width: Wrap long sentences at about this many characters.

    Returns:
        (str): The alignment view.
    """
    is_cer = isinstance(output, CharacterOutput)
    parts: List[str] = []
    for idx, (ref, hyp, chunks) in enumerate(
        zip(output.references, output.hypotheses, output.alignments)
    ):
        if skip_correct and (not chunks or (len(chunks) == 1 and chunks[0].type == "equal")):
            continue
        parts.append(f"=== SENTENCE {idx + 1} ===\n\n")
        parts.append(_comparison(ref, hyp, chunks, words=not is_cer, line_width=line_width))
        parts.append("\n")
    text = "".join(parts)

    if not show_measures:
        return text[:-1]

    text += "=== SUMMARY ===\n"
    text += f"number of sentences: {len(output.alignments)}\n"
    text += (
        f"substitutions={output.substitutions} deletions={output.deletions} "
        f"insertions={output.insertions} hits={output.hits}\n"
    )
    if is_cer:
        text += f"\ncer={output.cer * 100:.2f}%\n"
    else:
        text += f"\nmer={output.mer * 100:.2f}%"
        text += f"\nwil={output.wil * 100:.2f}%"
        text += f"\nwip={output.wip * 100:.2f}%"
        text += f"\nwer={output.wer * 100:.2f}%\n"
    return text


def _columns(ref: List[str], hyp: List[str], chunk: AlignmentChunk):
    """The `(reference token, hypothesis token, operation)` columns of one chunk; `*` stands
    for the missing side of an insertion or deletion."""
    if chunk.type in ("equal", "substitute"):
        r = ref[chunk.ref_start_idx:chunk.ref_end_idx]
        h = hyp[chunk.hyp_start_idx:chunk.hyp_end_idx]
    elif chunk.type == "delete":
        r = ref[chunk.ref_start_idx:chunk.ref_end_idx]
        h = ["*"] * len(r)
    elif chunk.type == "insert":
        h = hyp[chunk.hyp_start_idx:chunk.hyp_end_idx]
        r = ["*"] * len(h)
    else:
        raise ValueError(f"unparseable op name={chunk.type}")
    op = _OP_CHAR[chunk.type]
    return [(a, b, op) for a, b in zip(r, h)]


def _comparison(ref: List[str], hyp: List[str], chunks: List[AlignmentChunk], words: bool,
                line_width: Optional[int]) -> str:
    sep = " " if words else ""
    lines = ["REF: ", "HYP: ", "     "]
    blocks: List[str] = []

    def block() -> str:
        # words: every column was followed by a separator; drop the last one
        cut = (lambda s: s[:-1]) if words else (lambda s: s)
        return f"{cut(lines[0])}\n{cut(lines[1])}\n{cut(lines[2])}\n"

    for chunk in chunks:
        for r, h, op in _columns(ref, hyp, chunk):
            width = max(len(r), len(h), len(op))
            if line_width is not None and len(lines[0]) + width > line_width:
                blocks.append(block() + "\n")
                lines = ["REF: ", "HYP: ", "     "]
            if r == "*":
                r = "*" * width
            elif h == "*":
                h = "*" * width
            lines[0] += f"{r:>{width}}" + sep
            lines[1] += f"{h:>{width}}" + sep
            lines[2] += f"{op:>{width}}" + sep
    return "".join(blocks) + block()


def collect_error_counts(output: Union[WordOutput, CharacterOutput]):
    """How often each token (or run of tokens) was substituted, inserted or deleted: three
    dicts, substitutions keyed by `(reference, hypothesis)`."""
    substitutions: defaultdict = defaultdict(lambda: 0)
    insertions: defaultdict = defaultdict(lambda: 0)
    deletions: defaultdict = defaultdict(lambda: 0)
    sep = " " if isinstance(output, WordOutput) else ""
    for ref, hyp, chunks in zip(output.references, output.hypotheses, output.alignments):
        for chunk in chunks:
            r = sep.join(ref[chunk.ref_start_idx:chunk.ref_end_idx])
            h = sep.join(hyp[chunk.hyp_start_idx:chunk.hyp_end_idx])
            if chunk.type == "insert":
                insertions[h] += 1
            elif chunk.type == "delete":
                deletions[r] += 1
            elif chunk.type == "substitute":
                substitutions[(r, h)] += 1
    return substitutions, insertions, deletions


def visualize_error_counts(
    output: Union[WordOutput, CharacterOutput],
    show_substitutions: bool = True,
    show_insertions: bool = True,
    show_deletions: bool = True,
    top_k: Optional[int] = None,
) -> str:
    """The substituted, inserted and deleted tokens with their frequencies, most frequent
    first (`top_k`: only the k most frequent of each kind)."""
    s, i, d = collect_error_counts(output)

    def listing(errors: dict) -> str:
        if not errors:
            return "none"
        ranked: List[Tuple] = sorted(errors.items(), key=lambda kv: kv[1], reverse=True)
        if top_k is not None:
            ranked = ranked[:top_k]
        width = max(len(k) if isinstance(k, str) else max(len(e) for e in k) for k, _ in ranked)
        out = ""
        for k, v in ranked:
            if isinstance(k, tuple):
                out += f"{k[0]: <{width}} --> {k[1]:<{width}} = {v}x\n"
            else:
                out += f"{k:<{width}} = {v}x\n"
        return out

    text = ""
    for show, title, errors in (
        (show_substitutions, "SUBSTITUTIONS", s),
        (show_insertions, "INSERTIONS", i),
        (show_deletions, "DELETIONS", d),
    ):
        if not show:
            continue
        if text:
            text += "\n"
        text += f"=== {title} ===\n" + listing(errors)
    return text[:-1] if text.endswith("\n") else text
