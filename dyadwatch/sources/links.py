"""Finding a data file's current link on its publisher's page.

Some publishers rename their files every month. CBP's nationwide encounters page
(https://www.cbp.gov/document/stats/nationwide-encounters) links to, for example,
``/sites/default/files/2026-07/nationwide-encounters-fy23-fy26-jun-state.csv``; next
month's file has another folder and month in its name. So ``dyadwatch update`` reads the
page and takes the link matching a pattern (a setting), the newest one when several do:
the one in the latest ``/YYYY-MM/`` upload folder, then the first on the page.

The HTML is read with the standard library's :class:`html.parser.HTMLParser`: only the
``href`` of ``<a>`` elements matters here.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

_FOLDER = re.compile(r"/(\d{4})-(\d{2})/")


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)


def page_links(html: str, base_url: str) -> list[str]:
    """Every ``<a href>`` of a page as an absolute URL, in page order, without repeats."""
    parser = _Anchors()
    parser.feed(html)
    parser.close()
    absolute = (urljoin(base_url, href.strip()) for href in parser.hrefs)
    return list(dict.fromkeys(absolute))


def matching_links(links: list[str], pattern: str) -> list[str]:
    """The links whose path matches ``pattern`` (``re.search``), newest first (see the
    module docstring)."""
    regex = re.compile(pattern)
    found = [link for link in links if regex.search(urlsplit(link).path)]
    return sorted(found, key=_upload_month, reverse=True)  # stable: page order within a month


def _upload_month(link: str) -> tuple[int, int]:
    match = _FOLDER.search(urlsplit(link).path)
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)
