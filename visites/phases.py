"""The phases of a case and their French labels. Light to import (no pydantic): the status
view served from the index cache needs them without loading the case models."""

from __future__ import annotations

from enum import StrEnum


class Phase(StrEnum):
    REFERRAL = "referral"
    DIAGNOSTIC = "diagnostic"
    ACCOMPANIMENT = "accompaniment"
    CLOSED = "closed"


PHASE_LABELS = {
    Phase.REFERRAL: "orientation reçue",
    Phase.DIAGNOSTIC: "diagnostic",
    Phase.ACCOMPANIMENT: "accompagnement",
    Phase.CLOSED: "clôturé",
}
