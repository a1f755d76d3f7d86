"""A readable comparison of two versions' text, paragraph by paragraph.

People compare policies the way they read them, so the unit is the
paragraph (a block of Markdown between blank lines): unchanged paragraphs
are shown plainly, new ones marked as added, removed ones as removed, and a
paragraph that was edited shows the words that changed inside it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Words:
    """A run of words in a changed paragraph: kept, added or removed."""

    kind: str  # "same", "added", "removed"
    text: str


@dataclass(frozen=True)
class Block:
    kind: str  # "same", "added", "removed", "changed"
    text: str = ""
    words: list[Words] = field(default_factory=list)


@dataclass(frozen=True)
class Comparison:
    blocks: list[Block]

    @property
    def added(self) -> int:
        return sum(1 for b in self.blocks if b.kind == "added")

    @property
    def removed(self) -> int:
        return sum(1 for b in self.blocks if b.kind == "removed")

    @property
    def changed(self) -> int:
        return sum(1 for b in self.blocks if b.kind == "changed")

    @property
    def is_same(self) -> bool:
        return all(b.kind == "same" for b in self.blocks)


_BLANK_LINES = re.compile(r"\n\s*\n")
# Paragraphs this alike are shown as one edited paragraph rather than a removal and an addition.
EDITED_PARAGRAPH_SIMILARITY = 0.5


def paragraphs(source: str) -> list[str]:
    return [p.strip() for p in _BLANK_LINES.split(source.replace("\r\n", "\n")) if p.strip()]


def _word_diff(old: str, new: str) -> list[Words]:
    old_words, new_words = old.split(" "), new.split(" ")
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    runs: list[Words] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(Words("same", " ".join(old_words[i1:i2])))
            continue
        if op in ("delete", "replace"):
            runs.append(Words("removed", " ".join(old_words[i1:i2])))
        if op in ("insert", "replace"):
            runs.append(Words("added", " ".join(new_words[j1:j2])))
    return runs


def _pair(old: list[str], new: list[str]) -> list[Block]:
    """Blocks for a replaced run of paragraphs: edited ones paired up, the rest added or removed."""
    blocks: list[Block] = []
    j = 0
    for paragraph in old:
        match = None
        for k in range(j, len(new)):
            if difflib.SequenceMatcher(a=paragraph, b=new[k], autojunk=False).ratio() >= EDITED_PARAGRAPH_SIMILARITY:
                match = k
                break
        if match is None:
            blocks.append(Block("removed", paragraph))
            continue
        blocks.extend(Block("added", p) for p in new[j:match])
        blocks.append(Block("changed", words=_word_diff(paragraph, new[match])))
        j = match + 1
    blocks.extend(Block("added", p) for p in new[j:])
    return blocks


def texts_compare(old: str, new: str) -> Comparison:
    """Compare two Markdown texts paragraph by paragraph."""
    old_paragraphs, new_paragraphs = paragraphs(old), paragraphs(new)
    matcher = difflib.SequenceMatcher(a=old_paragraphs, b=new_paragraphs, autojunk=False)
    blocks: list[Block] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            blocks.extend(Block("same", p) for p in old_paragraphs[i1:i2])
        elif op == "delete":
            blocks.extend(Block("removed", p) for p in old_paragraphs[i1:i2])
        elif op == "insert":
            blocks.extend(Block("added", p) for p in new_paragraphs[j1:j2])
        else:
            blocks.extend(_pair(old_paragraphs[i1:i2], new_paragraphs[j1:j2]))
    return Comparison(blocks)
