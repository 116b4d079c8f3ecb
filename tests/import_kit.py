"""Spreadsheets for the import tests, built here with openpyxl (and csv files as Excel writes
them), from fictional households that can also be typed through the CLI, step by step."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook


@dataclass(frozen=True)
class Household:
    """One row of a tableau de suivi, and the same facts as CLI options."""

    name: str
    commune: str
    referral: date
    context: str = "en-cours"
    referrer: str = "Mme Lebrun"
    ref: str | None = None
    adhesion: date | None = None
    refusal: date | None = None
    problems: tuple[str, ...] = ()
    orientation: str | None = None
    decision: date | None = None
    measure: str | None = None
    end: date | None = None
    outcome: str | None = None
    debt: str | None = None


D = date
# Every phase: awaiting adhesion, refused, in diagnostic, each orientation, in
# accompaniment, closed.
PHASES = [
    Household("Famille Attente", "Nantes", D(2015, 1, 5), "entree", ref="LOG-44-00001"),
    Household("Famille Refus", "Rezé", D(2015, 1, 6), ref="LOG-44-00002", refusal=D(2015, 1, 20)),
    Household("Famille Diagnostic", "Saint-Herblain", D(2015, 1, 7), ref="LOG-44-00003",
              adhesion=D(2015, 1, 15), problems=("budget-impayes", "sante"), debt="1 240,50 €"),
    Household("Famille Sans-Suite", "Orvault", D(2015, 2, 2), ref="LOG-44-00004",
              adhesion=D(2015, 2, 10), orientation="sans-suite", decision=D(2015, 3, 20)),
    Household("Famille Remob", "Couëron", D(2015, 2, 3), "entree", ref="LOG-44-00005",
              adhesion=D(2015, 2, 9), orientation="remobilisation", decision=D(2015, 4, 1),
              outcome="rupture ou abandon"),
    Household("Famille Commun", "Vertou", D(2015, 2, 4), ref="LOG-44-00006",
              adhesion=D(2015, 2, 12), problems=("acces-aux-droits",),
              orientation="droit-commun", decision=D(2015, 4, 9), measure="ASLL",
              outcome="relais droit commun"),
    Household("Famille Accompagnée", "Nantes", D(2015, 3, 2), ref="LOG-44-00007",
              adhesion=D(2015, 3, 9), orientation="accompagnement", decision=D(2015, 5, 4),
              debt="2400"),
    Household("Famille Close", "Saint-Nazaire", D(2015, 3, 5), ref="LOG-44-00008",
              adhesion=D(2015, 3, 12), problems=("emploi",), orientation="accompagnement",
              decision=D(2015, 4, 20), end=D(2015, 11, 30),
              outcome="maintien dans le logement"),
]  # fmt: skip
# The words people write in a tableau de suivi for the codes above.
ORIENTATION_WORDS = {
    "sans-suite": "Sans suite",
    "remobilisation": "Remobilisation",
    "droit-commun": "Droit commun",
    "accompagnement": "Accompagnement",
}
CONTEXT_WORDS = {"entree": "Entrée dans les lieux", "en-cours": "en cours de location"}
PROBLEM_WORDS = {"budget-impayes": "Budget / impayés", "sante": "santé", "emploi": "Emploi",
                 "acces-aux-droits": "Accès aux droits"}  # fmt: skip

# French headings, spelt as people spell them (case, accents, punctuation all over).
HEADINGS = [
    "NOM DU MÉNAGE", "commune", "Date de la fiche", "Contexte", "Orienté par", "Ref bailleur",
    "Date adhésion", "Date du refus", "Problématiques", "Orientation décidée",
    "Date de décision", "Mesure", "Clôture", "Issue", "Dette locative",
]  # fmt: skip


def as_text(day: date | None) -> str | None:
    return day.strftime("%d/%m/%Y") if day else None


def cells(h: Household, number: int) -> list[object]:
    """The row as a person types it: some dates as cells (dates or datetimes), some as text
    (31/12/2015, 2015-12-31, 31/12/15)."""
    styles = [lambda d: d, lambda d: datetime(d.year, d.month, d.day), as_text,
              lambda d: d.isoformat(), lambda d: d.strftime("%d/%m/%y")]  # fmt: skip

    def day(value: date | None, shift: int) -> object:
        return None if value is None else styles[(number + shift) % len(styles)](value)

    return [
        h.name, h.commune, day(h.referral, 0), CONTEXT_WORDS[h.context], h.referrer, h.ref,
        day(h.adhesion, 1), day(h.refusal, 2),
        ", ".join(PROBLEM_WORDS[p] for p in h.problems) or None,
        ORIENTATION_WORDS.get(h.orientation or ""), day(h.decision, 3), h.measure,
        day(h.end, 4), h.outcome, h.debt,
    ]  # fmt: skip


def workbook(path: Path, rows: list[list[object]], headings: list[str] | None = None,
             sheet: str = "Suivi 2015", title: str | None = None) -> Path:  # fmt: skip
    """An .xlsx tableau de suivi: an optional title row, the header row, the rows."""
    book = Workbook()
    page = book.active
    page.title = sheet
    if title:
        page.append([title])
    page.append(headings or HEADINGS)
    for row in rows:
        page.append(row)
    book.save(path)
    return path


def phases_workbook(path: Path, households: list[Household] | None = None) -> Path:
    chosen = households or PHASES
    return workbook(path, [cells(h, n) for n, h in enumerate(chosen)],
                    title="Tableau de suivi — visites sociales 2015")  # fmt: skip


def csv_file(path: Path, headings: list[str], rows: list[list[object]],
             delimiter: str = ";", encoding: str = "utf-8-sig") -> Path:  # fmt: skip
    """A csv file as a spreadsheet exports it: `;` and a BOM (a French Excel), or `,` and
    Windows-1252 (an old one)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headings)
    for row in rows:
        writer.writerow(["" if c is None else c for c in row])
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def cli_steps(h: Household, case_id: str) -> list[list[str]]:
    """The same household typed through the CLI, after its `new-referral`."""
    steps = []
    if h.debt:
        steps.append(["finances", case_id, "--date", h.referral.isoformat(), "--arrears", h.debt])
    if h.adhesion:
        steps.append(["consent", case_id, "--date", h.adhesion.isoformat()])
    if h.refusal:
        steps.append(["consent", case_id, "--refused", "--date", h.refusal.isoformat()])
    if h.problems:
        steps.append(["diagnose", case_id, *(a for p in h.problems for a in ("--problem", p))])
    if h.orientation:
        orient = ["orient", case_id, "--to", h.orientation, "--date", h.decision.isoformat()]
        if h.measure:
            orient += ["--measure", h.measure]
        if h.outcome and h.orientation != "accompagnement":
            orient += ["--outcome", h.outcome]
        steps.append(orient)
    if h.end:
        close = ["close", case_id, "--date", h.end.isoformat()]
        steps.append(close + (["--outcome", h.outcome] if h.outcome else []))
    return steps


def referral_args(h: Household) -> list[str]:
    args = ["new-referral", "--household", h.name, "--commune", h.commune, "--context",
            h.context, "--referrer", h.referrer, "--date", h.referral.isoformat()]  # fmt: skip
    return args + (["--landlord-ref", h.ref] if h.ref else [])
