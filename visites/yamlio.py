"""Reading YAML (writing is in yamlwrite.py).

Reading goes through libyaml (PyYAML's CSafeLoader), the fastest safe parser at hand, with
YAML 1.2 scalar rules so that it reads back exactly what ruamel.yaml writes (no `yes`/`no`
booleans, no base-60 numbers). Anchors and aliases, duplicate keys and Python tags are
refused: a hand-edited case file never needs them, and they are how hostile files attack.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

import yaml

try:
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml: slower, same results
    _BaseLoader = yaml.SafeLoader


class YamlProblem(Exception):
    """A file that is not YAML we accept. `line` is 1-based when known."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


_NO_ALIASES = "ancres et alias YAML (& et *) non acceptés"
# What PyYAML's constructors raise on a value they cannot build (`!!int` with no digits gives
# IndexError, `!!bool maybe` KeyError, `!!timestamp abc` AttributeError).
_UNREADABLE = (ValueError, TypeError, OverflowError, LookupError, AttributeError)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    yaml_implicit_resolvers: dict = {}

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        # libyaml's composer calls these three for every node (about 130 a case file).
        # Without path resolvers (asserted below) a tag depends on the scalar alone, so a
        # C-level memo answers, and the path bookkeeping becomes C-level no-ops.
        self.resolve = _cached_tag
        self.descend_resolver = {}.get
        self.ascend_resolver = ().__len__

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects:
            raise YamlProblem(_NO_ALIASES, node.start_mark.line + 1)
        try:
            return super().construct_object(node, deep)
        except _UNREADABLE:  # an int of 100,000 digits, an empty `!!int`…
            raise YamlProblem("valeur YAML illisible", node.start_mark.line + 1) from None

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set[Any] = set()
        # `!!set .` asks for a mapping from a scalar: the parent class says so with its line.
        for key_node, _ in node.value if isinstance(node, yaml.MappingNode) else ():
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key in seen:
                raise YamlProblem(f"clé « {key} » en double", key_node.start_mark.line + 1)
            seen.add(key)
        return super().construct_mapping(node, deep)


def _resolver(tag: str, pattern: str, first: str) -> None:
    _Loader.add_implicit_resolver(tag, re.compile(pattern, re.X), list(first))


# YAML 1.2 core schema (what ruamel.yaml assumes when it decides to quote a string).
_resolver("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF")
_resolver(
    "tag:yaml.org,2002:int",
    r"^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)$",
    "-+0123456789",
)
_resolver(
    "tag:yaml.org,2002:float",
    r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
    |\.[0-9_]+(?:[eE][-+][0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    "-+0123456789.",
)
_resolver("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", "~nN\0")
_Loader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^$"), [""])  # an empty value
_resolver(
    "tag:yaml.org,2002:timestamp",
    r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
    (?:(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
    (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)?)$""",
    "0123456789",
)


def _tag(kind: type, value: Any, implicit: tuple[bool, bool] | bool) -> str:
    """BaseResolver.resolve without the wildcard and path resolvers (this loader has none)."""
    if kind is yaml.ScalarNode:
        if implicit[0]:  # type: ignore[index]
            for tag, pattern in _BY_FIRST.get(value[:1], ()):
                if pattern.match(value):
                    return tag
        return _Loader.DEFAULT_SCALAR_TAG
    if kind is yaml.SequenceNode:
        return _Loader.DEFAULT_SEQUENCE_TAG
    return _Loader.DEFAULT_MAPPING_TAG


_BY_FIRST = _Loader.yaml_implicit_resolvers
assert None not in _BY_FIRST and not _Loader.yaml_path_resolvers
_cached_tag = functools.lru_cache(maxsize=1 << 16)(_tag)


def _timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    if len(node.value) == 10:  # AAAA-MM-JJ, the only 10-character form the resolver lets by
        try:
            return date.fromisoformat(node.value)
        except ValueError:
            return node.value
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        # 2015-02-30 looks like a date but is none: keep the text, the model says why.
        return node.value


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


_PROBLEMS_FR = (
    ("found character '\\t'", "tabulation interdite : indentez avec des espaces"),
    (
        "mapping values are not allowed",
        "deux-points inattendu : vérifiez l'indentation de la ligne (alignée sur ses voisines), "
        "ou mettez la valeur entre guillemets si elle contient « : »",
    ),
    ("could not find expected ':'", "deux-points manquant après une clé"),
    ("found unexpected end of stream", "fin de fichier inattendue (guillemet non fermé ?)"),
    ("found undefined alias", "alias YAML inconnu"),
    ("could not determine a constructor", "étiquette YAML (!…) non acceptée"),
    ("found unacceptable character", "caractère interdit dans le fichier"),
    ("expected a mapping node", "étiquette YAML (!…) qui ne convient pas à la valeur"),
    ("expected a sequence", "étiquette YAML (!…) qui ne convient pas à la valeur"),
    ("expected <block end>", "indentation incohérente"),
    ("did not find expected key", "indentation incohérente ou clé manquante"),
    ("did not find expected '-'", "indentation incohérente dans une liste"),
    ("found a tab character", "tabulation interdite : indentez avec des espaces"),
    ("unacceptable character", "caractère interdit dans le fichier"),
)


def _french(error: yaml.YAMLError, source: str) -> YamlProblem:
    text = str(getattr(error, "problem", None) or error)
    message = next((fr for en, fr in _PROBLEMS_FR if en in text), None)
    message = message or "syntaxe YAML invalide (indentation, deux-points ou guillemets ?)"
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is None and isinstance(error, yaml.reader.ReaderError):  # a control character
        # libyaml counts the position in UTF-8 bytes, PyYAML's own reader in characters.
        if _BaseLoader is yaml.SafeLoader:
            return YamlProblem(message, _line_at(source, error.position))
        return YamlProblem(message, source.encode().count(b"\n", 0, error.position) + 1)
    if mark is None:
        return YamlProblem(message, None)
    # At the end of the file libyaml points one line past the last one: name the last one.
    return YamlProblem(message, min(mark.line + 1, max(len(source.splitlines()), 1)))


def _line_at(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def decode(raw: bytes) -> str:
    """The file's text. A BOM is tolerated; other encodings than UTF-8 are refused."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise YamlProblem(
            "le fichier n'est pas en UTF-8 : réenregistrez-le en UTF-8", line
        ) from None


def load(text: str) -> Any:
    """Parse one YAML document with the rules above."""
    if "\x00" in text:
        line = _line_at(text, text.index("\x00"))
        raise YamlProblem("caractère nul : le fichier n'est pas un texte", line)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        try:
            if "&" in text or "*" in text:  # maybe an anchor or an alias
                raise _Unusual
            return _build(node, loader)
        except _Unusual:
            # An anchor, or a tag or key shape the fast path does not handle: PyYAML's own
            # constructor, with the same checks (anchors, duplicate keys), builds it.
            return loader.construct_document(node)
    except YamlProblem:
        raise
    except yaml.YAMLError as error:
        raise _french(error, text) from None
    except (*_UNREADABLE, RecursionError):
        raise YamlProblem("valeur YAML illisible", None) from None
    finally:
        loader.dispose()


# ---------------------------------------------------------------------------- fast path
# libyaml parses and composes in C; PyYAML's constructor then walks the nodes in Python
# with one generator per mapping. `_build` does the same walk in one plain recursive pass
# for the tags a case file uses (about twice as fast), with the same refusals.

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_SCALARS = {
    "tag:yaml.org,2002:int": _Loader.construct_yaml_int,
    "tag:yaml.org,2002:bool": _Loader.construct_yaml_bool,
    "tag:yaml.org,2002:null": _Loader.construct_yaml_null,
    "tag:yaml.org,2002:float": _Loader.construct_yaml_float,
    "tag:yaml.org,2002:timestamp": _timestamp,
}


class _Unusual(Exception):
    """The document needs PyYAML's full constructor."""


def _scalar(loader: _Loader, node: yaml.ScalarNode, tag: str) -> Any:
    build = _SCALARS.get(tag)
    if build is None:
        raise _Unusual
    try:
        return build(loader, node)
    except _UNREADABLE:  # as in _Loader.construct_object
        raise YamlProblem("valeur YAML illisible", node.start_mark.line + 1) from None


def _build(node: yaml.Node, loader: _Loader) -> Any:
    """The document of a text without `&` or `*`, hence without anchors or aliases."""
    tag, kind = node.tag, type(node)
    if kind is yaml.ScalarNode:
        if tag == _STR:
            return node.value
        return _scalar(loader, node, tag)
    if tag == _MAP and kind is yaml.MappingNode:
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not yaml.ScalarNode:
                raise _Unusual
            key = key_node.value if key_node.tag == _STR else _build(key_node, loader)
            if key in mapping:
                raise YamlProblem(f"clé « {key} » en double", key_node.start_mark.line + 1)
            if value_node.tag == _STR and type(value_node) is yaml.ScalarNode:
                mapping[key] = value_node.value
            else:
                mapping[key] = _build(value_node, loader)
        return mapping
    if tag == _SEQ and kind is yaml.SequenceNode:
        return [_build(item, loader) for item in node.value]
    raise _Unusual


@functools.lru_cache(maxsize=1)
def _composed(text: str) -> Any:
    # One file's problems all look up their lines in the same text: compose it once, not once
    # per problem (a file with 1,000 wrong events took a minute). False: it does not compose.
    try:
        return yaml.compose(text, Loader=_Loader)
    except (yaml.YAMLError, YamlProblem, RecursionError):
        return False


def line_of(text: str, loc: Sequence[str | int]) -> int | None:
    """The 1-based line of the value at `loc` (keys and indexes), or of its nearest parent."""
    node = _composed(text)
    if node is False:
        return None
    line = node.start_mark.line + 1 if node else None
    for step in loc:
        if isinstance(node, yaml.MappingNode):
            # A key written as a number (a budget's year) is a number in `loc`, text here.
            match = next((kv for kv in node.value if kv[0].value == str(step)), None)
            if match is None:
                return line
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if step >= len(node.value):
                return line
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            return line
    return line


class Lines:
    """The lines of one text's values: `Lines(text).of(loc)` is `line_of(text, loc)`, the text
    composed at most once (see `_composed`), and only when a problem asks for a line."""

    def __init__(self, text: str) -> None:
        self.text = text

    def of(self, loc: Sequence[str | int]) -> int | None:
        return line_of(self.text, loc)
