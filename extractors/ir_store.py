"""The intermediate document (IR) of each extracted file, saved as OUT/ir/<document id>.json so that later stages can
be replayed without re-parsing the source.

Kept apart from extractors.writers (Parquet, DuckDB): the extraction process saves the IR, and need not import
pandas, pyarrow and DuckDB for it (about 60 MB and half a CPU second per process).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

from pydantic import TypeAdapter, ValidationError
from pydantic_core import PydanticSerializationError

from extractors.journal import part_name, temp_path_for
from models.document import Item, PlanDocument


def ir_path(out_dir: Path, document_id: str) -> Path:
    return Path(out_dir) / "ir" / f"{part_name(document_id).removesuffix('.parquet')}.json"


def write_document_ir(doc: PlanDocument, out_dir: Path) -> Path:
    """Save the intermediate document so later stages can be replayed without re-parsing the source.

    The file holds exactly `doc.model_dump_json()` in UTF-8, written item by item (`ir_chunks`): the JSON of a
    1 000-page document (tens of MB, twice that as a str once one character lies beyond Latin-1, and again as
    the encoded bytes) never exists whole in memory.
    """
    final = ir_path(out_dir, doc.document_id)
    final.parent.mkdir(parents=True, exist_ok=True)
    temp = temp_path_for(final)
    try:
        with temp.open("wb") as handle:
            try:
                for chunk in ir_chunks(doc):
                    handle.write(chunk)
            except PydanticSerializationError:  # lone surrogates (a broken ToUnicode map): JSON escapes them
                handle.seek(0)
                handle.truncate()
                handle.write(json.dumps(doc.model_dump(mode="python"), ensure_ascii=True).encode("utf-8"))
        os.replace(temp, final)
    finally:
        temp.unlink(missing_ok=True)
    return final


_ITEM = TypeAdapter(Item)
_FIELDS = list(PlanDocument.model_fields)
_BEFORE_ITEMS = set(_FIELDS[:_FIELDS.index("items")])
_AFTER_ITEMS = set(_FIELDS[_FIELDS.index("items") + 1:])


def ir_chunks(doc: PlanDocument) -> Iterator[bytes]:
    """The bytes of `doc.model_dump_json()` (UTF-8) in pieces: the fields before `items`, each item, the fields
    after it (every field is written, defaults included, so neither end is empty). Raises
    PydanticSerializationError as model_dump_json does."""
    head = doc.model_dump_json(include=_BEFORE_ITEMS).encode("utf-8")
    yield head[:-1] + b',"items":['
    for index, item in enumerate(doc.items):
        if index:
            yield b","
        yield _ITEM.dump_json(item)
    yield b"]," + doc.model_dump_json(include=_AFTER_ITEMS).encode("utf-8")[1:]


def read_document_ir(path: Path) -> PlanDocument:
    text = Path(path).read_text(encoding="utf-8")
    try:
        return PlanDocument.model_validate_json(text)
    except ValidationError:  # written by the fallback above: escaped lone surrogates
        return PlanDocument.model_validate(json.loads(text))
