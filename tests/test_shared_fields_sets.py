"""Models share their sets of fields set (models.base, issue 12's memory target) without changing any dump.

The Lovisa reference PDF is read and its records built twice: as the pipeline does (the items' and the records'
sets shared) and with the sharing turned off. Every dump (JSON, `exclude_unset`), every model's `model_fields_set`
and the pickled records must be the same; the stages change models after the sharing (texts repaired, a table's
`arithmetic_ok`), which must not leak into the models that share the set.
"""

from __future__ import annotations

import pickle
from functools import cache
from pathlib import Path

import pytest
from pydantic import BaseModel

import extractors.pdf.reader
import extractors.records
import extractors.tables
from extractors.pipeline import build_records, load_document
from models import Cell, PlanDocument, Provenance, RecordSet
from models.base import share_fields_sets

SAMPLE = Path(__file__).parent.parent / "samples" / "lovisa-stadskanslicentralen-2025-2027-sv.pdf"
SHARING = (extractors.pdf.reader, extractors.records, extractors.tables)


@cache
def extracted(shared: bool) -> tuple[PlanDocument, RecordSet]:
    """The sample's document (as loaded) and records, with the sets shared as the pipeline does or not at all."""
    with pytest.MonkeyPatch.context() as patch:
        if not shared:
            for module in SHARING:
                patch.setattr(module, "share_fields_sets", lambda models: None)
        doc = load_document(SAMPLE)
        return doc, build_records(doc)  # keep=True: doc stays as loaded


def models_in(root: BaseModel) -> list[BaseModel]:
    """Every model under root, depth first, in field order."""
    found, stack = [], [root]
    while stack:
        model = stack.pop()
        found.append(model)
        children: list[BaseModel] = []
        for value in model.__dict__.values():
            if isinstance(value, BaseModel):
                children.append(value)
            elif isinstance(value, list):
                children += [item for item in value if isinstance(item, BaseModel)]
        stack += reversed(children)
    return found


@pytest.mark.parametrize("part", [0, 1], ids=["document", "records"])
def test_sharing_changes_no_dump_and_no_fields_set(part: int) -> None:
    shared, own = extracted(True)[part], extracted(False)[part]
    shared_models, own_models = models_in(shared), models_in(own)
    # the mechanism is at work: far fewer distinct sets than models (a model may be reached twice: a shared box)
    assert len({id(model.__pydantic_fields_set__) for model in shared_models}) < len(shared_models) / 5
    assert len({id(model.__pydantic_fields_set__) for model in own_models}) == len({id(model) for model in own_models})
    assert shared.model_dump_json() == own.model_dump_json()
    assert shared.model_dump_json(exclude_unset=True) == own.model_dump_json(exclude_unset=True)
    assert [model.model_fields_set for model in shared_models] == [model.model_fields_set for model in own_models]


def test_pickled_records_keep_values_and_sharing() -> None:
    records = extracted(True)[1]
    again = pickle.loads(pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL))
    assert again.model_dump_json(exclude_unset=True) == records.model_dump_json(exclude_unset=True)
    assert len({id(cell.__pydantic_fields_set__) for cell in again.tables}) < len(again.tables) / 5
    assert len(pickle.dumps(records)) < len(pickle.dumps(extracted(False)[1]))


def test_setting_a_field_changes_only_that_models_set() -> None:
    cells = [Cell(text="Budget", col=0), Cell(text="2025", col=1), Cell(text="Utfall", col=2, bold=True)]
    share_fields_sets(cells)
    one = cells[1].__pydantic_fields_set__
    assert cells[0].__pydantic_fields_set__ is one
    cells[0].bold = True
    cells[1].text = "2026"  # already set: the shared set is kept
    assert cells[0].model_fields_set == {"text", "col", "bold"}
    assert cells[1].model_fields_set == {"text", "col"}
    assert cells[1].__pydantic_fields_set__ is one and cells[0].__pydantic_fields_set__ is not one
    assert cells[1].model_dump(exclude_unset=True) == {"text": "2026", "col": 1}
    copied = cells[1].model_copy(update={"prov": Provenance(page=3)})
    assert copied.model_fields_set == {"text", "col", "prov"} and cells[1].model_fields_set == {"text", "col"}
