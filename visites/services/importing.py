"""What `visites import` does with the folder: read the mapping, plan the import of a sheet
(which rows make new cases, with which IDs; which are already there, and how they differ;
which were imported then erased), and create every case in one commit, or none.

The shell around `import_mapping` and `import_rows` (pure), `sheets` (the file) and the
store. Never prints.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from visites import import_mapping, import_mapping_text, origins
from visites.errors import InvalidFile, Problem, UsageProblem, VisitesError, reason
from visites.import_differences import Difference, differences
from visites.import_mapping import IGNORE, NOTES, Mapping
from visites.import_rows import Row
from visites.known import Identity, normalised, reference_key
from visites.model import Case
from visites.services import fingerprints
from visites.services.sheets import Sheet
from visites.store import Folder

SHOWN_FIRST = 10  # rows a dry run shows as cases


@dataclass(frozen=True)
class Created:
    row: int
    case: Case


@dataclass(frozen=True)
class Present:
    """A row whose referral is already a case of the folder: skipped, never duplicated."""

    row: int
    case_id: str
    differences: tuple[Difference, ...]


@dataclass(frozen=True)
class Erased:
    """A row whose household was erased from the folder (`delete`, `anonymise`)."""

    row: int
    imported: bool  # the erased case had come from an import (else it had been typed)


@dataclass
class Plan:
    """What an import does, or would do."""

    sheet: Sheet
    columns: dict[str, str]  # heading → the field it fills (NOTES, IGNORE included)
    created: list[Created] = field(default_factory=list)
    present: list[Present] = field(default_factory=list)
    erased: list[Erased] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unknown: list[tuple[str, int]] = field(default_factory=list)  # heading, cells not taken
    warnings: list[str] = field(default_factory=list)
    additions: list[tuple[str, str]] = field(default_factory=list)  # (open list, value)

    def heading(self, code: str | None) -> str | None:
        """The column a field is read from (the first, for the notes)."""
        return next((h for h, c in self.columns.items() if c == code), None)


# ---------------------------------------------------------------------------- the mapping


def read_mapping(path: Path) -> Mapping:
    """The user's mapping file (`--mapping`); every problem, with its line, is an InvalidFile."""
    from visites import yamlio

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise VisitesError(f"{path} : correspondance introuvable") from None
    except OSError as error:
        raise VisitesError(f"lecture impossible : {reason(error)}", path=path) from None
    try:
        text = yamlio.decode(raw)
        document = yamlio.load(text)
    except yamlio.YamlProblem as problem:
        raise InvalidFile([Problem(str(path), problem.line, problem.message)]) from None
    mapping, problems = import_mapping_text.from_document(document)
    if problems:
        raise InvalidFile([Problem(str(path), yamlio.line_of(text, where), message)
                           for where, message in problems])  # fmt: skip
    return mapping


def write_mapping(folder: Folder, sheet: Sheet, base: Mapping | None, target: Path) -> int:
    """Write the mapping guessed from `sheet` (from `base`, the user's, when given) to
    `target`, commented, for the user to correct; never over an existing file. Return how
    many lines ask to be checked or decided."""
    from visites.paths import CASE_FILE
    from visites.store import atomic_write

    if target.exists():
        raise UsageProblem(f"--write-mapping : {target} existe déjà ; choisissez un autre nom "
                           "(rien n'a été écrit)")  # fmt: skip
    if CASE_FILE.fullmatch(target.name) or target.suffix.lower() not in (".yaml", ".yml"):
        raise UsageProblem(f"--write-mapping : {target.name} : un nom en .yaml est attendu "
                           "(ex. correspondance.yaml)")  # fmt: skip
    guess = import_mapping.guess(sheet.headings, _texts(sheet), folder.config.lists, base)
    text = import_mapping_text.render(guess, sheet.source, sheet.sheet)
    atomic_write(target, text.encode("utf-8"))
    return text.count("# à vérifier") + text.count("# à décider")


def _texts(sheet: Sheet) -> dict[str, list[str]]:
    from visites.import_rows import cell_text

    columns: dict[str, list[str]] = {h: [] for h in sheet.headings}
    for _, cells in sheet.rows:
        for heading, cell in zip(sheet.headings, cells, strict=True):
            if isinstance(cell, str | int | float) and (text := cell_text(cell)):
                columns[heading].append(text)
    return columns


# ---------------------------------------------------------------------------- the plan


def plan(folder: Folder, sheet: Sheet, mapping: Mapping | None, today: date) -> Plan:
    """What importing `sheet` would do: nothing is written."""
    from visites import import_rows

    lists = folder.config.lists
    base = mapping or Mapping()
    guess = import_mapping.guess(sheet.headings, _texts(sheet), lists, base)
    result = Plan(sheet, dict(guess.mapping.columns))
    _check_columns(result, guess, base)
    result.warnings += [f"{sheet.where}:ligne {number}: ligne de total (« {text} ») non reprise"
                        for number, text in sheet.totals]  # fmt: skip
    defaults, wrong = import_rows.read_defaults(base, lists)
    result.problems += [Problem(sheet.where, None, message) for message in wrong]
    taken = [code for code in result.columns.values() if code not in (IGNORE, NOTES)]
    for code in import_rows.missing_columns(taken, defaults):
        label = import_mapping.BY_CODE[code].label
        result.problems.append(Problem(sheet.where, None, (
            f"aucune colonne pour « {label} » : ajoutez-la au tableau, ou donnez sa valeur dans "
            f"une correspondance (par_defaut: {{{code}: …}}, avec --mapping)")))  # fmt: skip
    read = [h for h in sheet.headings if result.columns[h] != IGNORE]
    rows = []
    for number, cells in sheet.rows:
        pairs = zip(sheet.headings, cells, strict=True)
        given = [(h, result.columns[h], cell) for h, cell in pairs if h in read]
        rows.append(import_rows.read_row(number, given, base, lists, defaults))
    _sort(folder, result, rows, today)
    return result


def _check_columns(result: Plan, guess: import_mapping.Guess, base: Mapping) -> None:
    from visites import matching

    where = result.sheet.where
    for heading, how in guess.headings.items():
        if how == "close":
            close = import_mapping.heading_suggestions(heading)
            result.problems.append(Problem(where, None, (
                f"colonne « {heading} » non reconnue, proche de {matching.either(close)} : dites "
                "ce qu'elle contient dans une correspondance (--write-mapping FICHIER, puis "
                "--mapping FICHIER)")))  # fmt: skip
            result.columns[heading] = IGNORE
        elif how == "twice":
            code = import_mapping.recognised(heading)
            first = next(h for h, c in result.columns.items() if c == code)
            result.problems.append(Problem(where, None, (
                f"colonnes « {first} » et « {heading} » : deux colonnes pour « "
                f"{import_mapping.BY_CODE[code].label if code else heading} » ; dites laquelle "
                "ignorer dans une correspondance (--mapping)")))  # fmt: skip
        elif how == "unknown":
            cells = sum(1 for text in _texts(result.sheet)[heading] if text)
            result.unknown.append((heading, cells))
    for heading in base.columns:
        if base.column_field(heading) and not any(
            import_mapping.normalise(heading) == import_mapping.normalise(h)
            for h in result.sheet.headings
        ):
            result.warnings.append(f"la correspondance nomme la colonne « {heading} », absente "
                                   f"de {result.sheet.where}")  # fmt: skip


def _sort(folder: Folder, result: Plan, rows: list[Row], today: date) -> None:
    """Each row: a problem, already present, erased, or a new case (IDs in referral order)."""
    from visites import import_rows

    catalogue = folder.load_all()
    broken = [p for p in catalogue.problems if p.is_error]
    if broken:
        raise InvalidFile([*broken, Problem(str(folder.root), None, (
            "import impossible tant qu'un dossier est illisible : on ne saurait pas si ses "
            "lignes y sont déjà (corrigez-le, voir visites check)"))])  # fmt: skip
    keys, recorded = fingerprints.recorded(folder.root)
    hashes = {f.value for f in recorded.fingerprints}
    by_reference: dict[str, list[Case]] = {}
    by_name: dict[tuple[str | None, date], Case] = {}
    for case in catalogue.cases:
        if ref := reference_key(case.referral.landlord_ref):
            by_reference.setdefault(ref, []).append(case)
        by_name[(normalised(case.household.name), case.referral.date)] = case
    columns = [c for c in result.columns.values() if c not in (IGNORE, NOTES)]
    fresh: list[Row] = []
    for row in rows:
        day = row.values.get("date_orientation")
        found = _present(row, by_reference, by_name) if isinstance(day, date) else None
        if found is not None:
            changed = tuple(differences(row, found, columns, folder.config, today))
            result.present.append(Present(row.number, found.id, changed))
            continue
        identity = import_rows.identities_of(row)
        if hashes and (mark := recorded.fingerprinted(origins.fingerprints(identity, keys))):
            result.erased.append(Erased(row.number, mark.source == "import"))
            continue
        fresh.append(row)
        for code, message in row.problems:
            result.problems.append(_problem(result, row.number, code, message))
    _create(folder, result, fresh, today)


def _present(row: Row, by_reference: dict, by_name: dict) -> Case | None:
    """The folder's case for this row's referral: same lease, referred that day or open on
    it; without a lease, same household name and same day."""
    day = row.values["date_orientation"]
    ref = reference_key(row.values.get("reference_bailleur"))
    if ref:
        cases = by_reference.get(ref, [])
        same = [c for c in cases if c.referral.date == day]
        covering = [c for c in cases if c.referral.date <= day
                    and (c.closed_on is None or c.closed_on >= day)]  # fmt: skip
        return (same or covering or [None])[0]
    return by_name.get((normalised(row.values.get("nom")), day))


def _problem(result: Plan, number: int, code: str | None, message: str) -> Problem:
    """`suivi.xlsx:Suivi:ligne 12: colonne « Date d'adhésion » : …`."""
    heading = result.heading(code) if code else None
    if code and code.startswith(f"{NOTES}:"):
        heading = code.partition(":")[2]
    elif code and heading is None:
        heading = f"{import_mapping.BY_CODE[code].label} (par défaut)"
    text = f"colonne « {heading} » : {message}" if heading else message
    return Problem(f"{result.sheet.where}:ligne {number}", None, text)


def _create(folder: Folder, result: Plan, rows: list[Row], today: date) -> None:
    """The new cases, IDs given by year in the order of the referral dates."""
    from visites import import_rows
    from visites.services.referrals import earlier_cases

    dated = [r for r in rows if isinstance(r.values.get("date_orientation"), date)]
    dated.sort(key=lambda r: (r.values["date_orientation"], r.number))
    numbers: dict[int, int] = {}
    made: list[Created] = []
    for row in dated:
        day = row.values["date_orientation"]
        twin = _twin(row, made)
        if twin is not None:
            result.problems.append(_problem(result, row.number, "date_orientation", (
                f"même orientation que la ligne {twin} (même ménage, même date, ou même bail "
                "pendant que ce dossier est ouvert) : gardez une seule ligne")))  # fmt: skip
            continue
        year = day.year
        number = numbers.get(year) or int(folder.next_id(year).split("-")[1]) - 1
        numbers[year] = number + 1
        if row.problems:  # already listed: no case from cells that could not be read
            continue
        origin = import_rows.origin_of(result.sheet.source, result.sheet.sheet, row)
        case, problems = import_rows.build(row, f"{year}-{number + 1:03d}", origin,
                                           folder.config, today)  # fmt: skip
        for code, message in problems:
            result.problems.append(_problem(result, row.number, code, message))
        if case is not None:
            made.append(Created(row.number, case))
            result.additions += [a for a in row.additions if a not in result.additions]
    summaries, _ = folder.summaries(closed=True)
    for position, item in enumerate(made):
        earlier = [*earlier_cases(folder, item.case, summaries),
                   *_earlier_in_batch(item.case, [m.case for m in made[:position]])]  # fmt: skip
        linked = tuple(sorted(dict.fromkeys(earlier), key=lambda k: (k.closed_on, k.case_id)))
        case = item.case.model_copy(update={"known_before": linked}) if linked else item.case
        result.created.append(Created(item.row, case))


def _twin(row: Row, made: list[Created]) -> int | None:
    """The earlier row of the sheet with the same referral, if any (see `_present`)."""
    day = row.values["date_orientation"]
    ref = reference_key(row.values.get("reference_bailleur"))
    for item in made:
        case = item.case
        if ref and reference_key(case.referral.landlord_ref) == ref:
            if case.referral.date == day or (case.referral.date <= day and (
                    case.closed_on is None or case.closed_on >= day)):  # fmt: skip
                return item.row
        elif not ref and (normalised(case.household.name), case.referral.date) == (
                normalised(row.values.get("nom")), day):  # fmt: skip
            return item.row
    return None


def _earlier_in_batch(case: Case, before: list[Case]) -> list:
    """The cases of this import of the same household, closed on or before its referral."""
    from visites.model import KnownCase

    def identity(of: Case) -> Identity:
        return Identity.of(of.referral.landlord_ref, of.household.name, of.household.address)

    wanted = identity(case)
    return [KnownCase(case_id=c.id, closed_on=c.closed_on) for c in before
            if c.closed_on and c.closed_on <= case.referral.date
            and wanted.same_household(identity(c))]  # fmt: skip


# ---------------------------------------------------------------------------- the import


def refusal(result: Plan, would: bool = False) -> str:
    """« import refusé : 3 problèmes, sur 2 lignes ; aucun dossier créé »."""
    from visites.render.numbers import quantity

    rows = {p.path for p in result.problems if p.path != result.sheet.where}
    where = f", sur {quantity(len(rows), 'ligne')}" if rows else ""
    count = quantity(len(result.problems), "problème")
    if would:
        return f"l'import serait refusé : {count}{where}"
    return f"import refusé : {count}{where} ; aucun dossier créé"


def subject(result: Plan, raw: bytes, suffix: str) -> str:
    """The commit's subject: the count and the kind of file, and the file's SHA-256 (to find
    which file it was), never its name, which a person typed and may hold one."""
    from visites.render.numbers import quantity

    digest = hashlib.sha256(raw).hexdigest()[:12]
    return f"import : {quantity(len(result.created), 'dossier')} depuis un tableau {suffix} " \
           f"(empreinte {digest})"  # fmt: skip


def run(folder: Folder, path: Path, sheet_name: str | None, mapping: Mapping | None,
        today: date, dry_run: bool = False) -> Plan:  # fmt: skip
    """Import the sheet: every new case created in one commit (visites.yaml too, for the new
    values of the open lists), or, when any row has a problem, none (the plan then lists
    every problem). `dry_run`: the plan, nothing written."""
    from visites.services import sheets
    from visites.services.committing import committing
    from visites.services.folder import extended_lists

    sheet = sheets.read(path, sheet_name)
    if dry_run:
        result = plan(folder, sheet, mapping, today)
        return result
    with committing(folder) as change:
        result = plan(folder, sheet, mapping, today)
        if result.problems or not result.created:  # all or nothing: nothing
            return result
        change.action, change.label = "import", "import d'un tableau"
        change.case_ids = [c.case.id for c in result.created]
        change.subject = subject(result, path.read_bytes(), path.suffix.lower())
        with extended_lists(folder, result.additions, change):
            for item in result.created:
                folder.create(item.case, change)
    return result
