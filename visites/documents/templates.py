"""The jinja2 templates: found in the case folder's `templates/` first, then the defaults.

Rendering is sandboxed (a template is a file anyone may edit: it must not reach Python, nor
read outside the templates folders, nor run for ever: loader.py, sandbox.py), with html
autoescaping (values from a case stay text), and strict: an unknown variable, or a value
this case does not have, is an error naming the template and the variable — never a hole in a
letter. Jinja is imported here only, and this module only by the `document` command.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import jinja2
import jinja2.bccache
from markupsafe import Markup, escape

from visites import dates
from visites.documents import loader, sandbox
from visites.documents.structure import Letter, StructureError, parse
from visites.errors import VisitesError

SUFFIX = loader.SUFFIX
FOLDER = "templates"


class _Missing(jinja2.UndefinedError):
    """A variable the template names and the document cannot give."""

    def __init__(self, name: str, empty: bool) -> None:
        super().__init__(name)
        self.name = name
        self.empty = empty


class Section(dict):  # type: ignore[type-arg]
    """A part of the case (menage, orientation…) that knows its own dotted name."""

    _path = ""


class _Unknown(jinja2.StrictUndefined):
    """A name the template uses that does not exist: an error wherever it is used."""

    __slots__ = ()

    def _fail_with_undefined_error(self, *args: Any, **kwargs: Any) -> NoReturn:
        if self._undefined_exception is not jinja2.UndefinedError or self._undefined_hint:
            super()._fail_with_undefined_error(*args, **kwargs)  # sandbox refusals
        raise _Missing(_dotted(self._undefined_obj, self._undefined_name), empty=False)

    # StrictUndefined binds these to the base method: point them at ours.
    __iter__ = __str__ = __len__ = _fail_with_undefined_error
    __eq__ = __ne__ = __bool__ = __hash__ = __contains__ = _fail_with_undefined_error


class Empty(jinja2.Undefined):
    """A field this case leaves empty: false in `{% if %}`, an error when printed."""

    __slots__ = ()

    def __str__(self) -> str:
        raise _Missing(str(self._undefined_name), empty=True)

    __html__ = __str__

    def _fail_with_undefined_error(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise _Missing(str(self._undefined_name), empty=True)


def _dotted(owner: Any, name: str | None) -> str:
    prefix = getattr(owner, "_path", "") if isinstance(owner, Section) else ""
    return f"{prefix}.{name}" if prefix else str(name)


def _wrap(value: Any, path: str) -> Any:
    """Dicts become Sections, None becomes Empty, recursively."""
    if value is None:
        return Empty(name=path)
    if isinstance(value, dict):
        section = Section({k: _wrap(v, f"{path}.{k}" if path else k) for k, v in value.items()})
        section._path = path
        return section
    if isinstance(value, list | tuple):
        return [_wrap(v, f"{path}[{i}]") for i, v in enumerate(value)]
    return value


def _date_filter(name: str, written: Callable[[date], str]) -> Callable[[Any], str]:
    """The filter `{{ date|name }}`: a date `written` in French; anything else an error in
    the template's words, naming the filter."""

    def shown(value: Any) -> str:
        if isinstance(value, jinja2.Undefined):
            str(value)  # raises, naming the variable
        if not isinstance(value, date):
            raise jinja2.TemplateRuntimeError(f"« {name} » attend une date, pas « {value} »")
        return written(value)

    return shown


_long_date = _date_filter("longue", dates.long)  # « 12 janvier 2015 »
_short_date = _date_filter("courte", dates.short)  # « 12/01/2015 »


def _lines(value: Any) -> Markup:
    """`{{ texte|lignes }}`: each line of a free text on its own line (escaped)."""
    if isinstance(value, jinja2.Undefined):
        str(value)
    return Markup("<br>").join(escape(line) for line in str(value).splitlines())


def _of(value: Any) -> str:
    """`{{ nom|de }}`: « de » elided before a vowel (« d'Isabelle Martin », « de Mme Lebrun »)."""
    from visites.render.numbers import de

    return de(str(value))  # an empty or unknown value raises, naming the variable


class _Compiled(jinja2.BytecodeCache):
    """Compiled templates kept for the process (a template's source checksum is checked on
    every load, so an edited template is recompiled)."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _Compiled()


def default_folder() -> Path:
    """The templates shipped with visites (visites/data/templates)."""
    from importlib.resources import files

    return Path(str(files("visites") / "data" / FOLDER))


def environment(case_folder: Path | None) -> sandbox.BoundedEnvironment:
    """A bounded sandbox that reads `<case folder>/templates` first, then the defaults."""
    searched = [case_folder / FOLDER] if case_folder else []
    env = sandbox.BoundedEnvironment(
        # The packaged defaults are trusted: resolved, so that an installation reaching
        # them through a link is no refusal (the case folder's own templates/ may not be one).
        loader=loader.FolderLoader([*searched, default_folder().resolve()]),
        undefined=_Unknown,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_COMPILED,
    )
    env.add_filter("longue", _long_date)
    env.add_filter("courte", _short_date)
    env.add_filter("lignes", _lines)
    env.add_filter("de", _of)
    return env


# jinja's commonest syntax messages, in French; any other one is given as jinja writes it.
_SYNTAX: tuple[tuple[str, Callable[[re.Match[str]], str]], ...] = (
    (r".*The innermost block that needs to be closed is '(\w+)'\.",
     lambda m: f"bloc {{% {m[1]} %}} jamais fermé : il manque {{% end{m[1]} %}}"),
    (r"Encountered unknown tag '(\w+)'\.", lambda m: f"balise {{% {m[1]} %}} inconnue"),
    (r"Expected an expression, got .*", lambda m: "expression attendue (une variable, un test…)"),
    (r"unexpected end of template, expected .*",
     lambda m: "fin du modèle inattendue : « }} » ou « %} » manquant ?"),
    (r"unexpected char (['\"])(.)\1 at \d+",
     lambda m: f"caractère {m[2]} inattendu (guillemet jamais fermé ?)"),
    (r"unexpected '(.+)'", lambda m: f"« {m[1]} » inattendu"),
    (r"expected token '.+', got 'end of .+'", lambda m: "balise fermée trop tôt"),
    (r"expected token '.+', got '(.+)'", lambda m: f"« {m[1]} » inattendu"),
)  # fmt: skip


def syntax_message(message: str) -> str:
    """jinja's syntax error `message` in French (« bloc {% if %} jamais fermé… »)."""
    for pattern, french in _SYNTAX:
        if found := re.fullmatch(pattern, message, re.DOTALL):
            return french(found)
    return message


def render(kind: str, values: dict[str, Any], title: str, case_folder: Path | None) -> Letter:
    """Render the template `kind` with `values` into a Letter, or a French VisitesError that
    names the template (and its file and line when jinja knows them)."""
    env = environment(case_folder)
    name = kind + SUFFIX
    try:
        template = env.get_template(name)
    except loader.TemplateRefused as refused:
        raise VisitesError(f"modèle {kind} refusé : {refused.why}") from None
    except jinja2.TemplateNotFound:
        raise VisitesError(f"modèle {kind} introuvable ({name})") from None
    except jinja2.TemplateSyntaxError as error:
        raise VisitesError(
            f"modèle {kind} : erreur de syntaxe : {syntax_message(error.message or '')}",
            path=error.filename,
            line=error.lineno,
        ) from None
    except sandbox.Bound as bound:  # a constant folded while compiling
        path = env.loader.get_source(env, name)[1] if env.loader else None
        raise VisitesError(f"modèle {kind} arrêté : {bound.message}", path=path) from None
    except RecursionError:
        raise VisitesError(f"modèle {kind} : modèle trop imbriqué") from None
    source = template.filename
    try:
        markup = _render(env, template, values)
    except sandbox.Bound as bound:
        line = _template_line(bound, source)
        raise VisitesError(f"modèle {kind} arrêté : {bound.message}", path=source,
                           line=line) from None  # fmt: skip
    except loader.TemplateRefused as refused:
        message = f"modèle {kind} : « {refused.name} » refusé : {refused.why}"
        raise VisitesError(message, path=source, line=_template_line(refused, source)) from None
    except jinja2.TemplateNotFound as missing:
        message = f"modèle {kind} : modèle inclus introuvable « {missing.name} »"
        raise VisitesError(message, path=source, line=_template_line(missing, source)) from None
    except _Missing as missing:
        line = _template_line(missing, source)
        if missing.empty:
            message = (
                f"modèle {kind} : « {missing.name} » est vide dans ce dossier ; "
                "entourez-la de {% if … %} dans le modèle, ou complétez le dossier"
            )
        else:
            message = f"modèle {kind} : variable inconnue « {missing.name} »"
        raise VisitesError(message, path=source, line=line) from None
    except jinja2.exceptions.SecurityError as error:
        line = _template_line(error, source)
        raise VisitesError(
            f"modèle {kind} : opération interdite dans un modèle ({_refusal(error)})",
            path=source,
            line=line,
        ) from None
    except jinja2.TemplateError as error:
        line = _template_line(error, source)
        raise VisitesError(f"modèle {kind} : {error}", path=source, line=line) from None
    except RecursionError as error:
        line = _template_line(error, source)
        why = "appels sans fin (un modèle ou une macro qui s'appelle lui-même ?)"
        message = f"modèle {kind} : {why}"
        raise VisitesError(message, path=source, line=line) from None
    except MemoryError:
        raise VisitesError(f"modèle {kind} : mémoire épuisée", path=source) from None
    except Exception as error:  # the sandbox runs any expression: 1/0, "a" + 1…
        line = _template_line(error, source)
        message = f"modèle {kind} : opération impossible ({_plain(error)})"
        raise VisitesError(message, path=source, line=line) from None
    try:
        return parse(markup, title)
    except StructureError as error:
        raise VisitesError(f"modèle {kind} : {error}", path=source) from None


def _render(env: sandbox.BoundedEnvironment, template: jinja2.Template, values: dict) -> str:
    """Render within the sandbox's bounds; a Bound gets jinja's template line numbers."""
    try:
        return sandbox.render(env, template, _wrap(values, ""))
    except sandbox.Bound:
        from jinja2.debug import rewrite_traceback_stack

        raise rewrite_traceback_stack() from None


_UNSAFE = re.compile(r"access to attribute '(?P<attr>[^']*)' of '(?P<kind>[^']*)' object is unsafe")


def _refusal(error: Exception) -> str:
    """jinja's English refusal, in French."""
    if found := _UNSAFE.search(str(error)):
        return f"« .{found['attr']} » sur une valeur de type {found['kind']}"
    return str(error)


_PLAIN = {
    ZeroDivisionError: "division par zéro",
    OverflowError: "nombre trop grand",
    TypeError: "types incompatibles",
    ValueError: "valeur impossible",
}


def _plain(error: Exception) -> str:
    for kind, words in _PLAIN.items():
        if isinstance(error, kind):
            return words
    return type(error).__name__


def _template_line(error: BaseException, source: str | None) -> int | None:
    """The template line jinja attached to the traceback (its frames carry the file name)."""
    line = None
    trace: types.TracebackType | None = error.__traceback__
    while trace is not None:
        if source and trace.tb_frame.f_code.co_filename == source:
            line = trace.tb_lineno
        trace = trace.tb_next
    return line
