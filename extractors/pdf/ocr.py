"""OCR stage: chosen pages of a PDF -> words read by OCRmyPDF with Tesseract, cached by the file's content.

The pages are read by extractors.pdf.tesseract (prepared, OCRmyPDF, hOCR, measured glyphs, second readings)
and turned into words in points by extractors.pdf.ocr_words.

OCRmyPDF keeps `-l` languages in a set, so their order (Tesseract's primary language) is arbitrary, and
a Swedish page read with `fin+swe` loses its `å` to `ä`: a document is read in one language, its own
(from its text pages, else from one probe page read with both). The result is cached in
`<cache>/<sha256>-<digest>.json` (the digest covers the settings that change the words and the code of this
reading stage), so a re-run reads no page again.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from extractors.pdf.hocr import RawPage, RawWord
from extractors.pdf.ocr_words import OcrPage, to_page
from extractors.pdf.tesseract import OcrUnavailable, run_ocrmypdf, tool_versions

__all__ = ["OcrResult", "OcrSettings", "OcrUnavailable", "read_by_ocr", "tool_versions"]

OCR_FORMAT = 3  # version of the cached content's shape
# The modules whose code decides what is cached: a change to any of them reads pages again.
READING_MODULES = ("tesseract.py", "prepare.py", "reread.py", "hocr.py", "glyphs.py")
LANGUAGE_CODES = {"sv": "swe", "fi": "fin"}  # plandata language -> Tesseract language data
PROBE_LANGUAGES = ("swe", "fin")
PROBE_DPI = 200


@dataclass(frozen=True)
class OcrSettings:
    """How pages are read by OCR. Only the fields that change the words are part of the cache key."""

    cache_dir: Path | None = None
    """Folder of cached results (e.g. OUT/ocr); None: no cache."""
    languages: tuple[str, ...] | None = None
    """Tesseract languages; None: the document's language, from its text pages or from a probe page."""
    jobs: int | None = None
    """Pages read at the same time (OCRmyPDF --jobs); None: one per CPU."""
    timeout_seconds: float = 900.0
    """Tesseract's time per page (OCRmyPDF --tesseract-timeout); a page over it gets no words (and an error
    issue when it is not blank). Generous: a busy machine slows Tesseract down many times."""
    on_pages: Callable[[int], None] | None = field(default=None, compare=False, repr=False)
    """Told how many pages are about to be read by OCR (a per-document time budget grows with them)."""

    def key(self, document_id: str, pages: list[int]) -> str:
        wanted = {"format": OCR_FORMAT, "code": reading_code_digest(), "pages": sorted(pages),
                  "languages": self.languages or "auto"}
        digest = hashlib.sha256(json.dumps(wanted, sort_keys=True).encode()).hexdigest()[:12]
        return f"{document_id}-{digest}"


@dataclass
class OcrResult:
    """The pages read by OCR, the languages used and where the words came from."""

    pages: dict[int, OcrPage]
    languages: tuple[str, ...]
    seconds: float
    """Time OCRmyPDF took (0 when read from the cache)."""
    tools: dict[str, str] = field(default_factory=dict)
    cached: bool = False
    """Read from the cache: no page was read again."""


@lru_cache(maxsize=1)
def reading_code_digest() -> str:
    """Digest of the OCR reading stage's source (READING_MODULES), part of the cache key."""
    digest = hashlib.sha256()
    for name in READING_MODULES:
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()[:12]


def _children_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes so far (OCRmyPDF and its Tesseracts)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _to_json(raw: dict[int, RawPage], languages: tuple[str, ...], seconds: float, cpu_seconds: float) -> dict:
    return {
        "format": OCR_FORMAT,
        "languages": list(languages),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "tools": tool_versions(),
        "pages": {str(number): {"image_size": list(page.image_size), "separators": page.separators,
                                "slopes": page.slopes, "rotation": page.rotation, "ink": page.ink,
                                "words": [asdict(w) for w in page.words]}
                  for number, page in raw.items()},
    }


def _from_json(data: dict) -> tuple[dict[int, RawPage], tuple[str, ...], dict[str, str]]:
    raw = {int(number): RawPage(number=int(number), image_size=tuple(entry["image_size"]),
                                words=[RawWord(**{**w, "box": tuple(w["box"])}) for w in entry["words"]],
                                separators=[tuple(s) for s in entry["separators"]], slopes=entry["slopes"],
                                rotation=entry["rotation"], ink=entry["ink"])
           for number, entry in data["pages"].items()}
    return raw, tuple(data["languages"]), data.get("tools", {})


def _result(raw: dict[int, RawPage], pages: list[int], sizes: dict[int, tuple[float, float]],
            languages: tuple[str, ...], seconds: float, tools: dict[str, str], cached: bool) -> OcrResult:
    found = {number: to_page(raw[number], *sizes[number]) if number in raw else OcrPage(number=number)
             for number in pages}
    return OcrResult(pages=found, languages=languages, seconds=seconds, tools=tools, cached=cached)


def read_by_ocr(path: Path, document_id: str, pages: list[int], sizes: dict[int, tuple[float, float]],
                settings: OcrSettings, language_of: Callable[[str], str | None],
                known_language: str | None = None) -> OcrResult:
    """The OCR words of the given pages, from the cache when this file was read with these settings.

    The language is settings.languages, else known_language (the document's text pages), else the one
    language_of (text -> 'sv' | 'fi' | None) finds on the first page read with both languages.
    Raises OcrUnavailable when the tools are missing or fail.
    """
    cache = settings.cache_dir / f"{settings.key(document_id, pages)}.json" if settings.cache_dir else None
    if cache is not None and cache.exists():
        try:
            raw, languages, tools = _from_json(json.loads(cache.read_text(encoding="utf-8")))
            return _result(raw, pages, sizes, languages, 0.0, tools, cached=True)
        except (ValueError, KeyError, TypeError):
            cache.unlink(missing_ok=True)  # a damaged cache entry is read again
    started, started_cpu = time.perf_counter(), _children_cpu()
    languages = settings.languages
    if languages is None and known_language in LANGUAGE_CODES:
        languages = (LANGUAGE_CODES[known_language],)
    if languages is None:  # function words are legible at a lower resolution: the probe reads faster
        probe = run_ocrmypdf(path, pages[:1], PROBE_LANGUAGES, settings.timeout_seconds, settings.jobs,
                             PROBE_DPI).get(pages[0])
        found = language_of(" ".join(w.text for w in probe.words)) if probe else None
        languages = (LANGUAGE_CODES[found],) if found in LANGUAGE_CODES else PROBE_LANGUAGES
    raw = run_ocrmypdf(path, pages, languages, settings.timeout_seconds, settings.jobs)
    seconds, cpu_seconds = time.perf_counter() - started, _children_cpu() - started_cpu
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        temp = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
        temp.write_text(json.dumps(_to_json(raw, languages, seconds, cpu_seconds)), encoding="utf-8")
        os.replace(temp, cache)
    return _result(raw, pages, sizes, languages, seconds, tool_versions(), cached=False)
