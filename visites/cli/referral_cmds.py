"""`visites new-referral`: a fiche de liaison recorded as a new case (typed as options, asked
on a terminal field by field, or read from files with --from)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from visites.cli.app import (
    DateOption,
    HousingOption,
    JsonOption,
    NoPriorityOption,
    SizeOption,
    TypologyOption,
    app,
    examples,
    folder,
    print_json,
    today,
)

if TYPE_CHECKING:
    from visites.model import Case
    from visites.store import Folder


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
    typology: TypologyOption = None,
    size: SizeOption = None,
    priority: Annotated[
        list[str] | None,
        typer.Option(
            "--priority", help="Public prioritaire (répétable) : dalo, accord-collectif, pdalpd."
        ),
    ] = None,
    no_priority: NoPriorityOption = False,
    housing: HousingOption = None,
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
        summaries, _ = target.summaries(closed=True)
        for case in created:
            _warn(target, case, referrals.open_cases(target, _identity(case), summaries, case.id))
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
    asked = asking.fill(FIELDS, given, state)
    if asked:
        from visites.cli.publics_cmds import ask_profile, profile_summary

        chosen = ask_profile(chosen, lists)
        typer.echo("\nFiche de liaison :")
        lines = summary(state) + profile_summary(chosen)
        width = max(len(label) for label, _ in lines)
        for label, value in lines:
            typer.echo(f"  {label:<{width}}  {value}")
    form = referrals.ReferralForm(
        **state.answers,
        typology=chosen["typology"],
        size=chosen["size"],
        priorities=chosen["priorities"] or (),
        housing=chosen["housing"],
    )
    already = referrals.open_cases(target, (form.landlord_ref, form.household, form.address))
    if already:  # a second open case is most often the same fiche recorded twice
        from visites.known import open_warning

        typer.echo(f"avertissement : {open_warning(already)}", err=True)
    if asked or (already and asking.terminal()):
        question = "Créer quand même ?" if already else "Créer le dossier ?"
        if not asking.confirm(question, default=not already):
            raise typer.Abort()
    case = referrals.new_referral(target, form, today(), state.additions)
    _warn(target, case)
    if as_json:
        print_json(_created_json(target, case))
    else:
        typer.echo(case.id)


def _identity(case: Case) -> tuple[str | None, str | None, str | None]:
    return case.referral.landlord_ref, case.household.name, case.household.address


def _warn(target: Folder, case: Case, already: tuple[str, ...] = ()) -> None:
    """What `check` would warn about the new case (a commune or referent out of the lists),
    the household's earlier cases (« ménage déjà connu ») and its open ones (`already`)."""
    from visites.checks import validate_case
    from visites.errors import WARNING
    from visites.known import Earlier, open_warning, warning

    if already:
        typer.echo(f"avertissement : dossier {case.id} : {open_warning(already)}", err=True)

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
