"""How much a template may do: the bounds of the jinja sandbox (where it may read from is
loader.py).

A template is a file anyone with the case folder may edit, and `templates/` travels through
`sync`: a colleague's clone receives it. `BoundedEnvironment` is jinja's immutable sandbox
(no Python internals, no list or dict changed in place) with bounds: `range` of at most
`MAX_RANGE` items; no text or list built past `MAX_TEXT` characters or items (`*`, `+`,
`%`, padding and joining filters, `namespace` attributes, arguments of calls); size-like
numbers (widths, counts) at most `MAX_NUMBER`; `render` stops after `MAX_SECONDS` of work
(a deadline checked on every line of Python run meanwhile) and at `MAX_TEXT` characters of
output. Each bound is a `Bound` with a French message.

`Bound` derives from BaseException so that no `except Exception` inside a filter or a loop
can swallow it: it always ends the rendering.
"""

from __future__ import annotations

import contextlib
import re
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import jinja2
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

MAX_RANGE = 10_000  # items of a range(): a letter lists a few events, never thousands
MAX_TEXT = 1_000_000  # characters of any text built, and of the whole output (a letter: ~5 000)
MAX_NUMBER = 10_000  # a width, a count of items or lines given to a filter or method
MAX_SECONDS = 3.0  # of rendering; the default letters take a few milliseconds


class Bound(BaseException):  # noqa: N818  (a bound reached, not a bug)
    """A template went past one of the bounds. The message is French; the caller names the
    template."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------------------- doing


def _deadline_check(deadline: list[float]) -> None:
    if deadline and time.monotonic() > deadline[0]:
        raise Bound(f"trop long à produire (plus de {MAX_SECONDS:g} secondes) : boucle sans fin ?")


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | list | tuple) else 0


def _text_bound(length: int) -> None:
    if length > MAX_TEXT:
        raise Bound(f"texte trop long construit (plus de {MAX_TEXT:,} caractères)"
                    .replace(",", " "))  # fmt: skip


def _number_bound(value: Any, what: str) -> None:
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) > MAX_NUMBER:
        raise Bound(f"{what} : nombre trop grand ({value:g} ; au plus {MAX_NUMBER})")


_FORMAT_WIDTH = re.compile(r"%[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_BRACE_SPEC = re.compile(r"\{[^{}]*:([^{}]*)\}")


def _check_format(text: str, what: str) -> None:
    """Widths in a `%` or `{}` format: bounded, and never taken from an argument (`*`)."""
    for width, precision in _FORMAT_WIDTH.findall(text):
        for number in (width, precision):
            if number == "*":
                raise Bound(f"{what} : largeur « * » interdite dans un modèle")
            if number:
                _number_bound(int(number), what)
    if "{" in text and re.search(r"\{[^{}]*:[^{}]*\{", text):
        raise Bound(f"{what} : format imbriqué interdit dans un modèle")
    for spec in _BRACE_SPEC.findall(text):
        for number in re.findall(r"\d+", spec):
            _number_bound(int(number), what)


class _Range:
    """range() in a template: at most MAX_RANGE numbers, the deadline checked as it runs;
    `|length`, `[i]` and `in` work as on Python's range."""

    def __init__(self, numbers: range, deadline: list[float]) -> None:
        self.numbers, self.deadline = numbers, deadline

    def __iter__(self) -> Iterator[int]:
        for index, number in enumerate(self.numbers):
            if not index % 512:
                _deadline_check(self.deadline)
            yield number

    def __len__(self) -> int:
        return len(self.numbers)

    def __getitem__(self, index: int) -> int:
        return self.numbers[index]

    def __contains__(self, number: object) -> bool:
        return number in self.numbers


def _bounded_range(deadline: list[float]) -> Callable[..., _Range]:
    def bounded(*args: Any) -> _Range:
        for value in args:
            if not isinstance(value, int) or isinstance(value, bool):
                raise Bound("range() : nombres entiers attendus")
        try:
            numbers = range(*args)
            count = len(numbers)
        except (TypeError, ValueError, OverflowError):
            raise Bound("range() : arguments impossibles") from None
        if count > MAX_RANGE:
            raise Bound(f"range() trop long ({count:,} nombres ; au plus {MAX_RANGE:,})"
                        .replace(",", " "))  # fmt: skip
        return _Range(numbers, deadline)

    return bounded


class BoundedNamespace(Namespace):
    """`namespace()`, whose attributes cannot hold a text or list past the bounds (a loop
    doubling a text would otherwise fill the memory)."""

    def __init__(*args: Any, **kwargs: Any) -> None:  # noqa: N805  (as jinja's Namespace)
        for value in (*args[1:], *kwargs.values()):
            _text_bound(_size(value))
        Namespace.__init__(*args, **kwargs)

    def __setitem__(self, name: str, value: Any) -> None:
        _text_bound(_size(value))
        Namespace.__setitem__(self, name, value)


def _replace(value: Any, old: Any, new: Any, count: Any = None) -> Any:
    text, old_, new_ = str(value), str(old), str(new)
    times = text.count(old_) if old_ else len(text) + 1
    if count is not None and isinstance(count, int):
        times = min(times, max(count, 0))
    _text_bound(len(text) + times * max(len(new_) - len(old_), 0))
    return None  # checked: the real filter runs


def _join(value: Any, d: Any = "", attribute: Any = None) -> Any:
    items = value if isinstance(value, list | tuple | str) else list(value)
    _text_bound(sum(_size(str(i)) for i in items) + max(len(items) - 1, 0) * len(str(d)))


def _indent(value: Any, width: Any = 4, first: Any = False, blank: Any = False) -> Any:
    text = str(value)
    shift = len(width) if isinstance(width, str) else width
    if isinstance(shift, int):
        _number_bound(shift, "indent")
        _text_bound(len(text) + (text.count("\n") + 1) * shift)


def _format(value: Any, *args: Any, **kwargs: Any) -> Any:
    _check_format(str(value), "format")


# Filters whose result can be far larger than their arguments: checked before they run.
_FILTER_CHECKS: dict[str, Callable[..., Any]] = {
    "replace": _replace,
    "join": _join,
    "indent": _indent,
    "format": _format,
}
# Filters taking a size (a width, a count): that number is bounded.
_SIZED_FILTERS = ("center", "indent", "wordwrap", "truncate", "batch", "slice", "filesizeformat")
_PADDING_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})


def _guarded(name: str, function: Callable[..., Any], deadline: list[float]) -> Any:
    check = _FILTER_CHECKS.get(name)
    sized = name in _SIZED_FILTERS

    def guarded(*args: Any, **kwargs: Any) -> Any:
        _deadline_check(deadline)
        # The value and the filter's own arguments (not the context jinja may pass first).
        values = [a for a in args if not isinstance(a, Context | EvalContext | jinja2.Environment)]
        if sized:
            for value in (*values[1:], *kwargs.values()):
                _number_bound(value, name)
        if check is not None and values:
            if name == "join" and not isinstance(values[0], list | tuple | str):
                # Counted before joining: the filter must get the same items.
                items = list(values[0])
                args = tuple(items if a is values[0] else a for a in args)
                values[0] = items
            check(*values, **kwargs)
        result = function(*args, **kwargs)
        _text_bound(_size(result))
        return result

    # Keep jinja's calling convention (pass_context, pass_eval_context…).
    for attribute in ("jinja_pass_arg",):
        if hasattr(function, attribute):
            setattr(guarded, attribute, getattr(function, attribute))
    return guarded


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """The immutable sandbox with the bounds above (see the module's docstring)."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The rendering's end, set by `render` (a list: the closures below share it).
        self.deadline: list[float] = []
        self.globals["range"] = _bounded_range(self.deadline)
        self.globals["namespace"] = BoundedNamespace
        del self.globals["lipsum"]  # n paragraphs of lorem ipsum: nothing a letter needs
        for name, function in list(self.filters.items()):
            self.filters[name] = _guarded(name, function, self.deadline)

    def add_filter(self, name: str, function: Callable[..., Any]) -> None:
        """A visites filter, under the same guard as jinja's own."""
        self.filters[name] = _guarded(name, function, self.deadline)

    def call_binop(self, context: Context, op: str, left: Any, right: Any) -> Any:
        _deadline_check(self.deadline)
        if op == "*":
            for sequence, times in ((left, right), (right, left)):
                if isinstance(sequence, str | list | tuple) and isinstance(times, int):
                    _text_bound(len(sequence) * times)
            both = isinstance(left, int) and isinstance(right, int)
            if both and left.bit_length() + right.bit_length() > 64 * 1024:
                raise Bound("multiplication : nombre trop grand")
        elif op == "**" and isinstance(left, int) and isinstance(right, int):
            if abs(left) > 1 and (right > 1024 or left.bit_length() * right > 64 * 1024):
                raise Bound(f"puissance trop grande ({left} ** {right})")
        elif op == "+":
            _text_bound(_size(left) + _size(right))
        elif op == "%" and isinstance(left, str):
            _check_format(left, "%")
        return self.binop_table[op](left, right)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # Padding a text to a width: the filters do it, under their bounds.
        if isinstance(obj, str) and attr in _PADDING_METHODS:
            return False
        return super().is_safe_attribute(obj, attr, value)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            _check_format(str(value.__self__), "format")
        return wrapped

    def getattr(self, obj: Any, attribute: str) -> Any:
        _deadline_check(self.deadline)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        _deadline_check(self.deadline)
        return super().getitem(obj, argument)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _deadline_check(__self.deadline)
        for value in (*args, *kwargs.values()):
            _text_bound(_size(value))
        method = getattr(__obj, "__name__", "")
        if isinstance(getattr(__obj, "__self__", None), str):
            text = __obj.__self__
            if method == "join" and args:
                if not isinstance(args[0], list | tuple | str):
                    args = (list(args[0]), *args[1:])
                _join(args[0], text)
            elif method == "replace" and len(args) >= 2:
                _replace(text, *args[:3])
            for value in args:
                _number_bound(value, method)
        result = super().call(__context, __obj, *args, **kwargs)
        _text_bound(_size(result))
        return result


# ---------------------------------------------------------------------------- rendering


@contextlib.contextmanager
def _traced(deadline: list[float]) -> Iterator[None]:
    """Check the deadline on every line of Python run meanwhile (template code, jinja's
    runtime, filters): a loop of any kind ends when the time is up."""
    previous = sys.gettrace()

    def local(frame: Any, event: str, arg: Any) -> Any:
        if time.monotonic() > deadline[0]:
            raise Bound(
                f"trop long à produire (plus de {MAX_SECONDS:g} secondes) : boucle sans fin ?"
            )
        return local

    def calls(frame: Any, event: str, arg: Any) -> Any:
        return local(frame, event, arg)

    sys.settrace(calls)
    try:
        yield
    finally:
        sys.settrace(previous)


def render(environment: BoundedEnvironment, template: jinja2.Template, context: Any) -> str:
    """`template` rendered with `context`, within the time and size bounds (Bound)."""
    environment.deadline[:] = [time.monotonic() + MAX_SECONDS]
    chunks: list[str] = []
    size = 0
    try:
        with _traced(environment.deadline):
            for chunk in template.generate(context):
                size += len(chunk)
                if size > MAX_TEXT:
                    raise Bound(f"document trop long (plus de {MAX_TEXT:,} caractères)"
                                .replace(",", " "))  # fmt: skip
                chunks.append(chunk)
    finally:
        environment.deadline.clear()
    return "".join(chunks)


__all__ = ["Bound", "BoundedEnvironment", "render"]
