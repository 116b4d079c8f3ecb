"""The workflow's enumerated codes: a case's phases, the referral's contexts, the four
orientations. Light to import (no pydantic): the status view served from the index cache
needs them without the case models. Their French labels are in `vocabulary`."""

from __future__ import annotations

from enum import StrEnum


class Phase(StrEnum):
    REFERRAL = "referral"
    DIAGNOSTIC = "diagnostic"
    ACCOMPANIMENT = "accompaniment"
    CLOSED = "closed"


class Context(StrEnum):
    ENTREE = "entree"  # à l'entrée dans les lieux
    EN_COURS = "en-cours"  # en cours de location


class Outcome(StrEnum):
    """The four orientations, in the order of the project document."""

    SANS_SUITE = "sans-suite"
    REMOBILISATION = "remobilisation"
    ACCOMPAGNEMENT = "accompagnement"
    DROIT_COMMUN = "droit-commun"
