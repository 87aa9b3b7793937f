"""Rows the datasets can always store: an Arrow column never fails on a record's value.

pydantic accepts values Parquet cannot hold: Python integers of any size, strings with lone surrogates
(bytes of a file name that are not UTF-8, decoded with surrogateescape). Rather than failing the write
(and losing the document), `storable_table` stores what can be stored faithfully and reports the rest:

- a string with lone surrogates keeps them as escapes: `\\xNN` for an undecodable byte, `\\udNNN` for
  any other lone surrogate (the readable form plandata uses for file names, see extractors.source);
- an integer outside the 64-bit range (or, for a double column such as `finance.amount`, beyond a double's
  range) becomes null in a nullable column; in a non-null column the row is left out, because a figure
  must never be stored as another number;
- NaN and infinities are valid doubles and are kept.

Every change is returned as a message, for the writer to record in `issues` and the document's status.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa
from pydantic import BaseModel

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def escape_surrogates(text: str) -> str:
    """text with every lone surrogate written as an escape (unchanged when it has none)."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    out: list[str] = []
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else f"{text[:20]}…{text[-8:]} ({len(text)} characters)"


class _Unstorable(Exception):
    """The value cannot be stored in its column (and the column cannot be null)."""


def _value(value: Any, data_type: pa.DataType, nullable: bool, where: str, problems: list[str]) -> Any:
    if value is None:
        return None
    if pa.types.is_string(data_type) and isinstance(value, str):
        return escape_surrogates(value)
    if pa.types.is_integer(data_type) and isinstance(value, int) and not INT64_MIN <= value <= INT64_MAX:
        if not nullable:
            raise _Unstorable(f"{where} = {_short(value)} is outside the 64-bit integer range")
        problems.append(f"{where} = {_short(value)} is outside the 64-bit integer range; stored as null")
        return None
    if pa.types.is_floating(data_type) and isinstance(value, int) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:
            if not nullable:
                raise _Unstorable(f"{where} = {_short(value)} is too large for a double") from None
            problems.append(f"{where} = {_short(value)} is too large for a double; stored as null")
            return None
    if pa.types.is_list(data_type) and isinstance(value, list):
        item_type = data_type.value_type
        return [_value(item, item_type, True, f"{where}[{index}]", problems) for index, item in enumerate(value)]
    return value


def storable_table(dataset: str, rows: list[dict[str, Any]], schema: pa.Schema) -> tuple[pa.Table, list[str]]:
    """(the rows as a table of schema, what had to change); never raises on a value."""
    try:
        return pa.Table.from_pylist(rows, schema=schema), []
    except (pa.ArrowException, OverflowError, UnicodeError, ValueError, TypeError):
        pass
    problems: list[str] = []
    kept: list[dict[str, Any]] = []
    for index, row in enumerate(rows):
        try:
            kept.append({
                field.name: _value(row.get(field.name), field.type, field.nullable,
                                   f"{dataset} row {index + 1}: {field.name}", problems)
                for field in schema
            })
        except _Unstorable as exc:
            problems.append(f"{exc}; row left out")
    return pa.Table.from_pylist(kept, schema=schema), problems


def storable_records(dataset: str, records: Sequence[BaseModel], schema: pa.Schema) -> tuple[pa.Table, list[str]]:
    """storable_table of the records' model_dump() rows, the same table and messages, built from their attributes.

    The datasets' models hold flat fields only (strings, numbers, booleans and lists of them, extractors.datasets
    .arrow_type), so a field's attribute is its model_dump() value: the columns are read without building a dict
    per row, and the dumps are made only when a value does not fit its column (storable_table says which)."""
    columns = {name: [getattr(record, name) for record in records] for name in schema.names}
    try:
        return pa.Table.from_pydict(columns, schema=schema), []
    except (pa.ArrowException, OverflowError, UnicodeError, ValueError, TypeError):
        return storable_table(dataset, [record.model_dump() for record in records], schema)
