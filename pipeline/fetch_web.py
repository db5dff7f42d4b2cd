"""Fetching from the web: index pages, RSS/Atom feeds and sitemaps list articles; pages are fetched
politely (robots.txt, a delay per host), with timeouts, retries with backoff on 5xx and timeouts, a
size limit, a redirect limit and conditional requests (ETag / Last-Modified).

One generic fetcher serves every source; what differs between sites lives in ``sources.yaml``.
"""
from __future__ import annotations

import hashlib
import threading
import time
import urllib.robotparser
import zlib
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlparse

import httpx
import regex

from importlib.metadata import version
from pipeline.encoding import decode_bytes
from pipeline.errors import ArticleError
from pipeline.fetch import ArticleRef, RawArticle
from pipeline.sources import SourceConfig
from settings import thresholds

USER_AGENT = f"vnfacts/{version('vnfacts')} (+https://example.org/vnfacts; indicator facts from public reports)"
CHARSET = regex.compile(r"""charset=["']?([\w-]+)""", regex.IGNORECASE)


class FetchError(ArticleError):
    """A page could not be fetched.

    ``retryable``: the article is stored ``failed`` and fetched again next run (otherwise the page
    itself is unacceptable — too large, a redirect loop, disallowed — and it is ``quarantined``).
    ``retry_now``: worth another attempt within this run (5xx, 429, timeouts, dropped connections).
    """

    def __init__(self, message: str, retryable: bool = True, retry_now: bool | None = None):
        super().__init__(message)
        self.retryable = retryable
        self.retry_now = retryable if retry_now is None else retry_now


class NotModified(Exception):
    """The server says the page has not changed since the stored copy (HTTP 304)."""


@dataclass
class Page:
    url: str
    content: bytes
    text: str
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class Fetcher:
    """An HTTP client that waits ``delay`` seconds between requests to one host and obeys robots.txt."""

    delay: float = 1.0
    timeout: float = 20.0
    max_bytes: int = thresholds.MAX_PAGE_BYTES
    retry_delays: tuple[float, ...] = thresholds.RETRY_DELAYS
    _client: httpx.Client = field(init=False, repr=False)
    _last: dict[str, float] = field(default_factory=dict, init=False, repr=False)
    _robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self):
        self._client = httpx.Client(timeout=self.timeout, follow_redirects=True, max_redirects=thresholds.MAX_REDIRECTS,
                                    headers={"User-Agent": USER_AGENT, "Accept-Language": "vi,en;q=0.5"})

    def close(self) -> None:
        self._client.close()

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Page:
        if not self.allowed(url):
            raise FetchError(f"disallowed by robots.txt: {url}", retryable=False)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        last_error = "no attempt"
        for attempt, wait in enumerate((0.0, *self.retry_delays)):
            if wait:
                time.sleep(wait)
            try:
                return self._get_once(url, headers)
            except NotModified:
                raise
            except FetchError as exc:
                if not exc.retry_now:
                    raise
                last_error = str(exc)
        raise FetchError(f"{last_error} (after {len(self.retry_delays) + 1} attempts)")

    def _get_once(self, url: str, headers: dict) -> Page:
        self._wait_turn(url)
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304:
                    raise NotModified(url)
                if response.status_code >= 500:
                    raise FetchError(f"HTTP {response.status_code} from {url}")
                if response.status_code >= 400:
                    raise FetchError(f"HTTP {response.status_code} from {url}", retry_now=response.status_code == 429)
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.max_bytes:
                    raise FetchError(f"page too large: {declared} bytes (limit {self.max_bytes}): {url}", retryable=False)
                # decompressed by us with a bound on every step, and under one deadline for the whole
                # page: a server that trickles bytes cannot hold the fetch past its time
                content = read_limited(response, self.max_bytes + 1, deadline=time.monotonic() + self.timeout * 3)
                if len(content) > self.max_bytes:
                    raise FetchError(f"page too large: over {self.max_bytes} bytes: {url}", retryable=False)
                charset = CHARSET.search(response.headers.get("content-type", ""))
                return Page(str(response.url), content, decode_page(content, charset.group(1) if charset else None),
                            response.headers.get("etag"), response.headers.get("last-modified"))
        except httpx.TooManyRedirects:
            raise FetchError(f"more than {thresholds.MAX_REDIRECTS} redirects: {url}", retryable=False) from None
        except httpx.TimeoutException:
            raise FetchError(f"timed out after {self.timeout:g} s: {url}") from None
        except (httpx.TransportError, httpx.DecodingError) as exc:
            raise FetchError(f"{type(exc).__name__}: {exc}: {url}") from None

    def _wait_turn(self, url: str) -> None:
        host = urlparse(url).netloc
        with self._lock:
            wait = self._last.get(host, 0.0) + self.delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last[host] = time.monotonic()

    def allowed(self, url: str) -> bool:
        parts = urlparse(url)
        root = f"{parts.scheme}://{parts.netloc}"
        if root not in self._robots:
            parser = urllib.robotparser.RobotFileParser()
            try:
                self._wait_turn(root)
                with self._client.stream("GET", root + "/robots.txt") as response:
                    if response.status_code >= 400:
                        parser = None                # no robots.txt: everything is allowed
                    else:
                        body = read_limited(response, thresholds.MAX_ROBOTS_BYTES)
                        parser.parse(body.decode("utf-8", errors="replace").splitlines())
            except httpx.HTTPError:
                parser = None
            self._robots[root] = parser
        parser = self._robots[root]
        return parser is None or parser.can_fetch(USER_AGENT, url)


def read_limited(response: httpx.Response, limit: int, deadline: float | None = None) -> bytes:
    """At most ``limit`` bytes of a streamed body, decompressed by us with a bound on every step, so a
    small compressed body that inflates to gigabytes (a "zip bomb") costs the limit and no more; past
    ``deadline`` (a monotonic time) the read stops with a retryable FetchError."""
    encoding = response.headers.get("content-encoding", "").strip().lower()
    inflate = zlib.decompressobj(wbits=47) if encoding in ("gzip", "deflate", "x-gzip") else None
    out = bytearray()
    for raw in response.iter_raw():             # as the bytes arrive (a chunk size would wait to fill it)
        if deadline is not None and time.monotonic() > deadline:
            raise FetchError(f"page not received within its time limit: {response.url}")
        data = raw
        while data and len(out) < limit:
            if inflate is None:
                out += data[: limit - len(out)]
                break
            out += inflate.decompress(data, limit - len(out))
            data = inflate.unconsumed_tail
        if len(out) >= limit:
            break
    return bytes(out[:limit])


def decode_page(content: bytes, declared: str | None) -> str:
    """The page as text: a wrong or missing declared charset is corrected by the encoding detector."""
    meta = CHARSET.search(content[:2048].decode("ascii", errors="ignore"))
    return decode_bytes(content, declared=declared or (meta.group(1) if meta else None))


def article_key(url: str) -> str:
    """A stable, readable id for an article URL: its last path segment and a short hash."""
    path = urlparse(url).path.rstrip("/")
    slug = regex.sub(r"[^\w-]+", "-", path.rsplit("/", 1)[-1].rsplit(".", 1)[0]).strip("-")[:60] or "page"
    return f"{slug}_{hashlib.sha1(url.encode()).hexdigest()[:10]}"


_fetchers: dict[tuple, Fetcher] = {}


def fetcher_for(source: SourceConfig) -> Fetcher:
    """One fetcher per source settings in a process, so the per-host delay holds across calls."""
    key = (source.delay, source.timeout, source.retry_delays)
    if key not in _fetchers:
        _fetchers[key] = Fetcher(delay=source.delay, timeout=source.timeout, retry_delays=source.retry_delays)
    return _fetchers[key]


def list_web_refs(source: SourceConfig) -> list[ArticleRef]:
    """The article URLs a web source lists, filtered by include/exclude, at most ``max_articles``."""
    fetcher = fetcher_for(source)
    if source.kind == "html_index":
        urls = _index_links(fetcher, source)
    elif source.kind == "rss":
        urls = _feed_links(fetcher.get(source.location))
    else:
        urls = _sitemap_links(fetcher, source.location, 0)
    seen, refs = set(), []
    for url in urls:
        if url in seen or not source.accepts_url(url):
            continue
        seen.add(url)
        refs.append(ArticleRef(article_key(url), url))
        if source.max_articles and len(refs) >= source.max_articles:
            break
    return refs


def fetch_article(source: SourceConfig, ref, etag: str | None = None, last_modified: str | None = None) -> RawArticle:
    page = fetcher_for(source).get(ref.location, etag, last_modified)
    meta = {"url": page.url, "etag": page.etag, "last_modified": page.last_modified}
    if source.province:
        meta["province"] = source.province
    return RawArticle(article=ref.key, content=page.text, is_html=True, meta=meta, url=page.url,
                      content_hash=hashlib.sha256(page.content).hexdigest())


def _index_links(fetcher: Fetcher, source: SourceConfig) -> list[str]:
    from lxml import html

    urls, page_url = [], source.location
    for _ in range(max(1, source.max_pages)):
        page = fetcher.get(page_url)
        tree = html.fromstring(page.text)
        for a in tree.cssselect(source.link_selector):
            href = a.get("href")
            if href:
                urls.append(urljoin(page.url, href))
        nxt = tree.cssselect(source.next_selector) if source.next_selector else []
        if not nxt or not nxt[0].get("href"):
            break
        page_url = urljoin(page.url, nxt[0].get("href"))
    return urls


def _feed_links(page: Page) -> list[str]:
    """Item links of an RSS 2.0 or Atom feed."""
    from lxml import etree

    try:
        root = etree.fromstring(page.content, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise FetchError(f"not a valid feed: {exc}: {page.url}", retryable=False) from None
    links = [el.text.strip() for el in root.iter("{*}link", "link") if el.text and el.text.strip()
             and el.getparent() is not None and etree.QName(el.getparent()).localname == "item"]
    links += [el.get("href") for el in root.iter("{http://www.w3.org/2005/Atom}link")
              if el.get("href") and el.get("rel", "alternate") == "alternate"
              and etree.QName(el.getparent()).localname == "entry"]
    return [urljoin(page.url, link) for link in links]


def _sitemap_links(fetcher: Fetcher, url: str, depth: int) -> list[str]:
    from lxml import etree

    page = fetcher.get(url)
    try:
        root = etree.fromstring(page.content, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise FetchError(f"not a valid sitemap: {exc}: {url}", retryable=False) from None
    locs = [el.text.strip() for el in root.iter("{*}loc") if el.text]
    if etree.QName(root).localname == "sitemapindex":
        if depth >= thresholds.MAX_SITEMAP_DEPTH:
            return []
        return [link for loc in locs for link in _sitemap_links(fetcher, urljoin(url, loc), depth + 1)]
    return [urljoin(url, loc) for loc in locs]
