"""Scanned renderings of real PDFs for the OCR tests: each page rendered to a grey image (pypdfium2), turned
by a slight skew, with sensor noise and a few specks (numpy + Pillow), saved as an image-only PDF (Pillow).

Deterministic: the same source, resolution and seed give the same bytes, so the OCR cache (keyed by the
file's sha256) holds across test sessions.
"""

from __future__ import annotations

import difflib
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

from models import FinanceFigure, Goal


SPECKS_PER_SQUARE_INCH = 3.0  # dust: about 290 specks on an A4 page, whatever the resolution


def scan_pdf(source: Path, target: Path, dpi: int, skew_degrees: float = 0.4, noise: float = 8.0,
             pages: list[int] | None = None, seed: int = 7) -> Path:
    """Write an image-only PDF of source's pages (1-based; all by default) as a scanner would at dpi: a
    slight skew (alternating in direction from page to page), the optics' slight blur, sensor noise
    (Gaussian, noise grey levels) and dust specks of about 1/150 inch."""
    rng = np.random.default_rng(seed)
    images: list[Image.Image] = []
    pdf = pdfium.PdfDocument(source)
    try:
        numbers = pages or list(range(1, len(pdf) + 1))
        for number in numbers:
            page = pdf[number - 1]
            image = page.render(scale=dpi / 72).to_pil().convert("L")
            page.close()
            # alternate the skew's direction from page to page, as sheets lie on a scanner
            angle = skew_degrees if number % 2 else -skew_degrees
            image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
            image = image.filter(ImageFilter.GaussianBlur(0.5))
            pixels = np.asarray(image, dtype=np.float32)
            pixels = pixels + rng.normal(0.0, noise, pixels.shape)
            count = int(SPECKS_PER_SQUARE_INCH * pixels.size / dpi**2)
            side = max(1, round(dpi / 150))
            for y, x in zip(rng.integers(0, pixels.shape[0] - side, count),
                            rng.integers(0, pixels.shape[1] - side, count), strict=True):
                pixels[y:y + side, x:x + side] = rng.uniform(0, 120)
            images.append(Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)))
    finally:
        pdf.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    # fixed dates and title: Pillow writes the time and the file name otherwise
    fixed = time.gmtime(0)
    images[0].save(target, "PDF", save_all=True, append_images=images[1:], resolution=float(dpi),
                   title=f"{source.stem} scanned at {dpi} dpi", creationDate=fixed, modDate=fixed)
    return target


# -- comparing what OCR read with what the text layer says ------------------------------------------------

FigureKey = tuple[str | None, str, str, str, int | None, int]


def figure_key(figure: FinanceFigure) -> FigureKey:
    """What must agree between a figure read by OCR and the text layer's: unit, line, column, kind, year,
    amount. The line is the finance lexicon's line key where the label names one (what the analyst compares
    by: a misread letter in a word the line does not depend on, such as the truncated 'yh' of Lapua's
    'Rahoitustuotot ja kulut yh' read 'yt', names the same line), else the label as printed."""
    return (figure.unit_name, figure.line_key or figure.line_label, figure.column_label, figure.figure_kind,
            figure.year, figure.amount)


def compare_figures(truth: list[FinanceFigure], read: list[FinanceFigure]
                    ) -> tuple[list[FigureKey], list[FinanceFigure], list[FinanceFigure]]:
    """(figures read right, truth figures missed, figures read wrong: no truth figure has their key)."""
    wanted = Counter(figure_key(f) for f in truth)
    right: list[FigureKey] = []
    wrong: list[FinanceFigure] = []
    for figure in read:
        key = figure_key(figure)
        if wanted[key] > 0:
            wanted[key] -= 1
            right.append(key)
        else:
            wrong.append(figure)
    missed_keys = Counter({key: count for key, count in wanted.items() if count > 0})
    missed: list[FinanceFigure] = []
    for figure in truth:
        if missed_keys[figure_key(figure)] > 0:
            missed_keys[figure_key(figure)] -= 1
            missed.append(figure)
    return right, missed, wrong


GOAL_TEXTS = ("strategic_goal", "central_goal", "area_goal", "actions", "responsible_raw")


def goal_similarity(truth: Goal, read: Goal) -> float:
    """The lowest similarity (difflib ratio, 0-1) of the row's texts; 0 when the row is another row."""
    if (truth.goal_id, truth.unit_name, truth.theme_number) != (read.goal_id, read.unit_name, read.theme_number):
        return 0.0
    ratios = [difflib.SequenceMatcher(a=getattr(truth, name) or "", b=getattr(read, name) or "",
                                      autojunk=False).ratio() for name in GOAL_TEXTS]
    return min(ratios)


def word_accuracy(truth_tokens: list[str], read_tokens: list[str]) -> float:
    """Share of the text layer's words that OCR read exactly, in reading order (difflib alignment)."""
    if not truth_tokens:
        return 1.0
    matcher = difflib.SequenceMatcher(a=truth_tokens, b=read_tokens, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(truth_tokens)
