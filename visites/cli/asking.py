"""Questions on a terminal, in French: yes/no confirmations and forms asked field by field.

Every confirmation of the command line goes through `confirm` (or `confirmed`, for the
irreversible ones that `--yes` answers in scripts): `[o/N]` or `[O/n]`, « o », « oui », « n »,
« non » in any case, anything else asked again in French. A form (`new-referral`) is a table
of fields (`visites.referral_fields`); `fill` takes each from its option or asks it, and a
bad answer is asked again at once, the answers already given kept.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

from visites.errors import UsageProblem, VisitesError

if TYPE_CHECKING:
    from visites.referral_fields import Field, FormState

YES = frozenset({"o", "oui", "y", "yes"})
NO = frozenset({"n", "non", "no"})


def terminal() -> bool:
    """Whether a person can answer (standard input is a terminal)."""
    return sys.stdin.isatty()


def confirm(question: str, default: bool = False) -> bool:
    """Ask a yes/no question: `[o/N]` (no by default) or `[O/n]`. Asked again until the
    answer is yes or no; end of input (Ctrl-D) or Ctrl-C abandons (exit 1)."""
    choices = "[O/n]" if default else "[o/N]"
    while True:
        answer = typer.prompt(
            f"{question} {choices}", default="", show_default=False, prompt_suffix=" "
        )
        word = answer.strip().casefold()
        if not word:
            return default
        if word in YES:
            return True
        if word in NO:
            return False
        typer.echo("Répondez « o » (oui) ou « n » (non).", err=True)


def confirmed(question: str, yes: bool) -> None:
    """Before an irreversible change: go on when `--yes` was given or the person answers
    yes (`[o/N]`); otherwise abandon (exit 1). Without a terminal only `--yes` confirms."""
    if yes:
        return
    if not terminal():
        raise VisitesError("confirmation impossible sans terminal : relancez avec --yes")
    if not confirm(question, default=False):
        raise typer.Abort()


def fill(fields: tuple[Field, ...], given: dict[str, str | None], state: FormState) -> bool:
    """Fill `state.answers`, field by field in table order: from its option when given (a bad
    value is a usage error naming the option), else asked on a terminal (a bad answer asked
    again: when a required one is missing, every field not given is asked), else its default.
    Without a terminal, missing required fields are a usage error listing their options.
    True when questions were asked (the caller then shows a summary to confirm)."""
    from visites.referral_fields import refusal

    asking = terminal()
    absent = [f for f in fields if f.required and f.default is None and not given.get(f.name)]
    if absent and not asking:
        flags = ", ".join(f.option for f in absent)
        raise UsageProblem(f"informations manquantes : {flags} (ou --from FICHIER)")
    for item in fields:  # the options first: a wrong one stops before any question
        text = given.get(item.name)
        if text is not None:
            try:
                state.answers[item.name] = item.parse(text, state)
            except ValueError as error:
                raise UsageProblem(f"{item.option} : {refusal(error, item)}") from None
    interactive = asking and bool(absent)  # all given: a script on a terminal, no question
    for item in fields:
        if item.name in state.answers:
            continue
        if interactive:
            state.answers[item.name] = ask(item, state)
        elif item.default is not None:
            state.answers[item.name] = item.parse(item.default(state), state)
        else:
            state.answers[item.name] = None
    return interactive


def ask(item: Field, state: FormState) -> object:
    """One field asked until its answer is right; an empty optional answer is None. A value
    its open list lacks may be added to visites.yaml, once the person says so."""
    from visites.matching import Unmatched
    from visites.referral_fields import OPEN_LISTS, refusal

    default = item.default(state) if item.default is not None else ""
    while True:
        text = typer.prompt(
            item.question(state), default=default, show_default=bool(default), prompt_suffix=" : "
        ).strip()
        if not text:
            if not item.required:
                return None
            typer.echo("  Réponse obligatoire.", err=True)
            continue
        try:
            return item.parse(text, state)
        except Unmatched as error:
            typer.echo(f"  {refusal(error, item, terminal=True)}", err=True)
            if not error.open_list and error.suggestions and error.allowed:
                typer.echo(f"  Valeurs possibles : {', '.join(error.allowed)}.", err=True)
            if not (error.open_list and item.open_list and not error.suggestions):
                continue
            known = ", ".join(error.allowed)
            if known:
                typer.echo(f"  Dans la liste : {known}.", err=True)
            where = OPEN_LISTS[item.open_list]
            if confirm(f"Ajouter « {error.typed} » aux {where} de visites.yaml ?", default=False):
                state.open_to_new.add(item.open_list)
                try:
                    return item.parse(text, state)
                finally:
                    state.open_to_new.discard(item.open_list)
        except ValueError as error:
            typer.echo(f"  {refusal(error, item, terminal=True)}", err=True)
