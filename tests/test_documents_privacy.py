"""What reaches the landlord: no confidential field in any document, and the avis only with
the household's consent to share."""

from __future__ import annotations

import io
from pathlib import Path

from pydantic import BaseModel

from tests.conftest import Run, referral, snapshot
from visites import model
from visites.documents.kinds import HOUSEHOLD_DOCUMENTS

MARK = "ZZCONFIDENTIEL"

# Every confidential field (model, French key) planted below. Refusal's motif cannot be: a
# refused case never reaches an orientation, so no avis and no attestation is ever made for it.
PLANTED = {
    ("Referral", "motif"), ("Member", "prenom"), ("Member", "role"), ("Member", "naissance"),
    ("Household", "membres"), ("Household", "telephone"), ("Case", "diagnostic"),
    ("Case", "evenements"), ("Diagnostic", "problematiques"), ("Diagnostic", "situation"),
    ("Diagnostic", "leviers"), ("Diagnostic", "reseau"), ("Event", "auteur"), ("Event", "note"),
    ("Adhesion", "information_rgpd"),  # a date: 17/01/2015, given nowhere else
    ("Appointment", "lieu"), ("Appointment", "note"), ("Cancellation", "note"),
    ("Handover", "note"),
    ("Event", "partenaire"), ("Case", "partenaires"), ("Involvement", "partenaire"),
    ("Involvement", "debut"), ("Involvement", "fin"), ("Involvement", "note"),
    ("Case", "objectifs"), ("Objective", "numero"), ("Objective", "texte"),
    ("Objective", "problematique"), ("Objective", "statuts"), ("StatusChange", "date"),
    ("StatusChange", "statut"), ("StatusChange", "note"), ("Case", "finances"),
    ("Statement", "date"), ("Statement", "dette_locative"), ("Statement", "ressources"),
    ("Statement", "loyer"), ("Statement", "aide_logement"), ("Statement", "plan_apurement"),
    ("Case", "origine"), ("Origin", "fichier"), ("Origin", "feuille"), ("Origin", "ligne"),
    ("Origin", "notes"), ("ImportedNote", "colonne"), ("ImportedNote", "texte"),
}  # fmt: skip
# The partner's dates, written as documents would write them: never in a document.
PARTNER_DATES = ("27/02/2015", "27 février 2015", "09/03/2015", "9 mars 2015")
# What a document addressed to the household may show of the above: its own objectives
# (their text, and the problem domain each answers).
OWN = (f"{MARK}-objectif", "zzconfidentiel-domaine")
# Amounts planted below: never in any document (the household's included).
AMOUNTS = ("91234", "91 234", "91\u00a0234", "8765", "8 765", "8\u00a0765", "432,1", "543,2")
NOT_PLANTABLE = {("Refusal", "motif")}

CASE = f"""\
id: 2015-001
orientation_recue:
  date: 2015-01-12
  contexte: entree
  prescripteur: Mme Prescriptrice
  motif: {MARK}-motif
menage:
  nom: Famille Partage
  membres:
    - {{prenom: {MARK}-prenom, role: {MARK}-role, naissance: 1901}}
  adresse: 3 rue Exemple
  commune: Nantes
  telephone: {MARK}-telephone
referent: Claire Dubois
referents:
  - {{nom: Karim Benali, depuis: 2015-02-01, note: {MARK}-transfert}}
adhesion:
  date: 2015-01-20
  mode: tripartite
  accord_echanges_bailleur: 2015-01-20
  information_rgpd: 2015-01-17
diagnostic:
  problematiques: [zzconfidentiel-domaine]
  situation: {MARK}-situation
  leviers: {MARK}-leviers
  reseau: {MARK}-reseau
orientation:
  date: 2015-03-10
  vers: accompagnement
  preconisations: Plan d'apurement.
accompagnement:
  debut: 2015-03-10
partenaires:
  - partenaire: zzconfidentiel-partenaire
    debut: 2015-02-27
    fin: 2015-03-09
    note: {MARK}-partenaire
objectifs:
  - numero: 1
    texte: {MARK}-objectif
    problematique: zzconfidentiel-domaine
    statuts:
      - {{date: 2015-03-10, statut: en-cours, note: {MARK}-statut}}
finances:
  - date: 2015-01-20
    dette_locative: 91234.56
    ressources: 8765.43
    loyer: 432.1
    aide_logement: 543.2
    plan_apurement: true
evenements:
  - date: 2015-01-20
    type: tripartite
    partenaire: zzconfidentiel-partenaire
    auteur: {MARK}-auteur
    note: {MARK}-note
rendez_vous:
  - date: 2015-03-20
    heure: 14:30
    type: tripartite
    lieu: {MARK}-lieu
    note: {MARK}-note-rdv
  - date: 2015-03-18
    heure: 09:00
    lieu: {MARK}-lieu-annule
    annulation:
      date: 2015-03-11
      note: {MARK}-annulation
origine:
  fichier: {MARK}-fichier.xlsx
  feuille: {MARK}-feuille
  ligne: 9137
  notes:
    - {{colonne: {MARK}-colonne, texte: {MARK}-observation}}
"""


def _confidential_fields() -> set[tuple[str, str]]:
    found = set()
    for name in dir(model):
        cls = getattr(model, name)
        if (
            isinstance(cls, type)
            and issubclass(cls, BaseModel)
            and cls.__module__ == model.__name__
        ):
            if name.startswith("_"):
                continue
            for key, (share, _personal) in model.field_classes(cls).items():
                if share == model.CONFIDENTIAL:
                    found.add((name, key))
    return found


def test_every_confidential_field_is_planted() -> None:
    assert _confidential_fields() == PLANTED | NOT_PLANTABLE


def test_no_document_carries_a_confidential_field(run: Run, cases: Path, tmp_path: Path) -> None:
    settings = cases / "visites.yaml"
    listed = "problematiques: [budget-impayes,"
    assert listed in settings.read_text()
    partners = "partenaires: [CCAS,"
    settings.write_text(settings.read_text().replace(listed, listed + " zzconfidentiel-domaine,")
                        .replace(partners, partners + " zzconfidentiel-partenaire,"))  # fmt: skip
    (cases / "2015-001.yaml").write_text(CASE)
    assert run("check").code == 0, run("check").out
    from docx import Document

    for kind in ("avis-bailleur", "attestation-accompagnement", "convocation-tripartite",
                 "notice-rgpd", "projet-accompagnement"):  # fmt: skip
        extra = ("--meeting", "2015-03-20", "--place", "ici") if "convocation" in kind else ()
        for suffix in (".md", ".html", ".docx"):
            out = tmp_path / f"{kind}{suffix}"
            result = run("document", "2015-001", kind, "--date", "2015-03-12", "-o", str(out),
                         "--preview", *extra)  # fmt: skip
            assert result.code == 0, result.err
            raw = out.read_bytes()
            text = raw.decode("utf-8", "replace")
            if suffix == ".docx":
                text = "\n".join(p.text for p in Document(io.BytesIO(raw)).paragraphs)
            assert "Famille Partage" in text  # the document is really there
            own = OWN if kind in HOUSEHOLD_DOCUMENTS else ()
            if own:
                assert OWN[0] in text, (kind, suffix)  # the household's objectives are there
            for allowed in own:
                text = text.replace(allowed, "")
            assert MARK.lower() not in text.lower(), (kind, suffix)
            assert "1901" not in text and "9137" not in text, (kind, suffix)
            assert not [a for a in AMOUNTS if a in text], (kind, suffix)
            assert "Karim Benali" in text and "Claire Dubois" not in text  # in charge then
            assert "17/01/2015" not in text and "17 janvier 2015" not in text, (kind, suffix)
            assert not [day for day in PARTNER_DATES if day in text], (kind, suffix)


def test_avis_bailleur_is_refused_without_recorded_consent(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    case_id = referral(run)
    before = snapshot(cases)
    early = run("document", case_id, "avis-bailleur", "--date", "2015-01-13")
    assert early.code == 1 and "pas encore d'orientation" in early.err
    assert run("consent", case_id, "--date", "2015-01-20").code == 0  # without --share
    assert run("orient", case_id, "--to", "sans-suite", "--date", "2015-02-10").code == 0
    before = snapshot(cases)
    out = tmp_path / "avis.docx"
    refused = run("document", case_id, "avis-bailleur", "--date", "2015-02-11", "-o", str(out))
    assert refused.code == 1
    assert "accord aux échanges avec le bailleur" in refused.err and case_id in refused.err
    assert not out.exists() and snapshot(cases) == before
