"""Stage wiring: one source file -> PlanDocument -> RecordSet. Never raises on bad content."""

from __future__ import annotations

import hashlib
from pathlib import Path

from extractors import PIPELINE_VERSION
from extractors.pdf.ocr import OcrSettings
from models import DocumentRecord, DocumentStatus, IssueRecord, PlanDocument, RecordSet

SUPPORTED_SUFFIXES = {".pdf", ".txt"}
DEFAULT_OCR = OcrSettings()
OCR_DIR = "ocr"


class UnreadableInput(Exception):
    """The file cannot be read as a plan document at all (not a PDF or plan text, empty, encrypted)."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def ocr_settings(out_dir: Path | str) -> OcrSettings:
    """OCR as the flows run it: results cached in OUT/ocr/ by the file's sha256 and the settings."""
    return OcrSettings(cache_dir=Path(out_dir) / OCR_DIR)


def sniff_format(path: Path) -> str:
    """Return 'pdf' or 'text' from the file's content, or raise UnreadableInput with the reason."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableInput(f"cannot read file: {exc.strerror or exc}") from exc
    if size == 0:
        raise UnreadableInput("file is empty")
    with path.open("rb") as handle:
        head = handle.read(4096)
    if head.lstrip(b"\xef\xbb\xbf\r\n\t ").startswith(b"%PDF-"):
        return "pdf"
    if b"\x00" in head:
        raise UnreadableInput("not a PDF or a plan text (binary content)")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the 4096-byte boundary is fine; anything earlier is not text.
        if exc.start < len(head) - 4:
            raise UnreadableInput("not a PDF or a plan text (not UTF-8 text)") from exc
    return "text"


def load_document(path: Path, document_id: str | None = None, ocr: OcrSettings | None = DEFAULT_OCR) -> PlanDocument:
    """Read one source file into the IR. Unreadable input gives a failed document, never an exception.

    Scanned PDF pages are read by OCR with the given settings (cache them with OcrSettings(cache_dir=...);
    None: no OCR).
    """
    path = Path(path)
    doc_id = document_id or (file_sha256(path) if path.is_file() else hashlib.sha256(str(path).encode()).hexdigest())
    try:
        fmt = sniff_format(path)
        if fmt == "pdf":
            from extractors.pdf.reader import read_pdf

            doc = read_pdf(path, doc_id, ocr)
        else:
            from extractors.text.reader import read_text

            doc = read_text(path, doc_id)
    except UnreadableInput as exc:
        return failed_document(path, doc_id, str(exc))
    return doc


def failed_document(path: Path, document_id: str, reason: str) -> PlanDocument:
    fmt = "pdf" if path.suffix.lower() == ".pdf" else "text"
    doc = PlanDocument(document_id=document_id, source_path=str(path), source_format=fmt,
                       status=DocumentStatus.failed, message=reason)
    doc.add_issue("unreadable_input", "load", reason, severity="error")
    return doc


def build_records(doc: PlanDocument) -> RecordSet:
    """Run every stage after loading: structure, goals, finance, validation. Replayable from saved IR."""
    from extractors.records import extract_records

    if doc.status == DocumentStatus.failed:
        return RecordSet(document=document_record(doc), issues=issue_records(doc))
    return extract_records(doc.model_copy(deep=True))


def issue_records(doc: PlanDocument) -> list[IssueRecord]:
    return [IssueRecord(document_id=doc.document_id, stage=i.stage, code=i.code, severity=i.severity,
                        message=i.message, page=i.page) for i in doc.issues]


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


def process_file(path: Path, ocr: OcrSettings | None = DEFAULT_OCR) -> tuple[PlanDocument, RecordSet]:
    """Load and extract one file; the convenience entry used by flows and tests."""
    doc = load_document(Path(path), ocr=ocr)
    return doc, build_records(doc)
