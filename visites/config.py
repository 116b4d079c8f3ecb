"""The folder's settings (`visites.yaml`): programme, dated tariffs, budgets, deadlines, lists.

Every rule that can change from one year or one partnership to the next is read here, and
only here. The defaults below are the programme's, as written in the 2014 project document.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from visites.model import Day


class _Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", validate_by_name=True)


class Partners(_Settings):
    landlord: str = Field("La Nantaise d'Habitations", alias="bailleur")
    association: str = Field("Anef Ferrer", alias="association")


def _euros(most: int) -> AfterValidator:
    """An amount in euros, 0 to `most`, to the cent: a typo (1e30, a minus sign) is refused
    when the settings are read, before any sum can overflow or go negative."""

    def bounded(value: Decimal) -> Decimal:
        if not 0 <= value <= most:
            shown = f"{most:,}".replace(",", " ")
            raise ValueError(f"montant hors bornes : de 0 à {shown} €")
        if value != value.quantize(Decimal("0.01")):
            raise ValueError(f"montant au centime près attendu (ici {value} €)")
        return value

    return AfterValidator(bounded)


# Per unit (a diagnostic, a month): the programme's are 460 € and 230 €.
UnitPrice = Annotated[Decimal, Field(allow_inf_nan=False), _euros(100_000)]
YearAmount = Annotated[Decimal, Field(allow_inf_nan=False), _euros(100_000_000)]


class Tariff(_Settings):
    """Prices in force from `since` until the next tariff's date."""

    since: Day = Field(alias="depuis")
    diagnostic: UnitPrice = Field(alias="diagnostic")
    monthly: UnitPrice = Field(alias="accompagnement_mensuel")


class Budget(_Settings):
    amount: YearAmount = Field(alias="montant")
    households: int = Field(alias="menages", ge=0, le=1_000_000)


class Deadlines(_Settings):
    adhesion_days: int = Field(30, alias="adhesion_jours", ge=1, le=3650)
    diagnostic_months: int = Field(2, alias="diagnostic_mois", ge=1, le=120)
    review_months: int = Field(6, alias="revision_accompagnement_mois", ge=1, le=120)


class Billing(_Settings):
    # mois-entame: every calendar month begun is billed; prorata: days / days in the month.
    accompaniment: Literal["mois-entame", "prorata"] = Field("mois-entame", alias="accompagnement")


class Retention(_Settings):
    years_after_last_contact: int = Field(2, alias="annees_apres_dernier_contact", ge=1, le=100)


class Convention(_Settings):
    """The partnership's convention between landlord and association, when it lets the
    tableau de suivi show more than the landlord knows for a household that did not consent
    to exchanges. Off unless the convention is named: the default is the CNIL's rule for
    landlords (social data only with the household's consent)."""

    name: str | None = Field(None, alias="nom", min_length=1, max_length=300)
    tracking_without_consent: bool = Field(False, alias="suivi_complet_sans_accord")

    @model_validator(mode="after")
    def _named(self) -> Convention:
        if self.tracking_without_consent and not (self.name or "").strip():
            raise ValueError(
                "suivi_complet_sans_accord demande le nom de la convention qui l'autorise (nom)"
            )
        return self


class DataProtection(_Settings):
    """Who answers for the households' data, for the information notice (GDPR art. 13)."""

    controller: str | None = Field(None, alias="responsable", min_length=1, max_length=300)
    contact: str | None = Field(None, alias="contact", min_length=1, max_length=300)


class GitSettings(_Settings):
    autocommit: bool = Field(True, alias="autocommit")


COMMUNES = (
    "Nantes", "Saint-Herblain", "Rezé", "Orvault", "Saint-Sébastien-sur-Loire", "Vertou",
    "Bouguenais", "Carquefou", "La Chapelle-sur-Erdre", "Couëron", "Sainte-Luce-sur-Loire",
    "Basse-Goulaine", "Indre", "Saint-Nazaire", "Pornichet", "Trignac", "Montoir-de-Bretagne",
    "Donges", "Saint-André-des-Eaux", "La Baule-Escoublac", "Guérande",
)  # fmt: skip
PROBLEM_DOMAINS = (
    "budget-impayes", "dettes", "acces-aux-droits", "emploi", "sante", "liens-familiaux",
    "isolement", "usage-du-logement", "voisinage", "demarches-administratives",
)  # fmt: skip
MEASURES = ("ASLL", "AVDL", "MASP", "AESF", "AEB", "MJAGBF", "ALI", "FSL")
OUTCOMES = (
    "maintien dans le logement", "plan d'apurement", "relogement ou mutation",
    "relais droit commun", "départ du logement", "rupture ou abandon",
)  # fmt: skip
# The household typologies and the partners mobilised (`vocabulary` has their labels).
TYPOLOGIES = (
    "personne-seule", "couple-sans-enfant", "couple-avec-enfants", "famille-monoparentale",
    "autre",
)  # fmt: skip
PARTNERS = (
    "CCAS", "CAF", "CPAM", "CMS", "france-travail", "mission-locale", "CMP", "PMI",
    "banque-de-france", "FSL", "association-tutelaire", "autre",
)  # fmt: skip

Names = Annotated[tuple[str, ...], Field(min_length=1)]


class Referent(_Settings):
    """A référent(e) of the association. Written as a name (`Claire Dubois`) or with more:
    `{nom: Claire Dubois, fonction: conseillère en économie sociale et familiale,
    civilite: Mme}`; `actif: false` keeps the name for the old cases and refuses it for new
    ones."""

    name: str = Field(alias="nom", min_length=1)
    title: str | None = Field(None, alias="fonction", min_length=1)
    civility: str | None = Field(None, alias="civilite", min_length=1, max_length=12)
    active: bool = Field(True, alias="actif")


def _referent_entry(value: object) -> object:
    """A plain name is a référent(e) with nothing more said."""
    return {"nom": value} if isinstance(value, str) else value


ReferentEntry = Annotated[Referent, BeforeValidator(_referent_entry)]


class Lists(_Settings):
    communes: Names = Field(COMMUNES, alias="communes")
    problem_domains: Names = Field(PROBLEM_DOMAINS, alias="problematiques")
    measures: Names = Field(MEASURES, alias="mesures")
    outcomes: Names = Field(OUTCOMES, alias="issues")
    referents: tuple[ReferentEntry, ...] = Field((), alias="referents")
    typologies: Names = Field(TYPOLOGIES, alias="typologies")
    partners: Names = Field(PARTNERS, alias="partenaires")

    def referent_names(self, active: bool = False) -> tuple[str, ...]:
        """Every référent(e)'s name, the inactive ones too (they sign the old cases); with
        `active`, only those who may take a case."""
        return tuple(p.name for p in self.referents if p.active or not active)

    def referent(self, name: str | None) -> Referent | None:
        """The référent(e) named `name` exactly, when the list holds one."""
        return next((person for person in self.referents if person.name == name), None)


def _default_tariffs() -> tuple[Tariff, ...]:
    return (Tariff(since=date(2015, 1, 1), diagnostic=Decimal(460), monthly=Decimal(230)),)


def _default_budgets() -> dict[int, Budget]:
    return {2015: Budget(amount=Decimal(30000), households=55)}


class Config(_Settings):
    """The whole of `visites.yaml`. Every key is optional: a missing one takes its default."""

    programme: str = Field("Les visites sociales", alias="programme")
    partners: Partners = Field(default_factory=Partners, alias="partenaires")
    # Not `min_length`: pydantic would also call a list with one wrong tariff « empty ».
    tariffs: tuple[Tariff, ...] = Field(default_factory=_default_tariffs, alias="tarifs")
    budgets: dict[int, Budget] = Field(default_factory=_default_budgets, alias="budgets")
    deadlines: Deadlines = Field(default_factory=Deadlines, alias="delais")
    billing: Billing = Field(default_factory=Billing, alias="facturation")
    retention: Retention = Field(default_factory=Retention, alias="conservation")
    convention: Convention = Field(default_factory=Convention, alias="convention")
    data_protection: DataProtection = Field(default_factory=DataProtection, alias="rgpd")
    git: GitSettings = Field(default_factory=GitSettings, alias="git")
    lists: Lists = Field(default_factory=Lists, alias="listes")

    @model_validator(mode="after")
    def _tariffs_in_order(self) -> Config:
        if not self.tariffs:
            raise ValueError("au moins un tarif (depuis, diagnostic, accompagnement_mensuel)")
        dates = [t.since for t in self.tariffs]
        if dates != sorted(set(dates)):
            raise ValueError("les tarifs doivent être listés par date croissante, sans doublon")
        return self

    def tariff_on(self, day: date) -> Tariff:
        """The tariff in force on `day` (the first one if `day` precedes them all)."""
        current = self.tariffs[0]
        for tariff in self.tariffs:
            if tariff.since <= day:
                current = tariff
        return current
