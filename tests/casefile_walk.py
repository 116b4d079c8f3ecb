"""Walk a case's YAML tree along the model's field declarations (for privacy tests)."""

from __future__ import annotations

import typing
from typing import Annotated, Any

from pydantic import BaseModel

from visites.casefile import _submodel
from visites.model import CONFIDENTIAL


def _is_text(annotation: Any) -> bool:
    """A free-text field (`Text`, `Text | None`); lists of listed values are not."""
    if typing.get_origin(annotation) is tuple:
        return False
    for arg in typing.get_args(annotation) or (annotation,):
        if typing.get_origin(arg) is Annotated:
            arg = typing.get_args(arg)[0]
        if arg is str:
            return True
    return False


def _hidden(field: Any, inherited: bool) -> bool:
    extra = field.json_schema_extra
    return inherited or extra["share"] == CONFIDENTIAL or bool(extra["personal"])


def hidden_text_fields(model: type[BaseModel], inherited: bool = False) -> set[tuple[str, str]]:
    """(model name, French key) of every free-text field that is confidential or personal,
    itself or through the section holding it."""
    found = set()
    for field in model.model_fields.values():
        hidden = _hidden(field, inherited)
        sub, _ = _submodel(field.annotation)
        if sub is not None:
            found |= hidden_text_fields(sub, hidden)
        elif hidden and _is_text(field.annotation):
            found.add((model.__name__, str(field.alias)))
    return found


def plant(
    tree: dict[str, Any],
    model: type[BaseModel],
    markers: dict[str, tuple[str, str]],
    prefix: str,
    inherited: bool = False,
) -> None:
    """Put a unique marker in every such field of `tree` (present sections only)."""
    for field in model.model_fields.values():
        alias, hidden = str(field.alias), _hidden(field, inherited)
        sub, many = _submodel(field.annotation)
        if sub is not None:
            if alias in tree:
                for item in tree[alias] if many else [tree[alias]]:
                    plant(item, sub, markers, prefix, hidden)
        elif hidden and _is_text(field.annotation):
            marker = f"SECRET{prefix.replace('-', '')}N{len(markers):04d}Z"
            tree[alias] = marker
            markers[marker] = (model.__name__, alias)
