"""Data files read at start: the YAML lexicons through libyaml's loader give exactly the pure-Python loader's
data; tables derived from package data are cached, never stale (a changed source, library or builder is
built again), and a damaged cache file or an unwritable cache folder is no error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import simplemma
import yaml
from simplemma.strategies.dictionaries.stream_dictionary_factory import StreamMap

from extractors import datafiles
from extractors.lexicon import LEXICON_DIR
from extractors.nlp import pipeline

YAML_FILES = sorted(LEXICON_DIR.rglob("*.yml"))


def _same(a: Any, b: Any) -> bool:
    """Equal values of equal types, dict keys in the same order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def test_the_installed_pyyaml_has_libyaml() -> None:
    assert yaml.__with_libyaml__
    assert datafiles.SafeLoader is yaml.CSafeLoader


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(LEXICON_DIR)))
def test_every_lexicon_file_reads_as_with_the_pure_python_loader(path: Path) -> None:
    expected = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)  # noqa: S506
    assert _same(datafiles.read_yaml(path), expected)


def test_the_types_of_yaml_scalars_are_the_pure_python_loaders(tmp_path: Path) -> None:
    text = "a: 1\nb: 1.5\nc: '01'\nd: yes\ne: null\nf: 2024-01-02\ng: [x, 'y', 3]\nh: -0.0\ni: 1_000\nj: ~\n"
    path = tmp_path / "scalars.yml"
    path.write_text(text, encoding="utf-8")
    expected = yaml.load(text, Loader=yaml.SafeLoader)  # noqa: S506
    assert _same(datafiles.read_yaml(path), expected)
    assert datafiles.read_yaml(path)["c"] == "01" and datafiles.read_yaml(path)["i"] == 1000


def _parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files read_yaml parses from now on (the others come from the cache)."""
    parsed: list[Path] = []
    parse = datafiles.parse_yaml
    monkeypatch.setattr(datafiles, "parse_yaml", lambda path: parsed.append(Path(path)) or parse(path))
    return parsed


def test_a_yaml_file_is_parsed_once_and_again_when_it_changes(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANDATA_CACHE_DIR", str(tmp_path / "cache"))
    parsed = _parses(monkeypatch)
    path = LEXICON_DIR / "sv" / "finance_lines.yml"
    expected = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)  # noqa: S506
    assert all(_same(datafiles.read_yaml(path), expected) for _ in range(3))
    assert parsed == [path]
    own = tmp_path / "package" / "lines.yml"  # a data file of the package, as the cache sees it
    own.parent.mkdir()
    monkeypatch.setattr(datafiles, "PACKAGE_DIR", own.parent)
    own.write_text("entries: [{key: a, patterns: ['^a$']}]\nvariants: {x}\n", encoding="utf-8")
    assert datafiles.read_yaml(own) == {"entries": [{"key": "a", "patterns": ["^a$"]}], "variants": {"x": None}}
    own.write_text("entries: []\n", encoding="utf-8")
    assert datafiles.read_yaml(own) == datafiles.read_yaml(own) == {"entries": []}
    assert parsed == [path, own, own]
    assert len(list((tmp_path / "cache").glob("yaml-lines-*.marshal"))) == 1


def test_a_yaml_file_outside_the_package_is_parsed_each_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANDATA_CACHE_DIR", str(tmp_path / "cache"))
    parsed = _parses(monkeypatch)
    path = tmp_path / "overrides.yml"
    path.write_text("a: 1\n", encoding="utf-8")
    assert datafiles.read_yaml(path) == datafiles.read_yaml(path) == {"a": 1}
    assert parsed == [path, path] and not list(tmp_path.glob("cache/*"))


def test_a_yaml_file_with_a_value_marshal_cannot_keep_is_parsed_each_time(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANDATA_CACHE_DIR", str(tmp_path / "cache"))
    parsed = _parses(monkeypatch)
    monkeypatch.setattr(datafiles, "PACKAGE_DIR", tmp_path)
    path = tmp_path / "dated.yml"
    path.write_text("day: 2024-01-02\n", encoding="utf-8")
    assert [str(datafiles.read_yaml(path)["day"]) for _ in range(2)] == ["2024-01-02"] * 2
    assert parsed == [path, path]


# --- the derived-table cache -----------------------------------------------------------------------------

class Builds:
    """A table builder that counts its calls: the value is the source file's words, upper-case."""

    def __init__(self, source: Path) -> None:
        self.source, self.calls = source, 0

    def __call__(self) -> list[str]:
        self.calls += 1
        return [word.upper() for word in self.source.read_text(encoding="utf-8").split()]


def _table(source: Path, builds: Builds, version: str = "1.0") -> tuple[str, ...]:
    return datafiles.derived("words", [source], [version], builds, tuple)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PLANDATA_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "words.txt"
    path.write_text("kunta stad\n", encoding="utf-8")
    return path


def test_a_table_is_built_once_then_read_from_the_cache(cache: Path, source: Path) -> None:
    builds = Builds(source)
    assert _table(source, builds) == ("KUNTA", "STAD")
    assert _table(source, builds) == ("KUNTA", "STAD")
    assert builds.calls == 1
    assert len(list(cache.glob("words-*.marshal"))) == 1
    assert not list(cache.glob(".*"))  # no temporary file left


def test_a_changed_source_file_is_built_again_and_its_old_table_removed(cache: Path, source: Path) -> None:
    builds = Builds(source)
    assert _table(source, builds) == ("KUNTA", "STAD")
    first = list(cache.glob("words-*.marshal"))
    source.write_text("kunta stad kommun\n", encoding="utf-8")  # same name, new content
    assert _table(source, builds) == ("KUNTA", "STAD", "KOMMUN")
    assert builds.calls == 2
    assert len(list(cache.glob("words-*.marshal"))) == 1 and not first[0].exists()


def test_another_library_version_is_built_again(cache: Path, source: Path) -> None:
    builds = Builds(source)
    _table(source, builds, "1.0")
    _table(source, builds, "1.1")
    assert builds.calls == 2


@pytest.mark.parametrize("damage", ["truncated", "flipped", "empty", "garbage"])
def test_a_damaged_cache_file_is_ignored_and_written_again(cache: Path, source: Path, damage: str) -> None:
    builds = Builds(source)
    _table(source, builds)
    (path,) = cache.glob("words-*.marshal")
    data = path.read_bytes()
    damaged = {"truncated": data[:-3], "flipped": data[:-2] + bytes([data[-2] ^ 0x55]) + data[-1:], "empty": b"",
               "garbage": b"not a table at all" * 10}[damage]
    path.write_bytes(damaged)
    assert _table(source, builds) == ("KUNTA", "STAD")
    assert builds.calls == 2
    assert path.read_bytes() == data  # written again, whole
    assert _table(source, builds) == ("KUNTA", "STAD") and builds.calls == 2


def test_a_value_restore_rejects_is_built_again(cache: Path, source: Path) -> None:
    def picky(value: list[str]) -> tuple[str, ...]:
        if calls["restore"] == 0:
            calls["restore"] += 1
            raise ValueError("not the table's shape")
        return tuple(value)

    calls = {"restore": 0}
    builds = Builds(source)
    datafiles.derived("words", [source], ["1.0"], builds, tuple)
    assert datafiles.derived("words", [source], ["1.0"], builds, picky) == ("KUNTA", "STAD")
    assert builds.calls == 2


def test_an_unwritable_cache_folder_is_no_error(tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("PLANDATA_CACHE_DIR", str(blocked / "cache"))  # a folder inside a file cannot be made
    builds = Builds(source)
    assert _table(source, builds) == ("KUNTA", "STAD")
    assert _table(source, builds) == ("KUNTA", "STAD")
    assert builds.calls == 2


def test_the_cache_folder_follows_xdg_then_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLANDATA_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert datafiles.cache_dir() == tmp_path / "xdg" / "plandata"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")  # the XDG spec: a relative path is ignored
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert datafiles.cache_dir() == tmp_path / "home" / ".cache" / "plandata"
    monkeypatch.setenv("PLANDATA_CACHE_DIR", str(tmp_path / "explicit"))
    assert datafiles.cache_dir() == tmp_path / "explicit"


# --- the real tables: read back from the cache, the same as built ------------------------------------------

def _unbuildable(*args: object) -> None:
    raise AssertionError("built again: the cache was not read")


def test_the_swedish_lemma_table_read_back_is_the_one_built(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built, built_lemmas = pipeline._sv_tables.__wrapped__()  # builds and writes the cache
    (path,) = cache.glob("sv-lemma-lookup-*.marshal")
    monkeypatch.setattr(pipeline, "read_lookup", _unbuildable)
    read, read_lemmas = pipeline._sv_tables.__wrapped__()
    assert read._blocks == built._blocks and read._lemmas == built._lemmas and read_lemmas == built_lemmas
    assert read._firsts == built._firsts and read.forms() == built.forms() and len(read) == len(built)
    # values from spacy-lookups-data's sv table
    assert (read.get("kommunerna"), read.get("nämnder"), read.get("åtgärden")) == ("kommun", "nämnd", "åtgärd")
    assert len(set(map(id, read._lemmas))) == len(set(read._lemmas))  # one string object per lemma, as built


def test_the_finnish_dictionary_read_back_is_simplemmas_own(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pipeline._fi_dictionary.__wrapped__()  # builds and writes the cache
    assert len(list(cache.glob("simplemma-fi-*.marshal"))) == 1
    with monkeypatch.context() as patched:
        patched.setattr(StreamMap, "__init__", _unbuildable)
        read = pipeline._fi_dictionary.__wrapped__()
    own = StreamMap("fi")
    assert all(getattr(read, name) == getattr(own, name) for name in pipeline._STREAM_SLOTS)
    assert (read.get("kunnan"), read.get("talousarvion"), read.get("kaupungin")) == ("kunta", "talousarvio", "kaupunki")
    assert len(read) == len(own) == 3_547_493


@pytest.mark.parametrize("word", ["kunnan", "valtuustolle", "tilinpäätöksessä", "vuosikatteen", "2024",
                                  "kaupunginhallitukselle", "investointimenot"])
def test_finnish_lemmas_are_simplemmas_low_memory_lemmas(word: str) -> None:
    assert pipeline._fi_lemma(word) == simplemma.lemmatize(word, lang="fi", low_memory=True).lower()


def test_a_changed_lemma_table_file_is_read_again(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "sv_lemma_lookup.json"
    source.write_text('{\n"nämnder": "nämnd",\n"kommunerna": "kommun",\n}\n', encoding="utf-8")
    monkeypatch.setattr(pipeline.spacy_lookups_data, "sv", {"lemma_lookup": source})
    table, lemmas = pipeline._sv_tables.__wrapped__()
    assert (table.get("kommunerna"), len(table), lemmas) == ("kommun", 2, frozenset({"kommun", "nämnd"}))
    source.write_text('{\n"nämnder": "nämnd",\n"kommunerna": "kommun",\n"åtgärden": "åtgärd",\n}\n', encoding="utf-8")
    table, _ = pipeline._sv_tables.__wrapped__()
    assert (table.get("åtgärden"), len(table)) == ("åtgärd", 3)
