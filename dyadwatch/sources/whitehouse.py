"""White House releases: the site's XML sitemaps, and each release page as title, date, text.

**Where the list of releases comes from.** whitehouse.gov is WordPress with Yoast SEO, whose
sitemap index (``/sitemap_index.xml``, the ``Sitemap:`` line of its robots.txt) names one
sitemap per content type and page of 1,000 entries (``post-sitemap.xml``,
``post-sitemap2.xml``, …), each with a ``<lastmod>``; every release is a ``post``. The
sitemaps are used rather than the RSS feed (``/feed/``) because a feed holds only the latest
ten items: an update run less often than ten releases (a busy day) would miss some for ever,
while a sitemap lists every release, so a missed run loses nothing. A child sitemap whose
``<lastmod>`` did not change is answered 304 to the conditional request.

**The page layout targeted** (2025–, WordPress block theme): the title in
``h1.wp-block-whitehouse-topper__headline``, the date in ``.wp-block-post-date time
[datetime]`` (else ``meta[property=article:published_time]``), the text in
``.wp-block-post-content``. The 2021–2025 archive (bidenwhitehouse.archives.gov) keeps its
text in ``section.body-content`` and is read too. A page with none of these raises
:class:`~dyadwatch.errors.SchemaChangedError` naming the missing part: the site changed.

**Relevance** (:class:`Relevance`): the rule the bundled corpus
``wh_briefings_mexico_related.jsonl.gz`` was selected with, with the words from settings: at
least 2 mentions of the other country (its ``country_terms``, ``New Mexico`` excluded), or at
least 2 of a topic term (fentanyl, cartel); a press briefing, long and about everything,
needs 3 mentions of the country.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from xml.etree import ElementTree

from dyadwatch.errors import SchemaChangedError
from dyadwatch.settings import Settings
from dyadwatch.sources import pages
from dyadwatch.sources.mentions import count_mentions, other_country

SOURCE = "whitehouse"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
TITLE_SELECTORS = ("h1.wp-block-whitehouse-topper__headline", "h1.page-title", "h1")
BODY_SELECTORS = (".wp-block-post-content", "section.body-content")
DATE_SELECTORS = (".wp-block-post-date time[datetime]", "time[datetime]")
BRIEFING_URL_PART = "press-briefing"


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    """One ``<sitemap>`` of an index or ``<url>`` of a sitemap: its address and lastmod."""

    url: str
    lastmod: dt.datetime | None


@dataclass(frozen=True, slots=True)
class Sitemap:
    """A parsed sitemap file: an index of sitemaps, or a set of page URLs."""

    is_index: bool
    entries: tuple[SitemapEntry, ...]


@dataclass(frozen=True, slots=True)
class Release:
    """One release page as text; ``text`` is its paragraphs separated by blank lines."""

    url: str
    title: str
    date: dt.date
    text: str


def read_sitemap(data: bytes, *, url: str) -> Sitemap:
    """A sitemap index or URL set (sitemaps.org 0.9); anything else is a format change."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise _changed(url, f"the sitemap is not XML ({exc})", "a sitemap") from exc
    kinds = {f"{SITEMAP_NS}sitemapindex": "sitemap", f"{SITEMAP_NS}urlset": "url"}
    child = kinds.get(root.tag)
    if child is None:
        raise _changed(url, f"the root element is <{root.tag}>", "<sitemapindex> or <urlset>")
    entries = tuple(_entry(node, url) for node in root.iter(f"{SITEMAP_NS}{child}"))
    return Sitemap(child == "sitemap", entries)


def _entry(node: ElementTree.Element, url: str) -> SitemapEntry:
    loc = (node.findtext(f"{SITEMAP_NS}loc") or "").strip()
    if not loc:
        raise _changed(url, "an entry has no <loc>", "a <loc> in every entry")
    return SitemapEntry(loc, _lastmod(node.findtext(f"{SITEMAP_NS}lastmod")))


def _lastmod(text: str | None) -> dt.datetime | None:
    """A W3C datetime ('2025-01-21', '2025-01-21T14:14:01+00:00') as an aware datetime."""
    if not text or not text.strip():
        return None
    try:
        value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def read_release(data: bytes, *, url: str) -> Release:
    """Title, date and text of a release page; SchemaChangedError names a missing part."""
    page = pages.parse_page(data)
    title = pages.squash(pages.text_of(pages.first(page, *TITLE_SELECTORS)))
    title = title or pages.meta(page, "og:title") or ""
    if not title:
        raise _changed(url, "the page has no title", "a title (" + ", ".join(TITLE_SELECTORS) + ")")
    body = pages.first(page, *BODY_SELECTORS)
    if body is None:
        raise _changed(url, "the page has no body", "the text (" + ", ".join(BODY_SELECTORS) + ")")
    text = "\n\n".join(pages.blocks(body))
    if not text:
        raise _changed(url, "the page's body holds no paragraphs", "paragraphs in the body")
    return Release(url, title, release_date(page, url=url), text)


def release_date(page: pages.Page, *, url: str) -> dt.date:
    """The date shown on the page, else its ``article:published_time``."""
    found = pages.first(page, *DATE_SELECTORS)
    shown = found.etree_element.get("datetime") if found is not None else None
    stamps: list[str | None] = [shown, pages.meta(page, "article:published_time")]
    for stamp in stamps:
        when = _lastmod(stamp)
        if when is not None:
            return when.date()
    raise _changed(url, "the page has no date", "a date (time[datetime] or article:published_time)")


def _changed(url: str, problem: str, expected: str) -> SchemaChangedError:
    return SchemaChangedError(
        SOURCE,
        f"{url}: {problem}, where {expected} was expected",
        "The White House site changed its format: update dyadwatch.sources.whitehouse "
        "(or check DYADWATCH_WHITEHOUSE_SITEMAP_URL)",
    )


@dataclass(frozen=True, slots=True)
class Relevance:
    """Which releases concern the other country; built from settings by :meth:`of`."""

    terms: tuple[str, ...]
    excluded: tuple[str, ...]
    topics: tuple[str, ...]
    min_mentions: int
    min_briefing_mentions: int
    min_topic_mentions: int

    @classmethod
    def of(cls, settings: Settings) -> Relevance:
        other = other_country(settings, SOURCE)
        return cls(
            terms=tuple(settings.country_terms.get(other, ())),
            excluded=tuple(settings.country_terms_excluded.get(other, ())),
            topics=tuple(settings.whitehouse_topic_terms),
            min_mentions=settings.whitehouse_min_mentions,
            min_briefing_mentions=settings.whitehouse_min_briefing_mentions,
            min_topic_mentions=settings.whitehouse_min_topic_mentions,
        )

    def keeps(self, release: Release) -> bool:
        """True when the release concerns the other country (module docstring)."""
        text = f"{release.title}\n{release.text}"
        mentions = count_mentions(text, self.terms, excluded=self.excluded)
        if BRIEFING_URL_PART in release.url:
            return mentions >= self.min_briefing_mentions
        if mentions >= self.min_mentions:
            return True
        return any(
            count_mentions(text, (topic,), ignore_case=True) >= self.min_topic_mentions
            for topic in self.topics
        )
