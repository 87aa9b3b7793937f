"""Syntax errors in a page's content stream: what PDF readers skip without a word.

PDFium and pdfminer drop an operator they do not know, or one with too few operands, and go on; a byte
flipped or a range cut out of an uncompressed content stream then loses text (or draws it elsewhere) while
the document looks complete. `content_syntax_errors(data)` lexes a decoded content stream by the grammar
of ISO 32000-1 (section 7.2 lexical conventions, 7.8.2 content streams, annex A operator summary) and lists
what breaks it:

- an operator that is not one of the PDF operators (outside a BX/EX compatibility section);
- an operator with fewer operands than it takes (annex A's operand counts);
- a string, hex string, array or dictionary that is not closed, or a `]`/`>>`/`)` that closes nothing;
- a hex string with characters that are not hex digits; a `{`/`}` (PostScript, not content syntax).

Operands left over before an operator are not counted (some producers leave them; readers ignore them).
Inline image data (`ID` ... `EI`) is skipped. Shapes: bytes in, a list of `SyntaxProblem` out (at most
`limit`), never raises.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractors.patterns import (
    PDF_CLEAN_CONTENT,
    PDF_CONTENT_TOKEN,
    PDF_FLAT_STRING,
    PDF_HEX_DIGITS,
    PDF_INLINE_IMAGE_END,
)

# Operator -> operand count (None: a variable count, as for the colour operators SC/SCN).
OPERATORS: dict[bytes, int | None] = {
    b"b": 0, b"B": 0, b"b*": 0, b"B*": 0, b"BDC": 2, b"BI": 0, b"BMC": 1, b"BT": 0, b"BX": 0, b"c": 6,
    b"cm": 6, b"CS": 1, b"cs": 1, b"d": 2, b"d0": 2, b"d1": 6, b"Do": 1, b"DP": 2, b"EI": 0, b"EMC": 0,
    b"ET": 0, b"EX": 0, b"f": 0, b"F": 0, b"f*": 0, b"G": 1, b"g": 1, b"gs": 1, b"h": 0, b"i": 1, b"ID": 0,
    b"j": 1, b"J": 1, b"K": 4, b"k": 4, b"l": 2, b"m": 2, b"M": 1, b"MP": 1, b"n": 0, b"q": 0, b"Q": 0,
    b"re": 4, b"RG": 3, b"rg": 3, b"ri": 1, b"s": 0, b"S": 0, b"SC": None, b"sc": None, b"SCN": None,
    b"scn": None, b"sh": 1, b"T*": 0, b"Tc": 1, b"Td": 2, b"TD": 2, b"Tf": 2, b"Tj": 1, b"TJ": 1, b"TL": 1,
    b"Tm": 6, b"Tr": 1, b"Ts": 1, b"Tw": 1, b"Tz": 1, b"v": 4, b"w": 1, b"W": 0, b"W*": 0, b"y": 4,
    b"'": 1, b'"': 3,
}
OPERAND_WORDS = (b"true", b"false", b"null")
MAX_PROBLEMS = 20


@dataclass(frozen=True)
class SyntaxProblem:
    """One break of content-stream syntax: its byte offset in the decoded stream and what it is."""

    offset: int
    reason: str


def _string_end(data: bytes, start: int) -> int:
    """The offset just past the literal string opening at start (balanced parentheses, backslash escapes),
    or -1 when it is not closed."""
    depth, index, size = 0, start, len(data)
    while index < size:
        byte = data[index]
        if byte == 0x5C:  # backslash: the next byte is escaped
            index += 2
            continue
        if byte == 0x28:
            depth += 1
        elif byte == 0x29:
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return -1


def _shown(token: bytes) -> str:
    return token[:20].decode("latin-1").encode("unicode_escape").decode("ascii")


def content_syntax_errors(data: bytes, limit: int = MAX_PROBLEMS) -> list[SyntaxProblem]:
    """The syntax problems of one decoded content stream (the first `limit`), in stream order.

    A stream PDF_CLEAN_CONTENT matches whole has none (its language is a subset of what the lexer below
    accepts), and is not lexed token by token: that is most streams, in C.
    """
    if PDF_CLEAN_CONTENT.fullmatch(data):
        return []
    return _lex_errors(data, limit)


def _lex_errors(data: bytes, limit: int) -> list[SyntaxProblem]:
    """content_syntax_errors token by token."""
    problems: list[SyntaxProblem] = []
    operands = 0  # complete operands since the last operator
    nesting: list[bytes] = []  # open arrays and dictionaries
    compatibility = 0  # depth of BX/EX sections (unknown operators allowed)
    position, size = 0, len(data)

    def problem(offset: int, reason: str) -> None:
        problems.append(SyntaxProblem(offset, reason))

    while position < size and len(problems) < limit:
        match = PDF_CONTENT_TOKEN.match(data, position)
        if match is None:  # cannot happen: every byte starts some token; stop rather than loop
            break
        kind, token, start = match.lastgroup, match.group(), match.start()
        position = match.end()
        if kind in ("space", "comment"):
            continue
        if kind == "numbers":  # a run of numbers: as many operands as numbers (nested: one element each)
            if not nesting:
                operands += len((token.replace(b"\x00", b" ") if b"\x00" in token else token).split())
            continue
        if kind == "string":
            flat = PDF_FLAT_STRING.match(data, start)  # the common case, matched in C
            end = flat.end() if flat is not None else _string_end(data, start)
            if end < 0:
                problem(start, "a string that is not closed")
                break
            position = end
        elif kind == "hex":
            if not PDF_HEX_DIGITS.fullmatch(token[1:-1]):
                problem(start, f"a hex string with characters that are not hex digits ({_shown(token)})")
        elif kind == "hex_open":
            problem(start, "a hex string that is not closed")
            break
        elif kind in ("array_open", "dict_open"):
            nesting.append(token)
            continue
        elif kind in ("array_close", "dict_close"):
            opener = b"[" if kind == "array_close" else b"<<"
            if not nesting or nesting[-1] != opener:
                problem(start, f"a {token.decode()} that closes nothing")
                continue
            nesting.pop()
        elif kind == "stray":
            problem(start, f"a {_shown(token)} that is not content-stream syntax")
            continue
        elif kind == "word" and token not in OPERAND_WORDS:
            if nesting:
                problem(start, f"operator {_shown(token)} inside an array or dictionary")
                nesting.clear()
                operands = 0
                continue
            takes = OPERATORS.get(token, -1)
            if takes == -1:
                if not compatibility:
                    problem(start, f"unknown operator {_shown(token)}")
            elif takes is not None and operands < takes:
                problem(start, f"operator {_shown(token)} with {operands} of its {takes} operands")
            compatibility += (token == b"BX") - (token == b"EX" and compatibility > 0)
            operands = 0
            if token == b"ID":  # inline image data up to a whitespace-delimited EI
                end = PDF_INLINE_IMAGE_END.search(data, position + 1)
                if end is None:
                    problem(start, "inline image data without its EI")
                    break
                position = end.end()
            continue
        if not nesting:
            operands += 1
    if nesting and len(problems) < limit:
        problem(size, f"{len(nesting)} array(s) or dictionaries not closed at the end of the stream")
    return problems

