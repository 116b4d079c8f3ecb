"""YAML in and out.

Reading goes through libyaml (PyYAML's CSafeLoader), the fastest safe parser at hand, with
YAML 1.2 scalar rules so that it reads back exactly what ruamel.yaml writes (no `yes`/`no`
booleans, no base-60 numbers). Anchors and aliases, duplicate keys and Python tags are
refused: a hand-edited case file never needs them, and they are how hostile files attack.

Writing goes through ruamel.yaml's round-trip mode: the file's own text is loaded, only the
values that changed are patched into it, and it is dumped again, so comments, key order,
quoting and layout written by hand survive and `git diff` shows only the changed lines.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Sequence
from datetime import date
from enum import Enum
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
    ("mapping values are not allowed", "deux-points inattendu : mettez la valeur entre guillemets"),
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
            if "&" in text or "*" in text:  # maybe an anchor or an alias: track every node
                return _build(node, loader, set())
            return _build_plain(node, loader)
        except _Unusual:
            # A tag or key shape the fast path does not handle: PyYAML's own constructor,
            # with the same checks (anchors, duplicate keys), builds it.
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


def _build(node: yaml.Node, loader: _Loader, seen: set[int]) -> Any:
    if id(node) in seen:  # an alias: the composer hands back the anchored node itself
        raise YamlProblem(_NO_ALIASES, node.start_mark.line + 1)
    seen.add(id(node))
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
            key = _build(key_node, loader, seen)
            if key in mapping:
                raise YamlProblem(f"clé « {key} » en double", key_node.start_mark.line + 1)
            mapping[key] = _build(value_node, loader, seen)
        return mapping
    if tag == _SEQ and kind is yaml.SequenceNode:
        return [_build(item, loader, seen) for item in node.value]
    raise _Unusual


def _build_plain(node: yaml.Node, loader: _Loader) -> Any:
    """`_build` for a text without `&` or `*`, hence without anchors or aliases."""
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
            key = key_node.value if key_node.tag == _STR else _build_plain(key_node, loader)
            if key in mapping:
                raise YamlProblem(f"clé « {key} » en double", key_node.start_mark.line + 1)
            if value_node.tag == _STR and type(value_node) is yaml.ScalarNode:
                mapping[key] = value_node.value
            else:
                mapping[key] = _build_plain(value_node, loader)
        return mapping
    if tag == _SEQ and kind is yaml.SequenceNode:
        return [_build_plain(item, loader) for item in node.value]
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
            match = next((kv for kv in node.value if kv[0].value == step), None)
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


# ---------------------------------------------------------------------------- writing

FLOW_LISTS = ("membres", "renouvellements")  # one item a line: short and diff-friendly


@functools.cache
def _round_trip_constructor() -> type:
    from ruamel.yaml.constructor import RoundTripConstructor
    from ruamel.yaml.scalarstring import PlainScalarString

    class Constructor(RoundTripConstructor):
        def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
            # `prescripteur: 2015-02-30` is text to the reader (see _timestamp): the writer
            # must read it as text too, not crash on an impossible date.
            try:
                return super().construct_yaml_timestamp(node, values)
            except ValueError:
                return PlainScalarString(self.construct_scalar(node))

    Constructor.add_constructor("tag:yaml.org,2002:timestamp", Constructor.construct_yaml_timestamp)
    return Constructor


def _round_trip() -> Any:
    from ruamel.yaml import YAML

    rt = YAML()
    rt.Constructor = _round_trip_constructor()
    rt.width = 4096  # never re-wrap a hand-written line
    rt.preserve_quotes = True
    rt.indent(mapping=2, sequence=4, offset=2)
    # The same object twice (one date for adhesion and consent) must not become &id001/*id001.
    rt.representer.ignore_aliases = lambda _value: True
    return rt


def _node(value: Any, key: str | None = None) -> Any:
    """A fresh ruamel node for a canonical value."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import LiteralScalarString

    if isinstance(value, dict):
        mapping = CommentedMap((k, _node(v, k)) for k, v in value.items())
        if key in FLOW_LISTS:
            mapping.fa.set_flow_style()
        return mapping
    if isinstance(value, list):
        return CommentedSeq(_node(v, key) for v in value)
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    return value


def dump_new(tree: dict[str, Any], header: str = "") -> str:
    """The canonical text of a new case file."""
    out = io.StringIO()
    out.write(header)
    _round_trip().dump(_node(tree), out)
    return out.getvalue()


def rewrite(text: str, old: dict[str, Any], new: dict[str, Any]) -> str:
    """`text` with the differences between `old` and `new` patched in, nothing else.

    A file saved with Windows line endings (CRLF) keeps them on every line. YamlProblem when
    ruamel.yaml cannot round-trip a text that libyaml reads (`clé<tab>: valeur`)."""
    from ruamel.yaml.error import YAMLError as RuamelError

    crlf = "\r\n" in text
    text = text.replace("\r\n", "\n") if crlf else text
    rt = _round_trip()
    mapping, sequence, offset = guess_indent(text)
    rt.indent(mapping=mapping, sequence=sequence, offset=offset)
    out = io.StringIO()
    try:
        document = rt.load(text)
        _patch_map(document, old, new)
        rt.dump(document, out)
    except (RuamelError, *_UNREADABLE, RecursionError) as error:
        raise _french(error, text) from None  # type: ignore[arg-type]
    # ruamel keeps the "\r" of comment lines only: without this the file would mix both.
    return out.getvalue().replace("\n", "\r\n") if crlf else out.getvalue()


_KEY_LINE = re.compile(r"( *)[^\s#-][^:#]*:\s*(#.*)?$")
_NESTED_KEY = re.compile(r"( +)[^\s#-][^:#]*:")
_ITEM = re.compile(r"( *)- ")


def guess_indent(text: str) -> tuple[int, int, int]:
    """The file's own (mapping, sequence, offset) indentation, so a rewrite keeps its layout.

    Defaults are the canonical layout: mappings by 2, list dashes indented by 2 under their key.
    """
    mapping = offset = None
    parent: int | None = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if parent is not None:
            if offset is None and (item := _ITEM.match(line)):
                offset = len(item.group(1)) - parent
            elif mapping is None and (nested := _NESTED_KEY.match(line)):
                mapping = len(nested.group(1)) - parent
        key = _KEY_LINE.match(line)
        parent = len(key.group(1)) if key else None
        if mapping is not None and offset is not None:
            break
    mapping = mapping if mapping and mapping > 0 else 2
    offset = offset if offset is not None and offset >= 0 else 2
    return mapping, offset + 2, offset


def _patch_map(node: Any, old: dict[str, Any], new: dict[str, Any]) -> None:
    for key in old:
        if key not in new and key in node:
            del node[key]
    previous: str | None = None
    for key, value in new.items():
        before = old.get(key)
        if key in node and before == value:
            previous = key
            continue
        current = node.get(key) if key in node else None
        if isinstance(value, dict) and isinstance(before, dict) and isinstance(current, dict):
            _patch_map(current, before, value)
        elif isinstance(value, list) and isinstance(before, list) and isinstance(current, list):
            _patch_list(current, before, value, key)
        elif key in node:
            node[key] = _node(value, key)
        else:
            keys = list(node.keys())
            position = keys.index(previous) + 1 if previous in keys else 0
            node.insert(position, key, _node(value, key))
        previous = key


def _patch_list(node: Any, old: list[Any], new: list[Any], key: str) -> None:
    if _is_subsequence(old, new):  # items added (events): insert them, touch nothing else
        matched = 0
        for position, value in enumerate(new):
            if matched < len(old) and old[matched] == value:
                matched += 1
            else:
                node.insert(position, _node(value, key))
        return
    if len(old) == len(new):  # items edited in place
        for index, (before, value) in enumerate(zip(old, new, strict=True)):
            if before == value:
                continue
            if isinstance(before, dict) and isinstance(value, dict):
                _patch_map(node[index], before, value)
            else:
                node[index] = _node(value, key)
        return
    node[:] = [_node(value, key) for value in new]


def _is_subsequence(old: list[Any], new: list[Any]) -> bool:
    remaining = iter(new)
    return len(new) > len(old) and all(any(item == n for n in remaining) for item in old)


def canonical(value: Any) -> Any:
    """A model dump with the empty parts left out: what a new file holds, in field order."""
    if isinstance(value, dict):
        kept = {k: canonical(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in (None, [], {}, "")}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    return value
