"""`visites import`: bring an existing tableau de suivi in (xlsx or csv), all or nothing.

The terminal shows the rows by number and the cases by ID; a dry run's first cases show
their household, as `visites status` does on the association's own terminal.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from visites.cli.app import JsonOption, app, examples, folder, print_json, today

if TYPE_CHECKING:
    from visites.import_differences import Difference
    from visites.services.importing import Plan


@app.command(
    "import",
    short_help="Reprendre un tableau de suivi existant (xlsx ou csv)",
    epilog=examples(
        "visites import suivi-2015.xlsx --dry-run",
        "visites import suivi-2015.xlsx --write-mapping correspondance.yaml",
        "visites import suivi-2015.xlsx --sheet 2015 --mapping correspondance.yaml",
        "visites import export-bailleur.csv --json",
    ),
)
def import_table(
    ctx: typer.Context,
    source: Annotated[
        str, typer.Argument(metavar="FICHIER", help="Le tableau : classeur .xlsx ou fichier .csv.")
    ],
    sheet: Annotated[
        str | None,
        typer.Option(
            "--sheet", help="La feuille du classeur (par défaut la première).", show_default=False
        ),
    ] = None,
    mapping: Annotated[
        str | None,
        typer.Option(
            "--mapping",
            help="La correspondance à suivre (colonnes, valeurs, "
            "nouvelles valeurs), écrite par --write-mapping puis corrigée.",
            show_default=False,
        ),
    ] = None,
    write_mapping: Annotated[
        str | None,
        typer.Option(
            "--write-mapping",
            help="Écrire la correspondance devinée dans ce "
            "fichier .yaml, commentée, pour la corriger ; rien n'est importé.",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Montrer ce qui serait créé, sans rien écrire.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Reprendre un tableau de suivi : une ligne par ménage devient un dossier, par les
    mêmes étapes que les commandes (orientation reçue, adhésion ou refus, orientation,
    clôture). Tout ou rien : une ligne fausse, et aucun dossier n'est créé."""
    from visites.services import importing, sheets

    target = folder(ctx)
    given = importing.read_mapping(Path(mapping)) if mapping else None
    path = Path(source)
    if write_mapping:
        table = sheets.read(path, sheet)
        pending = importing.write_mapping(target, table, given, Path(write_mapping))
        typer.echo(f"Correspondance écrite : {write_mapping} ({len(table.headings)} colonnes ; "
                   f"{_count(pending, 'ligne')} à vérifier ou à décider). Corrigez-la, puis : "
                   f"visites import {source} --mapping {write_mapping}")  # fmt: skip
        return
    plan = importing.run(target, path, sheet, given, today(), dry_run=dry_run)
    for warning in _warnings(plan):
        typer.echo(f"avertissement : {warning}", err=True)
    if plan.problems and not dry_run:  # all or nothing: nothing was created
        from visites.errors import InvalidFile, Problem

        summary = importing.refusal(plan)
        raise InvalidFile([*plan.problems, Problem(plan.sheet.where, None, summary)])
    if as_json:
        print_json(_as_json(plan, dry_run))
    elif dry_run:
        _dry_run(plan)
    else:
        _done(plan)
    if plan.problems:
        from visites.errors import InvalidFile, Problem

        summary = importing.refusal(plan, would=True)
        raise InvalidFile([*plan.problems, Problem(plan.sheet.where, None, summary)])


def _count(number: int, word: str) -> str:
    from visites.render.numbers import quantity

    return quantity(number, word)


def _plural(number: int, one: str, many: str) -> str:
    from visites.render.numbers import plural

    return plural(number, one, many)


def _warnings(plan: Plan) -> list[str]:
    found = list(plan.warnings)
    for heading, cells in plan.unknown:
        found.append(
            f"colonne « {heading} » non reconnue : {_count(cells, 'cellule')} "
            f"{_plural(cells, 'non reprise', 'non reprises')}. "
            "Pour les garder dans les notes des dossiers : --write-mapping FICHIER, puis "
            f"« {heading} »: notes, et --mapping FICHIER"
        )
    return found


def _read_line(plan: Plan) -> str:
    sheet = plan.sheet
    return (f"Lu : {sheet.source}, {sheet.how}, en-têtes ligne {sheet.header_row}, "
            f"{_count(len(sheet.rows), 'ligne')}.")  # fmt: skip


def _done(plan: Plan) -> None:
    typer.echo(_read_line(plan))
    created = [c.case.id for c in plan.created]
    if created:
        span = created[0] if len(created) == 1 else f"{created[0]} … {created[-1]}"
        n = len(created)
        typer.echo(f"{_count(n, 'dossier')} {_plural(n, 'créé', 'créés')} ({span}).")
        _phases(plan)
    else:
        typer.echo(f"Rien à importer depuis {plan.sheet.source} : aucun nouveau dossier.")
    _skipped(plan, with_differences=False)
    for key, value in plan.additions:
        word = "commune" if key == "communes" else "référent(e)"
        typer.echo(f"Ajouté à visites.yaml : {word} « {value} ».")


def _skipped(plan: Plan, with_differences: bool) -> None:
    if plan.present:
        n = len(plan.present)
        typer.echo(f"{_count(n, 'ligne')} {_plural(n, 'déjà présente', 'déjà présentes')} dans "
                   "le dossier de cas :")  # fmt: skip
        for item in plan.present:
            line = f"  ligne {item.row} → {item.case_id}"
            if with_differences:
                found = [_difference(plan, d) for d in item.differences]
                line += " : " + (" ; ".join(found) if found else "aucune différence")
            typer.echo(line)
        if not with_differences and any(p.differences for p in plan.present):
            typer.echo(f"  Les différences avec le tableau : visites import {plan.sheet.source} "
                       "--dry-run")  # fmt: skip
    if plan.erased:
        n = len(plan.erased)
        typer.echo(f"{_count(n, 'ligne')} {_plural(n, 'non reprise', 'non reprises')}, ménage "
                   "effacé du dossier de cas :")  # fmt: skip
        for item in plan.erased:
            how = "déjà importé puis effacé" if item.imported else "saisi puis effacé"
            typer.echo(f"  ligne {item.row} : {how}")


def _phases(plan: Plan) -> None:
    """The cases by year and phase, one line a year."""
    from visites.phases import Phase
    from visites.vocabulary import PHASE_LABELS

    years: dict[int, dict[Phase, int]] = {}
    for item in plan.created:
        counts = years.setdefault(item.case.referral.date.year, {})
        counts[item.case.phase] = counts.get(item.case.phase, 0) + 1
    for year, counts in sorted(years.items()):
        parts = [f"{PHASE_LABELS[p]} {counts[p]}" for p in Phase if p in counts]
        typer.echo(f"  {year} : {', '.join(parts)} (total {sum(counts.values())})")


def _dry_run(plan: Plan) -> None:
    from visites import dates
    from visites.services.importing import SHOWN_FIRST
    from visites.vocabulary import OUTCOME_LABELS, PHASE_LABELS

    typer.echo(f"Import à blanc : rien n'est écrit. {_read_line(plan)}")
    n = len(plan.created)
    if plan.problems and not n:
        typer.echo("Aucune ligne sans problème.")
    elif plan.problems:  # all or nothing: these only once every problem below is corrected
        would = _plural(n, "elle serait créée", "elles seraient créées")
        typer.echo(f"{_count(n, 'ligne')} sans problème ; {would} une fois les problèmes "
                   f"corrigés{' :' if n else '.'}")  # fmt: skip
    elif plan.created:
        typer.echo(f"{_count(n, 'dossier')} {_plural(n, 'serait créé', 'seraient créés')} :")
    else:
        typer.echo("Aucun nouveau dossier.")
    _phases(plan)
    first = sorted(plan.created, key=lambda c: c.row)[:SHOWN_FIRST]
    if first:
        typer.echo(f"Les {len(first)} premières lignes :" if len(first) > 1 else "La ligne :")
    for item in first:
        case = item.case
        step = PHASE_LABELS[case.phase]
        if case.orientation:
            step += f" ({OUTCOME_LABELS[case.orientation.to]})"
        household = f"{case.household.name} ({case.household.commune})"
        typer.echo(f"  ligne {item.row:<4} → {case.id}  {household}, reçue le "
                   f"{dates.short(case.referral.date)} : {step}")  # fmt: skip
    _skipped(plan, with_differences=True)
    for key, value in plan.additions:
        word = "commune" if key == "communes" else "référent(e)"
        typer.echo(f"Serait ajouté à visites.yaml : {word} « {value} ».")


def _shown(code: str, value: Any, empty: str) -> str:
    from visites import dates
    from visites.import_differences import Unread
    from visites.render.numbers import euros
    from visites.vocabulary import (
        CONTEXT_LABELS,
        MODE_LABELS,
        OUTCOME_LABELS,
        PROBLEM_DOMAIN_LABELS,
        labels,
    )

    if isinstance(value, Unread):
        return f"illisible ({value.reason})"
    if value in (None, ()):
        return empty
    if isinstance(value, date):
        return dates.short(value)
    tables = {"orientation": OUTCOME_LABELS, "contexte": CONTEXT_LABELS, "mode": MODE_LABELS}
    if code in tables:
        return tables[code].get(value, str(value))
    if code == "problematiques":
        return ", ".join(labels(PROBLEM_DOMAIN_LABELS, list(value)))
    if code == "dette":
        return euros(value)
    return str(value)


def _difference(plan: Plan, found: Difference) -> str:
    heading = plan.heading(found.code) or found.code
    return (f"« {heading} » : tableau {_shown(found.code, found.sheet, '(vide)')}, dossier "
            f"{_shown(found.code, found.case, '(non renseigné)')}")  # fmt: skip


def _as_json(plan: Plan, dry_run: bool) -> dict[str, Any]:
    from visites.amounts import as_number
    from visites.import_differences import Unread

    def value(v: Any) -> Any:
        if isinstance(v, Unread):
            return {"unreadable": v.reason}
        if isinstance(v, date):
            return v.isoformat()
        if isinstance(v, tuple):
            return list(v)
        return as_number(v) if hasattr(v, "quantize") else v

    counts: dict[str, dict[str, int]] = {}
    for item in plan.created:
        year = counts.setdefault(str(item.case.referral.date.year), {})
        year[item.case.phase.value] = year.get(item.case.phase.value, 0) + 1
    return {
        "dry_run": dry_run,
        "source": plan.sheet.source,
        "sheet": plan.sheet.sheet,
        "created": [{"row": c.row, "id": c.case.id, "phase": c.case.phase.value}
                    for c in plan.created],
        "counts": counts,
        "present": [{"row": p.row, "id": p.case_id, "differences": [
            {"field": d.code, "column": plan.heading(d.code), "sheet": value(d.sheet),
             "case": value(d.case)} for d in p.differences]} for p in plan.present],
        "erased": [{"row": e.row, "imported": e.imported} for e in plan.erased],
        "unknown_columns": [{"column": h, "cells": n} for h, n in plan.unknown],
        "added": {key: [v for k, v in plan.additions if k == key]
                  for key in ("communes", "referents")},
        "problems": [str(p) for p in plan.problems],
    }  # fmt: skip
