"""The `plandata` command end to end: help, usage errors, bad inputs, mixed batches, re-ingesting."""

from __future__ import annotations

import hashlib
import json
import random
import re
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import flows.ingest
from extractors.pipeline import file_sha256
from extractors.writers import read_dataset
from flows.cli import main

pytestmark = pytest.mark.usefixtures("prefect_harness")  # runs flows

GOOD_TEXT = "lovisa-stadskanslicentralen-2025-2027-sv.txt"
REFERENCE_PDF = "lovisa-stadskanslicentralen-2025-2027-sv.pdf"
RECORD_DATASETS = ("units", "sections", "goals", "finance", "validation")


def run_cli(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str]:
    code = main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def rows(out_dir: Path, name: str, document_id: str) -> list[dict[str, Any]]:
    """A dataset's rows of one document as plain JSON values (list cells included), in stored order."""
    frame = read_dataset(out_dir, name)
    frame = frame[frame["document_id"] == document_id].reset_index(drop=True)
    return json.loads(frame.to_json(orient="records"))


# --- bad inputs --------------------------------------------------------------------------------

_RC4_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    i = j = 0
    out = bytearray()
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def encrypted_pdf_bytes(user_password: bytes = b"secret", owner_password: bytes = b"owner") -> bytes:
    """A valid one-page PDF that needs a user password to open.

    No PDF writer with encryption is among the dependencies, so the file is written by hand with the
    standard security handler, revision 2 (RC4, 40-bit key), as in the PDF 1.4 reference, algorithms
    3.2-3.4. pdfminer (pdfplumber) and PDFium both refuse it without the password and read it with.
    """

    def padded(password: bytes) -> bytes:
        return (password + _RC4_PAD)[:32]

    permissions = struct.pack("<i", -4)
    file_id = hashlib.md5(b"plandata password test").digest()
    owner_entry = _rc4(hashlib.md5(padded(owner_password)).digest()[:5], padded(user_password))
    key = hashlib.md5(padded(user_password) + owner_entry + permissions + file_id).digest()[:5]
    user_entry = _rc4(key, _RC4_PAD)

    def encrypt(object_number: int, data: bytes) -> bytes:
        object_key = hashlib.md5(key + object_number.to_bytes(3, "little") + b"\x00\x00").digest()[:10]
        return _rc4(object_key, data)

    content = encrypt(4, b"BT /F1 24 Tf 72 720 Td (Stadskanslicentralen) Tj ET")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>"
        % (owner_entry.hex().encode(), user_entry.hex().encode()),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_offset = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 6 0 R /ID [<%s> <%s>] >>\n" % (
        len(objects) + 1,
        file_id.hex().encode(),
        file_id.hex().encode(),
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(out)


def make_empty(folder: Path, samples: Path) -> Path:
    path = folder / "empty.pdf"
    path.write_bytes(b"")
    return path


def make_truncated(folder: Path, samples: Path) -> Path:
    path = folder / "truncated.pdf"
    path.write_bytes((samples / REFERENCE_PDF).read_bytes()[:1000])
    return path


def make_random_binary(folder: Path, samples: Path) -> Path:
    path = folder / "random-binary.pdf"
    path.write_bytes(random.Random(20250101).randbytes(20_000))
    return path


def make_encrypted(folder: Path, samples: Path) -> Path:
    path = folder / "password-protected.pdf"
    path.write_bytes(encrypted_pdf_bytes())
    return path


# Each bad input and the words its failure message must use to name the reason.
BAD_INPUTS: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "empty": (make_empty, r"empty"),
    "truncated": (make_truncated, r"truncat|damaged|corrupt|incomplete|broken|malformed|invalid|end of file|\bEOF\b"),
    "random-binary": (make_random_binary, r"not a PDF|binary"),
    "password": (make_encrypted, r"password|encrypt"),
}


def assert_failed_document(out_dir: Path, path: Path, output: str, reason: str) -> None:
    documents = read_dataset(out_dir, "documents")
    mine = documents[documents["document_id"] == file_sha256(path)]
    assert len(mine) == 1, documents
    row = mine.iloc[0]
    assert row["status"] == "failed"
    assert row["source_path"] == str(path)
    assert re.search(reason, row["message"], re.IGNORECASE), row["message"]
    assert f"FAILED {path}: {row['message']}" in output, output
    for name in RECORD_DATASETS:
        assert rows(out_dir, name, row["document_id"]) == [], name


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_gives_failed_row_and_named_reason(
    case: str, tmp_path: Path, samples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, reason = BAD_INPUTS[case]
    bad = make(tmp_path, samples_dir)
    out_dir = tmp_path / "out"

    code, output = run_cli(capsys, "ingest", bad, "--out", out_dir)

    assert code == 1, output
    assert_failed_document(out_dir, bad, output, reason)
    assert (out_dir / "plandata.duckdb").is_file()


def test_batch_of_bad_inputs_goes_on_and_exits_1(
    tmp_path: Path, samples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = {case: make(tmp_path, samples_dir) for case, (make, _) in BAD_INPUTS.items()}
    out_dir = tmp_path / "out"

    code, output = run_cli(capsys, "ingest", *inputs.values(), "--out", out_dir)

    assert code == 1, output
    assert len(read_dataset(out_dir, "documents")) == len(inputs)
    for case, path in inputs.items():
        assert_failed_document(out_dir, path, output, BAD_INPUTS[case][1])


def test_unexpected_error_in_a_step_becomes_a_failed_row(
    tmp_path: Path, samples_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_loader(path: Path, *args: object, **kwargs: object) -> None:  # load_document's signature
        raise RuntimeError("simulated loader crash")

    monkeypatch.setattr(flows.ingest, "load_document", broken_loader)
    source = tmp_path / "plan.txt"
    source.write_text("Stadskanslicentralen\n", encoding="utf-8")
    out_dir = tmp_path / "out"

    code, output = run_cli(capsys, "ingest", source, "--out", out_dir)

    assert code == 1, output
    assert_failed_document(out_dir, source, output, r"load_document: RuntimeError: simulated loader crash")


def test_folder_input_is_searched_recursively_for_supported_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "2025").mkdir(parents=True)
    empty = inbox / "2025" / "empty.txt"
    empty.write_bytes(b"")
    (inbox / "notes.docx").write_bytes(b"PK\x03\x04 not a plan")
    out_dir = tmp_path / "out"

    code, output = run_cli(capsys, "ingest", inbox, "--out", out_dir)

    assert code == 1, output
    documents = read_dataset(out_dir, "documents")
    assert documents["source_path"].tolist() == [str(empty)]
    assert "notes.docx" not in output


# --- help and usage ----------------------------------------------------------------------------


def test_help_documents_the_ingest_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, output = run_cli(capsys, "--help")
    assert code == 0
    assert "ingest" in output

    code, output = run_cli(capsys, "ingest", "--help")
    assert code == 0
    assert "PATH" in output
    assert "--out DIR" in output


@pytest.mark.parametrize("make_input", ["missing", "empty-folder", "unsupported-only"])
def test_no_inputs_found_is_a_usage_error(
    make_input: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "inputs"
    if make_input != "missing":
        target.mkdir()
    if make_input == "unsupported-only":
        (target / "budget.docx").write_bytes(b"PK\x03\x04")
    out_dir = tmp_path / "out"

    code, output = run_cli(capsys, "ingest", target, "--out", out_dir)

    assert code == 2, output
    assert str(target) in output
    assert not (out_dir / "datasets").exists()


def test_no_arguments_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, "ingest")[0] == 2
    assert run_cli(capsys)[0] == 2


# --- good input (needs the extractors) ---------------------------------------------------------


def good_document_rows(out_dir: Path, document_id: str) -> dict[str, list[dict[str, Any]]]:
    return {name: rows(out_dir, name, document_id) for name in ("documents", *RECORD_DATASETS)}


def test_bad_input_never_damages_a_good_document(
    tmp_path: Path, samples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = samples_dir / GOOD_TEXT
    good_id = file_sha256(good)
    out_dir = tmp_path / "out"

    code, output = run_cli(capsys, "ingest", good, "--out", out_dir)
    assert code == 0, output
    before = good_document_rows(out_dir, good_id)
    assert [row["status"] for row in before["documents"]] in (["ok"], ["partial"]), before["documents"]
    assert before["goals"] and before["finance"] and before["units"]

    bad = [make(tmp_path, samples_dir) for make, _ in BAD_INPUTS.values()]
    code, output = run_cli(capsys, "ingest", *bad, "--out", out_dir)
    assert code == 1, output
    assert good_document_rows(out_dir, good_id) == before
    assert len(read_dataset(out_dir, "documents")) == 1 + len(bad)

    # One bad and one good file in the same batch: the batch succeeds and the good rows are the same.
    mixed_out = tmp_path / "mixed"
    code, output = run_cli(capsys, "ingest", bad[0], good, "--out", mixed_out)
    assert code == 0, output
    assert f"FAILED {bad[0]}" in output
    assert good_document_rows(mixed_out, good_id) == before
    documents = read_dataset(mixed_out, "documents").set_index("source_path")
    assert documents.loc[str(bad[0]), "status"] == "failed"


def test_reingesting_replaces_rows_instead_of_duplicating(
    tmp_path: Path, samples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = samples_dir / GOOD_TEXT
    bad = make_empty(tmp_path, samples_dir)
    out_dir = tmp_path / "out"

    assert run_cli(capsys, "ingest", good, bad, "--out", out_dir)[0] == 0
    counts = {name: len(read_dataset(out_dir, name)) for name in ("documents", *RECORD_DATASETS)}
    assert counts["documents"] == 2
    assert counts["goals"] > 0 and counts["finance"] > 0

    assert run_cli(capsys, "ingest", good, "--out", out_dir)[0] == 0
    assert run_cli(capsys, "ingest", bad, good, "--out", out_dir)[0] == 0
    assert {name: len(read_dataset(out_dir, name)) for name in counts} == counts
