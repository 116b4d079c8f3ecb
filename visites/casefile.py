"""The text of a case file and the Case model, both ways. Pure: no file system here.

`parse` turns bytes into a Case plus every problem found, each with its line; `render_new`
and `render_update` turn a Case back into text, the latter changing only what changed.
"""

from __future__ import annotations

import functools
import types
import typing
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError

from visites import yamlio, yamlwrite
from visites.checks import validate_case
from visites.config import Config
from visites.errors import ERROR, WARNING, Problem, validation_message
from visites.merge.casediff import CONFLICT_KEY, MARKERS
from visites.model import Case

HEADER = (
    "# Dossier du programme « Les visites sociales ». Modifiable à la main :\n"
    "# vérifiez ensuite avec « visites check ». Vos commentaires sont conservés.\n"
)


@dataclass(frozen=True)
class Parsed:
    """A case file read: the case (None if it could not be built) and what is wrong."""

    case: Case | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def parse(raw: bytes, name: str, config: Config, expected_id: str | None = None) -> Parsed:
    """Read one case file. `name` is how problems name the file; `expected_id` its file name."""
    try:
        text = yamlio.decode(raw)
    except yamlio.YamlProblem as problem:
        return Parsed(None, [Problem(name, problem.line, problem.message)])
    if markers := conflict_markers(text, name):
        return Parsed(None, markers)
    try:
        document = yamlio.load(text)
    except yamlio.YamlProblem as problem:
        return Parsed(None, [Problem(name, problem.line, problem.message)])
    return from_document(document, text, name, config, expected_id)


def conflict_markers(text: str, name: str) -> list[Problem]:
    """Lines left by a textual git merge (<<<<<<<, =======, >>>>>>>)."""
    message = (
        "marqueur de conflit git : fusion non terminée ; gardez la bonne version, retirez "
        "les lignes <<<<<<<, ======= et >>>>>>> (visites edit), puis visites sync"
    )
    return [
        Problem(name, number, message)
        for number, line in enumerate(text.splitlines(), 1)
        if line.startswith(MARKERS)
    ]


def merge_conflicts(document: Any, text: str, name: str) -> list[Problem]:
    """One error per field left undecided by `visites merge-file` (section conflit_visites)."""
    if not isinstance(document, dict) or CONFLICT_KEY not in document:
        return []
    entries = document[CONFLICT_KEY]
    entries = entries if isinstance(entries, list) else [entries]
    found = []
    for index, entry in enumerate(entries):
        entry = entry if isinstance(entry, dict) else {}
        local, remote = brief(entry.get("locale")), brief(entry.get("distante"))
        advice = entry.get("conseil")
        if not isinstance(advice, str):  # the merge driver says when the usual way is wrong
            advice = (
                f"gardez la bonne valeur puis supprimez la section {CONFLICT_KEY} (visites edit)"
            )
        why = f" ({entry['motif']})" if entry.get("motif") else ""
        message = (
            f"conflit de fusion sur « {entry.get('champ', '?')} »{why} : valeur locale "
            f"« {local} », valeur distante « {remote} » ; {advice}"
        )
        found.append(Problem(name, yamlio.line_of(text, (CONFLICT_KEY, index)), message))
    return found


def brief(value: Any) -> str:
    """A conflicting value in a few words (a section, the latest handover), for messages."""
    shown = str(value) if not isinstance(value, dict | list) else "(section entière)"
    if isinstance(value, list) and value and isinstance(value[-1], dict) and "nom" in value[-1]:
        last = value[-1]  # a list of référent(e)s: the latest handover is what differs
        since = last.get("depuis")
        shown = (
            f"{last['nom']} depuis le {since:%d/%m/%Y}"
            if isinstance(since, date)
            else str(last["nom"])
        )
    return shown if len(shown) <= 60 else shown[:57] + "…"


def from_document(
    document: Any, text: str, name: str, config: Config, expected_id: str | None = None
) -> Parsed:
    """Validate an already parsed document. `text` is only used to find lines."""
    if not isinstance(document, dict):
        message = "le fichier doit contenir des clés « clé: valeur » (id, orientation_recue…)"
        return Parsed(None, [Problem(name, 1, message)])
    lines = yamlio.Lines(text)  # composes the text again only if a problem needs its line
    try:
        case = Case.model_validate(document, by_alias=True, by_name=False)
    except ValidationError as error:
        problems = [
            Problem(name, lines.of(e["loc"]), validation_message(e))
            for e in error.errors(include_url=False)
        ]
        problems += merge_conflicts(document, text, name)
        return Parsed(None, problems + unknown_keys(document, Case, lines, name))
    findings = validate_case(case, config)
    problems = [Problem(name, lines.of(f.loc), f.message, f.severity) for f in findings]
    if expected_id and case.id != expected_id:
        message = f"l'identifiant {case.id} ne correspond pas au nom du fichier ({expected_id})"
        problems.append(Problem(name, lines.of(("id",)), message))
    problems += merge_conflicts(document, text, name)
    problems += unknown_keys(document, Case, lines, name)
    return Parsed(case, problems)


def render_new(case: Case) -> str:
    """The canonical text of a new case: same content, same bytes."""
    return yamlwrite.dump_new(tree(case), HEADER)


def render_update(text: str, old: Case, new: Case) -> str:
    """`text` (the file as it is) with the changes from `old` to `new`, and nothing else."""
    return yamlwrite.rewrite(text, tree(old), tree(new))


def tree(case: Case) -> dict[str, Any]:
    """The case as the plain data of its file: French keys, field order, empty parts left out."""
    return yamlwrite.canonical(case.model_dump(by_alias=True, mode="python"))


# ---------------------------------------------------------------------------- unknown keys


def unknown_keys(
    document: Any, model: type[BaseModel], text: str | yamlio.Lines, name: str
) -> list[Problem]:
    """A warning for each key the model does not know: kept in the file, probably a typo."""
    found: list[Problem] = []
    lines = yamlio.Lines(text) if isinstance(text, str) else text
    _walk(document, model, (), lines, name, found)
    return sorted(found, key=lambda p: p.line or 0)  # in file order


def _walk(
    document: Any,
    model: type[BaseModel],
    loc: tuple,
    lines: yamlio.Lines,
    name: str,
    found: list[Problem],
) -> None:
    if not isinstance(document, dict):
        return
    known = _known_keys(model)
    if known.keys() >= document.keys():  # the usual case: no unknown key at this level
        for key, (sub, many) in _nested_keys(model).items():
            value = document.get(key)
            if many and isinstance(value, list):
                for index, item in enumerate(value):
                    _walk(item, sub, (*loc, key, index), lines, name, found)
            elif not many and value is not None:
                _walk(value, sub, (*loc, key), lines, name, found)
        return
    for key, value in document.items():
        spec = known.get(key) if isinstance(key, str) else None
        if key == CONFLICT_KEY and not loc:
            continue  # reported as an error by merge_conflicts
        if spec is None:
            line = lines.of((*loc, key))
            message = f"clé inconnue « {key} » (conservée ; faute de frappe ?)"
            found.append(Problem(name, line, message, WARNING))
            continue
        sub, many = spec
        if sub is None:
            continue
        if many and isinstance(value, list):
            for index, item in enumerate(value):
                _walk(item, sub, (*loc, key, index), lines, name, found)
        elif not many:
            _walk(value, sub, (*loc, key), lines, name, found)


@functools.cache
def _known_keys(model: type[BaseModel]) -> dict[str, tuple[type[BaseModel] | None, bool]]:
    """French key → (the model inside it, whether it is a list), once per model class."""
    return {str(f.alias): _submodel(f.annotation) for f in model.model_fields.values()}


@functools.cache
def _nested_keys(model: type[BaseModel]) -> dict[str, tuple[type[BaseModel], bool]]:
    """The keys of `model` that hold sections or lists of sections."""
    return {k: (sub, many) for k, (sub, many) in _known_keys(model).items() if sub is not None}


def _submodel(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The model inside `X`, `X | None` or `tuple[X, ...]`, and whether it is a list."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return _submodel(inner[0]) if len(inner) == 1 else (None, False)
    if origin is tuple and args and isinstance(args[0], type) and issubclass(args[0], BaseModel):
        return args[0], True
    return None, False


__all__ = ["ERROR", "Parsed", "parse", "render_new", "render_update", "tree"]
