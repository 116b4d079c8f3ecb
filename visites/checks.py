"""Every rule `visites check` applies: pure functions in two lists, as beancount does it.

- `CASE_RULES`: `rule(case, config) -> list[Finding]`, for one case. `validate_case` runs them
  on every case file (`casefile.parse`) and after every move (`workflow.apply`), so a move can
  never write a case that `check` would refuse. A finding that a typed value caused carries a
  `hint`: the wording for the person who typed it (« --measure ne va qu'avec… »).
- `FOLDER_RULES`: `rule(facts) -> list[Problem]`, across the folder, over the facts the shell
  gathered (file names, modes from `stat`): nothing here touches the disk.

Each rule is written once, here. A new rule is a function added to its list.
"""

from __future__ import annotations

import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from visites import dates
from visites.agenda import PLANNED
from visites.errors import ERROR, WARNING, Problem
from visites.ids import case_year, sort_key
from visites.matching import Choice, either, suggestions
from visites.phases import Outcome

if TYPE_CHECKING:
    from visites.config import Config
    from visites.model import Case


@dataclass(frozen=True)
class Finding:
    """A rule a case breaks: where in the file (keys and indexes), what, how serious; and,
    when a typed value is the cause, what to tell the person who typed it (`hint`)."""

    loc: tuple[str | int, ...]
    message: str
    severity: str = ERROR
    hint: str | None = field(default=None, compare=False)


# ---------------------------------------------------------------------------- one case


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


def validate_id_year(case: Case, config: Config) -> list[Finding]:
    """The ID's year is the referral's year (a warning: the ID names the case forever)."""
    if case_year(case.id) == case.referral.date.year:
        return []
    message = (
        f"l'année de l'identifiant {case.id} n'est pas celle de l'orientation reçue "
        f"({case.referral.date.year})"
    )
    return [Finding(("id",), message, WARNING)]


def validate_appointments(case: Case, config: Config) -> list[Finding]:
    """Appointments come after the referral; none is still planned after the closure (the
    closure cancels them); one appointment is kept once (two edits of it merged by sync are
    both kept, for someone to choose)."""
    from visites.appointments import state

    found: list[Finding] = []
    closed = case.closed_on
    seen: dict[str, int] = {}
    for number, appointment in enumerate(case.appointments, 1):
        loc = ("rendez_vous", number - 1)
        if appointment.date < case.referral.date:
            message = (
                f"rendez-vous n° {number} ({dates.short(appointment.date)}) avant l'orientation "
                f"reçue ({dates.short(case.referral.date)})"
            )
            found.append(Finding((*loc, "date"), message))
        if closed and appointment.date > closed and state(case, appointment) == PLANNED:
            message = (
                f"rendez-vous n° {number} prévu le {dates.short(appointment.date)}, après la "
                f"clôture : annulez-le (visites rdv {case.id} {number} --cancel)"
            )
            found.append(Finding(loc, message, WARNING))
        if appointment.uid and appointment.uid in seen:
            message = (
                f"rendez-vous n° {seen[appointment.uid]} et n° {number} : deux versions du "
                "même rendez-vous (modifié sur deux postes) ; gardez la bonne (visites edit)"
            )
            found.append(Finding(loc, message, WARNING))
        elif appointment.uid:
            seen[appointment.uid] = number
    return found


def validate_profile(case: Case, config: Config) -> list[Finding]:
    """The typology is a code of the settings' list; `aucun` (no priority public) stands
    alone; each priority public is given once."""
    household = case.household
    found: list[Finding] = []
    typologies = config.lists.typologies
    if household.typology is not None and household.typology not in typologies:
        possible = ", ".join(typologies)
        message = f"typologie « {household.typology} » inconnue ; valeurs possibles : {possible}"
        hint = f"{message} (liste modifiable dans visites.yaml)"
        found.append(Finding(("menage", "typologie"), message, hint=hint))
    priorities = household.priorities
    if "aucun" in priorities and len(priorities) > 1:
        message = "« aucun » public prioritaire ne va pas avec un public prioritaire"
        found.append(Finding(("menage", "publics_prioritaires"), message))
    if len(set(priorities)) != len(priorities):
        message = "public prioritaire donné deux fois"
        found.append(Finding(("menage", "publics_prioritaires"), message))
    return found


def validate_partners(case: Case, config: Config) -> list[Finding]:
    """Partners mobilised: codes of the settings' list; each involvement within the case's
    life (from the referral to the closure) and ending on or after its start; one involvement
    of a partner at a time. An event naming a partner names one of the list, with a warning
    when no involvement of that partner covers the event's day."""
    partners = config.lists.partners
    found: list[Finding] = []

    def error(loc: tuple, message: str) -> None:
        found.append(Finding(loc, message))

    def unknown(loc: tuple, code: str) -> None:
        message = f"partenaire « {code} » inconnu ; valeurs possibles : {', '.join(partners)}"
        found.append(Finding(loc, message, hint=f"{message} (liste modifiable dans visites.yaml)"))

    referral, closed, short = case.referral.date, case.closed_on, dates.short
    for index, involvement in enumerate(case.partners):
        loc = ("partenaires", index)
        code, start, end = involvement.partner, involvement.start, involvement.end
        if code not in partners:
            unknown((*loc, "partenaire"), code)
        if start < referral:
            error((*loc, "debut"), f"partenaire {code} : début ({short(start)}) avant "
                                   f"l'orientation reçue ({short(referral)})")  # fmt: skip
        if end is not None and end < start:
            error((*loc, "fin"), f"partenaire {code} : fin ({short(end)}) avant le début "
                                 f"({short(start)})")  # fmt: skip
        last = max(start, end or start)
        if closed is not None and last > closed:
            error((*loc, "fin" if end and end > closed else "debut"),
                  f"partenaire {code} : date ({short(last)}) après la clôture du dossier "
                  f"({short(closed)})")  # fmt: skip
    # One involvement of a partner at a time: each one ends on or before the next one starts.
    by_partner: dict[str, list[int]] = {}
    for index, involvement in enumerate(case.partners):
        by_partner.setdefault(involvement.partner, []).append(index)
    for code, indexes in by_partner.items():
        ordered = sorted(indexes, key=lambda i: case.partners[i].start)
        for previous, index in zip(ordered, ordered[1:], strict=False):
            before = case.partners[previous]
            if before.end is not None and before.end <= case.partners[index].start:
                continue
            state = "en cours" if before.end is None else f"jusqu'au {short(before.end)}"
            message = (f"partenaire {code} : déjà mobilisé depuis le {short(before.start)} "
                       f"({state}) ; un seul suivi à la fois (visites partner {case.id} --end "
                       f"{code})")  # fmt: skip
            error(("partenaires", index), message)
    for index, event in enumerate(case.events):
        code = event.partner
        if code is None:
            continue
        loc = ("evenements", index, "partenaire")
        if code not in partners:
            unknown(loc, code)
        elif not involved(case, code, event.date):
            message = (f"événement du {short(event.date)} avec {code}, qui n'est pas mobilisé "
                       f"ce jour-là (visites partner {case.id} --add {code})")  # fmt: skip
            found.append(Finding(loc, message, WARNING))
    return found


def involved(case: Case, partner: str, day: date) -> bool:
    """Whether an involvement of `partner` covers `day` (an open one runs to the closure)."""
    stop = case.closed_on
    return any(
        i.partner == partner and i.start <= day and day <= (i.end or stop or day)
        for i in case.partners
    )


def validate_known_before(case: Case, config: Config) -> list[Finding]:
    """A link to an earlier case names another case, closed before this referral."""
    found = []
    for index, known in enumerate(case.known_before):
        loc = ("deja_connu", index)
        if known.case_id == case.id:
            found.append(Finding((*loc, "dossier"), "un dossier ne peut pas se citer lui-même"))
        elif known.closed_on > case.referral.date:
            found.append(Finding((*loc, "cloture"), f"dossier {known.case_id} clôturé le "
                                 f"{dates.short(known.closed_on)}, après l'orientation reçue "
                                 f"({dates.short(case.referral.date)})"))  # fmt: skip
    return found


def validate_objectives(case: Case, config: Config) -> list[Finding]:
    """The accompaniment project: objectives of an accompaniment, numbered once each, linked
    to a listed problem domain, their statuses dated in order from the accompaniment's start
    to its closure."""
    if not case.objectives:
        return []
    found: list[Finding] = []
    accompaniment = case.accompaniment
    if accompaniment is None:
        message = "objectifs sans accompagnement personnalisé (orientation « accompagnement »)"
        return [Finding(("objectifs",), message)]
    closed = case.closed_on
    numbers: set[int] = set()
    domains = config.lists.problem_domains
    diagnosed = case.diagnostic.problems if case.diagnostic else ()
    for index, objective in enumerate(case.objectives):
        n, loc = objective.number, ("objectifs", index)
        if n in numbers:
            found.append(Finding((*loc, "numero"), f"objectif numéro {n} en double"))
        numbers.add(n)
        if objective.text is None and case.anonymised_on is None:
            found.append(Finding((*loc, "texte"), f"objectif {n} sans texte (clé texte)"))
        problem = objective.problem
        if problem is not None and problem not in domains:
            possible = ", ".join(domains)
            message = f"problématique « {problem} » inconnue ; valeurs possibles : {possible}"
            hint = f"--problem « {problem} » inconnue. Valeurs possibles : {possible}"
            found.append(Finding((*loc, "problematique"), message, hint=hint))
        elif problem is not None and problem not in diagnosed:
            message = (
                f"objectif {n} : problématique « {problem} » absente du diagnostic "
                f"(visites diagnose {case.id} --problem {problem})"
            )
            found.append(Finding((*loc, "problematique"), message, WARNING))
        floor, floor_what = accompaniment.start, "le début de l'accompagnement"
        for position, change in enumerate(objective.statuses):
            where = (*loc, "statuts", position, "date")
            if change.date < floor:
                found.append(Finding(where, (
                    f"objectif {n} : statut du {dates.short(change.date)} avant {floor_what} "
                    f"({dates.short(floor)})")))  # fmt: skip
            if closed and change.date > closed:
                found.append(Finding(where, (
                    f"objectif {n} : statut du {dates.short(change.date)} après la clôture "
                    f"({dates.short(closed)})")))  # fmt: skip
            floor, floor_what = change.date, "le statut précédent"
    return found


def validate_finances(case: Case, config: Config) -> list[Finding]:
    """The financial statements: each gives a figure, dated from the referral to the closure,
    in date order."""
    found: list[Finding] = []
    referral, closed = case.referral.date, case.closed_on
    previous = None
    for index, statement in enumerate(case.finances):
        loc, when = ("finances", index), statement.date
        figures = (statement.arrears, statement.resources, statement.rent,
                   statement.housing_benefit, statement.repayment_plan)  # fmt: skip
        if all(figure is None for figure in figures):
            message = (
                "relevé sans montant : dette_locative, ressources, loyer, aide_logement "
                "ou plan_apurement"
            )
            found.append(Finding(loc, message))
        if when < referral:
            found.append(Finding((*loc, "date"), (
                f"situation financière du {dates.short(when)} avant l'orientation reçue "
                f"({dates.short(referral)})")))  # fmt: skip
        if closed and when > closed:
            found.append(Finding((*loc, "date"), (
                f"situation financière du {dates.short(when)} après la clôture "
                f"({dates.short(closed)})")))  # fmt: skip
        if previous and when < previous:
            found.append(Finding((*loc, "date"), (
                f"situation financière du {dates.short(when)} avant la précédente "
                f"({dates.short(previous)}) : gardez l'ordre des dates")))  # fmt: skip
        previous = when
    return found


CaseRule = Callable[["Case", "Config"], list[Finding]]

CASE_RULES: tuple[CaseRule, ...] = (
    validate_steps,
    validate_deadline,
    validate_measure,
    validate_lists,
    validate_commune,
    validate_referent,
    validate_handovers,
    validate_id_year,
    validate_appointments,
    validate_profile,
    validate_partners,
    validate_known_before,
    validate_objectives,
    validate_finances,
)


def validate_case(case: Case, config: Config) -> list[Finding]:
    """Every rule `case` breaks (workflow order, dates, configured lists), rule by rule.
    Empty when valid."""
    return [finding for rule in CASE_RULES for finding in rule(case, config)]


# ---------------------------------------------------------------------------- one case, on a day

# Rules that depend on the day `check` runs: never part of a case file's own findings (the
# index keeps those), run by `check` over every case with today's date.


def validate_appointments_recorded(case: Case, today: date) -> list[Finding]:
    """An appointment whose day is gone is done (an event of its kind that day), missed (an
    absence) or cancelled; otherwise it is « à renseigner »."""
    from visites.appointments import state

    found = []
    for number, appointment in enumerate(case.appointments, 1):
        if appointment.date >= today or state(case, appointment) != PLANNED:
            continue
        when = dates.short(appointment.date)
        message = (
            f"rendez-vous n° {number} du {when} à renseigner : notez-le (visites event "
            f"{case.id} --kind {appointment.kind} --date {when}), ou l'absence "
            f"(--kind absence), ou annulez-le (visites rdv {case.id} {number} --cancel)"
        )
        found.append(Finding(("rendez_vous", number - 1), message, WARNING))
    return found


DayRule = Callable[["Case", date], list[Finding]]

DAY_RULES: tuple[DayRule, ...] = (validate_appointments_recorded,)


def validate_on(case: Case, today: date) -> list[Finding]:
    """Every day rule `case` breaks on `today`."""
    return [finding for rule in DAY_RULES for finding in rule(case, today)]


# ---------------------------------------------------------------------------- the folder


@dataclass(frozen=True)
class FolderFacts:
    """What `check` needs to know of the folder beyond its cases, gathered by the shell."""

    root: str
    has_settings: bool  # visites.yaml is there
    stray_files: tuple[str, ...]  # YAML files named like neither a case nor the settings
    case_files: dict[str, str]  # case ID → its file, in ID order
    folder_mode: int | None  # st_mode of the folder; None when stat failed
    file_modes: dict[str, int]  # case ID → st_mode of its file (those stat could read)
    merge_leftovers: tuple[str, ...] = ()  # git's merge copies left by a killed sync


def validate_settings_file(facts: FolderFacts) -> list[Problem]:
    if facts.has_settings:
        return []
    message = "pas de visites.yaml : réglages par défaut du programme (visites init)"
    return [Problem(facts.root, None, message, WARNING)]


def validate_stray_files(facts: FolderFacts) -> list[Problem]:
    message = "fichier ignoré : son nom n'est pas un identifiant de dossier (AAAA-NNN.yaml)"
    return [Problem(path, None, message, WARNING) for path in facts.stray_files]


def validate_unique_ids(facts: FolderFacts) -> list[Problem]:
    """Two files naming the same referral number (2015-007 and 2015-0007)."""
    found = []
    for same in duplicate_ids(list(facts.case_files)).values():
        message = f"numéro de dossier en double : {', '.join(same)}"
        found += [Problem(facts.case_files[case_id], None, message) for case_id in same]
    return found


def validate_folder_mode(facts: FolderFacts) -> list[Problem]:
    if facts.folder_mode is None or not facts.folder_mode & (stat.S_IRWXG | stat.S_IRWXO):
        return []
    message = "dossier accessible à d'autres utilisateurs : chmod 700 conseillé"
    return [Problem(facts.root, None, message, WARNING)]


def validate_file_modes(facts: FolderFacts) -> list[Problem]:
    message = "fichier lisible par d'autres utilisateurs : chmod 600 conseillé"
    return [
        Problem(facts.case_files[case_id], None, message, WARNING)
        for case_id, mode in facts.file_modes.items()
        if mode & (stat.S_IRGRP | stat.S_IROTH)
    ]


FolderRule = Callable[[FolderFacts], list[Problem]]


def validate_merge_leftovers(facts: FolderFacts) -> list[Problem]:
    """Copies git made for a merge, left behind by a sync killed halfway: whole case files,
    personal data included. The next `visites sync` removes them."""
    message = ("copie temporaire d'une fusion interrompue (données personnelles) : "
               "« visites sync » la supprime")  # fmt: skip
    return [Problem(path, None, message, WARNING) for path in facts.merge_leftovers]


FOLDER_RULES: tuple[FolderRule, ...] = (
    validate_settings_file,
    validate_stray_files,
    validate_unique_ids,
    validate_folder_mode,
    validate_file_modes,
    validate_merge_leftovers,
)


def validate_folder(facts: FolderFacts) -> list[Problem]:
    """Every problem across the folder, rule by rule."""
    return [problem for rule in FOLDER_RULES for problem in rule(facts)]


def duplicate_ids(ids: list[str]) -> dict[tuple[int, int], list[str]]:
    """IDs naming the same referral number twice (2015-007 and 2015-0007)."""
    seen: dict[tuple[int, int], list[str]] = {}
    for case_id in ids:
        seen.setdefault(sort_key(case_id), []).append(case_id)
    return {k: v for k, v in seen.items() if len(v) > 1}
