"""Renderings made the way the reference PDF was made (python-docx + LibreOffice Writer), in other
fonts, landscape, without borders and without repeated table headers: the pipeline must give what the
text export gives. LibreOffice is Debian's package; the session installs it when missing and fails
loudly when it cannot (never a reason to skip)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from extractors.pipeline import process_file
from models import RecordSet
from tests.render_docx import Variant, render_plan_docx

SAMPLES = Path(__file__).parent.parent / "samples"
SOURCES = {
    "sv": ("lovisa-stadskanslicentralen-2025-2027-sv.txt", "Lovisa stad · Budget 2025 och ekonomiplan 2025–2027"),
    "fi": ("loviisa-kaupunginkansliakeskus-2025-2027-fi.txt",
           "Loviisan kaupunki · Talousarvio 2025 ja taloussuunnitelma 2025–2027"),
}
VARIANTS = {
    # equal column widths make narrow label columns: labels and words break inside
    "dejavu": Variant(),
    "serif-landscape": Variant(font="Liberation Serif", landscape=True),
    "sans-no-borders": Variant(font="Liberation Sans", borders=False),
    "serif-landscape-no-borders-no-repeat": Variant(font="Liberation Serif", landscape=True, borders=False,
                                                    repeat_header=False),
    "sans-8pt-no-repeat": Variant(font="Liberation Sans", size=8, repeat_header=False),
}


def _soffice() -> str:
    found = shutil.which("soffice")
    if found:
        return found
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", "libreoffice-writer-nogui"]):
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=1800, check=False)
        if done.returncode != 0:
            pytest.fail(f"`{' '.join(command)}` failed ({done.returncode}): {done.stderr[-3000:]}")
    found = shutil.which("soffice")
    if not found:
        pytest.fail("soffice is still missing after `apt-get install -y libreoffice-writer-nogui`")
    return found


@pytest.fixture(scope="session")
def office_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    soffice = _soffice()
    folder = tmp_path_factory.mktemp("office")
    for lang, (name, header) in SOURCES.items():
        for key, variant in VARIANTS.items():
            render_plan_docx(SAMPLES / name, folder / f"{lang}-{key}.docx", variant, header)
    profile = folder / "profile"
    done = subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                           "--outdir", str(folder), *sorted(str(p) for p in folder.glob("*.docx"))],
                          capture_output=True, text=True, timeout=900, check=False)
    pdfs = {(lang, key): folder / f"{lang}-{key}.pdf" for lang in SOURCES for key in VARIANTS}
    missing = [str(p) for p in pdfs.values() if not p.exists()]
    if missing:
        pytest.fail(f"LibreOffice did not write {missing}: {done.stdout[-2000:]} {done.stderr[-2000:]}")
    return pdfs


@cache
def expected(lang: str) -> RecordSet:
    return process_file(SAMPLES / SOURCES[lang][0])[1]


def squash(text: str | None) -> str:
    return re.sub(r"[\s\-\u00ad]", "", text or "")


CASES = [pytest.param(lang, key, id=f"{lang}-{key}") for lang in SOURCES for key in VARIANTS]


@pytest.mark.parametrize(("lang", "key"), CASES)
def test_office_rendering_gives_what_the_text_export_gives(lang: str, key: str,
                                                           office_pdfs: dict[tuple[str, str], Path]) -> None:
    doc, got = process_file(office_pdfs[(lang, key)])
    want = expected(lang)
    assert got.document.status == "ok"
    assert Counter((f.line_key, f.is_memo, f.year, f.figure_kind, f.amount) for f in got.finance) == \
        Counter((f.line_key, f.is_memo, f.year, f.figure_kind, f.amount) for f in want.finance)
    fields = ("goal_id", "theme_number", "strategic_goal_raw", "central_goal_raw", "area_goal_raw", "actions_raw",
              "responsible_raw")
    assert [[squash(str(getattr(g, f))) for f in fields] for g in got.goals] == \
        [[squash(str(getattr(g, f))) for f in fields] for g in want.goals]
    assert [(u.name, u.level, u.responsible_title) for u in got.units] == \
        [(u.name, u.level, u.responsible_title) for u in want.units]
    assert sorted((t.goal_id, t.field, t.comparator, t.value, t.deadline_year) for t in got.targets) == \
        sorted((t.goal_id, t.field, t.comparator, t.value, t.deadline_year) for t in want.targets)
    assert all(p.furniture for p in doc.pages)
