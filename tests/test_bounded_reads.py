"""Reads from outside are bounded: a robots.txt that decompresses to gigabytes costs the limit, not the
bomb (a real HTTP server on 127.0.0.1, memory measured with tracemalloc)."""
from __future__ import annotations

import gzip
import tracemalloc

from pipeline.fetch_web import Fetcher
from settings import thresholds


def test_a_robots_txt_bomb_is_read_only_up_to_the_limit(web):
    rules = b"User-agent: *\nDisallow: /private/\n" + b"# padding line of a hostile robots.txt\n" * 5_000_000
    bomb = gzip.compress(rules, compresslevel=9)                    # ~ 200 MB of text in a small body
    assert len(bomb) < len(rules) // 100
    web.site.add("/robots.txt", 200, {"Content-Type": "text/plain", "Content-Encoding": "gzip"}, bomb)
    fetcher = Fetcher(delay=0, timeout=30)
    tracemalloc.start()
    try:
        allowed_private = fetcher.allowed(f"{web.base}/private/page.html")
        allowed_public = fetcher.allowed(f"{web.base}/tin-tuc/bai-1.html")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (allowed_private, allowed_public) == (False, True)       # the rules before the limit still apply
    assert peak < 20 * thresholds.MAX_ROBOTS_BYTES, peak            # megabytes, not the bomb's hundreds
