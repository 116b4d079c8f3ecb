"""Templates written by an attacker (templates/ travels through `sync`): they read nothing
outside the templates folders, and every bound (time, output size, range length, texts
built) ends in one French line naming the template; never a traceback, never a hang. Each
run goes through the real entry point, in a subprocess with a timeout."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.entry_point import visites
from visites.cli import main

SECRET = "MOTIFCONFIDENTIELQUASTRE"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a case the avis au bailleur applies to (oriented, consent to share),
    whose confidential reason is a marker."""
    folder = tmp_path_factory.mktemp("modeles") / "dossiers"
    assert main(["init", str(folder)]) == 0
    for args in (
        ["new-referral", "--household", "Famille Modèle", "--commune", "Nantes", "--context",
         "entree", "--referrer", "Mme Lebrun", "--date", "2015-01-12", "--reason", SECRET],
        ["consent", "2015-001", "--date", "2015-01-20", "--share"],
        ["orient", "2015-001", "--to", "accompagnement", "--date", "2015-03-01"],
    ):  # fmt: skip
        assert main(["--cases", str(folder), *args]) == 0
    return folder


@pytest.fixture
def folder(template: Path, tmp_path: Path) -> Path:
    import shutil

    copy = tmp_path / "dossiers"
    shutil.copytree(template, copy, symlinks=True)
    return copy


def avis(folder: Path) -> tuple[int, str, str]:
    ran = visites(folder, "document", "2015-001", "avis-bailleur", "--preview")
    return ran.code, ran.out, ran.err


def one_refusal(folder: Path, expected: str) -> None:
    code, out, err = avis(folder)
    assert code == 1, (out, err)
    assert SECRET not in out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "modèle avis-bailleur" in lines[0], err
    assert expected in lines[0], lines[0]


@pytest.mark.parametrize(("text", "expected"), [
    ("{% if dossier.id %}Bonjour", "syntaxe : bloc {% if %} jamais fermé : il manque {% endif %}"),
    ("{% pour x %}", "erreur de syntaxe : balise {% pour %} inconnue"),
    ("{{ 'Madame }}", "erreur de syntaxe : caractère ' inattendu (guillemet jamais fermé ?)"),
    ("{{ dossier.id }", "erreur de syntaxe : « } » inattendu"),
])  # fmt: skip
def test_a_syntax_error_is_told_in_french_with_its_line(folder, text: str, expected: str) -> None:
    (folder / "templates" / "avis-bailleur.html").write_text(f"<p>Madame,</p>\n{text}\n")
    one_refusal(folder, expected)
    assert "avis-bailleur.html:2: modèle avis-bailleur : erreur de syntaxe" in avis(folder)[2]


# ---------------------------------------------------------------------------- reading


def test_a_symlink_to_a_case_file_cannot_be_included_in_a_landlord_letter(folder) -> None:
    # The reproduction: the whole case file, every confidential field, in the avis.
    (folder / "templates" / "inc.html").symlink_to("../2015-001.yaml")
    (folder / "templates" / "avis-bailleur.html").write_text('{% include "inc.html" %}\n')
    one_refusal(folder, "« inc.html » refusé : ")
    assert "est un lien symbolique" in avis(folder)[2]


@pytest.mark.parametrize("name", [
    "../2015-001.yaml", "/etc/passwd", "../visites.yaml", "../../../../etc/hostname.html",
    "fiche-de-liaison.yaml", "sub/../../2015-001.yaml", "..\\\\2015-001.yaml",
])  # fmt: skip
def test_a_template_name_outside_the_folder_is_refused(folder, name: str) -> None:
    (folder / "templates" / "avis-bailleur.html").write_text(f'{{% include "{name}" %}}\n')
    one_refusal(folder, "refusé : un modèle est un fichier .html du dossier templates")


@pytest.mark.parametrize("statement", [
    '{% extends "../2015-001.yaml" %}', '{% import "../2015-001.yaml" as x %}',
    '{% from "../visites.yaml" import x %}',
])  # fmt: skip
def test_every_way_of_loading_a_template_is_checked(folder, statement: str) -> None:
    (folder / "templates" / "avis-bailleur.html").write_text(statement + "\n")
    one_refusal(folder, "refusé : un modèle est un fichier .html du dossier templates")


def test_a_hard_link_to_a_case_file_is_refused(folder) -> None:
    os.link(folder / "2015-001.yaml", folder / "templates" / "inc.html")
    (folder / "templates" / "avis-bailleur.html").write_text('{% include "inc.html" %}\n')
    one_refusal(folder, "(lien physique)")


def test_a_template_folder_that_is_a_symlink_is_refused(folder) -> None:
    (folder / "acces-2015-001.html").write_text(SECRET)  # an export saved in the folder
    (folder / "templates").rename(folder / "modeles")
    (folder / "templates").symlink_to(".")
    (folder / "avis-bailleur.html").write_text('{% include "acces-2015-001.html" %}\n')
    one_refusal(folder, "le dossier")
    assert "est un lien symbolique" in avis(folder)[2]


def test_the_letter_itself_as_a_symlink_is_refused(folder) -> None:
    target = folder / "templates" / "avis-bailleur.html"
    target.unlink()
    target.symlink_to("../2015-001.yaml")
    one_refusal(folder, "avis-bailleur.html est un lien symbolique")


def test_a_symlink_inside_a_subfolder_path_is_refused(folder) -> None:
    (folder / "templates" / "morceaux").symlink_to("..", target_is_directory=True)
    (folder / "templates" / "avis-bailleur.html").write_text(
        '{% include "morceaux/templates/_commun.html" %}\n'
    )
    one_refusal(folder, "morceaux est un lien symbolique")


def test_an_include_of_a_missing_template_names_it(folder) -> None:
    (folder / "templates" / "avis-bailleur.html").write_text('{% include "absent.html" %}\n')
    one_refusal(folder, "modèle inclus introuvable « absent.html »")


def test_templates_still_include_their_parts(folder) -> None:
    (folder / "templates" / "piece.html").write_text("<p>Pièce jointe.</p>\n")
    text = (folder / "templates" / "avis-bailleur.html").read_text()
    (folder / "templates" / "avis-bailleur.html").write_text(text + '{% include "piece.html" %}\n')
    code, out, err = avis(folder)
    assert code == 0, err
    assert "Pièce jointe." in out and SECRET not in out


# ---------------------------------------------------------------------------- doing

BOUNDS = {
    "range d'un milliard": ("{% for x in range(10**9) %}{% endfor %}", "range() trop long"),
    "boucles imbriquées": (
        "{% for x in range(100000) %}{% for y in range(100000) %}{% endfor %}{% endfor %}",
        "range() trop long"),
    "boucles imbriquées sous la borne": (
        "{% for x in range(10000) %}{% for y in range(10000) %}{% endfor %}{% endfor %}",
        "trop long à produire (plus de 3 secondes)"),
    "texte d'un milliard": ("{{ 'x'*10**9 }}", "texte trop long construit"),
    "liste d'un milliard": ("{{ [1]*10**9 }}", "texte trop long construit"),
    "sortie trop longue": ("{% for x in range(10000) %}{{ 'y'*1000 }}{% endfor %}",
                           "document trop long"),
    "texte doublé dans un namespace": (
        "{% set ns = namespace(s='xx') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}"
        "{% endfor %}", "texte trop long construit"),
    "texte doublé par une macro": ("{% macro f(s) %}{{ f(s ~ s) }}{% endmacro %}{{ f('x') }}",
                                   "texte trop long construit"),
    "macro sans fin": ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "appels sans fin"),
    "modèle qui s'inclut": ('{% include "avis-bailleur.html" %}', "appels sans fin"),
    "center": ("{{ 'x'|center(10**9) }}", "center : nombre trop grand"),
    "indent": ("{{ ('\\n'*100000)|indent(10000) }}", "texte trop long construit"),
    "replace": ("{{ ('x'*100000)|replace('x', 'x'*100000) }}", "texte trop long construit"),
    "join": ("{{ range(10000)|join('x'*100000) }}", "texte trop long construit"),
    "méthode join": ("{{ ('x'*100000).join(range(10000)|map('string')) }}",
                     "texte trop long construit"),
    "format %": ("{{ '%0999999999d' % 1 }}", "nombre trop grand"),
    "format filtre": ("{{ '%0999999999d'|format(1) }}", "nombre trop grand"),
    "format *": ("{{ '%*d' % (999999999, 1) }}", "largeur « * » interdite"),
    "str.format": ("{{ '{:>999999999}'.format(1) }}", "nombre trop grand"),
    "str.format imbriqué": ("{{ '{:>{w}}'.format(1, w=999999999) }}", "format imbriqué"),
    "méthode de remplissage": ("{{ 'x'.ljust(10**9) }}", "opération interdite"),
    "puissance": ("{{ 10**(10**10) }}", "puissance trop grande"),
    "lorem ipsum": ("{{ lipsum(10**9) }}", "variable inconnue « lipsum »"),
    "liste modifiée": ("{% set l = [1] %}{{ l.append(2) }}", "opération interdite"),
    "division par zéro": ("{{ 1/0 }}", "opération impossible (division par zéro)"),
    "types incompatibles": ("{{ 'a' - 1 }}", "opération impossible (types incompatibles)"),
    "Python": ("{{ ''.__class__.__mro__ }}", "opération interdite"),
}  # fmt: skip


@pytest.mark.parametrize("name", BOUNDS)
def test_every_bound_ends_in_one_french_line_naming_the_template(folder, name: str) -> None:
    source, expected = BOUNDS[name]
    (folder / "templates" / "avis-bailleur.html").write_text(source + "\n")
    one_refusal(folder, expected)


def test_a_hostile_template_changes_nothing(folder) -> None:
    before = {p: p.read_bytes() for p in folder.glob("*.yaml")}
    (folder / "templates" / "avis-bailleur.html").write_text("{{ 'x'*10**9 }}\n")
    ran = visites(folder, "document", "2015-001", "avis-bailleur", "--output",
                  str(folder.parent / "avis.docx"))  # fmt: skip
    assert ran.code == 1
    assert {p: p.read_bytes() for p in folder.glob("*.yaml")} == before  # no event recorded
    assert not (folder.parent / "avis.docx").exists()
