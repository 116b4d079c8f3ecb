"""User-facing errors and problems: a French message, the file, the line, an exit code; and
the French words for what the system (errno) and pydantic (validation errors) report, each
written once for every message that needs them.

Raised anywhere in the core or the store; rendered once, at the CLI edge. A leaf: imports
nothing (not even pydantic, whose errors it words from their plain dicts).
"""

from __future__ import annotations

import errno
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REFUSED = 1  # a refused action: workflow rule, unknown case, invalid file
USAGE = 2  # a usage error: bad flag, impossible date, value not in a list


class VisitesError(Exception):
    """An error the user caused or can fix. Its text is French and says what to do."""

    exit_code = REFUSED

    def __init__(
        self, message: str, *, path: Path | str | None = None, line: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


class UsageProblem(VisitesError):
    """A value the user typed is impossible: a date, a value outside a configured list."""

    exit_code = USAGE


class WorkflowError(VisitesError):
    """A move the workflow does not allow in the case's current phase."""


class InvalidFile(VisitesError):
    """A case or settings file that does not parse or does not validate."""

    def __init__(self, problems: list[Problem]) -> None:
        first = problems[0]
        super().__init__(first.message, path=first.path, line=first.line)
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems if p.is_error)


class IncompleteFolder(VisitesError):
    """A whole-folder document refused because some case files do not read: one line each
    (each printed as its own « erreur : » line)."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(lines[0])
        self.lines = lines

    def __str__(self) -> str:
        return "\nerreur : ".join(self.lines)


ERROR = "erreur"
WARNING = "avertissement"


@dataclass(frozen=True)
class Problem:
    """One finding of `check`: where it is and what is wrong, in French."""

    path: str
    line: int | None
    message: str
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = "" if self.is_error else "avertissement : "
        return f"{where}: {prefix}{self.message}"


# One wording per system error, for every message that names one (a file the store cannot
# write, a path typed on the command line).
_REASONS = {
    errno.EACCES: "droits insuffisants",
    errno.EPERM: "opération non permise",
    errno.ENOSPC: "disque plein",
    errno.EROFS: "support en lecture seule",
    errno.EDQUOT: "quota disque dépassé",
    errno.ENOENT: "fichier ou dossier absent",
    errno.EISDIR: "c'est un dossier",
    errno.ENOTDIR: "ce n'est pas un dossier",
    errno.EEXIST: "le fichier existe déjà",
}


def reason(error: OSError) -> str:
    """The French words for a system error."""
    return _REASONS.get(error.errno or 0, f"erreur système {error.errno}")


# ---------------------------------------------------------------------------- pydantic's errors

# One pydantic error type → its French, in the two registers a message needs: in a file, where
# the message follows the key and never repeats the value (it may be personal); and typed on
# the command line, where `{value}` is the value just typed, quoted.
_FILE, _TYPED = 0, 1
_VALIDATION: dict[str, tuple[str | None, str | None]] = {
    "missing": ("champ obligatoire manquant", None),
    "string_type": (
        "texte attendu (mettez la valeur entre guillemets)",
        "une chaîne de caractères est attendue.",
    ),
    "string_too_short": ("valeur vide", None),
    "string_too_long": ("texte trop long", None),
    "int_type": ("nombre entier attendu", "{value} n'est pas un nombre entier valide."),
    "int_parsing": ("nombre entier attendu", "{value} n'est pas un nombre entier valide."),
    "int_from_float": ("nombre entier attendu", "{value} n'est pas un nombre entier valide."),
    "int_parsing_size": (None, "{value} n'est pas un nombre entier valide."),
    "float_type": (None, "{value} n'est pas un nombre valide."),
    "float_parsing": (None, "{value} n'est pas un nombre valide."),
    "decimal_type": ("nombre attendu", "{value} n'est pas un nombre valide."),
    "decimal_parsing": ("nombre attendu", "{value} n'est pas un nombre valide."),
    "finite_number": ("nombre attendu (pas .nan ni .inf)", "un nombre fini est attendu."),
    "bool_type": (
        "true ou false attendu",
        "{value} n'est pas un booléen valide (true/false, yes/no, 1/0).",
    ),
    "bool_parsing": (
        "true ou false attendu",
        "{value} n'est pas un booléen valide (true/false, yes/no, 1/0).",
    ),
    "model_type": ("section attendue (des lignes « clé: valeur » en dessous)", None),
    "model_attributes_type": ("section attendue (des lignes « clé: valeur » en dessous)", None),
    "dict_type": ("section attendue (des lignes « clé: valeur » en dessous)", None),
    "tuple_type": ("liste attendue (des lignes commençant par « - »)", None),
    "list_type": ("liste attendue (des lignes commençant par « - »)", None),
    "too_short": ("liste vide", None),
    "extra_forbidden": ("clé inconnue", None),
    "date_type": ("date attendue (AAAA-MM-JJ)", None),
    "path_type": (None, "{value} n'est pas un chemin valide."),
}
# Kinds by prefix, typed values only: date_parsing, datetime_from_date_parsing, time_…, uuid_…
_TYPED_PREFIXES = (
    (("datetime", "date"), "{value} n'est pas une date valide."),
    (("time",), "{value} n'est pas une heure valide."),
    (("uuid",), "{value} n'est pas un UUID valide."),
)
_BOUNDS = {  # kind: (ctx key, in a file, typed)
    "greater_than": ("gt", "valeur trop petite (au moins {limit})", "strictement supérieure à"),
    "greater_than_equal": (
        "ge", "valeur trop petite (au moins {limit})", "supérieure ou égale à"),
    "less_than": ("lt", "valeur trop grande (au plus {limit})", "strictement inférieure à"),
    "less_than_equal": ("le", "valeur trop grande (au plus {limit})", "inférieure ou égale à"),
}  # fmt: skip


def first_reason(error: ValueError) -> str:
    """Why a model refused values built from typed input, in French: pydantic's first error
    (`validation_message`), else the error's own text."""
    errors = getattr(error, "errors", None)
    if callable(errors):
        return validation_message(errors(include_url=False)[0])
    return str(error)


def validation_message(error: Mapping[str, Any], typed: bool = False) -> str:
    """One pydantic validation error (an item of `ValidationError.errors()`) in French, chosen
    by its machine-readable `type` (pydantic's English `msg` is never shown).

    In a file (the default) the message starts with the key, « naissance : nombre entier
    attendu », and never repeats the value. `typed`: the value was typed on the command line
    and is quoted, « « abc » n'est pas un nombre entier valide. »."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if typed:
        return _typed_message(kind, ctx, value)
    key = next((str(step) for step in reversed(error["loc"]) if isinstance(step, str)), "")
    if value is None and "input" in error and kind.endswith("_type"):
        text = "valeur manquante"
    elif kind == "value_error":
        text = str(ctx.get("error", "valeur invalide"))
    elif kind in ("literal_error", "enum"):
        allowed = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        text = f"valeur « {value} » inconnue ; valeurs possibles : {allowed}"
    elif kind in _BOUNDS:
        name, in_file, _ = _BOUNDS[kind]
        text = in_file.format(limit=ctx.get(name))
    else:
        text = _VALIDATION.get(kind, (None, None))[_FILE] or "valeur invalide"
    return f"{key} : {text}" if key else text


def _typed_message(kind: str, ctx: Mapping[str, Any], value: Any) -> str:
    shown = f"« {value} »" if isinstance(value, str | int | float) else repr(value)
    if kind in _BOUNDS:
        name, _, words = _BOUNDS[kind]
        return f"la valeur doit être {words} {ctx.get(name)} (reçu : {value})."
    if kind in ("value_error", "assertion_error") and ctx.get("error") is not None:
        return str(ctx["error"])
    template = _VALIDATION.get(kind, (None, None))[_TYPED]
    if template is None:
        prefixes = (t for starts, t in _TYPED_PREFIXES if kind.startswith(starts))
        template = next(prefixes, "valeur {value} invalide.")
    return template.format(value=shown)
