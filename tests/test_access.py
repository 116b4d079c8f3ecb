"""Right of access: `visites export ID` writes the household's whole file, readable."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path
from typing import Any

from privacy_support import (  # noqa: F401  (fixtures)
    demo_fixture,
    demo_template_fixture,
    ok,
)

from visites import casefile, dates
from visites.model import Outcome
from visites.render import numbers
from visites.store import Folder
from visites.vocabulary import (
    CONTEXT_LABELS,
    EVENT_LABELS,
    HOUSING_LABELS,
    MODE_LABELS,
    OBJECTIVE_STATUS_LABELS,
    OUTCOME_LABELS,
    PARTNER_LABELS,
    PRIORITY_LABELS,
    PROBLEM_DOMAIN_LABELS,
    TYPOLOGY_LABELS,
)

# Codes are shown in words: the household reads « entrée dans les lieux », not « entree ».
CODED = {
    "contexte": CONTEXT_LABELS,
    "vers": {o.value: label for o, label in OUTCOME_LABELS.items()},
    "mode": MODE_LABELS,
    "type": {kind: label.capitalize() for kind, label in EVENT_LABELS.items()},
    "typologie": TYPOLOGY_LABELS,
    "publics_prioritaires": PRIORITY_LABELS,
    "logement": HOUSING_LABELS,
    "partenaire": PARTNER_LABELS,
    "problematiques": PROBLEM_DOMAIN_LABELS,
    "statut": OBJECTIVE_STATUS_LABELS,
    "problematique": PROBLEM_DOMAIN_LABELS,
    "plan_apurement": {"True": "plan d'apurement signé", "False": "plan d'apurement aucun"},
}
AMOUNTS = ("dette_locative", "ressources", "loyer", "aide_logement")  # in euros, « 1 240 € »


def leaves(value: Any, key: str = "") -> list[tuple[str, Any]]:
    """Every (key, value) at the ends of a case file's tree."""
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in leaves(v, k)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in leaves(v, key)]
    return [(key, value)]


def shown(key: str, value: Any) -> list[str]:
    """How a value reads in the document: each of its lines."""
    if isinstance(value, date):
        return [dates.short(value)]
    if key in CODED:
        return [CODED[key][str(value)]]
    if key in AMOUNTS:
        return [numbers.euros(value)]
    return str(value).splitlines()


def readable(text: str) -> str:
    """The document without its annex (the raw file, which holds every value anyway)."""
    head, annex_title, _ = text.partition("Annexe : le fichier tel qu'il est enregistré")
    assert annex_title
    return head


def test_export_holds_every_value_of_every_case_file(run, demo: Path, tmp_path) -> None:
    folder = Folder(demo)
    checked = 0
    for case_id in folder.case_ids():
        stored = folder.read(case_id)
        for suffix in (".md", ".html"):
            output = tmp_path / f"acces-{case_id}{suffix}"
            ok(run, "export", case_id, "--output", str(output))
            text = output.read_text(encoding="utf-8")
            body = readable(html.unescape(text) if suffix == ".html" else text)
            for key, value in leaves(casefile.tree(stored.case)):
                for line in shown(key, value):
                    assert line.strip() in body, (case_id, suffix, key, line)
                    checked += 1
            # The annex gives the file itself: hand comments and unknown keys included.
            raw = html.unescape(text) if suffix == ".html" else text
            assert stored.text.strip() in raw
    assert checked > 300


def test_export_shows_the_timeline_in_order_and_marks_confidential_values(run, demo, tmp_path):
    case = next(c for c in Folder(demo).load_all().cases if c.household.members)
    output = tmp_path / "acces.md"
    ok(run, "export", case.id, "--output", str(output), "--today", "2016-03-01")
    text = output.read_text(encoding="utf-8")
    assert "le 1er mars 2016" in text and "article 15 du RGPD" in text
    timeline = text.split("## Chronologie")[1].split("## Annexe")[0]
    days = [line[2:12] for line in timeline.splitlines() if line.startswith("- ")]
    as_dates = [date(int(d[6:]), int(d[3:5]), int(d[:2])) for d in days]
    assert as_dates == sorted(as_dates) and len(as_dates) >= 6
    assert "## Diagnostic social (confidentiel)" in text
    assert "Julie, titulaire du bail *(confidentiel)*" in text
    assert "Rappel : Julie préfère être appelée le matin" in text  # a hand comment
    assert "portable_soeur: 06 99 99 99 99" in text  # an unknown key
    assert "échanges avec le bailleur : " in text


def test_export_says_when_consent_to_share_is_absent(run, demo, tmp_path) -> None:
    case = next(c for c in Folder(demo).load_all().cases if not c.adhesion)
    output = tmp_path / "acces.html"
    ok(run, "export", case.id, "--output", str(output))
    text = output.read_text(encoding="utf-8")
    assert "échanges avec le bailleur : absent" in text
    assert text.startswith("<!DOCTYPE html>") and '<html lang="fr">' in text
    assert "<script" not in text and "http" not in text  # self-contained
    assert "@page { size: A4;" in text  # printed in France: A4, not the browser's Letter
    assert "marquées «\u00a0confidentiel\u00a0» restent" in text  # never cut inside « »


def test_export_escapes_html_in_values(run, cases, tmp_path) -> None:
    from conftest import referral

    case_id = referral(run, "Famille <b>Gras</b> & Cie", "2015-01-12")
    output = tmp_path / "acces.html"
    ok(run, "export", case_id, "--output", str(output))
    text = output.read_text(encoding="utf-8")
    assert "<b>Gras</b>" not in text and "&lt;b&gt;Gras&lt;/b&gt; &amp; Cie" in text


def test_export_refuses_other_formats_and_unknown_cases(run, cases, tmp_path) -> None:
    result = run("export", "2015-001", "--output", str(tmp_path / "acces.pdf"))
    assert result.code == 2 and ".md ou .html" in result.err
    assert run("export", "2015-001", "--output", str(tmp_path / "acces.md")).code == 1
    assert not list(tmp_path.glob("acces*"))


def test_the_anonymised_case_exports_what_remains(run, cases, tmp_path) -> None:
    from conftest import referral

    case_id = referral(run, "Famille Passée", "2015-01-12", phone="06 11 22 33 44")
    ok(run, "consent", case_id, "--date", "2015-01-20")
    ok(run, "orient", case_id, "--to", "sans-suite", "--date", "2015-02-01")
    ok(run, "anonymise", case_id, "--today", "2018-01-01", "--yes")
    output = tmp_path / "acces.md"
    ok(run, "export", case_id, "--output", str(output))
    text = output.read_text(encoding="utf-8")
    assert "**Anonymisé le** : 01/01/2018" in text and "Passée" not in text
    assert OUTCOME_LABELS[Outcome.SANS_SUITE] in text
