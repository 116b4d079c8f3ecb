"""The groupe de suivi's pack: its six sections on a scripted folder, the consent rule, the
final packs recorded in a tracked file, --since, and its documents (md, html, docx)."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from conftest import Run, referral, snapshot
from privacy_support import (  # noqa: F401  (fixtures)
    MARKER,
    demo_fixture,
    demo_template_fixture,
    plant_folder,
)

MEETING = "2016-06-15"


def sections(markdown: str) -> dict[str, list[str]]:
    """Section title (without its number and count) → the case IDs in its table."""
    found: dict[str, list[str]] = {}
    current = None
    for line in markdown.splitlines():
        if line.startswith("## "):
            current = line[3:].split(". ", 1)[1].rsplit(" (", 1)[0]
            found[current] = []
        elif current and line.startswith("| 20"):
            found[current].append(line.split("|")[1].strip())
    return found


def ok(run: Run, *args: str) -> str:
    result = run(*args)
    assert result.code == 0, (args, result.err)
    return result.out


@pytest.fixture
def scripted(run: Run) -> dict[str, str]:
    """A folder where each section has its case, with and without consent to share."""
    ids: dict[str, str] = {}

    def new(name: str, received: str, **extra: str) -> str:
        ids[name] = referral(run, household=f"Famille {name}", date=received, **extra)
        return ids[name]

    # Received since the last meeting (15/05/2016), still waiting: no consent possible yet.
    new("recue", "2016-05-20")
    # Adhesion awaited for too long: overdue, shown without consent (the landlord awaits it).
    new("attente", "2016-04-01")
    # Diagnostic overdue: with consent it is shown, without it is not.
    for name, share in (("retard-accord", True), ("retard-sans", False)):
        case = new(name, "2016-01-04")
        ok(run, "consent", case, "--date", "2016-01-10", *(["--share"] if share else []))
    # Diagnostic due within 15 days.
    for name, share in (("diag-accord", True), ("diag-sans", False)):
        case = new(name, "2016-04-01")
        ok(run, "consent", case, "--date", "2016-04-20", *(["--share"] if share else []))
    # Review within the month; accompaniment over 12 months (its review still ahead).
    case = new("revision", "2015-11-02")
    ok(run, "consent", case, "--date", "2015-11-10", "--share")
    ok(run, "orient", case, "--to", "accompagnement", "--date", "2016-01-05")
    case = new("long", "2015-01-05")
    ok(run, "consent", case, "--date", "2015-01-12", "--share")
    ok(run, "orient", case, "--to", "accompagnement", "--date", "2015-02-02")
    ok(run, "renew", case, "--date", "2016-02-01", "--months", "6")
    # Closed since the last meeting, without consent: shown (the landlord knows it ended).
    case = new("close", "2016-01-04")
    ok(run, "consent", case, "--date", "2016-01-06")
    ok(run, "close", case, "--date", "2016-06-01", "--outcome", "rupture ou abandon")
    # Closed before the last meeting: not in this pack.
    case = new("ancien", "2016-01-04")
    ok(run, "consent", case, "--refused", "--date", "2016-02-01")
    return ids


def test_the_six_sections_and_the_consent_rule(run: Run, scripted: dict[str, str]) -> None:
    out = ok(run, "groupe", "--date", MEETING, "--since", "2016-05-15")
    found = sections(out)
    ids = scripted
    assert list(found) == [
        "Orientations reçues depuis la dernière réunion",
        "Dossiers en retard",
        "Diagnostics à terminer dans les 15 jours",
        "Révisions d'accompagnement dans le mois",
        "Accompagnements de plus de 12 mois",
        "Dossiers clôturés depuis la dernière réunion",
    ]
    assert found["Orientations reçues depuis la dernière réunion"] == [ids["recue"]]
    assert found["Dossiers en retard"] == [ids["retard-accord"], ids["attente"]]  # most late first
    assert found["Diagnostics à terminer dans les 15 jours"] == [ids["diag-accord"]]
    assert found["Révisions d'accompagnement dans le mois"] == [ids["revision"]]
    assert found["Accompagnements de plus de 12 mois"] == [ids["long"]]
    assert found["Dossiers clôturés depuis la dernière réunion"] == [ids["close"]]
    everywhere = "".join(out.split("\n## ")[1:])
    for hidden in ("retard-sans", "diag-sans", "ancien"):
        assert ids[hidden] not in everywhere
    assert "2 ménages sans accord d'échanges" in out
    assert "Projet" in out  # a draft without --final
    assert "Famille" not in out  # the tableau de suivi's fields: no household name


def test_final_records_the_meeting_and_the_next_pack_starts_from_it(
    run: Run, cases: Path, scripted: dict[str, str]
) -> None:
    first = ok(run, "groupe", "--date", "2016-05-15")
    assert "aucune réunion précédente enregistrée : un mois" in first
    assert not (cases / "groupe-de-suivi.txt").exists()  # a draft records nothing
    before = snapshot(cases)
    result = run("groupe", "--date", "2016-05-15", "--final")
    assert result.code == 0 and "Version définitive" in result.out
    assert "enregistrée" in result.err
    changed = {k for k, v in snapshot(cases).items() if before.get(k) != v and ".git/" not in k}
    assert changed == {"groupe-de-suivi.txt", ".gitattributes"}
    assert (cases / "groupe-de-suivi.txt").read_text().splitlines()[1:] == ["2016-05-15"]
    assert "groupe-de-suivi.txt merge=union" in (cases / ".gitattributes").read_text()
    log = subprocess.run(["git", "-C", str(cases), "log", "-1", "--format=%s", "--name-only"],
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert log.split("\n")[0] == "dossier de cas: groupe de suivi du 2016-05-15"
    assert "groupe-de-suivi.txt" in log and ".gitattributes" in log
    following = ok(run, "groupe", "--date", MEETING)
    assert "depuis la réunion du 15/05/2016" in following
    assert sections(following)["Orientations reçues depuis la dernière réunion"] == [
        scripted["recue"]
    ]
    bad = run("groupe", "--date", MEETING, "--since", "2016-07-01")
    assert bad.code == 2 and "après la date de la réunion" in bad.err


def test_the_pack_documents_hold_the_same_sections(
    run: Run, tmp_path: Path, scripted: dict[str, str]
) -> None:
    from docx import Document

    texts = {}
    for suffix in (".md", ".html", ".docx"):
        out = tmp_path / f"groupe{suffix}"
        ok(run, "groupe", "--date", MEETING, "--since", "2016-05-15", "--output", str(out))
        assert (out.stat().st_mode & 0o777) == 0o600
        if suffix == ".docx":
            document = Document(io.BytesIO(out.read_bytes()))
            cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
            texts[suffix] = "\n".join([p.text for p in document.paragraphs] + cells)
            section = document.sections[0]
            assert (section.page_width.mm, section.page_height.mm) == pytest.approx((297, 210), 1)
        else:
            texts[suffix] = out.read_text()
    assert "@page { size: A4" in texts[".html"]
    for text in texts.values():
        assert "Dossiers en retard" in text and scripted["retard-accord"] in text
        assert scripted["retard-sans"] not in text
    bad = run("groupe", "--output", str(tmp_path / "groupe.pdf"))
    assert bad.code == 2 and ".docx" in bad.err


def test_an_empty_section_says_so_in_agreement_with_its_title(run: Run, tmp_path: Path) -> None:
    from docx import Document

    text = ok(run, "groupe", "--date", MEETING)  # an empty folder: every section empty
    assert "Orientations reçues depuis la dernière réunion (0)\n\nAucune." in text
    assert "Révisions d'accompagnement dans le mois (0)\n\nAucune." in text
    assert "Dossiers en retard (0)\n\nAucun." in text
    page = tmp_path / "groupe.html"
    ok(run, "groupe", "--date", MEETING, "--output", str(page))
    assert page.read_text().count('<p class="note">Aucune.</p>') == 2
    word = tmp_path / "groupe.docx"
    ok(run, "groupe", "--date", MEETING, "--output", str(word))
    paragraphs = [p.text for p in Document(io.BytesIO(word.read_bytes())).paragraphs]
    assert paragraphs.count("Aucune.") == 2 and paragraphs.count("Aucun.") == 4


def test_no_confidential_marker_reaches_the_pack(run: Run, demo: Path, tmp_path: Path) -> None:
    from docx import Document

    markers = plant_folder(demo)
    assert markers
    outputs = [run("groupe", "--date", "2015-06-30", "--since", "2015-01-01")]
    assert outputs[0].code == 0, outputs[0].err
    assert len(sections(outputs[0].out)["Dossiers clôturés depuis la dernière réunion"]) >= 3
    text = outputs[0].out + outputs[0].err
    for suffix in (".html", ".docx"):
        out = tmp_path / f"g{suffix}"
        ok(run, "groupe", "--date", "2015-06-30", "--since", "2015-01-01", "--output", str(out))
        if suffix == ".docx":
            document = Document(io.BytesIO(out.read_bytes()))
            text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
            text += "\n".join(p.text for p in document.paragraphs)
        else:
            text += out.read_text()
    assert MARKER not in text


# ---------------------------------------------------------------------------- the one rule


def test_the_sections_take_their_audience_from_the_fields_their_rule_reads() -> None:
    from visites.disclosure import Audience, check_lists, list_audience
    from visites.groupe import ADHESIONS_AWAITED, SECTIONS

    seen = {key: list_audience(key) for key in (*SECTIONS, ADHESIONS_AWAITED)}
    assert {k for k, a in seen.items() if a is Audience.ALWAYS} == {
        "referrals", "adhesions_awaited", "closed"}  # fmt: skip
    assert {k for k, a in seen.items() if a is Audience.CONSENT} == {
        "overdue", "diagnostics", "reviews", "long"}  # fmt: skip
    # A section whose rule would read a confidential field is refused, as a column is.
    with pytest.raises(ValueError, match="confidentiel"):
        check_lists({"problems": ("orientation_recue.date", "diagnostic.problematiques")})


def test_a_convention_that_widens_the_suivi_widens_the_pack(
    run: Run, cases: Path, scripted: dict[str, str]
) -> None:
    from test_export_suivi import widen

    widen(cases)
    out = ok(run, "groupe", "--date", MEETING, "--since", "2016-05-15")
    found = sections(out)
    ids = scripted
    assert found["Dossiers en retard"] == [ids["retard-accord"], ids["retard-sans"], ids["attente"]]
    assert found["Diagnostics à terminer dans les 15 jours"] == [ids["diag-accord"],
                                                                   ids["diag-sans"]]  # fmt: skip
    assert "sans accord d'échanges" not in out and ids["ancien"] not in out


def test_the_readme_says_where_a_household_without_consent_appears() -> None:
    from visites.groupe import who_is_listed

    readme = Path(__file__).resolve().parents[1] / "README.md"
    assert who_is_listed() in readme.read_text(encoding="utf-8"), (
        "README « Groupe de suivi » : recopiez la table de visites.groupe.who_is_listed()"
    )
