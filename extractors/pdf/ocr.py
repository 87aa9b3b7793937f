"""OCR stage: chosen pages of a PDF -> words read by OCRmyPDF with Tesseract, cached by the file's content.

OCRmyPDF (https://ocrmypdf.readthedocs.io) rasterises the pages named with `--pages` and runs Tesseract on
them; `--pdf-renderer hocr -k` keeps Tesseract's hOCR page (word boxes and word confidences) in its
working folder with the page image Tesseract read, which is all this stage reads (`--output-type none`:
no PDF is written); the image gives the words' weight and slant (extractors.pdf.glyphs). Pages are not
deskewed by OCRmyPDF (a second Tesseract pass per page): Tesseract reads slightly skewed lines well and
reports their baselines, from which extractors.pdf.hocr straightens the words.

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
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from extractors.pdf.glyphs import measure
from extractors.pdf.hocr import OcrPage, RawPage, RawWord, read_hocr, to_page
from extractors.pdf.prepare import prepare_pages
from extractors.pdf.reread import read_again

OCR_FORMAT = 3  # version of the cached content's shape
# The modules whose code decides what is cached: a change to any of them reads pages again.
READING_MODULES = ("ocr.py", "prepare.py", "reread.py", "hocr.py", "glyphs.py")
LANGUAGE_CODES = {"sv": "swe", "fi": "fin"}  # plandata language -> Tesseract language data
PROBE_LANGUAGES = ("swe", "fin")
PROBE_DPI = 200
DEBIAN_PACKAGES = ("ocrmypdf", "tesseract-ocr", "tesseract-ocr-fin", "tesseract-ocr-swe")
_RETAINED = re.compile(r"ocrmypdf\.io\.\w+")


class OcrUnavailable(Exception):
    """OCRmyPDF, Tesseract or a language's data is missing, or OCRmyPDF failed on the file."""


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


@lru_cache(maxsize=1)
def tool_versions() -> dict[str, str]:
    """Versions of ocrmypdf and tesseract; raises OcrUnavailable naming the Debian packages when missing."""
    versions: dict[str, str] = {}
    for tool in ("ocrmypdf", "tesseract"):
        if shutil.which(tool) is None:
            raise OcrUnavailable(f"{tool} is not installed (Debian: apt-get install {' '.join(DEBIAN_PACKAGES)})")
        done = subprocess.run([tool, "--version"], capture_output=True, text=True, timeout=60, check=False)
        lines = (done.stdout or done.stderr).strip().splitlines()
        versions[tool] = lines[0].split()[-1] if lines else "unknown"
    return versions


@lru_cache(maxsize=1)
def installed_languages() -> frozenset[str]:
    done = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=60, check=False)
    return frozenset(line.strip() for line in done.stdout.splitlines()[1:] if line.strip())


def check_tools(languages: tuple[str, ...]) -> dict[str, str]:
    versions = tool_versions()
    missing = [lang for lang in languages if lang not in installed_languages()]
    if missing:
        packages = " ".join(f"tesseract-ocr-{lang}" for lang in missing)
        raise OcrUnavailable(f"Tesseract has no language data for {', '.join(missing)} (apt-get install {packages})")
    return versions


def _page_list(pages: list[int]) -> str:
    return ",".join(str(page) for page in sorted(pages))


def run_ocrmypdf(path: Path, pages: list[int], languages: tuple[str, ...], settings: OcrSettings,
                 dpi: float | None = None) -> dict[int, RawPage]:
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
                   "--tesseract-timeout", str(settings.timeout_seconds),
                   "--jobs", str(settings.jobs or os.cpu_count() or 1), str(work / "prepared.pdf"), "-"]
        # TMPDIR: OCRmyPDF's working folder lands in ours; one OpenMP thread per Tesseract, because
        # Tesseract's threads spin on a busy machine (three times slower on two shared cores).
        env = {**os.environ, "TMPDIR": str(work), "OMP_THREAD_LIMIT": "1"}
        limit = 120 + settings.timeout_seconds * len(pages)
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


def _to_json(raw: dict[int, RawPage], languages: tuple[str, ...], seconds: float) -> dict:
    return {
        "format": OCR_FORMAT,
        "languages": list(languages),
        "seconds": round(seconds, 2),
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
    started = time.perf_counter()
    languages = settings.languages
    if languages is None and known_language in LANGUAGE_CODES:
        languages = (LANGUAGE_CODES[known_language],)
    if languages is None:  # function words are legible at a lower resolution: the probe reads faster
        probe = run_ocrmypdf(path, pages[:1], PROBE_LANGUAGES, settings, PROBE_DPI).get(pages[0])
        found = language_of(" ".join(w.text for w in probe.words)) if probe else None
        languages = (LANGUAGE_CODES[found],) if found in LANGUAGE_CODES else PROBE_LANGUAGES
    raw = run_ocrmypdf(path, pages, languages, settings)
    seconds = time.perf_counter() - started
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        temp = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
        temp.write_text(json.dumps(_to_json(raw, languages, seconds)), encoding="utf-8")
        os.replace(temp, cache)
    return _result(raw, pages, sizes, languages, seconds, tool_versions(), cached=False)
