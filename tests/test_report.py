"""The comparison commands end to end and the HTML report, checked in a real browser (headless Chromium).

Chromium is Debian's `chromium` package; when it is missing the session installs it (as root, apt-get) and
fails loudly when it cannot: the browser check is never skipped.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pytest
from PIL import Image

from extractors.report import ReportInput, organisation_report, render_report, report_file_name
from extractors.report.charts import compact, nice_ticks
from extractors.report.diff import changed_words, word_diff
from extractors.writers import DERIVED_DATASETS, DATASETS, read_dataset, write_record_sets
from flows.cli import main
from tests.compare_io import records_of, sample_files, samples_comparison

pytestmark = pytest.mark.usefixtures("prefect_harness")  # runs flows

ORGANISATION = "loviisa.city_manager"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WINDOW = (1400, 3000)


def _install_chromium() -> None:
    if os.geteuid() != 0:
        pytest.fail("chromium is not installed and the tests do not run as root: install Debian's chromium package")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=1800, check=False)
        if done.returncode != 0:
            pytest.fail(f"`{' '.join(command)}` failed ({done.returncode}): {done.stderr[-3000:]}")


@pytest.fixture(scope="session")
def chromium() -> str:
    """The chromium binary, installed with apt-get when missing (never a reason to skip)."""
    found = shutil.which("chromium") or (str(Path("/usr/bin/chromium")) if Path("/usr/bin/chromium").exists() else None)
    if found is None:
        _install_chromium()
        found = shutil.which("chromium")
    if found is None:
        pytest.fail("chromium is still missing after `apt-get install -y chromium`")
    return found


@pytest.fixture(scope="module")
def compared_out(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The samples written as by `plandata ingest`, then `plandata compare` and `plandata report` run on them."""
    out = tmp_path_factory.mktemp("compared")
    write_record_sets([records_of(path) for path in sample_files()], out)
    assert main(["compare", "--out", str(out)]) == 0
    assert main(["report", "--out", str(out)]) == 0
    yield out


def _browser(chromium: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    command = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


# --- commands -----------------------------------------------------------------------------------------------

def test_compare_and_report_help() -> None:
    assert main(["compare", "--help"]) == 0
    assert main(["report", "--help"]) == 0


def test_compare_without_catalog_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["compare", "--out", str(tmp_path)]) == 2
    assert main(["report", "--out", str(tmp_path)]) == 2


def test_compare_writes_datasets_and_catalog_tables(compared_out: Path) -> None:
    for name in DERIVED_DATASETS:
        assert (compared_out / "datasets" / name / "data.parquet").is_file()
    with duckdb.connect(str(compared_out / "plandata.duckdb"), read_only=True) as connection:
        tables = {row[0] for row in connection.execute("SHOW TABLES").fetchall()}
        assert tables == set(DATASETS) | set(DERIVED_DATASETS)
        counts = dict(connection.execute(
            "SELECT change, count(*) FROM goal_links WHERE comparison = 'consecutive' GROUP BY change").fetchall())
    assert counts == {"same": 32, "reworded": 4, "target_changed": 6, "responsible_changed": 2, "new": 2, "dropped": 2}
    expected = samples_comparison()
    assert len(read_dataset(compared_out, "finance_series")) == len(expected.finance_series)


def test_ingest_after_compare_keeps_the_comparison_in_the_catalog(compared_out: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(compared_out, out)
    write_record_sets([records_of(sample_files()[0])], out)  # re-ingest one document
    with duckdb.connect(str(out / "plandata.duckdb"), read_only=True) as connection:
        tables = {row[0] for row in connection.execute("SHOW TABLES").fetchall()}
    assert set(DERIVED_DATASETS) <= tables


def test_failed_derived_write_keeps_the_previous_comparison(compared_out: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from extractors import journal, writers

    out = tmp_path / "out"
    shutil.copytree(compared_out, out)
    before = {name: read_dataset(out, name) for name in DERIVED_DATASETS}
    files_before = {path: path.read_bytes() for path in (out / "datasets").rglob("*.parquet")}

    def disk_full(operation: str, path: Path) -> None:
        if path.name == "_journal.json" or path.name.startswith("._journal.json"):
            raise OSError("disk full")

    monkeypatch.setattr(journal, "fault_hook", disk_full)
    with pytest.raises(OSError, match="disk full"):
        writers.write_derived_datasets({"goal_links": [], "editions": []}, out)
    monkeypatch.setattr(journal, "fault_hook", None)
    assert {path: path.read_bytes() for path in (out / "datasets").rglob("*.parquet")} == files_before
    for name in DERIVED_DATASETS:
        assert read_dataset(out, name).equals(before[name]), name
    assert not [p for p in (out / "datasets").rglob("*") if p.name.endswith(".tmp")]
    with pytest.raises(ValueError, match="not derived"):
        writers.write_derived_datasets({"goals": []}, out)


def test_filtered_compare_keeps_other_organisations(compared_out: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(compared_out, out)
    before = read_dataset(out, "finance_series")
    assert main(["compare", "--out", str(out), "--municipality", "Loviisa"]) == 0
    after = read_dataset(out, "finance_series")
    assert len(after) == len(before)
    assert sorted(after["organisation_key"].unique()) == sorted(before["organisation_key"].unique())
    assert main(["compare", "--out", str(out), "--municipality", "Nowhere"]) == 2


def test_report_selects_an_organisation(compared_out: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(compared_out, out)
    shutil.rmtree(out / "reports")
    assert main(["report", "--out", str(out), "--organisation", "Stadskanslicentralen"]) == 0
    assert [p.name for p in (out / "reports").iterdir()] == [report_file_name(ORGANISATION)]


# --- report content ---------------------------------------------------------------------------------------

def test_word_diff_marks_removed_and_inserted_words() -> None:
    html = str(word_diff("minst 75 procent av de anställda", "minst 80 procent av de anställda"))
    assert html == "minst <del>75</del> <ins>80</ins> procent av de anställda"
    assert str(word_diff("a <b>", "a <b> c")) == "a &lt;b&gt; <ins>c</ins>"
    assert changed_words("Vi inför deltagande budgetering.", "Vi fortsätter med deltagande budgetering.") == (1, 2)


def test_chart_helpers() -> None:
    assert compact(-4222400) == "\u22124.22 M"
    assert compact(150500) == "150.5 k"
    ticks = nice_ticks(-4286000, -3662876)
    assert ticks[0] <= -4286000 and ticks[-1] >= -3662876 and len(ticks) <= 8


def test_report_is_self_contained(compared_out: Path) -> None:
    html = (compared_out / "reports" / report_file_name(ORGANISATION)).read_text(encoding="utf-8")
    assert "<script" not in html and "<link" not in html and "<img" not in html
    assert not re.search(r"\b(src|href)=", html)
    assert not re.search(r"url\(", html)
    assert set(re.findall(r"https?://[^\s\"']+", html)) == {"http://www.w3.org/2000/svg"}  # SVG namespace only


def test_report_shows_the_changes() -> None:
    result = samples_comparison()
    goals = [goal for path in sample_files() for goal in records_of(path).goals]
    data = ReportInput(result.editions, result.goal_links, result.unit_links, result.finance_series, goals)
    report = organisation_report(data, ORGANISATION)
    assert [c.label for c in report.columns] == ["2024 · sv", "2025 · sv", "2025 · fi"]
    assert [t.number for t in report.themes] == [1, 2, 4, 5]
    assert sum(len(t.rows) for t in report.themes) == 24  # 22 linked + 1 dropped + 1 new
    html = render_report(report)
    assert "≥ 75 % → ≥ 80 %" in html and "≥ 90 % → ≥ 95 %" in html
    assert "+ upphandlingschef" in html
    assert "<del>förbereder</del>" in html or "<del>förbereder Bostadsmässan" in html
    assert len(report.charts) >= 5


# --- real browser ------------------------------------------------------------------------------------------

def test_report_renders_in_headless_chromium(chromium: str, compared_out: Path, tmp_path: Path) -> None:
    report = compared_out / "reports" / report_file_name(ORGANISATION)
    url = report.resolve().as_uri()
    screenshot = tmp_path / "report.png"
    shot = _browser(chromium, tmp_path, f"--screenshot={screenshot}", f"--window-size={WINDOW[0]},{WINDOW[1]}", url)
    assert shot.returncode == 0, shot.stderr[-3000:]
    assert screenshot.is_file() and screenshot.stat().st_size > 100_000
    with Image.open(screenshot) as image:
        assert image.size == WINDOW
        pixels = np.asarray(image.convert("RGB"), dtype=np.int16)
    white = np.all(pixels > 245, axis=2).mean()
    assert white < 0.95, "the screenshot is (nearly) blank"
    colours = np.unique(pixels.reshape(-1, 3), axis=0)
    assert len(colours) > 200, "the screenshot has too few colours to hold tables and charts"
    purple = np.all(np.abs(pixels - np.array([0x7B, 0x3F, 0xB5])) < 12, axis=2).sum()
    assert purple > 50, "the target_changed badges are not painted"
    shutil.copy(screenshot, compared_out / "reports" / "screenshot.png")  # for a person to look at

    dom = _browser(chromium, tmp_path, "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-3000:]
    rendered = dom.stdout
    assert rendered.count('<svg class="chart"') >= 5
    assert "<polyline" in rendered
    assert rendered.count('<table class="goals">') == 4
    assert rendered.count("data-goal=") == 69  # 23 goals in each of the three compared documents
    for badge in ("same", "reworded", "target_changed", "responsible_changed", "translated", "new", "dropped"):
        assert f'class="badge badge-{badge}"' in rendered, badge


# --- hostile text from documents ------------------------------------------------------------------------------

HOSTILE_TEXT = ('<script>alert("x")</script>"><img src=x onerror=alert(1)>\' onmouseover=\'alert(2)'
                '&amp;</title></svg></table><!-- {{ 7*7 }}')


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.handlers: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.handlers += [name for name, _ in attrs if name.startswith("on") or name in ("src", "href")]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _hostile(model: Any, fields: tuple[str, ...]) -> Any:
    return model.model_copy(update={name: HOSTILE_TEXT for name in fields if getattr(model, name, None) is not None})


def test_report_shows_markup_from_documents_as_text() -> None:
    """Unit names, goal texts, labels, targets and file names come from documents: markup in them is shown
    as text, never run, and cannot break out of its element or attribute."""
    result = samples_comparison()
    editions = [_hostile(e, ("organisation_name", "central_name", "source_path")) for e in result.editions]
    goal_links = [_hostile(link, ("old_target", "new_target", "note")) for link in result.goal_links]
    unit_links = [_hostile(link, ("from_unit_name", "to_unit_name", "note")) for link in result.unit_links]
    series = [_hostile(point, ("unit_name", "line_label")) for point in result.finance_series]
    goals = [_hostile(goal, ("theme_title", "strategic_goal", "central_goal", "area_goal", "actions"))
             .model_copy(update={"responsible": [HOSTILE_TEXT]})
             for path in sample_files() for goal in records_of(path).goals]
    clean = render_report(organisation_report(
        ReportInput(result.editions, result.goal_links, result.unit_links, result.finance_series,
                    [goal for path in sample_files() for goal in records_of(path).goals]), ORGANISATION))
    html = render_report(organisation_report(ReportInput(editions, goal_links, unit_links, series, goals),
                                             ORGANISATION))

    parsed, expected = _Tags(), _Tags()
    parsed.feed(html)
    expected.feed(clean)
    assert "script" not in parsed.tags and "img" not in parsed.tags
    assert parsed.handlers == []
    # The same elements as the report of the clean documents: nothing broke out of its place.
    assert sorted(set(parsed.tags)) == sorted(set(expected.tags))
    text = "".join(parsed.text)
    assert text.count(HOSTILE_TEXT) >= 10  # shown as written, markup, entity and template syntax and all
