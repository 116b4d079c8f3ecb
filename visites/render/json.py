"""JSON for scripts: the report's dataclasses as plain numbers, strings and ISO dates."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any


def plain(value: Any) -> Any:
    """`value` with dataclasses as dicts (or as their `as_json()` says, when they have one),
    Decimals as int or float, dates as ISO strings."""
    if hasattr(value, "as_json") and not isinstance(value, type):
        return plain(value.as_json())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
