"""`visites` with no command, inside a case folder: the day's view (cases overdue,
appointments to fill in, the next days of the agenda). Apart from `cli.app`, which calls it
before click parses anything."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from visites import environment


def case_folder_without_command(args: list[str]) -> Path | None:
    """The case folder `visites` runs in when no command is given: --cases, else
    $VISITES_CASES, else the nearest parent holding visites.yaml. None when a command is
    given, or outside a case folder (then the help is shown)."""
    from visites.paths import SETTINGS_FILE

    option = None
    rest = list(args)
    if rest[:1] == ["--cases"] and len(rest) >= 2:
        option, rest = rest[1], rest[2:]
    elif rest[:1] and rest[0].startswith("--cases="):
        option, rest = rest[0].partition("=")[2], rest[1:]
    if rest:
        return None
    if option or (option := environment.case_folder()):
        root = Path(option)
    else:
        cwd = Path.cwd()
        root = next((f for f in (cwd, *cwd.parents) if (f / SETTINGS_FILE).is_file()), cwd)
    return root if (root / SETTINGS_FILE).is_file() else None


def day_view(cases: Path | None) -> None:
    """`visites` with no command, in a case folder: the cases overdue, the appointments to
    fill in, the next 7 days of the agenda ($VISITES_USER's, or everyone's), then a hint."""
    from visites.agenda import DEFAULT_DAYS, same_person, to_fill, window
    from visites.render.agenda import print_day_view
    from visites.render.terminal import print_problems
    from visites.status import status_rows
    from visites.store import Folder, find_root

    target = Folder(find_root(cases))
    now = date.today()  # the real date: this view has no --today
    summaries, problems = target.summaries(closed=False)
    rows = target.agenda(now, now + timedelta(days=DEFAULT_DAYS - 1))
    pending = target.agenda(None, now - timedelta(days=1), "planned")
    print_problems([p for p in problems if p.is_error], brief=True)
    named = _named(environment.acting_user(), summaries, rows, now)
    if named:
        rows = [i for i in rows if any(same_person(i.person, n) for n in named)]
        pending = [i for i in pending if any(same_person(i.person, n) for n in named)]
    overdue = status_rows(summaries, now, overdue_only=True, referents=named)
    print_day_view(
        overdue,
        to_fill(pending, now),
        window(rows, now, DEFAULT_DAYS),
        {s.id: s.household for s in summaries},
        now,
        " et ".join(named) or None,
        environment.acting_user(),
    )


def _named(user: str | None, summaries: list, rows: list, now: date) -> list[str]:
    """The référent(e)s $VISITES_USER names, as `status --referent` matches them (a part of
    a name, case and accents aside: « karim » → « Karim Benali »), among those holding an
    open case today or in the week's agenda. None: someone who follows no case (a
    coordinator), who gets everyone's view."""
    from visites import matching
    from visites.referents import referent_on

    typed = (user or "").strip()
    if not typed:
        return []
    held = {referent_on(s, now) for s in summaries} | {i.person for i in rows}
    try:
        return matching.referents_named(typed, {name for name in held if name})
    except matching.Unmatched:
        return []
