"""Commands of the shared history: history, undo, sync, edit, and what git calls back
(merge-file, pre-commit-check)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Annotated

import typer

from visites.cli.app import app, author, examples, folder

IdArgument = Annotated[
    str, typer.Argument(metavar="ID", help="Identifiant du dossier (ex. 2015-007).")
]
ByOption = Annotated[
    str | None,
    typer.Option("--by", help="Auteur de l'enregistrement (sinon $VISITES_USER, sinon git).",
                 show_default=False),
]  # fmt: skip


@app.command(epilog=examples("visites history 2015-002"))
def history(ctx: typer.Context, case_id: IdArgument) -> None:
    """Chronologie d'un dossier d'après git : date, auteur, ce qui a changé."""
    from visites.render.numbers import quantity
    from visites.services import history as history_service

    steps = history_service.history(folder(ctx), case_id)
    typer.echo(f"Historique du dossier {case_id} ({quantity(len(steps), 'enregistrement')}) :")
    for step in steps:
        when = step.when.strftime("%d/%m/%Y %H:%M")
        mark = "" if step.by_visites else " [hors visites]"
        typer.echo(f"{when}  {step.author}{mark}")
        for change in step.changes:
            typer.echo(f"    {change}")


@app.command(
    short_help="Annuler le dernier enregistrement fait par visites",
    epilog=examples("visites undo", "visites undo --yes"),
)
def undo(
    ctx: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", help="Ne pas demander confirmation.")] = False,
    by: ByOption = None,
) -> None:
    """Annuler le dernier enregistrement fait par visites (par un nouvel enregistrement)."""
    from visites.cli import asking
    from visites.render.numbers import plural
    from visites.services import history as history_service

    target = folder(ctx)
    last = history_service.last_commit(target)
    typer.echo(f"Dernier enregistrement : {last.subject}")
    typer.echo(f"  par {last.author}, le {last.when.strftime('%d/%m/%Y à %H:%M')}")
    typer.echo(f"  {plural(len(last.files), 'fichier')} : {', '.join(last.files)}")
    asking.confirmed("Annuler cet enregistrement ?", yes)
    history_service.undo(target, last, author(by))
    typer.echo("Enregistrement annulé (l'annulation figure dans l'historique).")


ListOption = list[str] | None


@app.command(
    short_help="Synchroniser avec le dépôt de l'équipe (récupérer, fusionner, envoyer)",
    epilog=examples(
        "visites sync",
        'visites sync --by "Claire Dubois"',
        "visites sync --accept-erasure 2015-003",
        "visites sync --keep-as-new 2015-003",
        "visites sync --theirs visites.yaml",
        "visites sync --abort",
    ),
)
def sync(
    ctx: typer.Context,
    by: ByOption = None,
    accept_erasure: Annotated[
        ListOption,
        typer.Option(
            "--accept-erasure",
            metavar="ID",
            help="Dossier effacé d'un côté, modifié de l'autre : garder l'effacement "
            "(les modifications de ce dossier sont abandonnées).",
        ),
    ] = None,
    keep_as_new: Annotated[
        ListOption,
        typer.Option(
            "--keep-as-new",
            metavar="ID",
            help="Dossier effacé d'un côté, modifié de l'autre : garder la version "
            "modifiée comme un nouveau dossier (nouveau numéro) ; l'effacement reste.",
        ),
    ] = None,
    mine: Annotated[
        ListOption,
        typer.Option(
            "--mine",
            metavar="FICHIER",
            help="Fichier en conflit (visites.yaml, modèle) : garder votre version.",
        ),
    ] = None,
    theirs: Annotated[
        ListOption,
        typer.Option(
            "--theirs",
            metavar="FICHIER",
            help="Fichier en conflit : garder la version de l'équipe.",
        ),
    ] = None,
    abort: Annotated[
        bool,
        typer.Option(
            "--abort", help="Abandonner la fusion en cours (vos enregistrements restent)."
        ),
    ] = False,
) -> None:
    """Synchroniser avec le dépôt de l'équipe : récupérer, fusionner, vérifier, envoyer."""
    from visites.cli import sync_report
    from visites.services.sync import engine
    from visites.services.sync import report as syncreport

    choices = syncreport.Choices(
        accept_erasure=tuple(accept_erasure or ()), keep_as_new=tuple(keep_as_new or ()),
        mine=tuple(mine or ()), theirs=tuple(theirs or ()), abort=abort,
    )  # fmt: skip
    report = engine.sync(folder(ctx), author(by), choices)
    out, err = sync_report.lines(report)
    for line in out:
        typer.echo(line)
    for line in err:
        typer.echo(line, err=True)
    if not report.ok:
        raise typer.Exit(1)


def _case_name(name: str) -> str:
    from visites.store import CASE_FILE

    match = CASE_FILE.fullmatch(Path(name).name)
    return f"dossier {match.group(1)} ({name})" if match else name


@app.command(
    short_help="Modifier un dossier dans l'éditeur, vérifié à l'enregistrement",
    epilog=examples("visites edit 2015-007", "EDITOR=nano visites edit 2015-007"),
)
def edit(ctx: typer.Context, case_id: IdArgument, by: ByOption = None) -> None:
    """Modifier un dossier dans l'éditeur ($VISUAL, $EDITOR, sinon nano ou vi), avec
    vérification à l'enregistrement : un fichier invalide n'est jamais écrit."""
    import tempfile

    from visites.cli import asking
    from visites.errors import VisitesError
    from visites.services import history as history_service
    from visites.services.sync import recovery
    from visites.store import refuse_read_only

    target = folder(ctx)
    path = target.path_of(case_id)
    refuse_read_only(path, case_id)  # before the editor opens: no edit made for nothing
    recovery.recover_before_reading(target)  # a sync killed halfway: edit the file as it really is
    try:
        original = path.read_bytes()
    except FileNotFoundError:
        raise VisitesError(f"dossier {case_id} introuvable dans {target.root}") from None
    command = _editor()
    fd, name = tempfile.mkstemp(dir=target.root, prefix=f".visites-tmp-edit-{case_id}-",
                                suffix=".yaml")  # fmt: skip
    copy = Path(name)
    with os.fdopen(fd, "wb") as out:
        out.write(original)
    text = original.decode("utf-8", "replace")
    while True:
        if subprocess.run([*command, str(copy)], check=False).returncode != 0:
            _abandon(copy, original, "l'éditeur a signalé un abandon")
        edited = history_service.without_errors(copy.read_text(encoding="utf-8", errors="replace"))
        raw = edited.encode("utf-8")
        if raw == original:
            copy.unlink()
            typer.echo(f"Dossier {case_id} : aucune modification.")
            return
        problems = history_service.edit_problems(target, case_id, raw)
        if not problems:
            break
        for problem in problems:
            if problem.is_error:
                typer.echo(f"erreur : {problem}", err=True)
        text = edited
        copy.write_text(history_service.with_errors(text, problems), encoding="utf-8")
        if not asking.terminal() or not asking.confirm("Rouvrir l'éditeur ?", default=True):
            copy.write_text(text, encoding="utf-8")  # keep the user's text, without our block
            _abandon(copy, original, "modification invalide")
    try:
        history_service.save_edit(target, case_id, original, raw, author(by))
    except VisitesError as error:
        raise VisitesError(f"{error} ; votre version est gardée dans {copy}") from None
    copy.unlink()
    typer.echo(f"Dossier {case_id} : modification enregistrée.")


def _editor() -> list[str]:
    from visites.errors import VisitesError

    for variable in ("VISUAL", "EDITOR"):
        if value := os.environ.get(variable, "").strip():
            return shlex.split(value)
    for fallback in ("nano", "vi"):
        if found := shutil.which(fallback):
            return [found]
    raise VisitesError("aucun éditeur trouvé : définissez $EDITOR (ex. export EDITOR=nano)")


def _abandon(copy: Path, original: bytes, why: str) -> None:
    from visites.errors import VisitesError

    if copy.read_bytes() == original:
        copy.unlink()
        raise VisitesError(f"{why} : dossier inchangé")
    raise VisitesError(f"{why} : dossier inchangé ; votre texte est gardé dans {copy}")


@app.command(
    "merge-file",
    short_help="Pilote de fusion git des dossiers (appelé par git)",
    epilog=examples(
        "(appelé par git, déclaré par visites init dans .git/config :)",
        "visites merge-file %O %A %B %P",
    ),
)
def merge_file(
    base: Annotated[Path, typer.Argument(metavar="BASE", help="Version commune (%O).")],
    ours: Annotated[
        Path, typer.Argument(metavar="LOCALE", help="Version locale (%A), reçoit le résultat.")
    ],
    theirs: Annotated[Path, typer.Argument(metavar="DISTANTE", help="Version distante (%B).")],
    name: Annotated[str | None, typer.Argument(metavar="NOM", help="Nom du fichier (%P).")] = None,
) -> None:
    """Pilote de fusion git des dossiers (installé par visites init) : champ par champ."""
    from visites.services.sync import mergedriver

    result = mergedriver.merge_file(base, ours, theirs)
    shown = _case_name(name) if name else str(ours)
    for conflict in result.conflicts:
        typer.echo(f"visites : conflit dans {shown} sur « {conflict.path} »", err=True)
    if result.textual and not result.clean:
        typer.echo(f"visites : {shown} illisible d'un côté, fusion ligne à ligne", err=True)
    if not result.clean:
        raise typer.Exit(1)


@app.command("pre-commit-check", hidden=True)
def pre_commit_check() -> None:
    """Appelé par le hook pre-commit : vérifie les dossiers indexés."""
    from visites.services import history as history_service

    problems = history_service.staged_problems(Path.cwd())
    for problem in problems:
        typer.echo(f"erreur : {problem}", err=True)
    if problems:
        typer.echo(
            "Enregistrement refusé : corrigez ces dossiers (visites edit ID), puis recommencez.",
            err=True,
        )
        raise typer.Exit(1)
