"""HTML: the page's main text, one block (heading, paragraph, list item, table row) per
paragraph. trafilatura, when installed, drops menus, sidebars and footers; without it every
visible block is kept (scripts, styles and hidden templates never are)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from muragat.extract.extracted import Extracted

_BLOCKS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption footer form h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table td th tr ul title".split()
)
_SKIP = frozenset("script style noscript template svg head".split())
_SPACES = re.compile(r"[ \t\u00a0]+")


def extract_html(html: str) -> Extracted:
    try:
        import trafilatura
    except ImportError:
        return Extracted(_blocks_text(html), {"extractor": "html.parser"})
    found = trafilatura.bare_extraction(html, with_metadata=True, include_tables=True,
                                        favor_recall=True)
    text = getattr(found, "text", None) if found is not None else None
    if not text or not text.strip():  # a short page under trafilatura's thresholds
        return Extracted(_blocks_text(html), {"extractor": "html.parser"})
    meta: dict[str, Any] = {"extractor": "trafilatura"}
    for key in ("title", "author", "date", "url", "sitename"):
        value = getattr(found, key, None)
        if value:
            meta[key] = str(value)
    return Extracted(_paragraphs(text.splitlines()), meta)


def _paragraphs(lines: list[str]) -> str:
    """One block per paragraph, separated by blank lines (the text layer's paragraph mark)."""
    kept = [_SPACES.sub(" ", ln).strip() for ln in lines]
    return "\n\n".join(ln for ln in kept if ln) + "\n"


class _Blocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skipping = 0

    def _flush(self) -> None:
        if self.current:
            self.lines.append("".join(self.current))
            self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(data.replace("\n", " "))


def _blocks_text(html: str) -> str:
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    parser._flush()
    return _paragraphs(parser.lines)
