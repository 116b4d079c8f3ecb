"""Shell completion (bash, zsh, fish): the `completion` command, and what each TAB completes.

The shell script (`visites completion bash`) runs `visites` with `_VISITES_COMPLETE` set;
`app.main` then answers through click's completion protocol (`typer_adapter.shell_complete`).
Commands and options complete by themselves; the values are completed by `COMPLETERS`, one
row per option (or argument name) anywhere in the app: `--commune` completes the communes of
visites.yaml in every command that has it. A new command's options complete as soon as they
use a name of the table; a new kind of value is one row here.

Each TAB is a new process: case IDs come from the file names (one directory listing, never a
parse), list values from visites.yaml. What was typed is matched as people type it: « coue »
completes « Couëron ».
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, Any

import typer

from visites.cli.app import app, examples

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


def event_kinds(ctx: Any, incomplete: str) -> Completion:
    from visites.model import EVENT_KINDS
    from visites.vocabulary import EVENT_LABELS

    return _starting(incomplete, _labelled(EVENT_KINDS, EVENT_LABELS))


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


def export_targets(ctx: Any, incomplete: str) -> Completion:
    suivi = [("suivi", "tableau de suivi pour le bailleur")]
    suivi = suivi if "suivi".startswith(incomplete) else []
    return suivi + case_ids(ctx, incomplete)


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
    "costs --by": _fixed(lambda: [("month", "par mois"), ("referent", "par référent(e)"),
                                  ("commune", "par commune")]),  # fmt: skip
    "--kind": event_kinds,
    "--context": _fixed(_vocabulary("CONTEXT_LABELS")),
    "--mode": _fixed(_vocabulary("MODE_LABELS")),
    "--to": _fixed(_vocabulary("OUTCOME_LABELS")),
    "--phase": _fixed(_phases),
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


def _install(shell: str, script: str) -> Path:
    """Write the script where `shell` finds it, and source it from the rc file (once)."""
    from visites.store import atomic_write

    home = Path.home()
    if shell == "fish":  # fish loads ~/.config/fish/completions/* by itself
        target = home / ".config" / "fish" / "completions" / "visites.fish"
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, script.encode())
        return target
    target = home / f".{shell}_completions" / "visites.sh"
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, script.encode())
    rc = home / f".{shell}rc"
    line = f"source '{target}'"
    text = rc.read_text(encoding="utf-8") if rc.is_file() else ""
    if line not in text.splitlines():
        ending = "" if not text or text.endswith("\n") else "\n"
        with rc.open("a", encoding="utf-8") as out:
            out.write(f"{ending}# complétion de visites\n{line}\n")
    return target


@app.command(
    short_help="Complétion des commandes dans le shell (bash, zsh, fish)",
    epilog=examples("visites completion --install", "visites completion bash >> ~/.bashrc"),
)
def completion(
    shell: Annotated[
        str | None,
        typer.Argument(
            metavar="SHELL",
            help="bash, zsh ou fish (par défaut : le shell de $SHELL).",
            show_default=False,
        ),
    ] = None,
    install: Annotated[
        bool,
        typer.Option(
            "--install",
            help="Installer la complétion pour ce shell (~/.bashrc, ~/.zshrc, ou le dossier "
            "des complétions de fish) au lieu d'afficher le script.",
        ),
    ] = False,
) -> None:
    """Afficher (ou installer) le script de complétion du shell : les commandes, les options,
    les identifiants des dossiers et les valeurs des listes (communes, problématiques…) se
    complètent avec la touche Tab."""
    from visites import environment
    from visites.cli.typer_adapter import completion_script
    from visites.errors import UsageProblem

    chosen = shell or environment.login_shell() or ""
    if chosen not in SHELLS:
        raise UsageProblem(f"shell « {chosen} » non pris en charge ; possibles : bash, zsh, fish")
    script = completion_script("visites", environment.COMPLETE, chosen)
    if not install:
        typer.echo(script)
        return
    target = _install(chosen, script)
    typer.echo(f"Complétion {chosen} installée : {target}.")
    if chosen != "fish":
        typer.echo(f"Elle sera active dans les nouveaux terminaux (ou : source ~/.{chosen}rc).")
