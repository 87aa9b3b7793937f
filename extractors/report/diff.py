"""Report stage, text differences: word-level diff of two goal texts as safe HTML (difflib).

Contract: (old text, new text) -> Markup with <del> for removed and <ins> for inserted words; pure.
"""

from __future__ import annotations

import difflib

from markupsafe import Markup, escape

from extractors.patterns import DIFF_TOKEN


def tokens(text: str | None) -> list[str]:
    return DIFF_TOKEN.findall(text or "")


def _key(token: str) -> str:
    return token.strip().lower()


def word_diff(old: str | None, new: str | None) -> Markup:
    """The new text with the words removed since the old one struck out and the inserted ones marked."""
    old_tokens, new_tokens = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(None, [_key(t) for t in old_tokens], [_key(t) for t in new_tokens],
                                      autojunk=False)
    parts: list[str] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(str(escape("".join(new_tokens[b1:b2]))))
            continue
        if op in ("delete", "replace"):
            removed = "".join(old_tokens[a1:a2]).strip()
            parts.append(f"<del>{escape(removed)}</del> ")
        if op in ("insert", "replace"):
            inserted = "".join(new_tokens[b1:b2])
            parts.append(f"<ins>{escape(inserted.rstrip())}</ins>{escape(inserted[len(inserted.rstrip()):])}")
    return Markup("".join(parts).strip())


def changed_words(old: str | None, new: str | None) -> tuple[int, int]:
    """(removed, inserted) word counts."""
    old_tokens, new_tokens = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(None, [_key(t) for t in old_tokens], [_key(t) for t in new_tokens],
                                      autojunk=False)
    removed = inserted = 0
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op in ("delete", "replace"):
            removed += a2 - a1
        if op in ("insert", "replace"):
            inserted += b2 - b1
    return removed, inserted
