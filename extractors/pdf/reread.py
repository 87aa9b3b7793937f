"""Second-reading stage: amounts Tesseract was unsure of are read again, alone and as digits only.

In a page read whole, Tesseract sometimes garbles an amount that sits tight between two ruling lines or on
a shaded column ('-1 215 113' read '=T215T13', '1 700 000' read '1 7001 000'). A garbled amount is not a
number, so its row falls out of the table and every figure of the row is lost. Every amount with a word
Tesseract was unsure of (confidence below REREAD_BELOW, at least half of its letters and digits digits) is
read again whole: the word and its neighbouring digit groups on the line (gaps below GAP_EM) are cut out of
the page image with a margin, stacked one under another on a white page and read by Tesseract as single
lines (`--psm 4`) allowed only digits, signs, brackets and separators. A second reading that is a printed
number replaces the words of the amount by one word; it keeps a confidence below
extractors.ocr_checks.LOW_CONFIDENCE (SECOND_READING_CAP), so every figure read twice is reported for
checking. A second reading that is no number leaves the first as it was.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
from dataclasses import replace
from pathlib import Path

from PIL import Image

from extractors.numbers import is_number
from extractors.pdf.hocr import RawWord

REREAD_BELOW = 80.0
SECOND_READING_CAP = 79.0
MIN_DIGIT_SHARE = 0.5
MARGIN_EM = 0.4
GAP_EM = 1.0
WHITELIST = "0123456789 -()+.,%"


def _numberish(word: RawWord) -> bool:
    characters = [ch for ch in word.text if ch.isalnum()]
    digits = sum(ch.isdigit() for ch in characters)
    return digits >= 2 and digits >= MIN_DIGIT_SHARE * len(characters)


def candidates(words: list[RawWord]) -> list[list[int]]:
    """The amounts to read again, each as the indexes of its words (in order along the line)."""
    spans: list[list[int]] = []
    taken: set[int] = set()
    for index, word in enumerate(words):
        if index in taken or word.confidence >= REREAD_BELOW or not _numberish(word):
            continue
        line = sorted((i for i, w in enumerate(words) if w.line == word.line), key=lambda i: words[i].box[0])
        at = line.index(index)
        first = last = at
        while first > 0 and _joins(words[line[first - 1]], words[line[first]]):
            first -= 1
        while last + 1 < len(line) and _joins(words[line[last]], words[line[last + 1]]):
            last += 1
        span = line[first:last + 1]
        taken.update(span)
        spans.append(span)
    return spans


def _joins(left: RawWord, right: RawWord) -> bool:
    """Two words of digits close enough on a line to be parts of one amount."""
    em = left.em or right.em or (left.box[3] - left.box[1])
    return _numberish(left) and _numberish(right) and 0 <= right.box[0] - left.box[2] < GAP_EM * em


def _union(words: list[RawWord]) -> RawWord:
    """One word covering the given words of a line (the first word's text and line)."""
    box = (min(w.box[0] for w in words), min(w.box[1] for w in words), max(w.box[2] for w in words),
           max(w.box[3] for w in words))
    return replace(words[0], box=box, confidence=min(w.confidence for w in words))


def _stack(image: Image.Image, words: list[RawWord]) -> tuple[Image.Image, list[tuple[int, int]]]:
    """The words' boxes cut out with a margin and stacked on white; returns the sheet and each crop's rows."""
    crops: list[Image.Image] = []
    for word in words:
        em = word.em or (word.box[3] - word.box[1])
        margin = MARGIN_EM * em
        x0, y0, x1, y1 = word.box
        box = (max(int(x0 - margin), 0), max(int(y0 - margin), 0), int(x1 + margin), int(y1 + margin))
        crops.append(image.crop(box))
    gap = int(GAP_EM * max((w.em or 30.0) for w in words))
    width = max(c.size[0] for c in crops) + 2 * gap
    height = sum(c.size[1] for c in crops) + gap * (len(crops) + 1)
    sheet = Image.new("L", (width, height), 255)
    spans: list[tuple[int, int]] = []
    top = gap
    for crop in crops:
        sheet.paste(crop, (gap, top))
        spans.append((top, top + crop.size[1]))
        top += crop.size[1] + gap
    return sheet, spans


def _tsv_lines(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, float]]:
    """(text, lowest word confidence) read inside each crop's rows."""
    found: list[list[tuple[str, float]]] = [[] for _ in spans]
    for row in csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") != "5" or not (row.get("text") or "").strip():
            continue
        middle = int(row["top"]) + int(row["height"]) / 2
        for index, (top, bottom) in enumerate(spans):
            if top <= middle <= bottom:
                found[index].append((row["text"].strip(), float(row["conf"])))
    return [(" ".join(t for t, _ in words), min((c for _, c in words), default=0.0)) for words in found]


def read_again(words: list[RawWord], image_path: Path, languages: tuple[str, ...], work: Path) -> list[RawWord]:
    """The words, with unsure amounts replaced by their second reading where that is a number."""
    chosen = candidates(words)
    if not chosen:
        return words
    amounts = [_union([words[i] for i in span]) for span in chosen]
    with Image.open(image_path) as opened:
        sheet, spans = _stack(opened.convert("L"), amounts)
    sheet_path = work / f"{image_path.stem}-again.png"
    sheet.save(sheet_path)
    command = ["tesseract", str(sheet_path), "stdout", "-l", "+".join(languages), "--psm", "4",
               "-c", f"tessedit_char_whitelist={WHITELIST}", "tsv"]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120,
                          env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    if done.returncode != 0:
        return words
    replaced: dict[int, RawWord | None] = {}
    for span, amount, (text, confidence) in zip(chosen, amounts, _tsv_lines(done.stdout, spans), strict=True):
        if text and is_number(text):
            replaced.update({index: None for index in span})
            replaced[span[0]] = replace(amount, text=text, confidence=min(confidence, SECOND_READING_CAP))
    out: list[RawWord] = []
    for index, word in enumerate(words):
        if index not in replaced:
            out.append(word)
        elif replaced[index] is not None:
            out.append(replaced[index])  # type: ignore[arg-type]
    return out
