"""Stage wiring: one source file -> PlanDocument -> RecordSet. Never raises on bad content."""

from __future__ import annotations

import errno
import gc
import hashlib
import os
import stat
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from extractors import PIPELINE_VERSION
from extractors.errors import UnreadableInput
from extractors.guard import SourceCheck, SourceLimits, check_source
from extractors.pdf.ocr import OcrSettings
from extractors.source import SUPPORTED_SUFFIXES, bytes_sha256, empty_file_id, source_text
from models import DocumentRecord, DocumentStatus, Issue, IssueRecord, PlanDocument, RecordSet

DEFAULT_OCR = OcrSettings()
OCR_DIR = "ocr"
__all__ = ["SUPPORTED_SUFFIXES", "UnreadableInput", "build_records", "document_record", "failed_document",
           "fewer_collections", "file_sha256", "load_document", "ocr_settings", "process_file", "sniff_format",
           "warm_up"]


YOUNG_OBJECTS = 50_000
"""Container objects allocated (net) between two collections of the youngest generation while a document is read
or its records built (Python's default: 700). Reading a 150-page book makes millions of short-lived objects
(characters, words, models); at the default threshold the collector ran about 1 000 times on Kauhava's financial
statement (158 pages), 10 of them over the whole heap, 1.3 of its 6.6 CPU s. The threshold changes when cyclic
garbage is freed, never what a stage computes."""
_collecting = threading.Lock()
_collect_depth = 0
_collect_saved: tuple[int, ...] = ()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the block with the collector's youngest threshold raised to YOUNG_OBJECTS (at least), the thresholds
    before restored when the outermost such block ends (nested and concurrent blocks share one setting)."""
    global _collect_depth, _collect_saved
    with _collecting:
        if _collect_depth == 0:
            _collect_saved = gc.get_threshold()
            gc.set_threshold(max(YOUNG_OBJECTS, _collect_saved[0]), *_collect_saved[1:])
        _collect_depth += 1
    try:
        yield
    finally:
        with _collecting:
            _collect_depth -= 1
            if _collect_depth == 0:
                gc.set_threshold(*_collect_saved)


def file_sha256(path: Path) -> str:
    """The sha256 (hex) of a file's bytes; OSError when it cannot be read (an empty file: the empty string's)."""
    path.open("rb").close()  # the error for a file that cannot be read
    return bytes_sha256(path) or hashlib.sha256(b"").hexdigest()


CHANGED_WHILE_READ = "the file changed while it was read; run again"


def ocr_settings(out_dir: Path | str) -> OcrSettings:
    """OCR as the flows run it: results cached in OUT/ocr/ by the file's sha256 and the settings."""
    return OcrSettings(cache_dir=Path(out_dir) / OCR_DIR)


def sniff_format(path: Path) -> str:
    """Return 'pdf' or 'text' from the file's content, or raise UnreadableInput with the reason."""
    return check_source(path).format


@contextmanager
def opened_source(path: Path, confine: bool = False) -> Iterator[Path]:
    """A path to read path's content through, opened once: `/proc/self/fd/N` where the system has it.

    Only a regular file is read (a FIFO or device would block or never end). With confine, a symbolic
    link is refused rather than followed (a watched folder must not read outside itself), and the file
    read is the one opened here, even if the name is replaced by a link meanwhile.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | (os.O_NOFOLLOW if confine else 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP and confine:
            raise UnreadableInput("symbolic link: not followed") from exc
        raise UnreadableInput(f"cannot read file: {exc.strerror or exc}") from exc
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise UnreadableInput("not a regular file")
        through = Path(f"/proc/self/fd/{descriptor}")
        yield through if through.exists() else path
    finally:
        os.close(descriptor)


@fewer_collections()
def load_document(path: Path, document_id: str | None = None, ocr: OcrSettings | None = DEFAULT_OCR, *,
                  limits: SourceLimits | None = None, on_checked: Callable[[SourceCheck], None] | None = None,
                  confine: bool = False, readers: int = 1) -> PlanDocument:
    """Read one source file into the IR. Unreadable or refused input gives a failed document, never an exception.

    The load boundary: extractors.guard refuses what would exhaust a reader (decompression bombs, absurd
    text tables) before any reader runs, and tells on_checked the format and page estimate; the damaged
    streams it finds, and content streams that break PDF syntax, become error issues on their pages
    (extractors.pdf.damage). The document's
    source_path is the path's readable text (extractors.source). Scanned PDF pages are read by OCR with
    the given settings (cache them with OcrSettings(cache_dir=...); None: no OCR). readers: processes that read a
    PDF's pages (2 forks a helper for a long document: only in a process without other threads, see
    extractors/pdf/parallel.py); the document is the same.
    """
    path = Path(path)
    doc_id = document_id or empty_file_id(path)
    try:
        with opened_source(path, confine) as readable:
            # the id is the sha256 of the bytes read here (the file opened once), not of what the name held before
            read_id = bytes_sha256(readable)
            if read_id is not None and read_id != doc_id:
                if document_id is not None:
                    return failed_document(path, read_id, f"{CHANGED_WHILE_READ} (planned as {document_id[:8]}, "
                                                          f"read {read_id[:8]})")
                doc_id = read_id
            checked = check_source(readable, limits)
            if on_checked is not None:
                on_checked(checked)
            if checked.format == "pdf":
                from extractors.pdf.reader import read_pdf

                doc = read_pdf(readable, doc_id, ocr, readers)
                if doc.status != DocumentStatus.failed:
                    from extractors.pdf.damage import record_damage, record_syntax_errors

                    record_damage(doc, readable, checked.damaged)
                    record_syntax_errors(doc, readable, checked.damaged, checked.clean_content)
            else:
                from extractors.text.reader import read_text

                doc = read_text(readable, doc_id)
    except UnreadableInput as exc:
        return failed_document(path, doc_id, str(exc))
    doc.source_path = source_text(path)
    return doc


def failed_document(path: Path, document_id: str, reason: str) -> PlanDocument:
    fmt = "pdf" if path.suffix.lower() == ".pdf" else "text"
    doc = PlanDocument(document_id=document_id, source_path=source_text(path), source_format=fmt,
                       status=DocumentStatus.failed, message=reason)
    doc.add_issue("unreadable_input", "load", reason, severity="error")
    return doc


@fewer_collections()
def build_records(doc: PlanDocument, keep: bool = True) -> RecordSet:
    """Run every stage after loading: structure, goals, finance, validation. Replayable from saved IR.

    The stages change the document they read (text repaired, issues added), so they work on a deep copy
    and `doc` stays as loaded; keep=False lets them change `doc` itself, for a caller that no longer needs it
    (the copy costs about a second and the document's size again in memory on a 150-page book).
    """
    from extractors.records import extract_records

    if doc.status == DocumentStatus.failed:
        return RecordSet(document=document_record(doc), issues=issue_records(doc))
    return extract_records(doc.model_copy(deep=True) if keep else doc)


def issue_records(doc: PlanDocument, release: bool = False) -> list[IssueRecord]:
    """The document's issues as records, in their order.

    With release, `doc.issues` is emptied, each issue let go as its record is made: a 1 081-page document has
    about 20 000 issues (20 MB of models), which then never exist twice at the end of the records stage.
    """
    if not release:
        return [_issue_record(doc.document_id, issue) for issue in doc.issues]
    issues, doc.issues = doc.issues, []
    issues.reverse()
    records: list[IssueRecord] = []
    while issues:
        records.append(_issue_record(doc.document_id, issues.pop()))
    return records


def _issue_record(document_id: str, issue: Issue) -> IssueRecord:
    return IssueRecord(document_id=document_id, stage=issue.stage, code=issue.code, severity=issue.severity,
                       message=issue.message, page=issue.page)


def document_record(doc: PlanDocument, **meta: object) -> DocumentRecord:
    return DocumentRecord(
        document_id=doc.document_id,
        source_path=doc.source_path,
        source_format=doc.source_format,
        title=doc.title,
        language=doc.language,
        pages=len(doc.pages) or None,
        status=doc.status.value,
        message=doc.message,
        pipeline_version=PIPELINE_VERSION,
        issues=len(doc.issues),
        ocr_pages=sum(page.source == "ocr" for page in doc.pages),
        **meta,  # type: ignore[arg-type]
    )


def warm_up() -> None:
    """Load once what the stages of any document need: the readers, every lexicon (and the data files the
    stages read beside them: number grammar, finance chart, scales, municipalities, roles, targets) and both
    languages' pipelines and vocabularies, and the OCR tools' versions. A process that forks one child per
    document (flows.worker) calls it first, so each document starts with them loaded."""
    from extractors.pdf import tesseract

    # the OCR tools' versions and languages: subprocesses, waited for beside the loading below
    tools = threading.Thread(target=tesseract.preload, name="ocr-tool-versions", daemon=True)
    tools.start()
    try:
        import extractors.pdf.damage  # noqa: F401
        import extractors.pdf.reader  # noqa: F401
        import extractors.records  # noqa: F401
        import extractors.text.reader  # noqa: F401
        import pdfminer.pdfdocument  # noqa: F401  (the content-syntax check's reader, imported when first used)
        import pdfminer.pdfpage  # noqa: F401
        from extractors import municipalities, scales
        from extractors.chart import finance_chart
        from extractors.lexicon import LANGUAGES, lexicon_kinds, load
        from extractors.nlp import roles, targets
        from extractors.nlp.pipeline import nlp, vocabulary
        from extractors.numbers import grammar

        grammar()
        finance_chart()
        scales.preload()
        for language in LANGUAGES:
            for kind in lexicon_kinds():
                load(kind, language)
            nlp(language)
            vocabulary(language)
            municipalities.preload(language)
            roles.preload(language)
            targets.preload(language)
    finally:
        tools.join()  # no thread may run when the caller forks


def process_file(path: Path, ocr: OcrSettings | None = DEFAULT_OCR) -> tuple[PlanDocument, RecordSet]:
    """Load and extract one file; the convenience entry used by flows and tests."""
    doc = load_document(Path(path), ocr=ocr)
    return doc, build_records(doc)
