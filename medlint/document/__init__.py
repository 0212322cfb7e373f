"""Readers that turn a draft into a :class:`Document`; they know no rules.

Each reader fills the same model (see ``segments``); ``parse`` picks one by format name.
Readers are imported lazily so that linting Markdown never pays for the HTML parser.
"""
from __future__ import annotations

from pathlib import PurePath

from .segments import Block, Comment, Document, LineIndex, Relocation

FORMATS = ("markdown", "html", "text")

_SUFFIXES = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".mkd": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
}

_ALIASES = {"md": "markdown", "markdown": "markdown", "html": "html", "htm": "html",
            "text": "text", "txt": "text", "plain": "text"}


def format_for_path(path: str | PurePath, default: str = "markdown") -> str:
    """The reader a file's name asks for (unknown suffixes get ``default``)."""
    return _SUFFIXES.get(PurePath(path).suffix.lower(), default)


def normalize_format(fmt: str) -> str:
    try:
        return _ALIASES[fmt.lower()]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}") from None


def parse(text: str, format: str = "markdown", *, narrow: bool = False) -> Document:
    """Read ``text`` in ``format``.

    ``narrow=True`` lets the Markdown reader write astral characters (an emoji) of the
    prose mask as BMP stand-ins that every check reads alike (``narrow.py``), so that one
    emoji no longer makes the mask 4 bytes a character: 19 MB less for a 10 MB draft. Only
    a caller that quotes prose through :meth:`Document.shown` (not by slicing
    ``Document.prose``) may ask for it. The other readers, and HTML blocks inside
    Markdown (read by the HTML reader), leave the mask as it is.
    """
    fmt = normalize_format(format)
    if fmt == "markdown":
        from .markdown import parse_markdown

        return parse_markdown(text, narrow)
    if fmt == "html":
        from .html import parse_html

        return parse_html(text)
    from .text import parse_text

    return parse_text(text)


__all__ = ["Block", "Comment", "Document", "LineIndex", "Relocation", "FORMATS", "format_for_path",
           "normalize_format", "parse"]
