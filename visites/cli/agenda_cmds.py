"""Appointments, the agenda (terminal, json, ics), the day view and the groupe de suivi's pack."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from visites.cli.app import JsonOption, app, author, day, examples, folder, print_json, today

if TYPE_CHECKING:
    from visites.agenda import AgendaItem
    from visites.services.agenda import Planned
    from visites.store import Folder

_MOVE = re.compile(r"(?P<day>\S+)(?:[ T]+(?P<time>\S.*))?")


def appointment_kind(text: str) -> str:
    """The kind typed after --kind, as a code of the list (one place, so that tolerant
    matching can replace exact matching here alone)."""
    from visites import matching
    from visites.cli.app import listed
    from visites.model import APPOINTMENT_KINDS

    return listed("--kind", matching.appointment_kind, text, APPOINTMENT_KINDS)


def _clock(text: str, option: str) -> str:
    from visites.agenda import parse_clock
    from visites.errors import UsageProblem

    try:
        return parse_clock(text)
    except ValueError as error:
        raise UsageProblem(f"{option} : {error}") from None


@app.command(
    short_help="Planifier un rendez-vous ; l'annuler ou le déplacer",
    epilog=examples(
        "visites rdv 2015-007 --date 10/02/2015 --time 14:30",
        'visites rdv 2015-007 1 --move "12/02/2015 10:00"',
    ),
)
def rdv(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Argument(metavar="ID", help="Identifiant du dossier.")],
    number: Annotated[
        int | None,
        typer.Argument(
            metavar="N",
            help="Numéro du rendez-vous (pour --cancel ou --move).",
            show_default=False,
        ),
    ] = None,  # fmt: skip
    date_text: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="Jour du rendez-vous (AAAA-MM-JJ ou JJ/MM/AAAA) ; il peut être à venir.",
            show_default=False,
        ),
    ] = None,  # fmt: skip
    time_text: Annotated[
        str | None, typer.Option("--time", help="Heure (HH:MM).", show_default=False)
    ] = None,
    kind: Annotated[
        str, typer.Option("--kind", help="visite, tripartite, entretien ou telephone.")
    ] = "visite",
    place: Annotated[
        str | None, typer.Option("--place", help="Lieu (confidentiel).", show_default=False)
    ] = None,
    duration: Annotated[int, typer.Option("--duration", help="Durée en minutes.")] = 60,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="Qui s'y rend (sinon le/la référent(e) du dossier ce jour-là).",
            show_default=False,
        ),
    ] = None,  # fmt: skip
    cancel: Annotated[bool, typer.Option("--cancel", help="Annuler le rendez-vous N.")] = False,
    move: Annotated[
        str | None,
        typer.Option(
            "--move", help="Déplacer le rendez-vous N : « DATE HH:MM ».", show_default=False
        ),
    ] = None,  # fmt: skip
    note: Annotated[
        str | None, typer.Option("--note", help="Note (confidentielle).", show_default=False)
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Planifier un rendez-vous (visite à domicile, rencontre tripartite…) ; avec N,
    l'annuler (--cancel) ou le déplacer (--move)."""
    from visites.errors import UsageProblem
    from visites.services import agenda as planner

    target = folder(ctx)
    if number is None:
        if cancel or move is not None:
            raise UsageProblem("--cancel et --move demandent le numéro du rendez-vous : "
                               f"visites rdv {case_id} N --cancel")  # fmt: skip
        if date_text is None or time_text is None:
            raise UsageProblem("un rendez-vous demande --date et --time (ex. --date "
                               "2015-02-03 --time 14:30)")  # fmt: skip
        if not 5 <= duration <= 720:
            raise UsageProblem("--duration : entre 5 et 720 minutes")
        planned = planner.plan(
            target,
            case_id,
            day=day(date_text, "--date"),
            time=_clock(time_text, "--time"),
            kind=appointment_kind(kind),
            duration=duration,
            place=place,
            note=note,
            by=by,
            today=today(),
        )
        _said(planned, as_json, "prévu")
        return
    if cancel == (move is not None):
        raise UsageProblem(f"rendez-vous {number} : indiquez --cancel ou --move « DATE HH:MM »")
    typed = {"--date": date_text, "--time": time_text, "--place": place}
    given = [flag for flag, value in typed.items() if value is not None]
    given += ["--kind"] * (kind != "visite") + ["--duration"] * (duration != 60)
    if given:
        raise UsageProblem(f"{', '.join(given)} : seulement pour un nouveau rendez-vous")
    if cancel:
        case = planner.cancel(target, case_id, number, note, author(by), today())
        if as_json:
            print_json({"id": case.id, "rdv": number, "status": "cancelled"})
        else:
            typer.echo(f"Dossier {case.id} : rendez-vous n° {number} annulé.")
        return
    if note is not None:
        raise UsageProblem("--note : seulement pour un nouveau rendez-vous ou avec --cancel")
    assert move is not None
    when, at = _moved_to(target, case_id, number, move)
    planned = planner.move(target, case_id, number, when, at, author(by), today())
    _said(planned, as_json, "déplacé")


def _moved_to(target: Folder, case_id: str, number: int, text: str) -> tuple[date, str]:
    """« DATE HH:MM », or « DATE » alone (same time)."""
    from visites.appointments import appointment
    from visites.errors import UsageProblem

    match = _MOVE.fullmatch(text.strip())
    if match is None:
        raise UsageProblem(f"--move « {text} » : attendu « 2015-02-10 14:30 »")
    when = day(match["day"], "--move")
    if match["time"] is not None:
        return when, _clock(match["time"], "--move")
    return when, appointment(target.read(case_id).case, number).time


def _said(planned: Planned, as_json: bool, what: str) -> None:
    from visites.agenda import describe
    from visites.dates import short

    item = planned.item
    for other in planned.overlaps:
        typer.echo(
            f"avertissement : {item.person} a déjà un rendez-vous à ce moment : "
            f"{describe(other)}, {other.duration} min",
            err=True,
        )
    if as_json:
        overlaps = [{"id": o.case_id, "rdv": o.number} for o in planned.overlaps]
        print_json({"id": item.case_id, "rdv": item.number, "overlaps": overlaps})
        return
    who = f", {item.person}" if item.person else ""
    typer.echo(
        f"Dossier {item.case_id} : rendez-vous n° {item.number} {what} le {short(item.day)} "
        f"à {item.time} ({item.label}, {item.duration} min{who})."
    )


# ---------------------------------------------------------------------------- agenda


@app.command(
    short_help="L'agenda : rendez-vous et échéances, jour par jour ; --ics",
    epilog=examples(
        'visites agenda --from 09/02/2015 --days 14 --referent "Claire Dubois"',
        "visites agenda --ics ~/agenda-visites.ics",
    ),
)
def agenda(
    ctx: typer.Context,
    from_text: Annotated[
        str | None,
        typer.Option("--from", help="Premier jour (par défaut aujourd'hui).", show_default=False),
    ] = None,
    days: Annotated[int, typer.Option("--days", help="Nombre de jours.")] = 7,
    referent: Annotated[
        str | None,
        typer.Option(
            "--referent",
            help="Seulement cette personne (rendez-vous où elle va, échéances de ses dossiers).",
            show_default=False,
        ),
    ] = None,  # fmt: skip
    ics: Annotated[
        Path | None,
        typer.Option(
            "--ics",
            help="Écrire un fichier iCalendar (.ics) à importer dans un "
            "agenda (Thunderbird, Outlook, téléphone).",
            show_default=False,
        ),
    ] = None,  # fmt: skip
    with_names: Annotated[
        bool,
        typer.Option(
            "--with-names",
            help="--ics : ajouter les noms des ménages et les lieux "
            "(l'agenda est souvent synchronisé hors de l'association).",
        ),
    ] = False,  # fmt: skip
    as_json: JsonOption = False,
) -> None:
    """Les rendez-vous et les échéances (adhésion, diagnostic, révision, date butoir), jour
    par jour : aujourd'hui et les 6 jours suivants par défaut."""
    from visites.agenda import same_person, window
    from visites.errors import UsageProblem
    from visites.render.terminal import print_problems

    if not 1 <= days <= 366:
        raise UsageProblem("--days : entre 1 et 366 jours")
    if with_names and ics is None:
        raise UsageProblem("--with-names ne sert qu'avec --ics FICHIER")
    if ics is not None and ics.suffix.lower() != ".ics":
        raise UsageProblem(f"--ics {ics} : extension attendue .ics")
    start = day(from_text, "--from", today())
    end = start + timedelta(days=days - 1)
    target = folder(ctx)
    summaries, problems = target.summaries(closed=False)
    rows = target.agenda(start, end)
    print_problems([p for p in problems if p.is_error], brief=True)
    names = {s.id: s.household for s in summaries}
    if referent is not None:  # a part of a name, or typed without accents, as for `status`
        from visites.cli.folder_cmds import referents_named

        held = {n for s in summaries for n in (s.referent, *(h.name for h in s.handovers)) if n}
        named = referents_named(target, referent, held | {i.person for i in rows if i.person})
        rows = [i for i in rows if any(same_person(i.person, name) for name in named)]
        referent = named[0] if len(named) == 1 else referent  # as the list writes it
    if ics is not None:
        _write_ics(target, ics, rows, names if with_names else None)
        return
    shown = window(rows, start, days)
    if as_json:
        print_json([i.as_json() for i in shown])
        return
    from visites.render.agenda import print_agenda

    print_agenda(shown, names, start, days, referent, today())


def _write_ics(
    target: Folder,
    output: Path,
    chosen: list[AgendaItem],
    names: dict[str, str] | None,
) -> None:
    """The calendar file: every appointment of the window (cancelled ones too, so that an
    import marks the old event cancelled) and every deadline; names and places only when
    asked (`names` given)."""
    from visites.agenda import CANCELLED
    from visites.cli.output import write_document
    from visites.render.ics import calendar

    places = _places(target, chosen) if names is not None else {}
    if names is not None:
        typer.echo(
            "avertissement : le fichier contient les noms des ménages et les lieux des "
            "rendez-vous ; un agenda synchronisé les copie hors de l'association.",
            err=True,
        )
    write_document(output, calendar(chosen, target.config.programme, names or {}, places))
    appointments = sum(1 for i in chosen if i.type == "rdv" and i.state != CANCELLED)
    cancelled = sum(1 for i in chosen if i.state == CANCELLED)
    deadlines = len(chosen) - appointments - cancelled
    from visites.render.numbers import plural, quantity

    also = f" (et {cancelled} {plural(cancelled, 'annulé')})" if cancelled else ""
    typer.echo(f"Agenda écrit : {output} — {appointments} rendez-vous{also}, "
               f"{quantity(deadlines, 'échéance')}.")  # fmt: skip


def _places(target: Folder, items: list[AgendaItem]) -> dict[tuple[str, int], str]:
    """The places of the appointments (confidential: not in the index), read from their
    cases: only with --with-names."""
    found: dict[tuple[str, int], str] = {}
    for case_id in sorted({i.case_id for i in items if i.type == "rdv"}):
        case = target.read(case_id).case
        for number, appointment in enumerate(case.appointments, 1):
            if appointment.place:
                found[(case_id, number)] = appointment.place
    return found


# ---------------------------------------------------------------------------- groupe de suivi

GROUPE_FORMATS = {".md": "md", ".html": "html", ".docx": "docx"}


@app.command(
    short_help="Ordre du jour du groupe de suivi (md, html, docx)",
    epilog=examples(
        "visites groupe --date 15/06/2015 --output groupe.html",
        "visites groupe --date 15/06/2015 --output groupe.docx --final",
    ),
)
def groupe(
    ctx: typer.Context,
    date_text: Annotated[
        str | None,
        typer.Option(
            "--date", help="Date de la réunion (par défaut aujourd'hui).", show_default=False
        ),
    ] = None,  # fmt: skip
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Depuis quand (par défaut la dernière réunion "
            "enregistrée par --final, sinon un mois avant).",
            show_default=False,
        ),
    ] = None,  # fmt: skip
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            help="Fichier : .md, .html ou .docx (sans --output : le texte s'affiche).",
            show_default=False,
        ),
    ] = None,  # fmt: skip
    final: Annotated[
        bool,
        typer.Option(
            "--final",
            help="Version définitive : la date de la réunion est "
            "enregistrée (groupe-de-suivi.txt) et sert de --since à la suivante.",
        ),
    ] = False,  # fmt: skip
) -> None:
    """L'ordre du jour du groupe de suivi : orientations reçues, retards, diagnostics et
    révisions à venir, accompagnements longs, clôtures ; construit des seuls champs du
    tableau de suivi."""
    from visites.cli.output import every_case, write_document
    from visites.dates import add_months
    from visites.errors import UsageProblem
    from visites.groupe import pack
    from visites.services import agenda as planner

    fmt = "md"
    if output is not None:
        fmt = GROUPE_FORMATS.get(output.suffix.lower(), "")
        if not fmt:
            raise UsageProblem(f"--output {output} : extension attendue .md, .html ou .docx")
    meeting = day(date_text, "--date", today())
    target = folder(ctx)
    held = [d for d in planner.meetings(target) if d < meeting]
    if since is not None:
        start, basis = day(since, "--since"), "given"
    elif held:
        start, basis = held[-1], "meeting"
    else:
        start, basis = add_months(meeting, -1), "month"
    if start > meeting:
        raise UsageProblem(f"--since {start.isoformat()} : après la date de la réunion")
    cases = every_case(target, "ordre du jour non produit")
    built = pack(cases, target.config, meeting, start, basis, final=final)
    from visites.render import groupe as render

    content = render.document(built, fmt, target.config)
    if output is None:
        typer.echo(content.decode("utf-8"), nl=False)
    else:
        write_document(output, content)
        typer.echo(f"Groupe de suivi du {meeting.strftime('%d/%m/%Y')} : {output} écrit"
                   + (" (version définitive)." if final else " (projet)."))  # fmt: skip
    if final:
        planner.record_meeting(target, meeting)
        typer.echo(f"Réunion du {meeting.strftime('%d/%m/%Y')} enregistrée : le prochain "
                   "ordre du jour partira de cette date.", err=output is None)  # fmt: skip
