"""Commands that move a case through its life: one case read, one case written."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from visites.cli.app import (
    DateOption,
    JsonOption,
    app,
    author,
    day,
    folder,
    optional_day,
    print_json,
    today,
)

if TYPE_CHECKING:
    from visites.model import Case
    from visites.store import Folder

IdArgument = Annotated[
    str, typer.Argument(metavar="ID", help="Identifiant du dossier (ex. 2015-007).")
]
ByOption = Annotated[
    str | None,
    typer.Option("--by", help="Auteur (sinon $VISITES_USER, sinon le/la référent(e)).",
                 show_default=False),
]  # fmt: skip

# new-referral: option → question asked on a terminal when it is missing.
REQUIRED_REFERRAL = {
    "household": ("--household", "Ménage (nom tel qu'écrit sur la fiche)"),
    "commune": ("--commune", "Commune"),
    "context": ("--context", "Contexte (entree : entrée dans les lieux ; en-cours : location)"),
    "referrer": ("--referrer", "Prescripteur (personne du bailleur)"),
}


def _done(case_id: str, what: str) -> None:
    typer.echo(f"Dossier {case_id} : {what}.")


@app.command("new-referral", short_help="Enregistrer une fiche de liaison : crée un dossier")
def new_referral(
    ctx: typer.Context,
    household: Annotated[
        str | None, typer.Option(help="Nom du ménage, tel qu'écrit sur la fiche.")
    ] = None,
    commune: Annotated[str | None, typer.Option(help="Commune du logement.")] = None,
    context: Annotated[
        str | None,
        typer.Option(help="entree (entrée dans les lieux) ou en-cours (en cours de location)."),
    ] = None,
    referrer: Annotated[
        str | None, typer.Option(help="Prescripteur : la personne du bailleur qui oriente.")
    ] = None,
    date: DateOption = None,
    reason: Annotated[str | None, typer.Option(help="Motif de l'orientation.")] = None,
    deadline: Annotated[
        str | None, typer.Option(help="Date butoir (commission d'attribution…).")
    ] = None,
    referent: Annotated[str | None, typer.Option(help="Référent(e) de l'association.")] = None,
    landlord_ref: Annotated[
        str | None, typer.Option("--landlord-ref", help="Référence du bail chez le bailleur.")
    ] = None,
    address: Annotated[str | None, typer.Option(help="Adresse du logement.")] = None,
    phone: Annotated[str | None, typer.Option(help="Téléphone du ménage.")] = None,
    from_file: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="Fiche de liaison remplie (YAML, voir templates/fiche-de-liaison.yaml), ou un "
            "dossier de fiches : toutes enregistrées, ou aucune si l'une est invalide.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Enregistrer une fiche de liaison (orientation reçue du bailleur) : crée un dossier."""
    from visites import fiches, service
    from visites.errors import UsageProblem

    target = folder(ctx)
    if from_file is not None and from_file.is_dir():
        created = fiches.referrals_from_path(target, from_file, today())
        if as_json:
            print_json([_created_json(target, case) for case in created])
        else:
            for case in created:
                typer.echo(case.id)
        return
    if from_file is not None:
        case = fiches.referral_from_file(target, from_file, today())
    else:
        given = {
            "household": household,
            "commune": commune,
            "context": context,
            "referrer": referrer,
        }
        missing = [name for name, value in given.items() if not value]
        if missing and not sys.stdin.isatty():
            flags = ", ".join(REQUIRED_REFERRAL[name][0] for name in missing)
            raise UsageProblem(f"informations manquantes : {flags} (ou --from FICHIER)")
        for name in missing:
            given[name] = typer.prompt(REQUIRED_REFERRAL[name][1], prompt_suffix=" : ").strip()
        form = service.ReferralForm(
            household=given["household"] or "",
            commune=given["commune"] or "",
            context=given["context"] or "",
            referrer=given["referrer"] or "",
            date=day(date, "--date", today()),
            reason=reason,
            deadline=optional_day(deadline, "--deadline"),
            referent=referent,
            landlord_ref=landlord_ref,
            address=address,
            phone=phone,
        )
        case = service.new_referral(target, form, today())
    _warn(target, case)
    if as_json:
        print_json(_created_json(target, case))
    else:
        typer.echo(case.id)


def _warn(target: Folder, case: Case) -> None:
    """What `check` would warn about the new case (a commune or referent out of the lists)."""
    from visites.checks import validate_case
    from visites.errors import WARNING

    for finding in validate_case(case, target.config):
        if finding.severity == WARNING:
            typer.echo(f"avertissement : dossier {case.id} : {finding.message}", err=True)


def _created_json(target: Folder, case: Case) -> dict[str, str | None]:
    from visites.deadlines import due

    deadline = due(case, target.config)
    return {
        "id": case.id,
        "phase": case.phase.value,
        "due": deadline.date.isoformat() if deadline else None,
        "file": str(target.path_of(case.id)),
    }


@app.command(short_help="Adhésion du ménage (ou refus, avec --refused)")
def consent(
    ctx: typer.Context,
    case_id: IdArgument,
    date: DateOption = None,
    mode: Annotated[str, typer.Option(help="tripartite ou courrier.")] = "tripartite",
    refused: Annotated[
        bool, typer.Option("--refused", help="Le ménage refuse : le dossier est clôturé.")
    ] = False,
    share: Annotated[
        bool,
        typer.Option(
            "--share", help="Le ménage accepte les échanges entre bailleur et association."
        ),
    ] = False,
    notice: Annotated[
        str | None,
        typer.Option(
            "--notice",
            help="Date de remise de la notice d'information RGPD (visites document ID "
            "notice-rgpd) ; par défaut la date d'adhésion.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Enregistrer l'adhésion du ménage (ou son refus, avec --refused)."""
    from visites import service
    from visites.errors import UsageProblem
    from visites.workflow import Consent, Refuse

    when = day(date, "--date", today())
    informed = None if notice is None else day(notice, "--notice")
    if refused:
        if informed is not None:
            raise UsageProblem("--notice accompagne une adhésion, pas un refus (--refused)")
        service.move(folder(ctx), case_id, Refuse(date=when), today())
        _done(case_id, "refus enregistré, dossier clôturé")
        return
    if mode not in ("tripartite", "courrier"):
        raise UsageProblem(f"--mode « {mode} » inconnu ; valeurs possibles : tripartite, courrier")
    change = Consent(date=when, mode=mode, consent_to_share=when if share else None,
                     notice=informed)  # fmt: skip
    service.move(folder(ctx), case_id, change, today())
    _done(case_id, "adhésion enregistrée, diagnostic ouvert")


@app.command(short_help="Compléter le diagnostic social")
def diagnose(
    ctx: typer.Context,
    case_id: IdArgument,
    problem: Annotated[
        list[str] | None,
        typer.Option("--problem", help="Problématique (répétable), de la liste de visites.yaml."),
    ] = None,
    situation: Annotated[
        str | None, typer.Option(help="Situation familiale, sociale et financière.")
    ] = None,
    levers: Annotated[
        str | None, typer.Option(help="Potentialités et leviers de mobilisation.")
    ] = None,
    network: Annotated[str | None, typer.Option(help="Réseau et liens du ménage.")] = None,
) -> None:
    """Compléter le diagnostic social (problématiques, situation, leviers, réseau)."""
    from visites import service
    from visites.workflow import Diagnose

    change = Diagnose(
        problems=tuple(problem or ()), situation=situation, levers=levers, network=network
    )
    service.move(folder(ctx), case_id, change, today())
    _done(case_id, "diagnostic complété")


@app.command()
def orient(
    ctx: typer.Context,
    case_id: IdArgument,
    to: Annotated[
        str,
        typer.Option("--to", help="sans-suite, remobilisation, accompagnement ou droit-commun."),
    ],
    measure: Annotated[
        str | None,
        typer.Option(help="Mesure de droit commun (ASLL, AVDL, MASP…), avec droit-commun."),
    ] = None,
    date: DateOption = None,
    recommendations: Annotated[
        str | None, typer.Option("--recommendations", help="Préconisations.")
    ] = None,
    outcome: Annotated[
        str | None, typer.Option(help="Issue, quand l'orientation clôt le dossier.")
    ] = None,
) -> None:
    """Décider l'orientation qui termine le diagnostic."""
    from visites import service
    from visites.errors import UsageProblem
    from visites.model import Outcome
    from visites.vocabulary import OUTCOME_LABELS
    from visites.workflow import Orient

    try:
        target = Outcome(to)
    except ValueError:
        allowed = ", ".join(o.value for o in Outcome)
        raise UsageProblem(f"--to « {to} » inconnu ; valeurs possibles : {allowed}") from None
    change = Orient(
        date=day(date, "--date", today()),
        to=target,
        measure=measure,
        recommendations=recommendations,
        outcome=outcome,
    )
    case = service.move(folder(ctx), case_id, change, today())
    closed = "" if target is Outcome.ACCOMPAGNEMENT else ", dossier clôturé"
    _done(case.id, f"orientation {OUTCOME_LABELS[target]}{closed}")


@app.command()
def renew(
    ctx: typer.Context,
    case_id: IdArgument,
    date: DateOption = None,
    months: Annotated[
        int | None, typer.Option(help="Durée jusqu'à la prochaine révision (mois).")
    ] = None,
) -> None:
    """Renouveler l'accompagnement : la prochaine révision tombe N mois plus tard."""
    from visites import service
    from visites.dates import short
    from visites.deadlines import next_review
    from visites.errors import UsageProblem
    from visites.workflow import Renew

    target = folder(ctx)
    period = months if months is not None else target.config.deadlines.review_months
    if not 1 <= period <= 60:
        raise UsageProblem("--months : entre 1 et 60 mois")
    case = service.move(
        target, case_id, Renew(date=day(date, "--date", today()), months=period), today()
    )
    review = short(next_review(case, target.config))
    _done(case.id, f"accompagnement renouvelé, prochaine révision le {review}")


@app.command()
def close(
    ctx: typer.Context,
    case_id: IdArgument,
    date: DateOption = None,
    outcome: Annotated[str | None, typer.Option(help="Issue (liste de visites.yaml).")] = None,
) -> None:
    """Clôturer un dossier : fin de l'accompagnement, ou arrêt anticipé."""
    from visites import service
    from visites.appointments import ahead_of
    from visites.workflow import Close

    when = day(date, "--date", today())
    cancelled: list[int] = []

    def closing(case: Case) -> Close:
        cancelled.extend(ahead_of(case, when))  # the closure cancels them
        return Close(date=when, outcome=outcome)

    service.move(folder(ctx), case_id, closing, today())
    if cancelled:
        numbers = ", ".join(f"n° {n}" for n in cancelled)
        typer.echo(f"avertissement : dossier {case_id} : rendez-vous à venir annulés "
                   f"({numbers})", err=True)  # fmt: skip
    _done(case_id, "dossier clôturé")


@app.command()
def event(
    ctx: typer.Context,
    case_id: IdArgument,
    kind: Annotated[
        str,
        typer.Option(
            "--kind", help="visite, tripartite, telephone, courrier, entretien ou absence."
        ),
    ],
    date: DateOption = None,
    note: Annotated[str | None, typer.Option(help="Note (confidentielle).")] = None,
    by: ByOption = None,
) -> None:
    """Ajouter un événement à la chronologie du dossier."""
    from visites import service
    from visites.errors import UsageProblem
    from visites.model import EVENT_KINDS

    if kind not in EVENT_KINDS:
        raise UsageProblem(
            f"--kind « {kind} » inconnu ; valeurs possibles : {', '.join(EVENT_KINDS)}"
        )
    target = folder(ctx)
    when = day(date, "--date", today())
    service.add_event(target, case_id, kind, when, note, author(by), today())
    _done(case_id, "événement ajouté")
