"""The documents a case can produce, when each one applies, and what its template sees.

Pure: no files, no jinja. Every document is built from `model.shareable_tree(case)` plus values
derived from it: a letter may be read by the landlord (it sends the courrier, it is invited to
the rencontre tripartite, it receives the avis), so no confidential field ever reaches a template.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Any

from visites.config import Config
from visites.deadlines import next_review
from visites.errors import UsageProblem, VisitesError
from visites.model import Case, Phase, shareable_tree
from visites.referents import referent_on
from visites.vocabulary import (
    CONTEXT_LABELS,
    DOCUMENT_LABELS,
    OUTCOME_LABELS,
    PHASE_LABELS,
)


@dataclass(frozen=True)
class Meeting:
    """The rencontre tripartite a convocation announces."""

    date: date
    time: time | None
    place: str


def check_kind(kind: str) -> None:
    """Refuse a document name that is not one of the documents (`DOCUMENT_LABELS`)."""
    if kind not in DOCUMENT_LABELS:
        raise UsageProblem(
            f"document « {kind} » inconnu ; possibles : {', '.join(DOCUMENT_LABELS)}"
        )


def refusal(case: Case, kind: str) -> str | None:
    """Why `kind` cannot be produced for `case` now (French), or None when it can."""
    phase = case.phase
    if kind == "courrier-proposition" and phase is not Phase.REFERRAL:
        return (
            "le courrier de proposition précède l'adhésion ; "
            f"ce dossier est en phase « {PHASE_LABELS[phase]} »"
        )
    if kind == "convocation-tripartite" and phase is Phase.CLOSED:
        return "dossier clôturé : plus de rencontre tripartite à convoquer"
    if kind == "avis-bailleur":
        if case.orientation is None:
            return (
                "pas encore d'orientation : l'avis au bailleur se rédige à la fin du "
                "diagnostic (visites orient)"
            )
        if case.adhesion is None or case.adhesion.consent_to_share is None:
            return (
                "le ménage n'a pas donné son accord aux échanges avec le bailleur "
                "(adhesion.accord_echanges_bailleur absent) : l'avis ne peut pas lui être "
                f"transmis. S'il le donne : visites share {case.id} --date JJ/MM/AAAA"
            )
    if kind == "attestation-accompagnement" and case.accompaniment is None:
        return "pas d'accompagnement personnalisé dans ce dossier (orientation « accompagnement »)"
    return None


def require(case: Case, kind: str) -> None:
    """Raise a French VisitesError when `kind` does not apply to `case`."""
    check_kind(kind)
    if reason := refusal(case, kind):
        raise VisitesError(f"dossier {case.id} : {kind} impossible : {reason}")


def variables(
    case: Case, kind: str, config: Config, when: date, meeting: Meeting | None = None
) -> dict[str, Any]:
    """What the template of `kind` sees: the shareable case, names from the settings, derived
    values. French names, since the people who adapt the templates are French."""
    if kind == "convocation-tripartite" and meeting is None:
        raise UsageProblem(
            "convocation-tripartite : indiquez la rencontre avec --meeting DATE[ HH:MM] "
            "et --place LIEU"
        )
    if meeting is not None and meeting.date < when:
        raise UsageProblem(
            f"--meeting : la rencontre ({meeting.date.isoformat()}) précède la date du "
            f"document ({when.isoformat()})"
        )
    orientation = case.orientation
    tree = shareable_tree(case)
    tree["referent"] = referent_on(case, when)  # the one in charge on the document's date
    values: dict[str, Any] = {
        "dossier": tree,
        "document": kind,
        "date": when,
        "programme": config.programme,
        "bailleur": config.partners.landlord,
        "association": config.partners.association,
        "contexte": CONTEXT_LABELS[case.referral.context.value],
        "phase": PHASE_LABELS[case.phase],
        "orientation": OUTCOME_LABELS[orientation.to] if orientation else None,
        "prochaine_revision": (
            next_review(case, config) if case.phase is Phase.ACCOMPANIMENT else None
        ),
        "rencontre": None,
        # The notice's settings: who answers for the data, for how long, who receives what.
        "rgpd": {
            "responsable": config.data_protection.controller or config.partners.association,
            "contact": config.data_protection.contact,
            "conservation_annees": config.retention.years_after_last_contact,
            "convention": config.convention.name
            if config.convention.tracking_without_consent
            else None,
        },
    }
    if meeting is not None:
        values["rencontre"] = {
            "date": meeting.date,
            "heure": meeting.time.strftime("%H h %M").replace(" h 00", " h") if meeting.time
            else None,
            "lieu": meeting.place,
        }  # fmt: skip
    return values
