"""Content-stream syntax errors (operators flipped or cut out of a stream that still inflates) are recorded
per page in `issues` and make the document `partial`, never `ok`; correct content gives no such issue."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.pdf.damage import syntax_errors_by_page
from extractors.pdf.syntax import content_syntax_errors
from extractors.pipeline import build_records, load_document
from models import RecordSet
from tests import hostile_pdf as hp

REFERENCE_PDF = "lovisa-stadskanslicentralen-2025-2027-sv.pdf"
PAGE_2_CONTENT = 5  # the reference PDF's page 2 (object 4) has /Contents 5 0 R, a deflated stream
SMALL_CORPUS_PDFS = (
    "reference/lovisa-stadskanslicentralen-2025-2027-sv.pdf",
    "editions/lovisa-stadskanslicentralen-2024-2026-sv.pdf",
    "real/fi_lapua_lautakuntien_talousarviot_2025_kh_2024-11-04.pdf",
    "real/se_simrishamn_kfn_budgetskrivelse_investeringar_2027-2031.pdf",
    "real/fi_lapua_ymparistolautakunta_poytakirja_2022-01-25.pdf",
)


def _records(path: Path) -> RecordSet:
    return build_records(load_document(path, ocr=None))


def _figures(records: RecordSet, page: int | None = None) -> list[tuple[object, ...]]:
    return sorted((f.page, f.line_key, f.year, f.figure_kind, f.amount) for f in records.finance
                  if page is None or f.page != page)


def _syntax_issues(records: RecordSet) -> list[tuple[int | None, str, str]]:
    return [(i.page, i.severity, i.message) for i in records.issues if i.code == "content_syntax"]


@pytest.fixture(scope="module")
def reference(samples_dir: Path) -> bytes:
    return (samples_dir / REFERENCE_PDF).read_bytes()


@pytest.fixture(scope="module")
def page_2(reference: bytes) -> bytes:
    return hp.stream_data(reference, PAGE_2_CONTENT)


@pytest.fixture(scope="module")
def reference_alone(samples_dir: Path) -> RecordSet:
    return _records(samples_dir / REFERENCE_PDF)


def _with_page_2(tmp_path: Path, reference: bytes, content: bytes, name: str) -> Path:
    """The reference PDF whose page 2 content is replaced, uncompressed, by an incremental update."""
    path = tmp_path / name
    path.write_bytes(hp.incremental_update(reference, PAGE_2_CONTENT, hp.stream(content)))
    return path


def test_correct_content_streams_pass() -> None:
    correct = (b"BT /F1 9 Tf 10 10 Td (a (nested) string \\) with escapes) Tj [(x) -20 <00ff> (y)] TJ ET\n"
               b"q 1 0 0 1 0 0 cm /Im1 Do Q /P <</MCID 0 /Alt (a]b>>)>> BDC EMC 0.5 g 1 0 0 RG /CS0 cs 0.1 scn\n"
               b"% a comment with ) and ] in it\n"
               b"BI /W 2 /H 1 /BPC 8 /CS /G ID \x00) ]\xff EI Q\n"
               b"BX /Unknown 1 xyz EX 10 20 m 30 40 l S true false null 3 0 d0 .5 -2. w")
    assert content_syntax_errors(correct) == []


@pytest.mark.parametrize(("content", "offset", "reason"), [
    (b"BT /F1 9 Tf 10 10 Td (abc) Tq ET", 27, "unknown operator Tq"),
    (b"BT /F1 9 Tf 10 Td (abc) Tj ET", 15, "operator Td with 1 of its 2 operands"),
    (b"BT /F1 9 Tf 10 10 Td (abc Tj ET", 21, "a string that is not closed"),
    (b"BT [(a) (b) TJ ET", 12, "operator TJ inside an array or dictionary"),
    (b"BT (a) Tj ] ET", 10, "a ] that closes nothing"),
    (b"BT <0G> Tj ET", 3, "a hex string with characters that are not hex digits (<0G>)"),
    (b"q 1 0 0 1 0 0 cm } Q", 17, "a } that is not content-stream syntax"),
    (b"10 10 m 12.3.4 l S", 8, "unknown operator 12.3.4"),
    (b"BI /W 1 /H 1 ID \x00\x01", 13, "inline image data without its EI"),
])
def test_each_kind_of_syntax_error_is_named_with_its_offset(content: bytes, offset: int, reason: str) -> None:
    problems = content_syntax_errors(content)
    assert (problems[0].offset, problems[0].reason) == (offset, reason)


def test_corpus_pdfs_have_no_content_syntax_errors(corpus_dir: Path) -> None:
    for name in SMALL_CORPUS_PDFS:
        assert syntax_errors_by_page(corpus_dir / name) == {}, name


def test_the_same_content_uncompressed_stays_ok(tmp_path: Path, reference: bytes, page_2: bytes,
                                                reference_alone: RecordSet) -> None:
    records = _records(_with_page_2(tmp_path, reference, page_2, "same.pdf"))

    assert _syntax_issues(records) == []
    assert records.document.status == reference_alone.document.status == "ok"
    assert _figures(records) == _figures(reference_alone)


def test_two_flipped_operator_bytes_make_the_page_partial(tmp_path: Path, reference: bytes, page_2: bytes,
                                                          reference_alone: RecordSet) -> None:
    data = bytearray(page_2)
    shown = [index for index in range(len(data) // 2, len(data) - 2) if data[index:index + 3] == b"]TJ"][:2]
    assert len(shown) == 2
    for index in shown:
        data[index + 1] ^= 0x02  # 'T' -> 'V': the operator "VJ" is no PDF operator
    records = _records(_with_page_2(tmp_path, reference, bytes(data), "flipped.pdf"))

    found = _syntax_issues(records)
    assert [(page, severity) for page, severity, _ in found] == [(2, "error")]
    assert "unknown operator VJ" in found[0][2]
    assert records.document.status == "partial" and "page 2: its content stream breaks PDF syntax" in \
        records.document.message
    assert _figures(records, page=2) == _figures(reference_alone, page=2)  # the other pages are read as before


def test_946_bytes_cut_out_of_a_text_array_make_the_page_partial(tmp_path: Path, reference: bytes,
                                                                  page_2: bytes) -> None:
    start = page_2.index(b"[<", len(page_2) // 2) + 4  # inside the first text array of the second half
    cut = page_2[:start] + page_2[start + 946:]
    records = _records(_with_page_2(tmp_path, reference, cut, "cut.pdf"))

    assert [(page, severity) for page, severity, _ in _syntax_issues(records)] == [(2, "error")]
    assert records.document.status == "partial"


def test_a_cut_that_leaves_valid_syntax_is_not_reported(tmp_path: Path, reference: bytes, page_2: bytes) -> None:
    """Counterexample: 946 bytes of ruling-line operators cut at a line start ("538" + ".889 m" reads as
    "538.889 m"): the content is still correct PDF syntax, so there is no syntax issue to report."""
    middle = len(page_2) // 2
    assert syntax_errors_by_page(_with_page_2(tmp_path, reference, page_2[:middle] + page_2[middle + 946:],
                                              "cut.pdf")) == {}


def test_the_whole_stream_match_accepts_only_what_the_lexer_accepts(page_2: bytes) -> None:
    """PDF_CLEAN_CONTENT (the fast path) must never pass a stream the token lexer faults: real page content,
    then 2 000 seeded mutations of it (bytes replaced, cut out, inserted, from the bytes of PDF syntax)."""
    import random

    from extractors.patterns import PDF_CLEAN_CONTENT
    from extractors.pdf.syntax import _lex_errors

    assert PDF_CLEAN_CONTENT.fullmatch(page_2) and _lex_errors(page_2, 20) == []
    rng, alphabet = random.Random(12), b"()<>[]{}/%\\ \n0123456789.-+TtjJfBEQqmlcreSsWnd*'\"\x00az"
    accepted = faulted = 0
    for _ in range(2000):
        data = bytearray(page_2[:rng.randrange(200, 4000)])
        at, how = rng.randrange(len(data)), rng.random()
        if how < 0.4:
            data[at] = rng.choice(alphabet)
        elif how < 0.7:
            del data[at:at + rng.randint(1, 20)]
        else:
            data[at:at] = bytes([rng.choice(alphabet)])
        fast, errors = PDF_CLEAN_CONTENT.fullmatch(bytes(data)) is not None, _lex_errors(bytes(data), 20)
        assert not (fast and errors), bytes(data)
        accepted += fast
        faulted += bool(errors)
    assert accepted > 300 and faulted > 300  # both sides of the rule were exercised
