"""`visites document`: every template, every format, overrides, privacy, strict variables."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest

from tests.conftest import Run, referral, snapshot

KINDS = ("courrier-proposition", "convocation-tripartite", "avis-bailleur",
         "attestation-accompagnement")  # fmt: skip
MEETING = ("--meeting", "2015-03-20 14:30", "--place", "à l'agence Nantes Nord")


def docx_text(path: Path) -> str:
    from docx import Document

    return "\n".join(p.text for p in Document(io.BytesIO(path.read_bytes())).paragraphs)


def html_text(path: Path) -> str:
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text()))


def read_back(path: Path) -> str:
    return docx_text(path) if path.suffix == ".docx" else (
        html_text(path) if path.suffix == ".html" else path.read_text()
    )  # fmt: skip


def make_cases(run: Run) -> dict[str, str]:
    """One case per point of the workflow, built through the CLI."""
    address = ("--address", "12 rue des Olivettes, apt 34")
    made = {
        "referral": referral(run, "Famille Orientee", "2015-01-05", referent="Claire Dubois"),
        "diagnostic": referral(run, "Famille Diagnostic", "2015-01-06"),
        "accompaniment": referral(run, "Famille Accompagnee", "2015-01-07"),
        "closed": referral(run, "Famille Close", "2015-01-08", commune="Rezé"),
        "measure": referral(run, "Famille Relais", "2015-01-09"),
    }
    for case_id in made.values():
        assert run("event", case_id, "--kind", "visite", "--date", "2015-01-10").code == 0
    for case_id in list(made.values())[1:]:
        assert run("consent", case_id, "--date", "2015-01-20", "--share").code == 0
    assert run("new-referral", "--household", "Famille Adresse", "--commune", "Vertou",
               "--context", "en-cours", "--referrer", "M. Prescripteur", "--date",
               "2015-01-11", *address).code == 0  # fmt: skip
    made["address"] = "2015-006"
    for key in ("accompaniment", "closed"):
        result = run("orient", made[key], "--to", "accompagnement", "--date", "2015-03-02",
                     "--recommendations", "Plan d'apurement avec le bailleur.")  # fmt: skip
        assert result.code == 0, result.err
    assert run("close", made["closed"], "--date", "2015-03-09", "--outcome",
               "maintien dans le logement").code == 0  # fmt: skip
    result = run("orient", made["measure"], "--to", "droit-commun", "--measure", "ASLL",
                 "--date", "2015-03-03")  # fmt: skip
    assert result.code == 0, result.err
    return made


NAMES = {"referral": "Famille Orientee", "diagnostic": "Famille Diagnostic",
         "accompaniment": "Famille Accompagnee", "closed": "Famille Close",
         "measure": "Famille Relais", "address": "Famille Adresse"}  # fmt: skip
APPLIES = {
    "courrier-proposition": {"address"},  # posted: refused without the household's address
    "convocation-tripartite": {"referral", "address", "diagnostic", "accompaniment"},
    "avis-bailleur": {"accompaniment", "closed", "measure"},
    "attestation-accompagnement": {"accompaniment", "closed"},
}


def test_every_template_renders_in_every_format_where_it_applies(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    made = make_cases(run)
    for kind in KINDS:
        for key, case_id in made.items():
            extra = MEETING if kind == "convocation-tripartite" else ()
            if key not in APPLIES[kind]:
                before = snapshot(cases)
                result = run("document", case_id, kind, "--date", "2015-03-12", *extra)
                assert result.code == 1, (kind, key)
                assert f"{kind} impossible" in result.err
                assert snapshot(cases) == before
                continue
            for suffix in (".md", ".html", ".docx"):
                out = tmp_path / f"{case_id}-{kind}{suffix}"
                result = run("document", case_id, kind, "--date", "2015-03-12", "-o", str(out),
                             "--preview", *extra)  # fmt: skip
                assert result.code == 0, (kind, key, result.err)
                text = read_back(out)
                assert "le 12 mars 2015" in text, (kind, key, suffix)
                assert NAMES[key] in text, (kind, key, suffix)
                if kind in ("courrier-proposition", "convocation-tripartite") and key == "address":
                    assert "12 rue des Olivettes, apt 34" in text and "VERTOU" in text
                if kind == "convocation-tripartite":
                    assert "le 20 mars 2015 à 14 h 30, à l'agence Nantes Nord" in text
                if kind == "avis-bailleur":
                    assert "Orientation" in text
                    expected = ("Mesures de droit commun : ASLL" if key == "measure"
                                else "Accompagnement personnalisé")  # fmt: skip
                    assert expected in text, (key, suffix)
                if kind == "attestation-accompagnement" and key == "closed":
                    assert "du 2 mars 2015 au 9 mars 2015" in text


def test_a_document_is_recorded_as_a_courrier_event_and_written_private(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    case_id = referral(run, referent="Claire Dubois", address="12 rue des Olivettes")
    out = tmp_path / "courrier.html"
    result = run("document", case_id, "courrier-proposition", "--date", "2015-01-13", "-o",
                 str(out))  # fmt: skip
    assert result.code == 0, result.err
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    shown = run("show", case_id, "--json").out
    assert '"kind": "courrier"' in shown
    assert '"note": "document produit : courrier-proposition"' in shown
    # --preview and the md on screen: the letter is printed, the case changes only without it.
    before = snapshot(cases)
    preview = run("document", case_id, "courrier-proposition", "--date", "2015-01-14",
                  "--preview")  # fmt: skip
    assert preview.code == 0 and "**Objet : proposition d'une visite sociale**" in preview.out
    assert snapshot(cases) == before
    printed = run("document", case_id, "courrier-proposition", "--date", "2015-01-14")
    assert printed.code == 0 and "le 14 janvier 2015" in printed.out
    assert snapshot(cases) != before


def test_a_refused_document_writes_neither_file_nor_event(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    case_id = referral(run, address="12 rue des Olivettes")
    before = snapshot(cases)
    out = tmp_path / "x.docx"
    future = run("document", case_id, "courrier-proposition", "--date", "2099-01-01", "-o",
                 str(out))  # fmt: skip
    assert future.code == 2 and "futur" in future.err
    no_meeting = run("document", case_id, "convocation-tripartite", "-o", str(out))
    assert no_meeting.code == 2 and "--meeting" in no_meeting.err
    odt = run("document", case_id, "courrier-proposition", "-o", str(tmp_path / "x.odt"))
    assert odt.code == 2 and ".docx" in odt.err
    assert not out.exists() and snapshot(cases) == before


def test_a_template_in_the_case_folder_wins_over_the_default(run: Run, cases: Path) -> None:
    case_id = referral(run, address="12 rue des Olivettes")
    own = cases / "templates" / "courrier-proposition.html"
    assert own.is_file()  # `visites init` copied the defaults
    own.write_text('<p class="objet">Objet : notre propre courrier</p>\n'
                   "<p>Bonjour {{ dossier.menage.nom }}, le {{ date|longue }}.</p>\n")  # fmt: skip
    result = run("document", case_id, "courrier-proposition", "--date", "2015-01-13", "--preview")
    assert result.code == 0, result.err
    assert "Objet : notre propre courrier" in result.out
    assert "Bonjour Famille Essai, le 13 janvier 2015." in result.out
    own.unlink()  # back to visites' own template
    result = run("document", case_id, "courrier-proposition", "--date", "2015-01-13", "--preview")
    assert "proposition d'une visite sociale" in result.out


@pytest.mark.parametrize(
    ("expression", "named"),
    [("{{ xyz }}", "variable inconnue « xyz »"),
     ("{% if xyz %}x{% endif %}", "variable inconnue « xyz »"),
     ("{{ dossier.menage.xyz }}", "variable inconnue « dossier.menage.xyz »"),
     ("{{ dossier.orientation_recue.date_butoir }}",
      "« dossier.orientation_recue.date_butoir » est vide")],
)  # fmt: skip
def test_a_template_with_an_unknown_variable_fails_naming_template_and_variable(
    run: Run, cases: Path, expression: str, named: str
) -> None:
    case_id = referral(run, address="12 rue des Olivettes")
    own = cases / "templates" / "courrier-proposition.html"
    own.write_text("<p>Bonjour,</p>\n<p>" + expression + "</p>\n")
    before = snapshot(cases)
    result = run("document", case_id, "courrier-proposition", "--date", "2015-01-13")
    assert result.code == 1
    assert "modèle courrier-proposition : " + named in result.err
    assert f"{own}:2:" in result.err  # the template's file and line
    assert result.out == "" and snapshot(cases) == before


def test_templates_cannot_reach_python(run: Run, cases: Path) -> None:
    case_id = referral(run, address="12 rue des Olivettes")
    own = cases / "templates" / "courrier-proposition.html"
    own.write_text("<p>{{ dossier.__class__.__mro__ }}</p>\n")
    result = run("document", case_id, "courrier-proposition", "--date", "2015-01-13")
    assert result.code == 1 and "modèle courrier-proposition" in result.err
    own.write_text("<table><tr><td>x</td></tr></table>\n")
    result = run("document", case_id, "courrier-proposition", "--date", "2015-01-13")
    assert result.code == 1 and "balise <table> non prise en charge" in result.err


def test_values_from_the_case_stay_text_in_every_format(run: Run, tmp_path: Path) -> None:
    case_id = referral(run, "Famille <b>Dupont</b> & # fils", address="*1* rue [x](y)")
    page = tmp_path / "c.html"
    assert run("document", case_id, "courrier-proposition", "--date", "2015-01-13", "-o",
               str(page), "--preview").code == 0  # fmt: skip
    assert "Famille &lt;b&gt;Dupont&lt;/b&gt; &amp; # fils" in page.read_text()
    shown = run("document", case_id, "courrier-proposition", "--date", "2015-01-13", "--preview")
    assert "Famille \\<b\\>Dupont\\</b\\> & # fils" in shown.out
    assert "\\*1\\* rue \\[x\\](y)" in shown.out


def test_init_copies_the_templates_and_the_package_ships_one_copy(cases: Path) -> None:
    from visites.documents.templates import default_folder

    shipped = sorted(p.name for p in default_folder().iterdir())
    assert {f"{kind}.html" for kind in KINDS} <= set(shipped)
    assert "fiche-de-liaison.yaml" in shipped and "LISEZMOI.md" in shipped
    assert sorted(p.name for p in (cases / "templates").iterdir()) == shipped
    top = Path(__file__).parents[1] / "templates"
    assert top.is_symlink() and top.resolve() == default_folder().resolve()


DEMO = Path(__file__).parents[1] / "cases"


def test_every_template_renders_for_every_demo_case_where_it_applies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    from visites.cli import main
    from visites.documents.kinds import refusal
    from visites.store import Folder

    folder = tmp_path / "demo"
    shutil.copytree(DEMO, folder)
    demo = Folder(folder).load_all()
    assert len(demo.cases) >= 10 and not [p for p in demo.problems if p.is_error]
    rendered = dict.fromkeys(KINDS, 0)
    for number, case in enumerate(demo.cases):
        for index, kind in enumerate(KINDS):
            extra = ["--meeting", "2099-01-01", "--place", "ici"] if "convocation" in kind else []
            # Each format in turn: every format meets every kind over the demo cases.
            for suffix in ((".md", ".html", ".docx")[(number + index) % 3],):
                out = tmp_path / f"{case.id}-{kind}{suffix}"
                capsys.readouterr()
                code = main(["--cases", str(folder), "document", case.id, kind, "--date",
                             "2016-06-30", "-o", str(out), "--preview", *extra])  # fmt: skip
                err = capsys.readouterr().err
                if refusal(case, kind):
                    assert code == 1 and f"{kind} impossible" in err, (case.id, kind)
                    break
                assert code == 0, (case.id, kind, err)
                text = read_back(out)
                assert case.household.name in text and "le 30 juin 2016" in text
                if kind == "avis-bailleur":
                    assert case.orientation is not None
                    assert "Orientation" in text
                rendered[kind] += 1
    assert all(rendered.values()), rendered  # every kind applies to some demo case


def test_a_document_shows_the_case_as_it_stood_on_its_date(run: Run, tmp_path: Path) -> None:
    case_id = referral(run, "Famille Datee", "2015-01-12", address="4 allée des Tilleuls")
    assert run("consent", case_id, "--date", "2015-01-20", "--share").code == 0
    assert run("orient", case_id, "--to", "accompagnement", "--date", "2015-03-10").code == 0
    closed = run("close", case_id, "--date", "2016-01-29", "--outcome",
                 "maintien dans le logement")  # fmt: skip
    assert closed.code == 0, closed.err
    then = run("document", case_id, "avis-bailleur", "--date", "2015-03-15", "--preview")
    assert then.code == 0, then.err
    assert "clôturé" not in then.out and "29 janvier 2016" not in then.out
    assert "L'association accompagne le ménage depuis le 10 mars 2015" in then.out
    later = run("document", case_id, "avis-bailleur", "--date", "2016-02-01", "--preview")
    assert "Le dossier a été clôturé le 29 janvier 2016" in later.out
    # The courrier de proposition precedes the adhesion: dated before it, it still applies.
    early = run("document", case_id, "courrier-proposition", "--date", "2015-01-15", "--preview")
    assert early.code == 0, early.err
    assert run("document", case_id, "courrier-proposition", "--date", "2015-02-01",
               "--preview").code == 1  # fmt: skip
    before = run("document", case_id, "courrier-proposition", "--date", "2015-01-05")
    assert before.code == 1
    assert "la fiche de liaison n'a été reçue que le 12/01/2015" in before.err


def test_a_posted_document_without_an_address_is_refused_or_warned(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    case_id = referral(run, "Famille Sans Adresse", "2015-01-12")
    before = snapshot(cases)
    out = tmp_path / "courrier.docx"
    letter = run("document", case_id, "courrier-proposition", "--date", "2015-01-13", "-o",
                 str(out))  # fmt: skip
    assert letter.code == 1 and "menage.adresse" in letter.err
    assert f"visites edit {case_id}" in letter.err
    assert not out.exists() and snapshot(cases) == before
    convocation = run("document", case_id, "convocation-tripartite", "--date", "2015-01-13",
                      "--preview", *MEETING)  # fmt: skip
    assert convocation.code == 0, convocation.err
    assert "attention : " in convocation.err and "menage.adresse" in convocation.err
    assert "Famille Sans Adresse\\\nNANTES" in convocation.out  # the name, the commune only
    addressed = referral(run, "Famille Adressee", "2015-01-12", address="7 rue de la Paix")
    fine = run("document", addressed, "convocation-tripartite", "--date", "2015-01-13",
               "--preview", *MEETING)  # fmt: skip
    assert fine.code == 0 and "attention" not in fine.err


def test_de_is_elided_before_a_vowel_in_letters(run: Run) -> None:
    result = run("new-referral", "--household", "Famille Elision", "--commune", "Nantes",
                 "--context", "entree", "--referrer", "Isabelle Martin",
                 "--date", "2015-01-12")  # fmt: skip
    case_id = result.out.strip()
    assert run("consent", case_id, "--date", "2015-01-20", "--share").code == 0
    assert run("orient", case_id, "--to", "sans-suite", "--date", "2015-03-10").code == 0
    avis = run("document", case_id, "avis-bailleur", "--date", "2015-03-15", "--preview")
    assert avis.code == 0, avis.err
    assert "À l'attention d'Isabelle Martin" in avis.out
