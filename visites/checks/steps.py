"""The rules of a case's steps and of its configured lists: dates in order, the measure of
droit commun, the lists' values, the commune and référent(e)s (warnings), the handovers,
the ID's year."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from visites import dates
from visites.checks.finding import Finding
from visites.errors import WARNING
from visites.ids import case_year
from visites.matching import Choice, either, suggestions
from visites.phases import Outcome

if TYPE_CHECKING:
    from visites.config import Config
    from visites.model import Case


def validate_steps(case: Case, config: Config) -> list[Finding]:
    """The steps come in order, each on or after the previous one, and each once."""
    found: list[Finding] = []

    def error(loc: tuple, message: str) -> None:
        found.append(Finding(loc, message))

    def not_before(loc: tuple, what: str, when: date, floor: date, floor_what: str) -> None:
        if when < floor:
            error(loc, f"{what} ({dates.short(when)}) avant {floor_what} ({dates.short(floor)})")

    referral = case.referral.date
    received = "l'orientation reçue"
    # The chain of steps: each one on or after the previous one.
    step, step_what = referral, received
    if case.adhesion and case.refusal:
        error(("refus",), "adhésion et refus à la fois : gardez l'un des deux")
    if case.refusal:
        not_before(("refus", "date"), "refus", case.refusal.date, referral, received)
        if case.closure:
            error(("cloture",), "un refus clôt déjà le dossier : retirez la section cloture")
    if case.adhesion:
        not_before(("adhesion", "date"), "adhésion", case.adhesion.date, referral, received)
        step, step_what = case.adhesion.date, "l'adhésion"
        if case.adhesion.consent_to_share:
            loc = ("adhesion", "accord_echanges_bailleur")
            shared = case.adhesion.consent_to_share
            # The consent to share is part of the adhesion, or comes after it.
            not_before(loc, "accord d'échanges", shared, case.adhesion.date, "l'adhésion")
        if case.adhesion.notice:
            loc = ("adhesion", "information_rgpd")
            notice = case.adhesion.notice
            not_before(loc, "information RGPD", notice, referral, received)
    elif case.diagnostic:
        error(("diagnostic",), "diagnostic sans adhésion du ménage")
    if case.orientation:
        if not case.adhesion:
            error(("orientation",), "orientation sans adhésion du ménage")
        not_before(("orientation", "date"), "orientation", case.orientation.date, step, step_what)
        step, step_what = case.orientation.date, "l'orientation"
        if case.orientation.to is Outcome.ACCOMPAGNEMENT and not case.accompaniment:
            error(("orientation", "vers"), "accompagnement sans section accompagnement (debut)")
    if case.accompaniment:
        accompaniment = case.accompaniment
        if not (case.orientation and case.orientation.to is Outcome.ACCOMPAGNEMENT):
            error(("accompagnement",), "accompagnement sans orientation « accompagnement »")
        loc = ("accompagnement", "debut")
        not_before(loc, "début de l'accompagnement", accompaniment.start, step, step_what)
        step, step_what = accompaniment.start, "le début de l'accompagnement"
        for index, renewal in enumerate(accompaniment.renewals):
            loc = ("accompagnement", "renouvellements", index)
            not_before(loc, "renouvellement", renewal.date, step, step_what)
            step, step_what = renewal.date, "le renouvellement précédent"
    if case.closure:
        not_before(("cloture", "date"), "clôture", case.closure.date, step, step_what)
    for index, event in enumerate(case.events):
        not_before(("evenements", index, "date"), "événement", event.date, referral, received)
    return found


def validate_deadline(case: Case, config: Config) -> list[Finding]:
    """The landlord's deadline (date butoir) is not before the referral it comes with."""
    referral = case.referral
    if referral.deadline is None or referral.deadline >= referral.date:
        return []
    deadline, received = dates.short(referral.deadline), dates.short(referral.date)
    message = f"date butoir ({deadline}) avant l'orientation reçue ({received})"
    hint = f"--deadline : le {deadline} précède la date de la fiche ({received})"
    return [Finding(("orientation_recue", "date_butoir"), message, hint=hint)]


def validate_measure(case: Case, config: Config) -> list[Finding]:
    """A measure of droit commun goes with the orientation « droit-commun », and only with it."""
    orientation = case.orientation
    if orientation is None:
        return []
    if orientation.to is Outcome.DROIT_COMMUN and not orientation.measure:
        measures = ", ".join(config.lists.measures)
        message = "droit-commun sans mesure (clé mesure)"
        hint = (
            f"une orientation « droit-commun » demande --measure (valeurs possibles : {measures})"
        )
        return [Finding(("orientation", "vers"), message, hint=hint)]
    if orientation.to is not Outcome.DROIT_COMMUN and orientation.measure:
        message = "une mesure ne va qu'avec droit-commun"
        hint = "--measure ne va qu'avec l'orientation « droit-commun »"
        return [Finding(("orientation", "mesure"), message, hint=hint)]
    return []


def validate_lists(case: Case, config: Config) -> list[Finding]:
    """Problem domains, measure and closure outcome are values of the settings' lists."""
    lists = config.lists
    found: list[Finding] = []

    def unknown(loc: tuple, what: str, value: str, allowed: tuple[str, ...]) -> None:
        possible = ", ".join(allowed)
        message = f"{what} « {value} » inconnue ; valeurs possibles : {possible}"
        close = suggestions(value, [Choice(name) for name in allowed])
        if close:  # written by hand as « Santé »: say which code to write
            message = f"{what} « {value} » inconnue : écrivez {either(close)}"
        hint = (
            f"{what} « {value} » inconnue. "
            f"Valeurs possibles : {possible} (listes modifiables dans visites.yaml)"
        )
        found.append(Finding(loc, message, hint=hint))

    if case.diagnostic:
        for index, problem in enumerate(case.diagnostic.problems):
            if problem not in lists.problem_domains:
                loc = ("diagnostic", "problematiques", index)
                unknown(loc, "problématique", problem, lists.problem_domains)
    measure = case.orientation.measure if case.orientation else None
    if measure and measure not in lists.measures:
        unknown(("orientation", "mesure"), "mesure", measure, lists.measures)
    outcome = case.closure.outcome if case.closure else None
    if outcome and outcome not in lists.outcomes:
        unknown(("cloture", "issue"), "issue", outcome, lists.outcomes)
    return found


def validate_commune(case: Case, config: Config) -> list[Finding]:
    """A commune out of the list is kept, with a warning: probably a typo."""
    commune = case.household.commune
    if commune in config.lists.communes:
        return []
    message = f"commune « {commune} » hors de la liste de visites.yaml (faute de frappe ?)"
    close = suggestions(commune, [Choice(name) for name in config.lists.communes])
    if close:
        message = (
            f"commune « {commune} » hors de la liste de visites.yaml : vouliez-vous écrire "
            f"{either(close)} ?"
        )
    return [Finding(("menage", "commune"), message, WARNING)]


def validate_referent(case: Case, config: Config) -> list[Finding]:
    """A referent out of the list (when the folder keeps one) is kept, with a warning."""
    referents = config.lists.referent_names()
    if not referents:
        return []
    named: list[tuple[tuple[str | int, ...], str | None]] = [(("referent",), case.referent)]
    named += [(("referents", i, "nom"), h.name) for i, h in enumerate(case.handovers)]
    return [
        Finding(loc, f"référent(e) « {name} » hors de la liste de visites.yaml", WARNING)
        for loc, name in named
        if name and name not in referents
    ]


def validate_handovers(case: Case, config: Config) -> list[Finding]:
    """The handovers (`referents:`) come in date order, from the referral on, and none after
    the case closed: a closed case keeps its référent(e). A cover ends on or after its start."""
    found: list[Finding] = []
    floor, floor_what = case.referral.date, "l'orientation reçue"
    closed = case.closed_on
    for index, handover in enumerate(case.handovers):
        loc = ("referents", index, "depuis")
        since, until = handover.since, handover.until
        what = f"transfert ({dates.short(since)})"
        if since < floor:
            found.append(Finding(loc, f"{what} avant {floor_what} ({dates.short(floor)})"))
        else:
            floor, floor_what = since, "le transfert précédent"
        if closed and since > closed:
            found.append(Finding(loc, f"{what} après la clôture ({dates.short(closed)})"))
        if until is not None and until < since:
            message = f"fin du remplacement ({dates.short(until)}) avant le {what}"
            found.append(Finding(("referents", index, "jusqu_au"), message))
    return found


def validate_handover_events(case: Case, config: Config) -> list[Finding]:
    """Each `transfert` event has its handover in `referents:` on the same day. One without
    is most often what a sync conflict on a handover left: the side not kept dropped its
    `referents:` entry, not its event, and the timeline would tell a handover that did not
    happen (an error: the file is to be put right, as for a conflict left in it)."""
    from visites.model import HANDOVER_EVENT

    days = {handover.since for handover in case.handovers}
    return [
        Finding(
            ("evenements", index, "type"),
            f"événement « transfert » du {dates.short(event.date)} sans changement de "
            "référent(e) ce jour-là dans « referents » (reste d'un conflit tranché ?) : "
            f"supprimez l'événement ou ajoutez le transfert (visites edit {case.id})",
        )
        for index, event in enumerate(case.events)
        if event.kind == HANDOVER_EVENT and event.date not in days
    ]


def validate_id_year(case: Case, config: Config) -> list[Finding]:
    """The ID's year is the referral's year (a warning: the ID names the case forever)."""
    if case_year(case.id) == case.referral.date.year:
        return []
    message = (
        f"l'année de l'identifiant {case.id} n'est pas celle de l'orientation reçue "
        f"({case.referral.date.year})"
    )
    return [Finding(("id",), message, WARNING)]
