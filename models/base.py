"""The base of the document's and the records' models: their sets of fields set may be shared (issue 12, memory).

Pydantic gives every model instance its own `__pydantic_fields_set__` (the names of the fields given when it was
made; `model_fields_set`, `exclude_unset`). A set of 5 to 18 names takes 728 bytes, more than the model's own values:
on the 1 081-page benchmark document the sets are about half of the intermediate document's and of the records'
memory, while a few hundred distinct sets exist. `share_fields_sets` makes the models of a tree point to one set per
distinct content; `Model.__setattr__` replaces a model's set by its own copy before pydantic adds a field's name to
it, so a shared set never changes and every model's `model_fields_set` stays what it would have been.
Pickles keep the sharing (a pickle writes a shared set once), copies (`model_copy`, `copy.deepcopy`) do not.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any, get_args

from pydantic import BaseModel

_SHARED: dict[frozenset[str], set[str]] = {}  # content -> the one set models of that content point to


class Model(BaseModel):
    """A pydantic model whose set of fields set may be shared with other models (see the module's note)."""

    def __setattr__(self, name: str, value: Any) -> None:
        fields_set = self.__pydantic_fields_set__
        if name not in fields_set:  # pydantic adds the name to the set: to a copy, never to a shared set
            object.__setattr__(self, "__pydantic_fields_set__", set(fields_set))
        super().__setattr__(name, value)


def share_fields_sets(roots: Iterable[BaseModel]) -> None:
    """Point every `Model` reachable from roots (through fields holding a model or a list of models) to the shared
    set of its fields set's content. Changes no value, dump or `model_fields_set`; costs about a microsecond a model."""
    shared = _SHARED
    stack = list(roots)
    while stack:
        model = stack.pop()
        if isinstance(model, Model):
            fields_set = model.__pydantic_fields_set__
            one = shared.setdefault(frozenset(fields_set), fields_set)
            if one is not fields_set:
                object.__setattr__(model, "__pydantic_fields_set__", one)
        values = model.__dict__
        for name in _nesting_fields(type(model)):
            value = values[name]
            if isinstance(value, BaseModel):
                stack.append(value)
            elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
                stack.extend(value)


@cache
def _nesting_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model class whose type names a model (`Provenance`, `list[Cell]`, `Block | Table`): the
    only fields share_fields_sets looks into (a cell's text, numbers and flags are most of its fields)."""
    return tuple(name for name, field in model.model_fields.items() if _names_a_model(field.annotation))


def _names_a_model(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_names_a_model(argument) for argument in get_args(annotation))
