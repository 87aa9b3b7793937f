"""End-to-end extraction on the samples: the counts the issue requires, PDF and text alike."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from extractors.finance import column_label
from extractors.pipeline import process_file
from models import RecordSet

SAMPLES = Path(__file__).parent.parent / "samples"
REFERENCE = ["lovisa-stadskanslicentralen-2025-2027-sv.pdf", "lovisa-stadskanslicentralen-2025-2027-sv.txt",
             "loviisa-kaupunginkansliakeskus-2025-2027-fi.txt"]
LAPUA = "fi_lapua_lautakuntien_talousarviot_2025_kh_2024-11-04.pdf"


@cache
def records(name: str) -> RecordSet:
    return process_file(SAMPLES / name)[1]


def squash(text: str | None) -> str:
    """Text without whitespace and hyphens: PDF cell wrapping may break words elsewhere."""
    return re.sub(r"[\s\-\u00ad]", "", text or "")


@pytest.mark.parametrize("name", REFERENCE)
def test_reference_counts(name: str) -> None:
    rs = records(name)
    assert rs.document.status == "ok"
    assert len(rs.finance) == 108
    assert len(rs.goals) == 23
    assert len({(g.theme_number, g.strategic_goal) for g in rs.goals}) == 14
    assert sorted({g.theme_number for g in rs.goals}) == [1, 2, 4, 5]
    assert all(g.strategic_goal and g.central_goal and g.responsible_raw for g in rs.goals)
    assert [u.level for u in rs.units] == ["central", "area", "area", "area"]
    assert all(u.responsible_title for u in rs.units)
    central = rs.units[0]
    assert all(u.parent_unit_id == central.unit_id for u in rs.units[1:])
    assert rs.document.budget_year == 2025
    assert (rs.document.plan_start_year, rs.document.plan_end_year) == (2025, 2027)


@pytest.mark.parametrize("name", REFERENCE)
def test_reference_every_figure_has_a_line_key_and_kind(name: str) -> None:
    rs = records(name)
    assert all(f.line_key for f in rs.finance)
    assert Counter(f.figure_kind for f in rs.finance) == {"actual": 33, "budget_amended": 31, "budget": 22,
                                                          "plan": 22}
    memo = {f.line_key for f in rs.finance if f.is_memo}
    assert memo == {"depreciation", "internal_items_net", "imputed_items_net"}
    assert not [f for f in rs.finance if f.amount == 0 and f.line_key != "other_operating_income"]


def test_pdf_and_text_give_the_same_records() -> None:
    pdf, txt = records(REFERENCE[0]), records(REFERENCE[1])

    def figures(rs: RecordSet) -> list[tuple]:
        return sorted((f.unit_name, f.line_label, f.line_key, f.is_memo, f.column_label, f.year, f.figure_kind,
                       f.amount) for f in rs.finance)

    assert figures(pdf) == figures(txt)
    fields = ("goal_id", "theme_number", "theme_title", "strategic_goal", "central_goal", "area_goal", "actions",
              "responsible_raw")
    assert [[squash(str(getattr(g, f))) for f in fields] for g in pdf.goals] == \
        [[squash(str(getattr(g, f))) for f in fields] for g in txt.goals]
    assert [(u.name, u.level, u.responsible_title) for u in pdf.units] == \
        [(u.name, u.level, u.responsible_title) for u in txt.units]
    assert [(s.kind, s.unit_name, [squash(i) for i in s.items]) for s in pdf.sections] == \
        [(s.kind, s.unit_name, [squash(i) for i in s.items]) for s in txt.sections]


def test_finnish_text_mirrors_swedish() -> None:
    sv, fi = records(REFERENCE[1]), records(REFERENCE[2])

    def neutral(rs: RecordSet) -> list[tuple]:
        return sorted((f.line_key, f.is_memo, f.year, f.figure_kind, f.amount) for f in rs.finance)

    assert neutral(sv) == neutral(fi)
    assert [(g.goal_id, g.theme_number) for g in sv.goals] == [(g.goal_id, g.theme_number) for g in fi.goals]
    assert [s.kind for s in sv.sections] == [s.kind for s in fi.sections]
    assert fi.units[0].responsible_title == "kaupunginjohtaja"


def test_pdf_provenance_on_every_record() -> None:
    rs = records(REFERENCE[0])
    assert all(f.page and f.bbox for f in rs.finance)
    assert all(g.page and g.bbox for g in rs.goals)
    assert all(s.page for s in rs.sections)
    # the header row is on page 2 and the first goal table starts there too
    assert min(f.page for f in rs.finance) == 2
    assert rs.goals[0].page == 2


def test_text_provenance_is_line_numbers() -> None:
    rs = records(REFERENCE[1])
    assert all(f.line for f in rs.finance)
    assert all(g.line for g in rs.goals)


def test_page_furniture_is_not_content() -> None:
    doc, rs = process_file(SAMPLES / REFERENCE[0])
    assert all(p.furniture for p in doc.pages)
    texts = [b.text for b in doc.blocks()]
    assert not any(t.startswith("Lovisa stad · Budget") for t in texts)
    assert not any(t.strip().isdigit() for t in texts)
    assert rs.document.municipality == "Lovisa"


def test_row_broken_across_pages_is_rejoined() -> None:
    doc, rs = process_file(SAMPLES / REFERENCE[0])
    goal = next(g for g in rs.goals if g.central_goal and "konsekvensbedömnings" in g.central_goal)
    assert squash(goal.actions).endswith("framgåravberedningstexterna.")
    stitched = [t.quality.pages for t in doc.tables() if t.quality.continued]
    # two goal tables continue on the next page, and so does the last area's finance table
    assert stitched == [[3, 4], [4, 5], [9, 10]]


def test_wrapped_column_headings() -> None:
    assert column_label("EKONOMI PLAN 2026") == "EKONOMIPLAN 2026"
    assert column_label("TALOUS SUUNNITELMA 2026") == "TALOUSSUUNNITELMA 2026"
    assert column_label("BUDGET 2024 inkl. ändringar") == "BUDGET 2024 inkl. ändringar"
    pdf = records(REFERENCE[0])
    assert {f.column_label for f in pdf.finance} == {"BOKSLUT 2023", "BUDGET 2024 inkl. ändringar", "BUDGET 2025",
                                                      "EKONOMIPLAN 2026", "EKONOMIPLAN 2027"}


def test_wrapped_finance_labels_are_joined() -> None:
    pdf = records(REFERENCE[0])
    labels = {f.line_label for f in pdf.finance}
    assert "Material, förnödenheter och varor" in labels
    assert "Avskrivningar och nedskrivningar" in labels
    assert "varor" not in labels and "nedskrivningar" not in labels


def test_lapua_tables_and_savings_notes() -> None:
    rs = records(LAPUA)
    per_unit = Counter(f.unit_name for f in rs.finance)
    assert per_unit == {"Kokonaistalous": 65, "VAALIT": 12, "KAUPUNGINVALTUUSTO": 12, "TARKASTUSLAUTAKUNTA": 11,
                        "KAUPUNGINHALLITUS": 15, "SIVISTYSLAUTAKUNTA": 15, "Hyvinvointilautakunta": 15,
                        "TEKNINEN LAUTAKUNTA": 20, "YMPÄRISTÖLAUTAKUNTA": 20}
    assert {u.level for u in rs.units if u.name == "Kokonaistalous"} == {"city"}
    assert not [f for f in rs.finance if "säästö" in f.line_label.lower() or "alittanut" in f.line_label.lower()]
    assert all(f.line_key for f in rs.finance)
    assert {f.figure_kind for f in rs.finance} == {"actual", "budget", "frame", "difference"}
    # "TP2023" written without a space still gives the year
    assert {f.year for f in rs.finance if f.column_label == "TP2023"} == {2023}
    # a single figure in the first column stays in that column (Satunnaiset kulut 92 010)
    extraordinary = [f for f in rs.finance if f.line_key == "extraordinary_expenses"]
    assert [(f.column_label, f.amount) for f in extraordinary] == [("TP 2023", 92010)]
    # tax-financing lines of the whole-city table
    keys = {f.line_key for f in rs.finance if f.unit_name == "Kokonaistalous"}
    assert {"municipal_tax", "corporate_tax", "property_tax", "state_subsidies", "annual_margin", "result"} <= keys
    # real documents round: differences of a unit are reported as info, nothing worse
    assert rs.validation and {v.severity for v in rs.validation} == {"info"}
    assert rs.document.budget_year == 2025


def test_records_replay_from_saved_ir(tmp_path: Path) -> None:
    """A lexicon fix never needs the PDF again: records rebuilt from the saved IR are identical."""
    from extractors.pipeline import build_records, load_document
    from extractors.ir_store import read_document_ir, write_document_ir

    doc = load_document(SAMPLES / REFERENCE[0])
    saved = write_document_ir(doc, tmp_path)
    assert saved.read_bytes() == doc.model_dump_json().encode("utf-8")  # written item by item, the same bytes
    replayed = build_records(read_document_ir(saved))
    assert replayed.model_dump() == build_records(doc).model_dump() == records(REFERENCE[0]).model_dump()


def test_saved_ir_with_lone_surrogates_is_read_back(tmp_path: Path) -> None:
    """A broken ToUnicode map gives text with lone surrogates, which JSON from pydantic refuses: the IR is then
    written with them escaped, and read back the same."""
    from extractors.ir_store import read_document_ir, write_document_ir
    from models import Block, PlanDocument

    doc = PlanDocument(document_id="d" * 64, source_path="x.pdf", source_format="pdf",
                       items=[Block(kind="paragraph", text="Tulot"), Block(kind="paragraph", text="Menot \ud800 yht.")])
    saved = write_document_ir(doc, tmp_path)
    assert saved.read_bytes().isascii() and b"\\ud800" in saved.read_bytes()
    assert read_document_ir(saved) == doc


def test_records_of_a_document_the_stages_may_change_are_the_same() -> None:
    """build_records(keep=False) works on the document itself and lets its issues and its tables' body rows go
    as they become records (memory of a long document); the records are those of a kept document, issues in the
    same order."""
    from extractors.pipeline import build_records, load_document

    doc = load_document(SAMPLES / LAPUA)
    kept = build_records(doc)
    assert kept.issues and not doc.issues  # the stages' issues went to the copy
    assert any(t.rows for t in doc.tables())
    changed = build_records(doc, keep=False)
    assert doc.issues == []
    assert changed.tables and not any(t.rows for t in doc.tables())  # the body rows went as cells became records
    assert changed.model_dump() == kept.model_dump() == records(LAPUA).model_dump()


def test_warm_up_reads_the_data_files_the_stages_read() -> None:
    """A process that forks a child per document loads once what every document's stages read (issue 12)."""
    from extractors import municipalities, scales
    from extractors.chart import finance_chart
    from extractors.lexicon import LANGUAGES
    from extractors.nlp import roles, targets
    from extractors.numbers import grammar
    from extractors.pipeline import warm_up

    warm_up()
    assert grammar.cache_info().currsize == finance_chart.cache_info().currsize == 1
    assert scales._meanings.cache_info().currsize == 1
    for cached in (municipalities._entries, roles._forms, targets._rules):
        assert cached.cache_info().currsize == len(LANGUAGES)
