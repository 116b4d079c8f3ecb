"""Case IDs (`AAAA-NNN`: the referral's year, a sequence number). Pure, and light to import:
the store lists and sorts files by ID without loading the case models."""

from __future__ import annotations

import re

CASE_ID = re.compile(r"(\d{4})-(\d{3,6})", re.ASCII)


def case_year(case_id: str) -> int:
    return int(case_id.split("-")[0])


def sort_key(case_id: str) -> tuple[int, int]:
    """Numeric order of IDs: 2015-009 before 2015-010 before 2016-001."""
    year, seq = case_id.split("-")
    return int(year), int(seq)
