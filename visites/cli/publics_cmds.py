"""Who the programme reaches: the household's profile and the partners mobilised around it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any

import typer

from visites.cli.app import (
    DateOption,
    HousingOption,
    NoPriorityOption,
    SizeOption,
    TypologyOption,
    app,
    day,
    examples,
    folder,
    today,
)

if TYPE_CHECKING:
    from visites.config import Lists
    from visites.model import Household

# new-referral, on a terminal: the household's profile, asked after the required questions.
# An empty answer leaves it « non renseigné ».
PROFILE_QUESTIONS = {
    "typology": "Typologie du ménage ({values} ; vide : non renseignée)",
    "size": "Nombre de personnes du ménage (1 à 20 ; vide : non renseigné)",
    "priorities": "Publics prioritaires ({values}, ou aucun ; vide : non renseigné)",
    "housing": "Type de logement ({values} ; vide : non renseigné)",
}


IdArgument = Annotated[
    str, typer.Argument(metavar="ID", help="Identifiant du dossier (ex. 2015-007).")
]


@app.command(
    short_help="Profil du ménage : typologie, taille, publics prioritaires, logement",
    epilog=examples(
        "visites household 2015-002 --typology famille-monoparentale --size 3 --housing T3",
        "visites household 2015-002 --no-priority",
    ),
)
def household(
    ctx: typer.Context,
    case_id: IdArgument,
    typology: TypologyOption = None,
    size: SizeOption = None,
    priority: Annotated[
        list[str] | None,
        typer.Option(
            "--priority",
            help="Public prioritaire (répétable) : dalo, accord-collectif, pdalpd. Remplace "
            "ceux déjà enregistrés.",
        ),
    ] = None,
    no_priority: NoPriorityOption = False,
    housing: HousingOption = None,
) -> None:
    """Compléter ou corriger le profil du ménage : typologie, taille, publics prioritaires,
    type de logement."""
    from visites import profile
    from visites.services import cases
    from visites.workflow import SetProfile

    target = folder(ctx)
    lists = target.config.lists
    change = SetProfile(
        typology=profile.typology(typology, lists) if typology is not None else None,
        size=profile.size(size) if size is not None else None,
        priorities=profile.priorities(priority or [], no_priority),
        housing=profile.housing(housing) if housing is not None else None,
    )
    case = cases.move(target, case_id, change, today())
    typer.echo(f"Dossier {case.id} : profil du ménage enregistré ({_profile(case.household)}).")


def _profile(h: Household) -> str:
    """The profile in words: « famille monoparentale, 3 personnes, PDALPD, T3 »."""
    from visites.vocabulary import (
        HOUSING_LABELS,
        NOT_RECORDED,
        PRIORITY_LABELS,
        TYPOLOGY_LABELS,
        label,
        labels,
    )

    return ", ".join([
        label(TYPOLOGY_LABELS, h.typology) if h.typology else f"typologie {NOT_RECORDED}e",
        f"{h.size} personne{'s' if h.size > 1 else ''}" if h.size else f"taille {NOT_RECORDED}e",
        " et ".join(labels(PRIORITY_LABELS, h.priorities))
        if h.priorities else f"publics prioritaires {NOT_RECORDED}s",
        label(HOUSING_LABELS, h.housing) if h.housing else f"logement {NOT_RECORDED}",
    ])  # fmt: skip


@app.command(
    short_help="Partenaire mobilisé autour du ménage (--add, --end)",
    epilog=examples(
        'visites partner 2015-002 --add CAF --date 03/02/2015 --note "Dossier APL."',
        "visites partner 2015-002 --end CAF --date 14/04/2015",
    ),
)
def partner(
    ctx: typer.Context,
    case_id: IdArgument,
    add: Annotated[
        str | None,
        typer.Option(
            "--add",
            help="Partenaire mobilisé à partir de --date (liste de "
            "visites.yaml : CAF, CCAS, CMS…).",
            show_default=False,
        ),
    ] = None,  # fmt: skip
    end: Annotated[
        str | None,
        typer.Option(
            "--end", help="Partenaire dont le suivi se termine à --date.", show_default=False
        ),
    ] = None,  # fmt: skip
    date: DateOption = None,
    note: Annotated[
        str | None, typer.Option(help="Note (confidentielle), avec --add.", show_default=False)
    ] = None,
) -> None:
    """Noter un partenaire mobilisé autour du ménage (--add), ou la fin de son suivi (--end) :
    daté, répétable, confidentiel."""
    from visites import profile
    from visites.dates import short
    from visites.errors import UsageProblem
    from visites.services import cases
    from visites.vocabulary import PARTNER_LABELS, label
    from visites.workflow import AddPartner, EndPartner

    if (add is None) == (end is None):
        raise UsageProblem("donnez --add PARTENAIRE ou --end PARTENAIRE (l'un des deux)")
    if end is not None and note is not None:
        raise UsageProblem("--note va avec --add (la note décrit la mobilisation du partenaire)")
    target = folder(ctx)
    lists = target.config.lists
    when = day(date, "--date", today())
    if add is not None:
        code = profile.partner(add, lists, "--add")
        cases.move(target, case_id, AddPartner(code, when, note or None), today())
        typer.echo(f"Dossier {case_id} : partenaire {label(PARTNER_LABELS, code)} mobilisé "
                   f"depuis le {short(when)}.")  # fmt: skip
        return
    code = profile.partner(end or "", lists, "--end")
    cases.move(target, case_id, EndPartner(code, when), today())
    typer.echo(f"Dossier {case_id} : fin du suivi par {label(PARTNER_LABELS, code)} le "
               f"{short(when)}.")  # fmt: skip


def ask_profile(chosen: dict[str, Any], lists: Lists) -> dict[str, Any]:
    """`new-referral` on a terminal: the profile values not given as options, asked one by
    one after the required questions; a wrong answer is asked again, an empty one leaves
    the value unknown."""
    from visites import profile
    from visites.errors import UsageProblem

    def priorities(answer: str) -> tuple[str, ...] | None:
        words = answer.replace(",", " ").split()
        chosen = [w for w in words if w != profile.NO_PRIORITY]
        if chosen and profile.NO_PRIORITY in words:
            raise UsageProblem("« aucun » ne va pas avec un public prioritaire : l'un ou l'autre")
        return profile.priorities(chosen, profile.NO_PRIORITY in words)

    convert = {
        "typology": lambda answer: profile.typology(answer, lists),
        "size": lambda answer: profile.size(_persons(answer)),
        "priorities": priorities,
        "housing": profile.housing,
    }
    values = {
        "typology": ", ".join(lists.typologies),
        "priorities": ", ".join(profile.PRIORITIES),
        "housing": ", ".join(profile.HOUSING_TYPES),
    }
    asked = dict(chosen)
    for name, question in PROFILE_QUESTIONS.items():
        if chosen[name] is not None:
            continue
        text = question.format(values=values.get(name, ""))
        while answer := typer.prompt(text, default="", show_default=False,
                                     prompt_suffix=" : ").strip():  # fmt: skip
            try:
                asked[name] = convert[name](answer)
                break
            except UsageProblem as error:  # said as the fiche's questions say it, no option
                typer.echo(f"  {re.sub(r'^--[a-z-]+ ', '', error.message)}", err=True)
    return asked


def profile_summary(chosen: dict[str, Any]) -> list[tuple[str, str]]:
    """The profile in the summary `new-referral` shows before it creates the case."""
    from visites.vocabulary import HOUSING_LABELS, PRIORITY_LABELS, TYPOLOGY_LABELS, label

    shown = {
        "typology": lambda code: label(TYPOLOGY_LABELS, code),
        "size": str,
        "priorities": lambda codes: ", ".join(label(PRIORITY_LABELS, c) for c in codes),
        "housing": lambda code: label(HOUSING_LABELS, code),
    }
    return [
        (question.split(" (")[0], "—" if chosen[name] in (None, ()) else shown[name](chosen[name]))
        for name, question in PROFILE_QUESTIONS.items()
    ]


def _persons(answer: str) -> int:
    from visites.errors import UsageProblem

    if not answer.isdigit():
        raise UsageProblem(f"« {answer} » : un nombre de personnes est attendu (1 à 20)")
    return int(answer)
