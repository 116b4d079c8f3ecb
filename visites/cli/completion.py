"""Shell completion (bash, zsh, fish): the `completion` command, which prints or installs the
script. The script runs `visites` with `_VISITES_COMPLETE` set at each TAB; `app.main` then
answers through click's completion protocol (`typer_adapter.shell_complete`), the values from
`cli/completers.py`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from visites.cli.app import app, examples


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
    from visites.cli.completers import SHELLS
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
