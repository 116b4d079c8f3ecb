"""Commands that move a case through its life: one case read, one case written."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from visites.cli.app import (
    DateOption,
    app,
    author,
    day,
    examples,
    fact_day,
    folder,
    listed,
    today,
)

if TYPE_CHECKING:
    from datetime import date as Date

    from visites.model import Case

IdArgument = Annotated[
    str, typer.Argument(metavar="ID", help="Identifiant du dossier (ex. 2015-007).")
]
ByOption = Annotated[
    str | None,
    typer.Option("--by", help="Auteur (sinon $VISITES_USER, sinon le/la référent(e)).",
                 show_default=False),
]  # fmt: skip


def _done(case_id: str, what: str) -> None:
    typer.echo(f"Dossier {case_id} : {what}.")


@app.command(
    short_help="Adhésion du ménage (ou refus, avec --refused)",
    epilog=examples(
        "visites consent 2015-005 --date 02/03/2015 --mode courrier --share",
        "visites consent 2015-004 --refused --date 20/02/2015",
    ),
)
def consent(
    ctx: typer.Context,
    case_id: IdArgument,
    date: DateOption = None,
    mode: Annotated[
        str, typer.Option(help="tripartite (rencontre tripartite) ou courrier (du bailleur).")
    ] = "tripartite",
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
    from visites import matching
    from visites.errors import UsageProblem
    from visites.services import cases
    from visites.workflow import Consent, Refuse

    when = fact_day(date, "--date", today())
    informed = None if notice is None else day(notice, "--notice")
    if refused:
        if informed is not None:
            raise UsageProblem("--notice accompagne une adhésion, pas un refus (--refused)")
        cases.move(folder(ctx), case_id, Refuse(date=when), today())
        _done(case_id, "refus enregistré, dossier clôturé")
        return
    how = listed("--mode", matching.mode, mode)
    change = Consent(date=when, mode=how, consent_to_share=when if share else None,
                     notice=informed)  # fmt: skip
    cases.move(folder(ctx), case_id, change, today())
    _done(case_id, "adhésion enregistrée, diagnostic ouvert")


@app.command(
    short_help="Compléter le diagnostic social",
    epilog=examples(
        'visites diagnose 2015-005 --problem "accès aux droits" --problem santé \\',
        '    --situation "Dossier CAF incomplet."',
    ),
)
def diagnose(
    ctx: typer.Context,
    case_id: IdArgument,
    problem: Annotated[
        list[str] | None,
        typer.Option(
            "--problem",
            help="Problématique (répétable), de la liste de visites.yaml : son code (sante) "
            "ou son nom (« Accès aux droits »).",
        ),
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
    from visites import matching
    from visites.services import cases
    from visites.workflow import Diagnose

    target = folder(ctx)
    lists = target.config.lists
    problems = tuple(listed("--problem", matching.problem_domain, p, lists) for p in problem or ())
    change = Diagnose(problems=problems, situation=situation, levers=levers, network=network)
    cases.move(target, case_id, change, today())
    _done(case_id, "diagnostic complété")


@app.command(
    epilog=examples(
        "visites orient 2015-001 --to accompagnement --date 10/03/2015",
        'visites orient 2015-003 --to "droit commun" --measure ASLL \\',
        '    --outcome "relais droit commun"',
    ),
)
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
    from visites import matching
    from visites.model import Outcome
    from visites.services import cases
    from visites.vocabulary import OUTCOME_LABELS
    from visites.workflow import Orient

    to_outcome = listed("--to", matching.orientation, to)
    target = folder(ctx)
    lists = target.config.lists
    change = Orient(
        date=fact_day(date, "--date", today()),
        to=to_outcome,
        measure=None if measure is None else listed("--measure", matching.measure, measure, lists),
        recommendations=recommendations,
        outcome=None if outcome is None else listed(
            "--outcome", matching.closure_outcome, outcome, lists
        ),
    )  # fmt: skip
    case = cases.move(target, case_id, change, today())
    closed = "" if to_outcome is Outcome.ACCOMPAGNEMENT else ", dossier clôturé"
    _done(case.id, f"orientation {OUTCOME_LABELS[to_outcome]}{closed}")


@app.command(epilog=examples("visites renew 2015-001 --date 15/05/2015 --months 3"))
def renew(
    ctx: typer.Context,
    case_id: IdArgument,
    date: DateOption = None,
    months: Annotated[
        int | None, typer.Option(help="Durée jusqu'à la prochaine révision (mois).")
    ] = None,
) -> None:
    """Renouveler l'accompagnement : la prochaine révision tombe N mois plus tard."""
    from visites.dates import short
    from visites.deadlines import next_review
    from visites.errors import UsageProblem
    from visites.services import cases
    from visites.workflow import Renew

    target = folder(ctx)
    period = months if months is not None else target.config.deadlines.review_months
    if not 1 <= period <= 60:
        raise UsageProblem("--months : entre 1 et 60 mois")
    case = cases.move(
        target, case_id, Renew(date=fact_day(date, "--date", today()), months=period), today()
    )
    review = short(next_review(case, target.config))
    _done(case.id, f"accompagnement renouvelé, prochaine révision le {review}")
    from visites.cli.project_cmds import print_objectives

    print_objectives(case)


@app.command(
    epilog=examples('visites close 2015-010 --date 10/06/2015 --outcome "rupture ou abandon"')
)
def close(
    ctx: typer.Context,
    case_id: IdArgument,
    date: DateOption = None,
    outcome: Annotated[str | None, typer.Option(help="Issue (liste de visites.yaml).")] = None,
) -> None:
    """Clôturer un dossier : fin de l'accompagnement, ou arrêt anticipé."""
    from visites import matching
    from visites.appointments import ahead_of
    from visites.services import cases
    from visites.workflow import Close

    target = folder(ctx)
    issue = None
    if outcome is not None:
        issue = listed("--outcome", matching.closure_outcome, outcome, target.config.lists)
    when = fact_day(date, "--date", today())
    cancelled: list[int] = []

    def closing(case: Case) -> Close:
        cancelled.extend(ahead_of(case, when))  # the closure cancels them
        return Close(date=when, outcome=issue)

    case = cases.move(target, case_id, closing, today())
    if cancelled:
        numbers = ", ".join(f"n° {n}" for n in cancelled)
        typer.echo(f"avertissement : dossier {case_id} : rendez-vous à venir annulés "
                   f"({numbers})", err=True)  # fmt: skip
    _done(case_id, "dossier clôturé")
    from visites.cli.project_cmds import print_objectives

    print_objectives(case, closing=True)


@app.command(
    epilog=examples(
        'visites event 2015-009 --kind absence --date 05/05/2015 --note "Pas de réponse."',
        "visites event 2015-009 --kind téléphone",
    ),
)
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
    partner: Annotated[
        str | None,
        typer.Option(
            "--partner", help="Partenaire avec qui l'événement a lieu (CAF, CCAS…, confidentiel)."
        ),
    ] = None,
) -> None:
    """Ajouter un événement à la chronologie du dossier."""
    from visites import matching, profile
    from visites.errors import UsageProblem
    from visites.model import CONTACT_KINDS, HANDOVER_EVENT
    from visites.services import cases

    if kind == HANDOVER_EVENT:  # written by the handover itself, with the list of référent(e)s
        raise UsageProblem(
            f"--kind {kind} : un changement de référent(e) s'enregistre avec "
            f"« visites referent {case_id} NOM »"
        )
    kind = listed("--kind", matching.event_kind, kind, CONTACT_KINDS)
    target = folder(ctx)
    code = profile.partner(partner, target.config.lists) if partner is not None else None
    when = fact_day(date, "--date", today())
    case = cases.add_event(target, case_id, kind, when, note, author(by), today(), code)
    _done(case_id, "événement ajouté")
    _warn_partner(case, code, when)


def _warn_partner(case: Case, code: str | None, when: Date) -> None:
    """An event with a partner that is not mobilised that day: said, not refused."""
    from visites.checks import involved
    from visites.vocabulary import PARTNER_LABELS, label

    if code is not None and not involved(case, code, when):
        typer.echo(
            f"avertissement : dossier {case.id} : {label(PARTNER_LABELS, code)} n'est pas noté "
            f"comme partenaire mobilisé ce jour-là (visites partner {case.id} --add {code})",
            err=True,
        )
