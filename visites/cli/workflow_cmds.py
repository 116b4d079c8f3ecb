"""Commands that move a case through its life: one case read, one case written."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from visites.cli.app import (
    DateOption,
    JsonOption,
    app,
    author,
    day,
    examples,
    fact_day,
    folder,
    listed,
    print_json,
    today,
)

if TYPE_CHECKING:
    from datetime import date as Date

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


def _done(case_id: str, what: str) -> None:
    typer.echo(f"Dossier {case_id} : {what}.")


@app.command(
    "new-referral",
    short_help="Enregistrer une fiche de liaison : crée un dossier",
    epilog=examples(
        'visites new-referral --household "Famille Koné" --commune Rezé --context entree \\',
        '    --referrer "Mme Lebrun" --date 16/02/2015 --referent "Claire Dubois"',
        "visites new-referral        (sur un terminal : chaque champ est demandé)",
    ),
)
def new_referral(
    ctx: typer.Context,
    household: Annotated[
        str | None, typer.Option(help="Nom du ménage, tel qu'écrit sur la fiche.")
    ] = None,
    commune: Annotated[
        str | None, typer.Option(help="Commune du logement (liste de visites.yaml).")
    ] = None,
    new_commune: Annotated[
        bool,
        typer.Option(
            "--new-commune",
            help="La commune n'est pas dans la liste : l'y ajouter "
            "(visites.yaml, dans le même enregistrement).",
        ),
    ] = False,  # fmt: skip
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
        str | None,
        typer.Option(metavar="JJ/MM/AAAA", help="Date butoir (commission d'attribution…)."),
    ] = None,
    referent: Annotated[
        str | None, typer.Option(help="Référent(e) de l'association (liste de visites.yaml).")
    ] = None,
    new_referent: Annotated[
        bool,
        typer.Option(
            "--new-referent",
            help="Le/la référent(e) n'est pas dans la liste : l'y "
            "ajouter (visites.yaml, dans le même enregistrement).",
        ),
    ] = False,  # fmt: skip
    landlord_ref: Annotated[
        str | None, typer.Option("--landlord-ref", help="Référence du bail chez le bailleur.")
    ] = None,
    address: Annotated[str | None, typer.Option(help="Adresse du logement.")] = None,
    phone: Annotated[str | None, typer.Option(help="Téléphone du ménage.")] = None,
    typology: Annotated[
        str | None, typer.Option(help="Typologie du ménage (liste de visites.yaml).")
    ] = None,
    size: Annotated[
        int | None, typer.Option(help="Nombre de personnes du ménage (1 à 20).")
    ] = None,
    priority: Annotated[
        list[str] | None,
        typer.Option(
            "--priority", help="Public prioritaire (répétable) : dalo, accord-collectif, pdalpd."
        ),
    ] = None,
    no_priority: Annotated[
        bool, typer.Option("--no-priority", help="Le ménage ne relève d'aucun public prioritaire.")
    ] = False,
    housing: Annotated[
        str | None, typer.Option(help="Type de logement : T1, T2, T3, T4, T5 ou T6+.")
    ] = None,
    from_file: Annotated[
        Path | None,
        typer.Option(
            "--from",
            metavar="FICHE",
            help="Fiche de liaison remplie (YAML, voir templates/fiche-de-liaison.yaml), ou un "
            "dossier de fiches : toutes enregistrées, ou aucune si l'une est invalide.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Enregistrer une fiche de liaison (orientation reçue du bailleur) : crée un dossier.
    Sur un terminal, sans les options obligatoires, chaque champ de la fiche est demandé."""
    from visites import profile
    from visites.cli import asking
    from visites.referral_fields import FIELDS, FormState, summary
    from visites.services import referrals

    target = folder(ctx)
    lists = target.config.lists
    chosen = {
        "typology": profile.typology(typology, lists) if typology is not None else None,
        "size": profile.size(size) if size is not None else None,
        "priorities": profile.priorities(priority or [], no_priority),
        "housing": profile.housing(housing) if housing is not None else None,
    }
    open_to_new = {name for name, flag in (("communes", new_commune),
                                           ("referents", new_referent)) if flag}  # fmt: skip
    if from_file is not None:
        created = referrals.referrals_from_path(target, from_file, today(), open_to_new)
        for case in created:
            _warn(target, case)
        if as_json:
            shown = [_created_json(target, case) for case in created]
            print_json(shown if from_file.is_dir() else shown[0])
        else:
            for case in created:
                typer.echo(case.id)
        return
    given = {
        "household": household, "commune": commune, "context": context, "referrer": referrer,
        "date": date, "reason": reason, "deadline": deadline, "referent": referent,
        "landlord_ref": landlord_ref, "address": address, "phone": phone,
    }  # fmt: skip
    state = FormState(lists, today(), open_to_new=open_to_new)
    if asking.fill(FIELDS, given, state):
        from visites.cli.publics_cmds import ask_profile, profile_summary

        chosen = ask_profile(chosen, lists)
        typer.echo("\nFiche de liaison :")
        lines = summary(state) + profile_summary(chosen)
        width = max(len(label) for label, _ in lines)
        for label, value in lines:
            typer.echo(f"  {label:<{width}}  {value}")
        if not asking.confirm("Créer le dossier ?", default=True):
            raise typer.Abort()
    form = referrals.ReferralForm(
        **state.answers,
        typology=chosen["typology"],
        size=chosen["size"],
        priorities=chosen["priorities"] or (),
        housing=chosen["housing"],
    )
    case = referrals.new_referral(target, form, today(), state.additions)
    _warn(target, case)
    if as_json:
        print_json(_created_json(target, case))
    else:
        typer.echo(case.id)


def _warn(target: Folder, case: Case) -> None:
    """What `check` would warn about the new case (a commune or referent out of the lists),
    and the household's earlier cases (« ménage déjà connu »)."""
    from visites.checks import validate_case
    from visites.errors import WARNING
    from visites.known import Earlier, warning

    for finding in validate_case(case, target.config):
        if finding.severity == WARNING:
            typer.echo(f"avertissement : dossier {case.id} : {finding.message}", err=True)
    for known in case.known_before:
        earlier = warning(Earlier(known.case_id, known.closed_on))
        typer.echo(f"avertissement : dossier {case.id} : {earlier}", err=True)


def _created_json(target: Folder, case: Case) -> dict[str, object]:
    from visites.deadlines import due

    deadline = due(case, target.config)
    return {
        "id": case.id,
        "phase": case.phase.value,
        "due": deadline.date.isoformat() if deadline else None,
        "file": str(target.path_of(case.id)),
        "known_before": [
            {"id": k.case_id, "closed_on": k.closed_on.isoformat()} for k in case.known_before
        ],
    }


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
