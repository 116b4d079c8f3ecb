"""The rules of the household's profile, of the partners mobilised around it and of the
link to an earlier case (« ménage déjà connu »)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from visites import dates
from visites.checks.finding import Finding
from visites.errors import WARNING
from visites.profile import involved

if TYPE_CHECKING:
    from visites.config import Config
    from visites.model import Case


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
