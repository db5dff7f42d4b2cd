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


def test_a_chunked_body_past_the_limit_is_refused_as_it_streams(tmp_path):
    """No Content-Length to check: the body is counted as it arrives, cut at the limit with 413."""
    import httpx

    from conftest import LiveServer
    from store import db
    from web.app import create_app

    url = f"sqlite:///{tmp_path / 'w.db'}"
    db.upgrade(url)
    sent = 0

    def chunks():
        nonlocal sent
        for _ in range(2000):                                      # up to 128 MB, far past the 64 KB limit
            sent += 64 * 1024
            yield b"x" * (64 * 1024)

    with LiveServer(create_app(url)) as server:                   # the server runs in this process's thread
        tracemalloc.start()
        try:
            response = httpx.post(f"{server.base}/login", content=chunks(), timeout=60,
                                  headers={"content-type": "application/x-www-form-urlencoded"})
            status = response.status_code
        except httpx.HTTPError:                                    # the server may close mid-upload: also refused
            status = 413
        finally:
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
    assert status == 413
    assert peak < 16 * 1024 * 1024, (peak, sent)                   # megabytes held, never the 128 MB sent


def test_a_page_that_trickles_in_is_cut_at_its_total_deadline():
    """Each read comes in time, the page never ends: the whole fetch has one deadline (3 × timeout)."""
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    import pytest

    from pipeline.fetch_web import FetchError

    stop = threading.Event()

    class Trickle(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            for _ in range(60):                                      # 30 s of bytes, one every half second
                if stop.is_set():
                    return
                try:
                    self.wfile.write(b"<p>" + b"x" * 64 + b"</p>\n")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.5)

        def log_message(self, *args):
            pass

    class HungUpOn(ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            pass                    # the client hangs up at its deadline: that is the test, not an error

    server = HungUpOn(("127.0.0.1", 0), Trickle)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        fetcher = Fetcher(delay=0, timeout=1, retry_delays=())
        with pytest.raises(FetchError, match="time limit"):
            fetcher._get_once(f"http://127.0.0.1:{server.server_address[1]}/slow.html", {})
    finally:
        stop.set()
        server.shutdown()
