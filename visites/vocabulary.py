"""One vocabulary: each code the tool stores or computes, and the French words people read.

Files and `--json` keep the codes (`en-cours`, `droit-commun`, `accompaniment`); people read
labels (« en cours de location », « mesures de droit commun », « accompagnement »). Every
renderer (terminal, access export, documents, bilan, tableau de suivi, history) takes its
labels from the tables below, and from nowhere else: a new code (an event kind, a problem
domain, a mode) gets its label here, once, and `tests/test_vocabulary.py` fails on a code
without one. Light to import (the standard library and `phases` only: no pydantic, no Rich),
so that a status served from the index cache can read it.

Values that are already French words are their own labels: the measures (ASLL, AVDL… the
acronyms people use), the closure outcomes (« maintien dans le logement »), the communes.

JSON conventions, for every new key of a `--json` output or a JSON export:
- keys are English snake_case (`days_overdue`, `problem_domains`);
- stored codes are given verbatim, never translated: as values (`"context": "en-cours"`) or
  as the keys of a count (`{"en-cours": 12, "accord-collectif": 3}`);
- rates are fractions from 0 to 1 (`0.25`), not percentages;
- `"none"` means « recorded as none » (the household said it has no debt), `"unknown"` means
  « not recorded » (nobody asked yet): the two are never merged, and never written `null`.
Existing keys and values stay as they are (`phase_fr`, `due_reason` in French,
`budget.consumed_pct` in percent): scripts read them.
"""

from __future__ import annotations

from collections.abc import Mapping

from visites.phases import Context, Outcome, Phase

# ---------------------------------------------------------------------------- the workflow

PHASE_LABELS: dict[str, str] = {
    Phase.REFERRAL: "orientation reçue",
    Phase.DIAGNOSTIC: "diagnostic",
    Phase.ACCOMPANIMENT: "accompagnement",
    Phase.CLOSED: "clôturé",
}
# What is to be done next, by phase: the status table's « Étape » column. The phase is in
# the words (the adhesion is awaited in the referral phase, a diagnostic is to be finished,
# an accompaniment is to be reviewed), so one short column says both.
NEXT_STEP_LABELS: dict[str, str] = {
    Phase.REFERRAL: "adhésion à recueillir",
    Phase.DIAGNOSTIC: "diagnostic à terminer",
    Phase.ACCOMPANIMENT: "révision",
    Phase.CLOSED: "clôturé",
}
# The phases' names in options (`status --phase cloture`): the labels above, written without
# accents or spaces (`matching.normalise` makes each the same word as its label).
PHASE_OPTION_NAMES: dict[str, str] = {
    Phase.REFERRAL: "orientation-recue",
    Phase.DIAGNOSTIC: "diagnostic",
    Phase.ACCOMPANIMENT: "accompagnement",
    Phase.CLOSED: "cloture",
}
# What else people may type after --phase: the English code, or another French word for it.
PHASE_NAMES: dict[str, Phase] = {
    **{phase.value: phase for phase in Phase},
    "orientation-recue": Phase.REFERRAL,
    "recue": Phase.REFERRAL,
    "accompagnement": Phase.ACCOMPANIMENT,
    "cloture": Phase.CLOSED,
    "clos": Phase.CLOSED,
}

# The referral's context (`contexte` in the case file).
CONTEXT_LABELS: dict[str, str] = {
    Context.ENTREE: "entrée dans les lieux",
    Context.EN_COURS: "en cours de location",
}

# The four orientations (`orientation.vers`), in the order of the project document.
OUTCOME_LABELS: dict[str, str] = {
    Outcome.SANS_SUITE: "sans suite",
    Outcome.REMOBILISATION: "action « remobilisation »",
    Outcome.ACCOMPAGNEMENT: "accompagnement personnalisé",
    Outcome.DROIT_COMMUN: "mesures de droit commun",
}

# Other words people use for an orientation (« DC » for droit commun, DOMAIN.md); the labels
# above and the codes are understood too, case, accents and hyphens aside.
ORIENTATION_ALIASES: dict[str, str] = {
    "DC": Outcome.DROIT_COMMUN,
    "mesures existantes": Outcome.DROIT_COMMUN,
    "accompagnement perso": Outcome.ACCOMPAGNEMENT,
}

# How the adhesion was obtained (`adhesion.mode`).
MODE_LABELS: dict[str, str] = {
    "tripartite": "rencontre tripartite",
    "courrier": "courrier du bailleur",
}

# ---------------------------------------------------------------------------- the timeline

# One event (`evenements[].type`), and the same counted (the bilan's rows).
EVENT_LABELS: dict[str, str] = {
    "visite": "visite à domicile",
    "tripartite": "rencontre tripartite",
    "telephone": "appel téléphonique",
    "courrier": "courrier",
    "entretien": "entretien",
    "absence": "absence au rendez-vous",
    "transfert": "changement de référent(e)",
}
EVENT_COUNT_LABELS: dict[str, str] = {
    "visite": "visites à domicile",
    "tripartite": "rencontres tripartites",
    "telephone": "appels téléphoniques",
    "courrier": "courriers",
    "entretien": "entretiens",
    "absence": "absences au rendez-vous",
    "transfert": "changements de référent(e)",
}

# ---------------------------------------------------------------------------- the agenda

# An appointment's kind (`rendez_vous[].type`): the calendar's titles, capitalised.
APPOINTMENT_LABELS: dict[str, str] = {
    "visite": "visite à domicile",
    "tripartite": "rencontre tripartite",
    "entretien": "entretien",
    "telephone": "rendez-vous téléphonique",
}
# An appointment's state, derived from the timeline (`appointments.state`); `--json` gives
# the codes.
APPOINTMENT_STATE_LABELS: dict[str, str] = {
    "planned": "prévu",
    "done": "fait",
    "missed": "manqué, ménage absent",
    "cancelled": "annulé",
    "to_fill": "à renseigner",
}
# A deadline in the agenda (`agenda --json` gives the codes): the words of `deadlines`.
DEADLINE_LABELS: dict[str, str] = {
    "adhesion_due": "adhésion attendue",
    "diagnostic_due": "fin du diagnostic",
    "review_due": "révision",
    "landlord_deadline": "date butoir",
}

# ---------------------------------------------------------------------------- the diagnostic

# The default problem domains (`listes.problematiques` in visites.yaml). A folder may add
# its own: `label` shows those as they are written.
PROBLEM_DOMAIN_LABELS: dict[str, str] = {
    "budget-impayes": "Budget / impayés",
    "dettes": "Dettes",
    "acces-aux-droits": "Accès aux droits",
    "emploi": "Emploi",
    "sante": "Santé",
    "liens-familiaux": "Liens familiaux",
    "isolement": "Isolement",
    "usage-du-logement": "Usage du logement",
    "voisinage": "Voisinage",
    "demarches-administratives": "Démarches administratives",
}

# ---------------------------------------------------------------------------- the household

# The default household typologies (`listes.typologies` in visites.yaml); `menage.typologie`.
TYPOLOGY_LABELS: dict[str, str] = {
    "personne-seule": "personne seule",
    "couple-sans-enfant": "couple sans enfant",
    "couple-avec-enfants": "couple avec enfants",
    "famille-monoparentale": "famille monoparentale",
    "autre": "autre composition",
}

# The call's priority publics (`menage.publics_prioritaires`), a fixed list; `aucun` records
# that the household belongs to none of them (distinct from « not recorded »).
PRIORITY_LABELS: dict[str, str] = {
    "dalo": "éligible au DALO",
    "accord-collectif": "accords collectifs",
    "pdalpd": "public du PDALPD",
    "aucun": "aucun public prioritaire",
}

# The dwelling's type (`menage.logement`), a fixed list.
HOUSING_LABELS: dict[str, str] = {
    "T1": "T1 (1 pièce)",
    "T2": "T2 (2 pièces)",
    "T3": "T3 (3 pièces)",
    "T4": "T4 (4 pièces)",
    "T5": "T5 (5 pièces)",
    "T6+": "T6 ou plus",
}

# The default partners mobilised around the household (`listes.partenaires` in
# visites.yaml); `partenaires[].partenaire` and `evenements[].partenaire`.
PARTNER_LABELS: dict[str, str] = {
    "CCAS": "CCAS",
    "CAF": "CAF",
    "CPAM": "CPAM",
    "CMS": "service social départemental (CMS)",
    "france-travail": "France Travail",
    "mission-locale": "mission locale",
    "CMP": "CMP / santé mentale",
    "PMI": "PMI",
    "banque-de-france": "Banque de France (surendettement)",
    "FSL": "FSL",
    "association-tutelaire": "association tutélaire",
    "autre": "autre partenaire",
}

# What the bilan's « Publics » tables write for a household with nothing recorded.
NOT_RECORDED = "non renseigné"

# ---------------------------------------------------------------------------- the project

# One objective's status (`objectifs[].statuts[].statut`), and the same counted (the bilan).
OBJECTIVE_STATUS_LABELS: dict[str, str] = {
    "en-cours": "en cours",
    "atteint": "atteint",
    "partiel": "partiellement atteint",
    "non-atteint": "non atteint",
    "abandonne": "abandonné",
}
OBJECTIVE_STATUS_COUNT_LABELS: dict[str, str] = {
    "en-cours": "encore en cours à la clôture",
    "atteint": "atteints",
    "partiel": "partiellement atteints",
    "non-atteint": "non atteints",
    "abandonne": "abandonnés",
}

# The figures of a financial statement (`finances[]`), as the case view names them.
STATEMENT_LABELS: dict[str, str] = {
    "dette_locative": "dette locative",
    "ressources": "ressources mensuelles",
    "loyer": "loyer charges comprises",
    "aide_logement": "APL / AL",
    "plan_apurement": "plan d'apurement",
}

# ---------------------------------------------------------------------------- money

# The unit of a figure of the bilan (the comparison's CSV names it in a column of its own).
UNIT_LABELS: dict[str, str] = {
    "": "nombre",
    "€": "euros",
    "%": "pourcentage (évolution en points)",
    "j": "jours",
    "mois": "mois",
}

# `facturation.accompagnement` in visites.yaml.
BILLING_LABELS: dict[str, str] = {
    "mois-entame": "tout mois commencé est facturé",
    "prorata": "au prorata des jours du mois",
}

# How `costs --by` groups the spending (`--json` keeps the code).
GROUPING_LABELS: dict[str, str] = {
    "month": "mois",
    "referent": "référent(e)",
    "commune": "commune",
}
# Other words people type for them.
GROUPING_NAMES: dict[str, str] = {"referente": "referent", "referent-e": "referent"}

# ---------------------------------------------------------------------------- documents

# Template name → what the document is (messages, and the note of its event).
DOCUMENT_LABELS: dict[str, str] = {
    "courrier-proposition": "courrier du bailleur proposant la visite sociale",
    "convocation-tripartite": "convocation à la rencontre tripartite",
    "avis-bailleur": "avis et préconisations de l'association au bailleur",
    "attestation-accompagnement": "attestation d'accompagnement personnalisé",
    "notice-rgpd": "notice d'information du ménage sur ses données (RGPD, art. 13)",
    "projet-accompagnement": "projet d'accompagnement personnalisé, à signer avec le ménage",
}
# Who each document is addressed to: the household's own documents carry its name and
# address and go to it; the avis goes to the landlord, and needs the consent to share.
DOCUMENT_ADDRESSED_TO: dict[str, str] = {
    "courrier-proposition": "ménage",
    "convocation-tripartite": "ménage",
    "avis-bailleur": "bailleur",
    "attestation-accompagnement": "ménage",
    "notice-rgpd": "ménage",
    "projet-accompagnement": "ménage",
}

# A référent(e) without a job title in visites.yaml signs with the word its form of address
# (`civilite`, lower case) agrees with.
REFERENT_BY_CIVILITY: dict[str, str] = {
    "mme": "Référente",
    "m.": "Référent",
    "m": "Référent",
}

# ---------------------------------------------------------------------------- the case file

# The keys of a case file as the history names them (« ménage › téléphone modifié »).
# A key without a label is shown as it is written in the file.
FIELD_LABELS: dict[str, str] = {
    "id": "identifiant",
    "orientation_recue": "fiche de liaison",
    "menage": "ménage",
    "referent": "référent(e)",
    "referents": "référent(e)s successifs",
    "jusqu_au": "jusqu'au",
    "depuis": "depuis",
    "adhesion": "adhésion",
    "refus": "refus",
    "diagnostic": "diagnostic",
    "orientation": "orientation",
    "accompagnement": "accompagnement",
    "cloture": "clôture",
    "evenements": "événements",
    "rendez_vous": "rendez-vous",
    "telephone": "téléphone",
    "adresse": "adresse",
    "commune": "commune",
    "nom": "nom",
    "membres": "membres",
    "date": "date",
    "vers": "vers",
    "mesure": "mesure",
    "issue": "issue",
    "renouvellements": "renouvellements",
    "problematiques": "problématiques",
    "objectifs": "objectifs",
    "finances": "situation financière",
    "conflit_visites": "conflit de fusion",
    "typologie": "typologie",
    "taille": "taille",
    "publics_prioritaires": "publics prioritaires",
    "logement": "logement",
    "partenaires": "partenaires mobilisés",
    "partenaire": "partenaire",
    "debut": "début",
    "fin": "fin",
    "deja_connu": "ménage déjà connu",
    "origine": "origine (tableau importé)",
    "fichier": "fichier",
    "feuille": "feuille",
    "ligne": "ligne",
    "notes": "notes",
    "colonne": "colonne",
    "texte": "texte",
}

# ---------------------------------------------------------------------------- import

# What a column of a tableau de suivi fills (`visites import`, the mapping's `colonnes:`).
IMPORT_FIELD_LABELS: dict[str, str] = {
    "nom": "nom du ménage",
    "adresse": "adresse du logement",
    "commune": "commune",
    "telephone": "téléphone",
    "reference_bailleur": "référence chez le bailleur (bail)",
    "date_orientation": "date de l'orientation reçue (fiche de liaison)",
    "contexte": "contexte : entrée dans les lieux ou en cours de location",
    "prescripteur": "prescripteur",
    "motif": "motif de l'orientation",
    "date_butoir": "date butoir du bailleur",
    "referent": "référent(e) à l'association",
    "date_adhesion": "date d'adhésion du ménage",
    "mode": "mode d'adhésion : rencontre tripartite ou courrier",
    "accord_echanges": "accord pour les échanges avec le bailleur (date, ou oui : le jour "
    "de l'adhésion)",
    "date_refus": "date du refus du ménage",
    "motif_refus": "motif du refus",
    "problematiques": "problématiques du diagnostic (séparées par des virgules)",
    "orientation": "orientation décidée",
    "date_decision": "date de l'orientation décidée (fin du diagnostic)",
    "mesure": "mesure de droit commun",
    "date_cloture": "date de clôture",
    "issue": "issue à la clôture",
    "dette": "dette locative à l'orientation (en euros)",
    "notes": "notes du dossier : le texte des cellules, gardé tel quel (confidentiel)",
    "ignorer": "colonne non reprise",
}


def label(table: Mapping[str, str], code: str) -> str:
    """The label of `code` in `table`; a code the table does not know (a problem domain a
    folder added to its lists) is shown as it is written."""
    return table.get(code, code)


def labels(table: Mapping[str, str], codes: tuple[str, ...] | list[str]) -> list[str]:
    """The labels of `codes`, in their order."""
    return [label(table, code) for code in codes]
