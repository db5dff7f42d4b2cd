"""A real HTTP server on 127.0.0.1 serving fixture pages written for the tests."""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from legacy import to_cp1258, to_legacy

ARTICLE = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>
<meta property="article:published_time" content="{date}"></head><body>
<nav class="menu"><a href="/">Trang chủ</a> | <a href="/tin-tuc/">Tin tức</a> | <a href="/lien-he">Liên hệ</a></nav>
<article><h1>{title}</h1>
<p>{body}</p>
<div class="related"><h3>Tin liên quan</h3><ul><li><a href="/x">Năm 2020 tỉnh có 999 mô hình quảng cáo</a></li></ul></div>
<div class="share">Chia sẻ bài viết: Facebook | Zalo</div>
</article>
<footer>Bản quyền thuộc Báo Điện tử Tỉnh. Giấy phép số 123/GP-BTTTT. Hotline 0912.345.678</footer>
</body></html>"""

BODY_1 = ("Sáng 17.7, Tổ công tác Đề án 06 của tỉnh tổ chức hội nghị sơ kết 6 tháng đầu năm 2024. "
          "Đồng chí Nguyễn Văn Hùng, Phó Chủ tịch UBND tỉnh, Tổ trưởng Tổ công tác chủ trì hội nghị. "
          "Tỷ lệ kích hoạt tài khoản định danh điện tử toàn tỉnh tính đến ngày 10.6 đạt 75,1%. "
          "Toàn tỉnh đã thu nhận gần 180.000 hồ sơ cấp căn cước công dân, tăng 12% so với cùng kỳ năm 2023. "
          "Các cơ sở khám chữa bệnh đã có 120/125 đơn vị tra cứu thẻ bảo hiểm y tế bằng căn cước công dân.")
BODY_2 = ("Trong năm 2023, tỉnh ban hành 45 văn bản chỉ đạo thực hiện Đề án 06 và triển khai 12 mô hình điểm. "
          "Tỷ lệ hồ sơ thanh toán trực tuyến đạt 48,5%, vượt chỉ tiêu 40%. "
          "Mức độ hài lòng của người dân đạt 96,2% và tỷ lệ giải quyết hồ sơ đúng hạn đạt 98,7%.")
BODY_3 = ("Năm 2023, toàn tỉnh cấp hơn 25.000 chữ ký số cho người dân và doanh nghiệp. "
          "Tỷ lệ dịch vụ công trực tuyến toàn trình đạt 85%, chi trả an sinh xã hội không dùng tiền mặt đạt 70%.")
BODY_EN = ("The province issued 45 documents and launched twelve pilot models in 2023, officials said on "
           "Monday. Online payments reached 48.5 percent of applications, above the target of forty percent, and "
           "satisfaction reached 96 percent according to the report published by the provincial committee today.")


def article(title: str, body: str, date: str = "2024-07-17") -> str:
    return ARTICLE.format(title=title, body=body, date=date)


def index_page(links: list[str], next_href: str | None = None) -> str:
    items = "".join(f'<h3 class="title"><a href="{href}">Bài {i}</a></h3>' for i, href in enumerate(links, 1))
    nxt = f'<a class="next" href="{next_href}">Trang sau</a>' if next_href else ""
    return f"<html><body><nav><a href='/tin-tuc/index.html'>Tin</a></nav>{items}{nxt}</body></html>"


class FixtureSite:
    """Routes and request log of the fixture server; pages are built from the templates above."""

    def __init__(self):
        self.log: list[tuple[float, str, dict]] = []
        self.hits: dict[str, int] = {}
        self.etag = '"bai-1-v1"'
        self.pages: dict[str, tuple[int, dict, bytes] | callable] = {}
        self._build()

    def _build(self) -> None:
        html = {"Content-Type": "text/html; charset=utf-8"}
        add = self.add
        add("/robots.txt", 200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n")
        add("/tin-tuc/index.html", 200, html, index_page(
            ["/tin-tuc/bai-1.html", "/tin-tuc/bai-2.html", "/khac/quang-cao.html", "/private/bai-an.html"],
            "/tin-tuc/index-2.html").encode())
        add("/tin-tuc/index-2.html", 200, html, index_page(["/tin-tuc/bai-3.html", "/tin-tuc/bai-1.html"]).encode())
        add("/tin-tuc/bai-2.html", 200, html, article("Kết quả Đề án 06 năm 2023", BODY_2).encode())
        # Windows-1258 bytes served with a wrong declared charset.
        add("/tin-tuc/bai-3.html", 200, html, to_cp1258(article("Chữ ký số năm 2023", BODY_3)).replace(
            b'charset="utf-8"', b'charset="utf-8"'))
        add("/tin-tuc/tcvn3.html", 200, {"Content-Type": "text/html"},
            to_legacy(article("Chữ ký số năm 2023", BODY_3).replace('<meta charset="utf-8">', ""), "tcvn3"))
        add("/private/bai-an.html", 200, html, article("Bí mật", BODY_2).encode())
        add("/khac/quang-cao.html", 200, html, article("Quảng cáo", BODY_2).encode())
        add("/en.html", 200, html, article("Report", BODY_EN).encode())
        add("/error500.html", 500, html, b"<h1>Internal Server Error</h1>")
        rss = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Tin</title>'
               '<item><title>Bài 1</title><link>{base}/tin-tuc/bai-1.html</link></item>'
               '<item><title>Bài 2</title><link>{base}/tin-tuc/bai-2.html</link></item></channel></rss>')
        atom = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Tin</title>'
                '<link href="{base}/"/><entry><title>Bài 3</title><link href="{base}/tin-tuc/bai-3.html"/></entry></feed>')
        index = ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                 '<sitemap><loc>{base}/sitemap-1.xml</loc></sitemap></sitemapindex>')
        urls = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                '<url><loc>{base}/tin-tuc/bai-2.html</loc></url><url><loc>{base}/tin-tuc/bai-3.html</loc></url></urlset>')
        for path, body in (("/rss.xml", rss), ("/atom.xml", atom), ("/sitemap.xml", index), ("/sitemap-1.xml", urls)):
            self.pages[path] = lambda h, body=body: (200, {"Content-Type": "application/xml"},
                                                     body.format(base=h.base).encode())
        self.pages["/tin-tuc/bai-1.html"] = self._conditional
        self.pages["/slow.html"] = self._slow
        self.pages["/flaky.html"] = self._flaky
        self.pages["/loop-a.html"] = lambda h: (302, {"Location": "/loop-b.html"}, b"")
        self.pages["/loop-b.html"] = lambda h: (302, {"Location": "/loop-a.html"}, b"")
        self.pages["/truncated.html"] = "truncated"
        self.pages["/reset.html"] = "reset"
        self.pages["/huge.html"] = lambda h: (200, {"Content-Type": "text/html; charset=utf-8"},
                                              b"<html><body><p>" + b"x" * (8 * 1024 * 1024) + b"</p></body></html>")

    def add(self, path: str, status: int, headers: dict, body: bytes) -> None:
        self.pages[path] = (status, headers, body)

    def _conditional(self, handler):
        if handler.headers.get("If-None-Match") == self.etag:
            return 304, {"ETag": self.etag}, b""
        return 200, {"Content-Type": "text/html; charset=utf-8", "ETag": self.etag}, \
            article("Sơ kết 6 tháng đầu năm 2024 thực hiện Đề án 06", BODY_1).encode()

    def _slow(self, handler):
        time.sleep(3)
        return 200, {"Content-Type": "text/html; charset=utf-8"}, article("Chậm", BODY_2).encode()

    def _flaky(self, handler):
        if self.hits.get("/flaky.html", 0) <= 1:
            return 503, {}, b"busy"
        return 200, {"Content-Type": "text/html; charset=utf-8"}, article("Kết quả năm 2023", BODY_2).encode()


def make_handler(site: FixtureSite, base_holder: dict):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        @property
        def base(self) -> str:
            return base_holder["base"]

        def do_GET(self):  # noqa: N802 (http.server's naming)
            path = self.path.split("?")[0]
            site.hits[path] = site.hits.get(path, 0) + 1
            site.log.append((time.monotonic(), path, dict(self.headers)))
            page = site.pages.get(path)
            if page == "reset":                 # close the connection without a response
                self.close_connection = True
                self.connection.shutdown(2)
                return
            if page == "truncated":             # promise 10 000 bytes, send 100, hang up
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", "10000")
                self.end_headers()
                self.wfile.write(b"<html><body><p>" + "Toàn tỉnh cấp 120 thẻ.".encode() + b"x" * 60)
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(2)
                return
            if page is None:
                status, headers, body = 404, {"Content-Type": "text/plain"}, b"not found"
            else:
                status, headers, body = page(self) if callable(page) else page
            try:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args):
            pass

    return Handler


class FixtureServer:
    def __init__(self):
        self.site = FixtureSite()
        holder: dict = {}
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(self.site, holder))
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        holder["base"] = self.base
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
