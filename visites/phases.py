"""The phases of a case and the French labels of the workflow's codes. Light to import (no
pydantic): the status view served from the index cache needs them without the case models."""

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

# The referral's context (`contexte` in the case file), as users say it.
CONTEXT_LABELS = {"entree": "entrée dans les lieux", "en-cours": "en cours de location"}
