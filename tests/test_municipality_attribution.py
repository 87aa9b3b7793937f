"""A file that is no plan is attributed to no municipality it merely mentions or is filed under."""

from __future__ import annotations

import shutil
from pathlib import Path

from extractors.pipeline import process_file

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"

PLAN = """Sivistyslautakunta

Sivistyslautakunnan talousarvio vuodelle 2025 ja taloussuunnitelma vuosille 2025-2027 on hyväksytty.

\tTA 2024\tTA 2025
Toimintatuotot\t1 000\t1 100
Toimintakulut\t-5 000\t-5 200
Toimintakate\t-4 000\t-4 100
"""


def test_a_list_of_documents_is_no_municipality_s(tmp_path: Path) -> None:
    # the corpus's own list of documents, as a text file: its notes print 'Lapuan kaupunki / <board> /
    # Pöytäkirja' (the minutes' header it describes) and name Kauhava, Seinäjoki and Simrishamn too
    manifest = tmp_path / "MANIFEST.txt"
    shutil.copyfile(CORPUS / "real" / "MANIFEST.md", manifest)
    _, records = process_file(manifest)
    document = records.document
    assert document.status == "partial" and document.message == "no finance table or goal table was recognised"
    assert (document.municipality, document.organisation) == (None, None)


def test_a_folder_name_places_plans_only(tmp_path: Path) -> None:
    folder = tmp_path / "lapua"
    folder.mkdir()
    notes = folder / "muistio.txt"
    notes.write_text("Muistiinpanoja\n\nTähän kansioon tallennetaan skannatut kirjeet.\n", encoding="utf-8")
    plan = folder / "talousarvio.txt"
    plan.write_text(PLAN, encoding="utf-8")
    assert process_file(notes)[1].document.municipality is None
    placed = process_file(plan)[1].document
    assert placed.status == "ok" and (placed.municipality, placed.country) == ("Lapua", "FI")
