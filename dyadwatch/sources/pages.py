"""Web pages as text: an HTML5 parse, CSS selectors, and the text of block elements.

The document sources (:mod:`dyadwatch.sources.whitehouse`, :mod:`dyadwatch.sources.mananeras`)
read their pages through these helpers. Parsing uses ``tinyhtml5`` (the WHATWG HTML parsing
algorithm, so broken markup is repaired the way a browser does) and ``cssselect2`` for CSS
selectors; both are small, maintained libraries of the WeasyPrint project.

A page's *blocks* are its paragraphs, headings and list items in document order, each with
its blanks collapsed; scripts, styles, navigation and forms are never text.
"""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree.ElementTree import Element

import cssselect2
import tinyhtml5
from cssselect2 import ElementWrapper as Page

BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "blockquote"})
NEVER_TEXT = frozenset(
    {"script", "style", "noscript", "template", "nav", "form", "button", "svg", "iframe"}
)


def parse_page(data: bytes | str) -> Page:
    """The page's root, ready for :meth:`Page.query` and :meth:`Page.query_all`. Bytes are
    decoded as the page's ``<meta charset>`` says, else as UTF-8 (what both governments'
    sites serve), not as the HTML standard's windows-1252 fallback."""
    root = tinyhtml5.parse(data, namespace_html_elements=False, default_encoding="utf-8")
    return cssselect2.ElementWrapper.from_html_root(root)


def first(page: Page, *selectors: str) -> Page | None:
    """The first element matching the first selector that matches anything."""
    for selector in selectors:
        found = page.query(selector)
        if found is not None:
            return found
    return None


def text_of(element: Page | Element | None) -> str:
    """All the text inside an element (scripts and styles left out), blanks as they are."""
    if element is None:
        return ""
    node = element.etree_element if isinstance(element, Page) else element
    return "".join(_texts(node))


def _texts(node: Element) -> Iterator[str]:
    if node.tag in NEVER_TEXT:
        return
    if node.text:
        yield node.text
    for child in node:
        yield from _texts(child)
        if child.tail:
            yield child.tail


def squash(text: str) -> str:
    """Blanks (including no-break spaces and newlines) collapsed to one space."""
    return " ".join(text.split())


def blocks(element: Page | Element) -> list[str]:
    """The non-empty paragraphs, headings and list items inside ``element``, in order,
    each with its blanks collapsed (a block's nested blocks are part of its text)."""
    node = element.etree_element if isinstance(element, Page) else element
    return [text for text in (squash(t) for t in _blocks(node)) if text]


def _blocks(node: Element) -> Iterator[str]:
    for child in node:
        if child.tag in NEVER_TEXT:
            continue
        if child.tag in BLOCKS:
            yield text_of(child)
        else:
            yield from _blocks(child)


def meta(page: Page, name: str) -> str | None:
    """The content of ``<meta property=NAME>`` or ``<meta name=NAME>``, stripped."""
    for selector in (f'meta[property="{name}"]', f'meta[name="{name}"]'):
        found = page.query(selector)
        if found is not None:
            content = (found.etree_element.get("content") or "").strip()
            if content:
                return content
    return None
