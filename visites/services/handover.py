"""Handing cases over to another référent(e): one case, or a whole caseload at once.

The shell around the pure rules (`referents`: who is in charge on a day, names matched
against the settings' list; `workflow.ChangeReferent`: the move itself). The CLI calls
these; they never print and never prompt. A caseload is planned first (every case checked,
nothing written), shown and confirmed by the CLI, then written in one commit under the
folder's lock, all cases or none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from visites import dates
from visites.appointments import moved_to
from visites.config import Config
from visites.errors import UsageProblem, VisitesError
from visites.model import Case, Phase
from visites.referents import covers, match_name, referent_on
from visites.services.cases import move
from visites.services.committing import committing
from visites.store import Folder
from visites.workflow import ChangeReferent, apply


def checked_name(
    typed: str,
    known: Sequence[str],
    option: str,
    where: str = "inconnu(e) dans la liste des référent(e)s",
) -> str:
    """The référent(e) named by `typed`, as `known` (the settings' list) writes it; refused
    with « Vouliez-vous dire … ? » for a near miss. An empty list checks nothing."""
    name = " ".join(typed.split())
    if not name:
        raise UsageProblem(f"{option} : nom de référent(e) vide")
    if not known:
        return name
    matched = match_name(name, known)
    if matched.found:
        return matched.found
    if matched.suggestion:
        hint = f"Vouliez-vous dire « {matched.suggestion} » ?"
    else:
        hint = f"Possibles : {', '.join(known)}."
    raise UsageProblem(
        f"{option} : « {name} » {where}. {hint} "
        "(liste modifiable dans visites.yaml, clé listes.referents)"
    )


@dataclass(frozen=True)
class Cover:
    """A cover the case was under when it moved: the handover does not end it by itself."""

    until: date
    returns_to: str | None


@dataclass(frozen=True)
class Moved:
    """One case handed over (or about to be)."""

    case: Case  # as it will be written
    name: str  # who takes it over
    since: date
    until: date | None  # the end of the cover, for a cover
    previous: str | None  # who held it on `since`
    cover: Cover | None  # when the previous holder was only covering
    appointments: int = 0  # future appointments that follow the case to `name`

    @property
    def returns_to(self) -> str | None:
        """Who holds the case after the cover, for a cover."""
        if self.until is None:
            return None
        return referent_on(self.case, self.until + timedelta(days=1))


def _moved(case: Case, change: ChangeReferent, today: date, config: Config) -> Moved:
    previous = referent_on(case, change.date)
    cover = None
    if (held := covers(case, change.date)) is not None and change.until is None:
        assert held.until is not None
        cover = Cover(held.until, referent_on(case, held.until + timedelta(days=1)))
    moved = apply(case, change, config, today)
    count = moved_to(case, moved)
    return Moved(moved, change.name, change.date, change.until, previous, cover, count)


def hand_over(
    folder: Folder,
    case_id: str,
    name: str,
    when: date,
    today: date,
    *,
    until: date | None = None,
    note: str | None = None,
    by: str | None = None,
) -> Moved:
    """Hand one case over to `name` from `when` (until `until`, for a cover), and commit."""
    target = checked_name(name, folder.config.lists.referent_names(active=True), "NOM")
    change = ChangeReferent(date=when, name=target, until=until, note=note or None, by=by)
    found: list[Moved] = []

    def moved(case: Case) -> ChangeReferent:
        found.append(_moved(case, change, today, folder.config))
        return change

    move(folder, case_id, moved, today, by)
    return found[0]


# ---------------------------------------------------------------------------- a caseload


@dataclass(frozen=True)
class Caseload:
    """A caseload handover, checked and not yet written."""

    source: str
    target: str
    when: date
    until: date | None
    note: str | None
    moves: list[Moved]
    closed_kept: list[str]  # IDs of closed cases of `source`: they keep their référent(e)

    @property
    def case_ids(self) -> list[str]:
        return [m.case.id for m in self.moves]

    @property
    def appointments(self) -> int:
        """The future appointments that follow the cases to `target`."""
        return sum(m.appointments for m in self.moves)


def _day_for(case: Case, when: date) -> date:
    """The handover's date for one case: `when`, or its referral when it came later."""
    return max(when, case.referral.date)


def plan_caseload(
    folder: Folder,
    source: str,
    target: str,
    when: date,
    today: date,
    *,
    until: date | None = None,
    note: str | None = None,
    by: str | None = None,
) -> Caseload:
    """Every open case `source` is in charge of on `when`, each checked as handed over to
    `target`. Nothing is written. A case that cannot move stops the whole plan."""
    if when > today:
        raise UsageProblem(f"--date : le {dates.short(when)} est dans le futur")
    config = folder.config
    cases = folder.load_all().cases
    holders = sorted({h for c in cases if (h := referent_on(c, _day_for(c, when)))})
    # The one leaving may be out of the list already: the names the cases hold count too.
    known = tuple(dict.fromkeys((*config.lists.referent_names(), *holders)))
    source_name = checked_name(
        source, known, "--from", "ne figure ni dans la liste ni dans les dossiers"
    )
    target_name = checked_name(target, config.lists.referent_names(active=True), "--to")
    if source_name == target_name:
        raise UsageProblem(f"--from et --to nomment la même personne ({source_name})")
    moves, closed = [], []
    for case in cases:
        day = _day_for(case, when)
        if referent_on(case, day) != source_name:
            continue
        if case.phase is Phase.CLOSED:
            closed.append(case.id)
            continue
        change = ChangeReferent(date=day, name=target_name, until=until, note=note, by=by)
        if until is not None and until < day:
            raise UsageProblem(
                f"--until {dates.short(until)} précède la date du transfert ({dates.short(day)})"
            )
        moves.append(_moved(case, change, today, config))
    return Caseload(source_name, target_name, when, until, note, moves, closed)


def transfer_caseload(folder: Folder, plan: Caseload, today: date, by: str | None) -> Caseload:
    """Write `plan` in one commit (« transfert de 12 dossiers »), under the folder's lock. The
    cases are read again there: if the caseload changed since the plan, nothing is written."""
    with committing(folder, by) as change:
        again = plan_caseload(folder, plan.source, plan.target, plan.when, today,
                              until=plan.until, note=plan.note, by=by)  # fmt: skip
        if again.case_ids != plan.case_ids:
            raise VisitesError(
                "les dossiers ont changé depuis la liste affichée : rien n'a été transféré ; "
                "relancez la commande"
            )
        for planned in again.moves:
            stored = folder.read(planned.case.id)
            step = ChangeReferent(date=planned.since, name=plan.target, until=plan.until,
                                  note=plan.note, by=by)  # fmt: skip
            folder.update(stored, apply(stored.case, step, folder.config, today), change)
        count = len(again.moves)
        change.action, change.case_ids = "referent", again.case_ids
        change.subject = f"transfert de {count} dossier{'s' if count > 1 else ''}"
    return again
