"""What each TAB completes: the value of an option (or an argument) by its name, anywhere in
the app (`COMPLETERS`); used only when a shell asks (`cli/completion.py`, `lazy.get_command`).

Commands and options complete by themselves; the values are completed here, one row per
option name: `--commune` completes the communes of visites.yaml in every command that has it.
A new command's options complete as soon as they use a name of the table; a new kind of value
is one row here. Each TAB is a new process: case IDs come from the file names (one directory
listing, never a parse), list values from visites.yaml. What was typed is matched as people
type it: « coue » completes « Couëron ».
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

Completion = list[tuple[str, str | None]]  # (value, what it is: shown by zsh and fish)
SHELLS = ("bash", "zsh", "fish")


def _root(ctx: Any) -> Path | None:
    """The case folder the command line names (--cases), else the usual search."""
    from visites.errors import VisitesError
    from visites.store import find_root

    given = ctx.find_root().params.get("cases")
    try:
        return find_root(Path(given) if given else None)
    except VisitesError:
        return None


def _lists(ctx: Any) -> Any:
    """The folder's lists (the programme's defaults when visites.yaml cannot be read)."""
    from visites.config import Config
    from visites.errors import VisitesError
    from visites.store import load_config

    root = _root(ctx)
    try:
        return (load_config(root) if root is not None else Config()).lists
    except VisitesError:
        return Config().lists


def _starting(incomplete: str, values: Iterable[tuple[str, str | None]]) -> Completion:
    """The values that start like `incomplete`, case, accents, spaces and hyphens aside."""
    from visites.matching import normalise

    typed = normalise(incomplete)
    return [(v, h) for v, h in values if v.startswith(incomplete) or normalise(v).startswith(typed)]


def case_ids(ctx: Any, incomplete: str) -> Completion:
    """The IDs of the case files, from the folder's listing alone."""
    from visites.ids import sort_key
    from visites.paths import CASE_FILE

    root = _root(ctx)
    if root is None:
        return []
    try:
        with os.scandir(root) as entries:
            ids = [m.group(1) for e in entries if (m := CASE_FILE.fullmatch(e.name))]
    except OSError:
        return []
    return [(i, None) for i in sorted(ids, key=sort_key) if i.startswith(incomplete)]


def _labelled(codes: Iterable[str], labels: dict[str, str]) -> list[tuple[str, str | None]]:
    return [(code, labels.get(code)) for code in codes]


def communes(ctx: Any, incomplete: str) -> Completion:
    return _starting(incomplete, ((name, None) for name in _lists(ctx).communes))


def problem_domains(ctx: Any, incomplete: str) -> Completion:
    from visites.vocabulary import PROBLEM_DOMAIN_LABELS

    return _starting(incomplete, _labelled(_lists(ctx).problem_domains, PROBLEM_DOMAIN_LABELS))


def measures(ctx: Any, incomplete: str) -> Completion:
    return _starting(incomplete, ((name, None) for name in _lists(ctx).measures))


def outcomes(ctx: Any, incomplete: str) -> Completion:
    return _starting(incomplete, ((name, None) for name in _lists(ctx).outcomes))


def referents(ctx: Any, incomplete: str) -> Completion:
    people = _lists(ctx).referents
    return _starting(incomplete, ((p.name, p.title) for p in people if p.active))


def everyone(ctx: Any, incomplete: str) -> Completion:
    """Every référent(e), the inactive ones too (their cases are still searched)."""
    return _starting(incomplete, ((p.name, p.title) for p in _lists(ctx).referents))


def event_kinds(ctx: Any, incomplete: str) -> Completion:
    """The kinds a person records (a handover is written by `visites referent`)."""
    from visites.model import CONTACT_KINDS
    from visites.vocabulary import EVENT_LABELS

    return _starting(incomplete, _labelled(CONTACT_KINDS, EVENT_LABELS))


def _fixed(values: Callable[[], list[tuple[str, str | None]]]) -> Callable[[Any, str], Completion]:
    return lambda ctx, incomplete: _starting(incomplete, values())


def _vocabulary(name: str) -> Callable[[], list[tuple[str, str | None]]]:
    def values() -> list[tuple[str, str | None]]:
        from visites import vocabulary

        table: dict[str, str] = getattr(vocabulary, name)
        return list(table.items())

    return values


def _phases() -> list[tuple[str, str | None]]:
    from visites.vocabulary import PHASE_LABELS, PHASE_OPTION_NAMES

    return [(PHASE_OPTION_NAMES[p], PHASE_LABELS[p]) for p in PHASE_OPTION_NAMES]


def typologies(ctx: Any, incomplete: str) -> Completion:
    from visites.vocabulary import TYPOLOGY_LABELS

    return _starting(incomplete, _labelled(_lists(ctx).typologies, TYPOLOGY_LABELS))


def partners(ctx: Any, incomplete: str) -> Completion:
    from visites.vocabulary import PARTNER_LABELS

    return _starting(incomplete, _labelled(_lists(ctx).partners, PARTNER_LABELS))


def export_targets(ctx: Any, incomplete: str) -> Completion:
    suivi = [("suivi", "tableau de suivi pour le bailleur")]
    suivi = suivi if "suivi".startswith(incomplete) else []
    return suivi + case_ids(ctx, incomplete)


def _files(incomplete: str, suffixes: tuple[str, ...]) -> Completion:
    """The files (and folders, to go down) whose path starts like `incomplete`."""
    folder, _, start = incomplete.rpartition("/")
    base = Path(folder or ".")
    try:
        entries = sorted(base.iterdir(), key=lambda p: p.name)
    except OSError:
        return []
    prefix = f"{folder}/" if folder else ""
    found = []
    for entry in entries:
        if not entry.name.startswith(start) or entry.name.startswith("."):
            continue
        if entry.is_dir():
            found.append((f"{prefix}{entry.name}/", None))
        elif entry.suffix.lower() in suffixes:
            found.append((f"{prefix}{entry.name}", None))
    return found


def spreadsheets(ctx: Any, incomplete: str) -> Completion:
    """`visites import FICHIER`: workbooks and csv files."""
    return _files(incomplete, (".xlsx", ".xlsm", ".csv"))


def mappings(ctx: Any, incomplete: str) -> Completion:
    return _files(incomplete, (".yaml", ".yml"))


def sheets(ctx: Any, incomplete: str) -> Completion:
    """The sheets of the workbook named before `--sheet` on the command line."""
    # Before its value is parsed (a TAB), the file is still among the context's arguments.
    given = [ctx.params.get("source"), *getattr(ctx, "args", ())]
    source = next((str(a) for a in given if a and str(a).lower().endswith((".xlsx", ".xlsm"))),
                  None)  # fmt: skip
    if source is None:
        return []
    try:
        from openpyxl import load_workbook

        book = load_workbook(source, read_only=True)
        names = list(book.sheetnames)
        book.close()
    except Exception:  # a TAB never fails: a file that does not open completes nothing
        return []
    return _starting(incomplete, ((name, None) for name in names))


# Option (or argument name) → what completes its value. « COMMAND OPTION » rows win over
# « OPTION » rows (`costs --by` groups, `event --by` names an author).
COMPLETERS: dict[str, Callable[[Any, str], Completion]] = {
    "ID": case_ids,
    "suivi|ID": export_targets,
    "MODÈLE": _fixed(_vocabulary("DOCUMENT_LABELS")),
    "SHELL": _fixed(lambda: [(shell, None) for shell in SHELLS]),
    "--commune": communes,
    "--problem": problem_domains,
    "--measure": measures,
    "--outcome": outcomes,
    "--referent": referents,
    "--by": referents,
    "status --referent": everyone,
    "costs --by": _fixed(_vocabulary("GROUPING_LABELS")),
    "--kind": event_kinds,
    "--context": _fixed(_vocabulary("CONTEXT_LABELS")),
    "--mode": _fixed(_vocabulary("MODE_LABELS")),
    "--to": _fixed(_vocabulary("OUTCOME_LABELS")),
    "--phase": _fixed(_phases),
    "rdv --kind": _fixed(_vocabulary("APPOINTMENT_LABELS")),
    "referent NOM": referents,
    "referent --from": everyone,
    "referent --to": referents,
    "--typology": typologies,
    "--priority": _fixed(_vocabulary("PRIORITY_LABELS")),
    "--housing": _fixed(_vocabulary("HOUSING_LABELS")),
    "--partner": partners,
    "--add": partners,
    "--end": partners,
    "import FICHIER": spreadsheets,
    "import --mapping": mappings,
    "import --sheet": sheets,
}


def attach(command: Any) -> None:
    """Give each parameter of `command` its completion from `COMPLETERS` (only when a shell
    asks: an ordinary run never builds these)."""
    from visites.cli.typer_adapter import set_completer

    for param in command.params:
        names = [param.metavar] if param.param_type_name == "argument" else list(param.opts)
        for name in names:
            complete = COMPLETERS.get(f"{command.name} {name}") or COMPLETERS.get(name or "")
            if complete is not None:
                set_completer(param, complete)
                break
