"""Figures printed as a table row outside every table make a document partial, never silently short."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.completeness import stray_rows
from extractors.pipeline import load_document, process_file
from models import Block, PlanDocument, Provenance


def _doc(*texts: str) -> PlanDocument:
    return PlanDocument(document_id="x", source_path="x.pdf", source_format="pdf", language="fi",
                        items=[Block(kind="paragraph", text=t, prov=Provenance(page=2)) for t in texts])


@pytest.mark.parametrize("text", [
    "Toimintakulut -45 232 597 -46 047 100 -45 812 900 -47 272 600 -46815500",
    "Henkilöstökulut 21 408 939- (21 012 800) −20 587 600 –20 680 600 - 21 532 800",
    "Muut toimintatuotot 127 396 133 400 139 400 – -",
    "Toimintakate -\u200b22.638.575",  # one figure after a line the finance lexicon knows
    "Nettoinvesteringar 2 329 5 403",
    "Toimintatuotot 1.305.950 1.480.000 +174.050",
    "Toimintakulut -\u200b4 509 080 -\u200b4 641 000 -\u200b4 592 543 1,\u200b85 % -\u200b48 457",
    "Inventarier, löpande 0,800 0,617 0,183",
])
def test_table_rows_outside_tables_are_found(text: str) -> None:
    assert [b.text for b in stray_rows(_doc(text))] == [text]


@pytest.mark.parametrize("text", [
    "Henkilötyövuosia on talousarviossa 412.",
    "Sivistyslautakunta TALOUSARVIO 2025",
    "TP 2023 TA 2024 TA 2025 TS 2026 TS 2027",
    "Puhelinnumero: 06 438 4111",
    "Hyvinvointilautakunta, § 7, 22.01.2025",
    "1.1.1 Kaupunginjohtajan katsaus vuoteen 2024 ........................ 5",
    "Investointiosan hankkeet esitetään investointiohjelmassa sivulla 58",
    "Lautakunnan talousarvio on laadittu kaupunginhallituksen antaman raamin mukaisesti ja se on 1 234 567 "
    "euroa pienempi kuin vuonna 2024 ja 2025",
    "Ekonomiplan 2025 2026 2027",
])
def test_running_text_with_numbers_is_not_a_row(text: str) -> None:
    assert stray_rows(_doc(text)) == []


EXPORT = """Tekninen lautakunta

Vastuuhenkilö: tekninen johtaja

Käyttötalous, euroa

\tTA 2024\tTA 2025
Toimintatuotot\t2 855 800\t2 889 800
Toimintakulut\t-46 047 100\t-45 812 900
Toimintakate -43 191 300 -42 923 100
"""


def test_a_total_row_that_fell_out_of_its_table_makes_the_document_partial(tmp_path: Path) -> None:
    path = tmp_path / "tekninen.txt"
    path.write_text(EXPORT, encoding="utf-8")
    _, records = process_file(path)
    assert records.document.status == "partial"
    assert "'Toimintakate -43 191 300 -42 923 100' prints figures outside every table" in records.document.message
    assert [i.code for i in records.issues if i.severity == "error"] == ["figures_outside_table"]
    whole = tmp_path / "whole.txt"
    whole.write_text(EXPORT.replace("Toimintakate -43 191 300 -42 923 100", "Toimintakate\t-43 191 300\t-42 923 100"),
                     encoding="utf-8")
    _, records = process_file(whole)
    assert records.document.status == "ok", records.document.message
    assert records.document.checked_share == 1.0


def test_the_samples_print_no_row_outside_their_tables() -> None:
    for path in sorted((Path(__file__).resolve().parent.parent / "samples").iterdir()):
        if path.suffix in (".pdf", ".txt"):
            assert stray_rows(load_document(path)) == [], path.name
