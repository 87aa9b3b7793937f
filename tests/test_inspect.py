"""`plandata inspect`: page pictures of what the pipeline read, looked at programmatically: the picture
exists, has the page's size, and shows as many table outlines (blue, extractors.pdf.inspect.TABLE) as the
page holds tables. The expected counts are read from the page images."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from extractors.pdf.inspect import DEFAULT_RESOLUTION, TABLE, parse_pages
from extractors.pipeline import process_file
from extractors.ir_store import write_document_ir
from extractors.writers import write_record_sets
from flows.cli import main
from tests import hostile_pdf as hp

REFERENCE = "reference/lovisa-stadskanslicentralen-2025-2027-sv.pdf"
LAPUA = "real/fi_lapua_lautakuntien_talousarviot_2025_kh_2024-11-04.pdf"
# page -> tables printed on it (read from the rendered pages)
REFERENCE_TABLES = {2: 2, 3: 2, 7: 1}  # p2: finance table and goal table; p3: two goal tables; p7: area finance
LAPUA_TABLES = {1: 1, 2: 3}  # p1: Kokonaistalous; p2: VAALIT, KAUPUNGINVALTUUSTO, TARKASTUSLAUTAKUNTA


def outlines(picture: Path, colour: tuple[int, int, int] = TABLE) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1) of the connected groups of pixels of exactly this colour."""
    pixels = np.asarray(Image.open(picture).convert("RGB"))
    mask = np.all(pixels == np.array(colour, dtype=np.uint8), axis=2)
    seen = np.zeros_like(mask)
    boxes = []
    for y, x in zip(*np.nonzero(mask), strict=True):
        if seen[y, x]:
            continue
        stack, found = [(y, x)], []
        seen[y, x] = True
        while stack:
            cy, cx = stack.pop()
            found.append((cy, cx))
            for ny, nx in ((cy + 1, cx), (cy - 1, cx), (cy, cx + 1), (cy, cx - 1)):
                if 0 <= ny < mask.shape[0] and 0 <= nx < mask.shape[1] and mask[ny, nx] and not seen[ny, nx]:
                    seen[ny, nx] = True
                    stack.append((ny, nx))
        ys, xs = [p[0] for p in found], [p[1] for p in found]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    return [box for box in boxes if box[2] - box[0] > 50 and box[3] - box[1] > 20]  # outlines, not text specks


def page_size(pdf: Path, number: int) -> tuple[int, int]:
    document = pdfium.PdfDocument(pdf)
    try:
        width, height = document[number - 1].get_size()
    finally:
        document.close()
    scale = DEFAULT_RESOLUTION / 72
    return round(width * scale), round(height * scale)


def assert_pictures(folder: Path, pdf: Path, tables: dict[int, int]) -> None:
    for number, count in tables.items():
        picture = folder / f"page-{number:03d}.png"
        assert picture.is_file(), picture
        width, height = Image.open(picture).size
        expected = page_size(pdf, number)
        assert abs(width - expected[0]) <= 1 and abs(height - expected[1]) <= 1
        assert len(outlines(picture)) == count, (picture, outlines(picture))
        summary = picture.with_suffix(".txt").read_text(encoding="utf-8")
        assert summary.startswith(f"page {number}") and summary.count(" table t") == count


def test_pictures_of_the_reference_show_its_tables(corpus_dir: Path, tmp_path: Path) -> None:
    pdf = corpus_dir / REFERENCE
    assert main(["inspect", str(pdf), "--pages", "2-3,7", "--out", str(tmp_path)]) == 0
    folder = tmp_path / "inspect" / pdf.name
    assert sorted(p.name for p in folder.glob("*.png")) == ["page-002.png", "page-003.png", "page-007.png"]
    assert_pictures(folder, pdf, REFERENCE_TABLES)


def test_pictures_of_a_real_document_read_what_was_ingested(corpus_dir: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    pdf = corpus_dir / LAPUA
    doc, records = process_file(pdf)
    write_document_ir(doc, tmp_path)
    write_record_sets([records], tmp_path)
    assert main(["inspect", str(pdf), "--pages", "1,2", "--out", str(tmp_path)]) == 0
    assert f"read saved in {tmp_path}" in capsys.readouterr().out
    assert_pictures(tmp_path / "inspect" / pdf.name, pdf, LAPUA_TABLES)


def test_pages_are_chosen_like_a_print_dialog() -> None:
    assert parse_pages("3,5-7", 10) == [3, 5, 6, 7]
    assert parse_pages(None, 3) == [1, 2, 3]
    for bad in ("0", "4-2", "x", "9-12"):
        with pytest.raises(ValueError):
            parse_pages(bad, 10)


def test_inspect_refuses_what_it_cannot_draw(tmp_path: Path, samples_dir: Path, corpus_dir: Path) -> None:
    assert main(["inspect", str(tmp_path / "missing.pdf"), "--out", str(tmp_path)]) == 2
    assert main(["inspect", str(samples_dir / "lovisa-stadskanslicentralen-2025-2027-sv.txt"),
                 "--out", str(tmp_path)]) == 2
    assert main(["inspect", str(corpus_dir / REFERENCE), "--pages", "11", "--out", str(tmp_path)]) == 2


def test_inspect_holds_a_hostile_file_to_the_document_budget(tmp_path: Path, corpus_dir: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """The reference PDF whose page 2 is replaced (incremental update) by 100 MiB of drawing operators: what
    kept `ingest` busy past 300 s at 2.8 GB. `inspect` extracts it under the per-document budget and stops
    with one line naming the broken budget; nothing is left in the output folder but the OCR cache folder."""
    reference = (corpus_dir / REFERENCE).read_bytes()
    drawing = hp.deflated_stream(hp.repeated_deflated(b"10 10 m 20 20 l S\n", 100 << 20))
    path = tmp_path / "drawing-bomb.pdf"
    path.write_bytes(hp.incremental_update(reference, 5, drawing))  # page 2's /Contents is object 5
    out = tmp_path / "out"

    code = main(["inspect", str(path), "--out", str(out), "--time-budget", "3", "--time-per-page", "0.1",
                 "--memory-budget", "300"])

    error = capsys.readouterr().err
    assert code == 2
    assert "drawing-bomb.pdf" in error
    assert "exceeded the time budget" in error or "exceeded the memory budget" in error
    assert not (out / "ir").exists() and not (out / "datasets").exists()
