"""The `document` command: a letter, a convocation, the avis to the landlord, an attestation."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from visites.cli.app import DateOption, app, author, day, examples, fact_day, folder, listed, today

if TYPE_CHECKING:
    from datetime import date

    from visites.documents.kinds import Meeting
    from visites.store import Folder

_MEETING = re.compile(r"(?P<day>\S+)(?:[ T]+(?P<hour>\d{1,2})\s*[:hH]\s*(?P<minute>\d{2})?)?")


@app.command(
    short_help="Produire un courrier ou l'avis au bailleur pour un dossier",
    epilog=examples(
        "visites document 2015-002 avis-bailleur --output avis.docx",
        'visites document 2015-007 convocation-tripartite --meeting "20/01/2015 14:30" \\',
        '    --place "à l\'agence Nantes Nord" --output convocation.html',
    ),
)
def document(
    ctx: typer.Context,
    case_id: Annotated[
        str, typer.Argument(metavar="ID", help="Identifiant du dossier (ex. 2015-007).")
    ],
    kind: Annotated[
        str,
        typer.Argument(
            metavar="MODÈLE",
            help="courrier-proposition, convocation-tripartite, avis-bailleur, "
            "attestation-accompagnement, projet-accompagnement ou notice-rgpd.",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Fichier à écrire : .md, .html ou .docx (le format suit l'extension). "
            "Sans --output : le texte (markdown) s'affiche.",
            show_default=False,
        ),
    ] = None,
    date: DateOption = None,
    meeting: Annotated[
        str | None,
        typer.Option(
            "--meeting",
            help="Convocation : date et heure de la rencontre (« 2015-01-20 14:30 »).",
            show_default=False,
        ),
    ] = None,
    place: Annotated[
        str | None,
        typer.Option("--place", help="Convocation : lieu de la rencontre.", show_default=False),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="Auteur de l'événement (sinon $VISITES_USER, sinon le/la référent(e)).",
            show_default=False,
        ),
    ] = None,  # fmt: skip
    preview: Annotated[
        bool,
        typer.Option("--preview", help="Produire sans enregistrer l'événement « courrier »."),
    ] = False,
) -> None:
    """Produire un document pour un dossier, depuis les modèles (templates/) ; il est noté
    comme événement « courrier » du dossier."""
    from visites import matching
    from visites.documents.kinds import check_kind
    from visites.render.documents import format_of
    from visites.services import documents as produce
    from visites.vocabulary import DOCUMENT_LABELS

    kind = listed("MODÈLE", matching.document, kind)
    check_kind(kind)
    fmt = format_of(output)
    when = day(date, "--date", today()) if preview else fact_day(date, "--date", today())
    if kind == "convocation-tripartite" and meeting is None:
        rendezvous: Meeting | None = _planned_meeting(folder(ctx), case_id, when, place)
    else:
        rendezvous = _meeting(kind, meeting, place)
    lacking: list[str] = []
    content = produce.produce_document(
        folder(ctx),
        case_id,
        kind,
        when,
        today(),
        fmt=fmt,
        output=output,
        meeting=rendezvous,
        by=author(by),
        record=not preview,
        warnings=lacking,
    )
    for warning in lacking:
        typer.echo(f"attention : {warning}", err=True)
    recorded = "" if preview else " ; événement « courrier » ajouté"
    if output is None:
        typer.echo(content.decode("utf-8"), nl=False)
        typer.echo(f"Dossier {case_id} : {DOCUMENT_LABELS[kind]}{recorded}.", err=True)
    else:
        typer.echo(f"Dossier {case_id} : {output} écrit ({DOCUMENT_LABELS[kind]}){recorded}.")


def _planned_meeting(target: Folder, case_id: str, when: date, place: str | None) -> Meeting:
    """Without --meeting, the convocation announces the case's next planned tripartite
    appointment on or after the document's date, at its place unless --place is given."""
    from datetime import time

    from visites.appointments import next_tripartite
    from visites.documents.kinds import Meeting
    from visites.errors import UsageProblem

    planned = next_tripartite(target.read(case_id).case, when)
    if planned is None:
        raise UsageProblem(
            f"dossier {case_id} : convocation-tripartite : aucune rencontre tripartite prévue "
            f"à partir du {when.strftime('%d/%m/%Y')} ; planifiez-la (visites rdv {case_id} "
            "--kind tripartite --date … --time … --place …) ou indiquez --meeting et --place"
        )
    chosen = (place or "").strip() or planned.place
    if not chosen:
        raise UsageProblem(
            f"dossier {case_id} : la rencontre tripartite du "
            f"{planned.date.strftime('%d/%m/%Y')} n'a pas de lieu : indiquez --place LIEU"
        )
    hour, minute = (int(part) for part in planned.time.split(":"))
    return Meeting(date=planned.date, time=time(hour, minute), place=chosen)


def _meeting(kind: str, when: str | None, place: str | None) -> Meeting | None:
    """The rencontre of a convocation, from --meeting and --place."""
    from datetime import time

    from visites.documents.kinds import Meeting
    from visites.errors import UsageProblem

    if kind != "convocation-tripartite":
        if when is not None or place is not None:
            raise UsageProblem("--meeting et --place ne servent qu'à convocation-tripartite")
        return None
    if when is None or not (place or "").strip():
        raise UsageProblem(
            "convocation-tripartite : indiquez la rencontre avec --meeting « DATE HH:MM » "
            "et --place LIEU"
        )
    match = _MEETING.fullmatch(when.strip())
    if match is None:
        raise UsageProblem(f"--meeting « {when} » : attendu « 2015-01-20 14:30 » ou une date")
    at = None
    if match["hour"] is not None:
        hour, minute = int(match["hour"]), int(match["minute"] or 0)
        if hour > 23 or minute > 59:
            raise UsageProblem(f"--meeting « {when} » : heure impossible")
        at = time(hour, minute)
    return Meeting(date=day(match["day"], "--meeting"), time=at, place=(place or "").strip())
