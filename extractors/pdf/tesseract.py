"""Tesseract stage: chosen pages of a PDF -> their hOCR pages read by OCRmyPDF with Tesseract, in pixels.

OCRmyPDF (https://ocrmypdf.readthedocs.io) runs Tesseract on an image-only PDF of the pages, prepared by
extractors.pdf.prepare (rendered at 300 dpi or more, despeckled, straightened); `--pdf-renderer hocr -k`
keeps Tesseract's hOCR page (word boxes, word confidences, baselines, separators) in its working folder with
the page image Tesseract read, which is all this stage reads (`--output-type none`: no PDF is written).
The image gives the words' weight and slant (extractors.pdf.glyphs), and amounts Tesseract was unsure of
are read a second time (extractors.pdf.reread). What this stage returns is what the OCR cache keeps.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

from extractors.pdf.glyphs import measure
from extractors.pdf.hocr import RawPage, read_hocr
from extractors.pdf.ocr_tools import tool_version
from extractors.pdf.prepare import prepare_pages
from extractors.pdf.reread import read_again

DEBIAN_PACKAGES = ("ocrmypdf", "tesseract-ocr", "tesseract-ocr-fin", "tesseract-ocr-swe")
_RETAINED = re.compile(r"ocrmypdf\.io\.\w+")


class OcrUnavailable(Exception):
    """OCRmyPDF, Tesseract or a language's data is missing, or OCRmyPDF failed on the file."""


@lru_cache(maxsize=1)
def tool_versions() -> dict[str, str]:
    """Versions of ocrmypdf and tesseract; raises OcrUnavailable naming the Debian packages when missing."""
    versions: dict[str, str] = {}
    for tool in ("ocrmypdf", "tesseract"):
        version = tool_version(tool)  # OCRmyPDF's kept between processes (extractors.pdf.ocr_tools)
        if version is None:
            raise OcrUnavailable(f"{tool} is not installed (Debian: apt-get install {' '.join(DEBIAN_PACKAGES)})")
        versions[tool] = version
    return versions


@lru_cache(maxsize=1)
def installed_languages() -> frozenset[str]:
    done = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=60, check=False)
    return frozenset(line.strip() for line in done.stdout.splitlines()[1:] if line.strip())


def preload() -> None:
    """Learn the tools' versions and Tesseract's languages now, in a process that forks one child per document
    (flows.worker, through extractors.pipeline.warm_up): the children inherit them, so no document's child runs
    `ocrmypdf --version` again (a Python start: about 0.3 CPU s and a second or more on a busy machine; a new
    process finds OCRmyPDF's version in the derived-table cache, extractors.pdf.ocr_tools).
    Missing or failing tools are no error here: OCR reports them when a page needs it."""
    try:
        tool_versions()
        installed_languages()
    except (OcrUnavailable, OSError, subprocess.SubprocessError):
        pass


def check_tools(languages: tuple[str, ...]) -> dict[str, str]:
    versions = tool_versions()
    missing = [lang for lang in languages if lang not in installed_languages()]
    if missing:
        packages = " ".join(f"tesseract-ocr-{lang}" for lang in missing)
        raise OcrUnavailable(f"Tesseract has no language data for {', '.join(missing)} (apt-get install {packages})")
    return versions


def _page_list(pages: list[int]) -> str:
    return ",".join(str(page) for page in sorted(pages))


def run_ocrmypdf(path: Path, pages: list[int], languages: tuple[str, ...], timeout_seconds: float,
                 jobs: int | None = None, dpi: float | None = None) -> dict[int, RawPage]:
    """OCR the given 1-based pages of path: each page's hOCR words in pixels, measured on its image.

    The pages are prepared first (extractors.pdf.prepare: rendered at 300 dpi or more and straightened) into
    an image-only PDF, which OCRmyPDF reads whole; amounts Tesseract was unsure of are read a second time
    (extractors.pdf.reread). Raises OcrUnavailable with OCRmyPDF's own message.
    """
    check_tools(languages)
    work = Path(tempfile.mkdtemp(prefix="plandata-ocr-"))
    try:
        prepared = prepare_pages(path, pages, work / "prepared.pdf", dpi)
        command = ["ocrmypdf", "--quiet", "--keep-temporary-files", "--pdf-renderer", "hocr",
                   "--output-type", "none", "--optimize", "0", "--language", "+".join(languages),
                   "--tesseract-timeout", str(timeout_seconds),
                   "--jobs", str(jobs or os.cpu_count() or 1), str(work / "prepared.pdf"), "-"]
        # TMPDIR: OCRmyPDF's working folder lands in ours; one OpenMP thread per Tesseract, because
        # Tesseract's threads spin on a busy machine (three times slower on two shared cores).
        env = {**os.environ, "TMPDIR": str(work), "OMP_THREAD_LIMIT": "1"}
        limit = 120 + timeout_seconds * len(pages)
        try:
            done = subprocess.run(command, capture_output=True, text=True, env=env, check=False, timeout=limit)
        except subprocess.TimeoutExpired as exc:
            raise OcrUnavailable(f"ocrmypdf did not finish {len(pages)} page(s) in {limit:.0f} s") from exc
        if done.returncode != 0:
            reason = " ".join(line for line in done.stderr.splitlines() if "Opened a file" not in line)[-400:]
            raise OcrUnavailable(f"ocrmypdf failed ({done.returncode}): {reason.strip() or 'no message'}")
        retained = [p for p in work.iterdir() if _RETAINED.fullmatch(p.name)]
        if not retained:
            raise OcrUnavailable("ocrmypdf kept no working folder (hOCR pages not found)")
        found: dict[int, RawPage] = {}
        for number, page in prepared.items():
            hocr = retained[0] / f"{page.index:06d}_ocr_hocr.hocr"
            if not hocr.exists():  # a page over the Tesseract timeout
                found[number] = RawPage(number, (float(page.size[0]), float(page.size[1])), ink=page.ink)
                continue
            raw = read_hocr(hocr, number)
            raw.rotation, raw.ink = page.rotation, page.ink
            image = hocr.with_name(f"{page.index:06d}_ocr.png")
            if image.exists():
                raw.words = measure(read_again(raw.words, image, languages, work), image)
            found[number] = raw
        return found
    finally:
        shutil.rmtree(work, ignore_errors=True)


