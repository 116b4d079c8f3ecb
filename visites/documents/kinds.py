"""The documents a case can produce, when each one applies, and what its template sees.

Pure: no files, no jinja. Two classes of documents:
- most may be read by the landlord (it sends the courrier, it is invited to the rencontre
  tripartite, it receives the avis): they are built from `model.shareable_tree(case)` plus
  values derived from it, so no confidential field ever reaches their templates;
- the documents addressed to the household (`HOUSEHOLD_DOCUMENTS`) see that too, and what
  concerns the household itself: its objectives (`objectifs`). Never the diagnostic, the
  notes, the finances, nor anything confidential about anyone else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Any

from visites import dates
from visites.config import Config
from visites.deadlines import as_of, next_review
from visites.errors import UsageProblem, VisitesError
from visites.model import Case, Phase, shareable_tree
from visites.objectives import status_on
from visites.referents import referent_on
from visites.vocabulary import (
    CONTEXT_LABELS,
    DOCUMENT_LABELS,
    OBJECTIVE_STATUS_LABELS,
    OUTCOME_LABELS,
    PHASE_LABELS,
    PROBLEM_DOMAIN_LABELS,
    REFERENT_BY_CIVILITY,
    label,
)

# Documents handed to the household, which may show what concerns it (its objectives).
HOUSEHOLD_DOCUMENTS = frozenset({"attestation-accompagnement", "projet-accompagnement"})

# Documents posted to the household, its address in the window of the envelope
# (`adresse_menage` in _commun.html). Without an address (`menage.adresse`):
# - the landlord's courrier de proposition is refused: it is the first contact, sent by post,
#   and a letter with only a name and a commune does not arrive;
# - a convocation is produced with a warning: it is often handed over at a visit, or sent
#   by the landlord, which knows its tenant's address.
ADDRESS_REQUIRED = frozenset({"courrier-proposition"})
ADDRESS_WANTED = frozenset({"convocation-tripartite"})


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
    if kind in ("attestation-accompagnement", "projet-accompagnement") and (
        case.accompaniment is None
    ):
        return "pas d'accompagnement personnalisé dans ce dossier (orientation « accompagnement »)"
    if kind in ADDRESS_REQUIRED and not _has_address(case):
        return (
            "le ménage n'a pas d'adresse dans le dossier (menage.adresse) : le courrier "
            f"n'arriverait pas. Ajoutez-la avec visites edit {case.id} (ligne « adresse: … » "
            "sous « menage: »)"
        )
    if kind == "projet-accompagnement" and not any(o.text for o in case.objectives):
        return (
            "aucun objectif dans le projet d'accompagnement : "
            f"visites objective add {case.id} --text TEXTE"
        )
    return None


def _has_address(case: Case) -> bool:
    return bool((case.household.address or "").strip())


def warnings(case: Case, kind: str) -> list[str]:
    """What the document lacks without being refused (French), for the person producing it."""
    if kind in ADDRESS_WANTED and not _has_address(case):
        return [
            f"dossier {case.id} : pas d'adresse (menage.adresse) : le bloc destinataire ne porte "
            "que le nom et la commune. Pour l'envoyer par la poste, ajoutez l'adresse avec "
            f"visites edit {case.id} (ligne « adresse: … » sous « menage: »)"
        ]
    return []


def as_dated(case: Case, kind: str, when: date) -> Case:
    """The case as the document dated `when` tells it: as it stood that day, as
    `status --today` shows it (a closure or an orientation dated later was not known yet).
    Planned appointments (the agenda) are plans, not facts: `as_of` keeps them; only facts
    dated after `when` are left out."""
    seen = as_of(case, when)
    if seen is None:
        raise VisitesError(
            f"dossier {case.id} : {kind} impossible au {dates.short(when)} : la fiche de liaison "
            f"n'a été reçue que le {dates.short(case.referral.date)}"
        )
    return seen


def require(case: Case, kind: str) -> None:
    """Raise a French VisitesError when `kind` does not apply to `case`."""
    check_kind(kind)
    if reason := refusal(case, kind):
        raise VisitesError(f"dossier {case.id} : {kind} impossible : {reason}")


def signatory(name: str | None, config: Config) -> dict[str, Any] | None:
    """The référent(e) `name` (in charge on the document's date) as a letter signs: « Mme
    Claire Dubois », then the job title of visites.yaml (« Conseillère en économie sociale et
    familiale »), or « Référente » when only the form of address is known; never
    « référent(e) »."""
    if not name:
        return None
    person = config.lists.referent(name)
    civility = person.civility if person else None
    title = person.title if person else None
    if title:
        capacity: str | None = title[0].upper() + title[1:]
    else:
        capacity = REFERENT_BY_CIVILITY.get((civility or "").casefold())
    return {
        "nom": name,
        "civilite": civility,
        "fonction": title,
        "nom_complet": f"{civility} {name}" if civility else name,
        "qualite": capacity,
    }


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
            f"--meeting : la rencontre du {dates.short(meeting.date)} précède la date du "
            f"document ({dates.short(when)})"
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
        "referent": signatory(tree["referent"], config),
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
    if kind in HOUSEHOLD_DOCUMENTS:
        values["objectifs"] = household_objectives(case, when)
    if meeting is not None:
        values["rencontre"] = {
            "date": meeting.date,
            "heure": meeting.time.strftime("%H h %M").replace(" h 00", " h") if meeting.time
            else None,
            "lieu": meeting.place,
        }  # fmt: skip
    return values


def household_objectives(case: Case, when: date) -> list[dict[str, Any]]:
    """The household's objectives as of `when`, for its own documents: number, text, problem
    domain and status in French, the day each was set and the day of its status."""
    objectives = []
    for objective in case.objectives:
        status = status_on(objective, when)
        if status is None or objective.text is None:  # set later, or anonymised
            continue
        problem = objective.problem
        objectives.append({
            "numero": objective.number,
            "texte": objective.text,
            "problematique": label(PROBLEM_DOMAIN_LABELS, problem) if problem else None,
            "statut": OBJECTIVE_STATUS_LABELS[status.status],
            "fixe_le": objective.statuses[0].date,
            "statut_le": status.date,
        })  # fmt: skip
    return objectives
