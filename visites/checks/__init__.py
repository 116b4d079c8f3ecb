"""Every rule `visites check` applies: pure functions in lists, as beancount does it.

- `CASE_RULES`: `rule(case, config) -> list[Finding]`, for one case. `validate_case` runs them
  on every case file (`casefile.parse`) and after every move (`workflow.apply`), so a move can
  never write a case that `check` would refuse. A finding that a typed value caused carries a
  `hint`: the wording for the person who typed it (« --measure ne va qu'avec… »).
- `DAY_RULES`: `rule(case, today)`, the rules that depend on the day `check` runs.
- `FOLDER_RULES`: `rule(facts) -> list[Problem]`, across the folder, over the facts the shell
  gathered (file names, modes from `stat`): nothing here touches the disk.

Each rule is written once, in the module of its theme (`steps`, `appointments`, `household`,
`project`, `folder`), and registered here. A new rule is a function added to its list.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from visites.checks.appointments import validate_appointments, validate_appointments_recorded
from visites.checks.finding import Finding
from visites.checks.folder import (
    FolderFacts,
    duplicate_ids,
    validate_deleted_present,
    validate_file_modes,
    validate_folder_mode,
    validate_merge_leftovers,
    validate_settings_file,
    validate_stray_files,
    validate_unique_ids,
)
from visites.checks.household import (
    involved,
    validate_known_before,
    validate_partners,
    validate_profile,
)
from visites.checks.project import validate_finances, validate_objectives
from visites.checks.steps import (
    validate_commune,
    validate_deadline,
    validate_handover_events,
    validate_handovers,
    validate_id_year,
    validate_lists,
    validate_measure,
    validate_referent,
    validate_steps,
)
from visites.errors import Problem

if TYPE_CHECKING:
    from visites.config import Config
    from visites.model import Case

__all__ = [
    "CASE_RULES", "DAY_RULES", "FOLDER_RULES", "Finding", "FolderFacts", "duplicate_ids",
    "involved", "validate_appointments", "validate_appointments_recorded", "validate_case",
    "validate_commune", "validate_deadline", "validate_file_modes", "validate_finances",
    "validate_merge_leftovers", "validate_deleted_present",
    "validate_folder", "validate_folder_mode", "validate_handover_events", "validate_handovers",
    "validate_id_year",
    "validate_known_before", "validate_lists", "validate_measure", "validate_objectives",
    "validate_on", "validate_partners", "validate_profile", "validate_referent",
    "validate_settings_file", "validate_steps", "validate_stray_files", "validate_unique_ids",
]  # fmt: skip

# ---------------------------------------------------------------------------- one case

CaseRule = Callable[["Case", "Config"], list[Finding]]

CASE_RULES: tuple[CaseRule, ...] = (
    validate_steps,
    validate_deadline,
    validate_measure,
    validate_lists,
    validate_commune,
    validate_referent,
    validate_handovers,
    validate_handover_events,
    validate_id_year,
    validate_appointments,
    validate_profile,
    validate_partners,
    validate_known_before,
    validate_objectives,
    validate_finances,
)


def validate_case(case: Case, config: Config) -> list[Finding]:
    """Every rule `case` breaks (workflow order, dates, configured lists), rule by rule.
    Empty when valid."""
    return [finding for rule in CASE_RULES for finding in rule(case, config)]


# ---------------------------------------------------------------------------- one case, on a day

# Rules that depend on the day `check` runs: never part of a case file's own findings (the
# index keeps those), run by `check` over every case with today's date.

DayRule = Callable[["Case", date], list[Finding]]

DAY_RULES: tuple[DayRule, ...] = (validate_appointments_recorded,)


def validate_on(case: Case, today: date) -> list[Finding]:
    """Every day rule `case` breaks on `today`."""
    return [finding for rule in DAY_RULES for finding in rule(case, today)]


# ---------------------------------------------------------------------------- the folder

FolderRule = Callable[[FolderFacts], list[Problem]]

FOLDER_RULES: tuple[FolderRule, ...] = (
    validate_settings_file,
    validate_stray_files,
    validate_unique_ids,
    validate_folder_mode,
    validate_file_modes,
    validate_merge_leftovers,
    validate_deleted_present,
)


def validate_folder(facts: FolderFacts) -> list[Problem]:
    """Every problem across the folder, rule by rule."""
    return [problem for rule in FOLDER_RULES for problem in rule(facts)]
