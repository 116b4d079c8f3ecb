"""A document as a few kinds of blocks, read from the small html subset the templates write.

The templates are written once, in this subset (h1, h2, p, ul/li, address, div, strong, em,
br, with a few classes). jinja2 renders them with html autoescaping, so a value from a case
(a name with « < » or « & », a line starting with « # ») stays text and can never add a block.
Each output format is then one renderer over `Letter` (visites/render/document_*.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

# Block kinds. Classes a template may put on p, address or div, and what they mean.
TITLE = "titre"  # h1
HEADING = "intertitre"  # h2
PARAGRAPH = "paragraphe"  # p
LIST = "liste"  # ul, one line per li
SENDER = "expediteur"  # the sender's address, top left
RECIPIENT = "destinataire"  # placed for the window of a DL envelope
PLACE_DATE = "lieu-date"  # « Nantes, le 12 janvier 2015 », right-aligned
SUBJECT = "objet"  # « Objet : … », bold
SIGNATURE = "signature"  # right-aligned, after the body
NOTE = "mention"  # small print: copies, references

CLASSES = (SENDER, RECIPIENT, PLACE_DATE, SUBJECT, SIGNATURE, NOTE)
_BLOCK_TAGS = {"h1": TITLE, "h2": HEADING, "p": PARAGRAPH, "address": PARAGRAPH, "div": PARAGRAPH}
_INLINE = {"strong": "bold", "b": "bold", "em": "italic", "i": "italic"}
_ALLOWED = "h1, h2, p, ul, li, address, div, strong, em, br"
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Run:
    """A piece of text with one style."""

    text: str
    bold: bool = False
    italic: bool = False


Line = tuple[Run, ...]


@dataclass(frozen=True)
class Block:
    """One block: its kind and its lines (a paragraph has one line, an address several)."""

    kind: str
    lines: tuple[Line, ...]

    @property
    def text(self) -> str:
        return "\n".join("".join(run.text for run in line) for line in self.lines)


@dataclass(frozen=True)
class Letter:
    """A rendered document: a title (for the file's metadata) and its blocks, in order."""

    title: str
    blocks: tuple[Block, ...]

    def blocks_of(self, kind: str) -> list[Block]:
        return [b for b in self.blocks if b.kind == kind]

    @property
    def text(self) -> str:
        """Plain text of the whole document (tests and previews)."""
        return "\n\n".join(b.text for b in self.blocks)


class StructureError(ValueError):
    """The rendered template leaves the subset; the message is French."""


def parse(markup: str, title: str) -> Letter:
    """Read a rendered template into a Letter. StructureError (French) on anything else."""
    reader = _Reader()
    reader.feed(markup)
    reader.close()
    reader.finish()
    return Letter(title, tuple(reader.blocks))


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._kind: str | None = None  # the open block's kind
        self._tag: str | None = None
        self._lines: list[list[Run]] = []
        self._styles: list[str] = []
        self._in_list = False

    # -------------------------------------------------------------- tags

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        where = f"ligne {self.getpos()[0]} du texte produit"
        if tag == "ul":
            self._no_open_block(tag, where)
            self._in_list = True
            self._open(LIST, "ul")
            return
        if tag == "li":
            if not self._in_list:
                raise StructureError(f"<li> hors d'une liste <ul> ({where})")
            self._lines.append([])
            return
        if tag == "br":
            if self._kind is None:
                raise StructureError(f"<br> hors d'un bloc ({where})")
            self._lines.append([])
            return
        if tag in _INLINE:
            if self._kind is None:
                raise StructureError(f"<{tag}> hors d'un bloc ({where})")
            self._styles.append(_INLINE[tag])
            return
        if tag not in _BLOCK_TAGS:
            raise StructureError(f"balise <{tag}> non prise en charge ; possibles : {_ALLOWED}")
        self._no_open_block(tag, where)
        kind = _BLOCK_TAGS[tag]
        classes = (dict(attrs).get("class") or "").split()
        for name in classes:
            if name not in CLASSES or tag in ("h1", "h2"):
                raise StructureError(
                    f"classe « {name} » inconnue sur <{tag}> ; possibles : {', '.join(CLASSES)}"
                )
            kind = name
        self._open(kind, tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _INLINE:
            if self._styles:
                self._styles.pop()
            return
        if tag in ("li", "br"):
            return
        if tag == "ul":
            self._in_list = False
        if tag == self._tag:
            self._close()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag != "br":
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self._kind is None:
            if data.strip():
                shown = _SPACES.sub(" ", data.strip())[:40]
                raise StructureError(
                    f"texte hors d'un bloc : « {shown} » (mettez-le dans un <p>…</p>)"
                )
            return
        if self._kind == LIST and not self._lines:
            if data.strip():
                raise StructureError("texte dans <ul> hors d'un <li>")
            return
        if not self._lines:
            self._lines.append([])
        self._lines[-1].append(
            Run(data, bold="bold" in self._styles, italic="italic" in self._styles)
        )

    def finish(self) -> None:
        if self._kind is not None:
            raise StructureError(f"bloc <{self._tag}> non fermé à la fin du modèle")

    # -------------------------------------------------------------- blocks

    def _no_open_block(self, tag: str, where: str) -> None:
        if self._kind is not None:
            raise StructureError(f"<{tag}> dans un autre bloc <{self._tag}> ({where})")

    def _open(self, kind: str, tag: str) -> None:
        self._kind, self._tag, self._lines, self._styles = kind, tag, [], []

    def _close(self) -> None:
        lines = tuple(line for line in (_tidy(raw) for raw in self._lines) if line)
        if lines:  # an empty block (an {% if %} that produced nothing) leaves no trace
            assert self._kind is not None
            self.blocks.append(Block(self._kind, lines))
        self._kind = self._tag = None
        self._lines = []


def _tidy(runs: list[Run]) -> Line:
    """Collapse white space as html does; drop empty runs; strip the line's ends."""
    merged: list[Run] = []
    for run in runs:
        text = _SPACES.sub(" ", run.text)
        if merged and (merged[-1].bold, merged[-1].italic) == (run.bold, run.italic):
            merged[-1] = Run(merged[-1].text + text, run.bold, run.italic)
        elif text:
            merged.append(Run(text, run.bold, run.italic))
    if merged:
        merged[0] = Run(merged[0].text.lstrip(), merged[0].bold, merged[0].italic)
        merged[-1] = Run(merged[-1].text.rstrip(), merged[-1].bold, merged[-1].italic)
    joined: list[Run] = []
    for run in merged:
        if not run.text:
            continue
        if joined and joined[-1].text.endswith(" ") and run.text.startswith(" "):
            run = Run(run.text.lstrip(), run.bold, run.italic)
        joined.append(run)
    return tuple(joined)
