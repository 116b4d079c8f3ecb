"""One case view: `show` and the right-of-access export lay a case out the same way."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from privacy_support import (  # noqa: F401  (fixtures)
    demo_fixture,
    demo_template_fixture,
    ok,
)

from visites.render.access import access_document
from visites.render.case_view import case_view
from visites.store import Folder


def titles(markdown: str) -> list[str]:
    """The section titles of an access export, without its timeline and annex."""
    found = re.findall(r"^## (.+)$", markdown, re.MULTILINE)
    return [t for t in found if t != "Chronologie" and not t.startswith("Annexe")]


def test_show_and_the_access_export_give_the_same_sections_in_the_same_order(
    run, demo: Path, tmp_path: Path
) -> None:
    compared = 0
    for case_id in Folder(demo).case_ids():
        output = tmp_path / f"{case_id}.md"
        ok(run, "export", case_id, "--output", str(output))
        expected = titles(output.read_text(encoding="utf-8"))
        shown = ok(run, "show", case_id)
        positions = [shown.find(title) for title in expected]
        assert -1 not in positions, (case_id, expected, shown)
        assert positions == sorted(positions), case_id
        compared += len(expected)
    assert compared > 50


def test_show_adds_the_deadlines_to_the_same_view(run, demo: Path) -> None:
    folder = Folder(demo)
    case = next(c for c in folder.load_all().cases if c.adhesion and not c.closed_on)
    shown = ok(run, "show", case.id, "--today", case.last_contact.isoformat())
    assert "Échéance" in shown and "Délai" in shown
    document = access_document(case, "", "Anef Ferrer", date(2016, 1, 1))
    assert document.sections == case_view(case).sections  # the export adds no working facts
    assert all(line.label != "Échéance" for s in document.sections for line in s.lines)
