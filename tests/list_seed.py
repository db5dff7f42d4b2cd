"""Many articles for the reviewer's article list: copies of the ingested seed articles (with their facts)
under new keys, dates and provinces. Used by the browser tests (a few hundred) and, run as a script, to
time the list page with 10,000 articles on a database:

    python tests/list_seed.py --db sqlite:////tmp/list.db --articles 10000
    python tests/list_seed.py --db postgresql+psycopg://postgres@127.0.0.1:5432/test --articles 10000
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from sqlalchemy import insert, select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from store import db  # noqa: E402
from store.models import Article, Fact, ProvinceRow, Source  # noqa: E402


def seed_copies(url: str, total: int, batch: int = 500) -> int:
    """Add copies of the stored articles until there are ``total``; returns how many were added."""
    with db.session(url) as s:
        originals = s.scalars(select(Article).where(Article.status == "ok").order_by(Article.id)).all()
        facts = {a.id: [{c.name: getattr(f, c.name) for c in Fact.__table__.columns if c.name != "id"}
                        for f in s.scalars(select(Fact).where(Fact.article_id == a.id,
                                                              Fact.extractor_version == a.extractor_version))]
                 for a in originals}
        provinces = s.execute(select(ProvinceRow.legacy_code, ProvinceRow.current_code)
                              .order_by(ProvinceRow.legacy_code)).all()
        existing = s.scalar(select(db_count(Article.id)))
        source = s.scalars(select(Source).where(Source.key == "bulk")).first()
        if source is None:
            source = Source(key="bulk", kind="files", location="/dev/null", config={})
            s.add(source)
            s.flush()
        columns = [c.name for c in Article.__table__.columns if c.name != "id"]
        added, n = 0, existing
        while n < total:
            rows = []
            for _ in range(min(batch, total - n)):
                a = originals[n % len(originals)]
                legacy, current = provinces[n % len(provinces)]
                row = {c: getattr(a, c) for c in columns}
                row.update(source_id=source.id, article_key=f"bulk_{n:06d}", url=None, raw_content=None,
                           published=dt.date(2020, 1, 1) + dt.timedelta(days=(n * 7) % 1800),
                           province_legacy_code=legacy, province_current_code=current,
                           title=f"{a.title or a.article_key} #{n}", simhash=None, simhash_band0=None,
                           simhash_band1=None, simhash_band2=None, simhash_band3=None)
                rows.append((row, a.id))
                n += 1
            ids = [s.execute(insert(Article).values(**row).returning(Article.id)).scalar_one() for row, _ in rows]
            fact_rows = [{**f, "article_id": new_id} for new_id, (_, old) in zip(ids, rows) for f in facts[old]]
            if fact_rows:
                s.execute(insert(Fact), fact_rows)
            s.commit()
            added += len(rows)
    return added


def db_count(column):
    from sqlalchemy import func

    return func.count(column)


def main() -> None:
    import argparse
    import statistics
    import time
    import urllib.request
    import re
    from http.cookiejar import CookieJar

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import LiveServer

    from run.ingest import ingest_source
    from pipeline.sources import SourceConfig
    from web.accounts import add_user
    from web.app import create_app

    db.upgrade(args.db)
    with db.session(args.db) as s:
        empty = not s.scalar(select(db_count(Article.id)))
    if empty:
        ingest_source(SourceConfig(key="seeds", kind="files", location=str(ROOT / "corpus" / "seeds")), args.db)
        with db.session(args.db) as s:
            add_user(s, "timer", "reviewer", "timer-password")
            s.commit()
    t0 = time.perf_counter()
    added = seed_copies(args.db, args.articles)
    print(f"seeded {added} articles in {time.perf_counter() - t0:.1f} s")
    # Fresh statistics after a bulk load, as autovacuum would gather them (it is off on the test server).
    with db.engine(args.db).connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()
    with db.session(args.db) as s:
        print("articles:", s.scalar(select(db_count(Article.id))), "facts:", s.scalar(select(db_count(Fact.id))))
    with LiveServer(create_app(args.db)) as server:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        login = opener.open(f"{server.base}/login").read().decode()
        csrf = re.search(r'name="csrf" value="([^"]+)"', login).group(1)
        data = f"name=timer&password=timer-password&csrf={csrf}&next=/articles".encode()
        opener.open(urllib.request.Request(f"{server.base}/login", data=data))
        pages = ["/articles", "/articles?page_no=3", "/articles?page_no=150", "/articles?sort=province",
                 "/articles?sort=pending", "/articles?review=pending&sort=pending", "/articles?province=current:08",
                 "/articles?source=bulk&review=unreviewed"]
        first = opener.open(f"{server.base}/articles").read().decode()
        nxt = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
        pages.append(nxt)
        first_fill = time.perf_counter()
        opener.open(f"{server.base}/articles?sort=pending").read()
        print(f"first pending sort (counts {added or 'no'} new articles into article_fact_counts): "
              f"{(time.perf_counter() - first_fill) * 1000:.0f} ms")
        for path in pages:
            times = []
            for _ in range(args.runs):
                t = time.perf_counter()
                body = opener.open(f"{server.base}{path}").read()
                times.append(time.perf_counter() - t)
            assert b"<table class=\"list articles\">" in body, path
            print(f"{path:45s} median {statistics.median(times) * 1000:6.0f} ms  max {max(times) * 1000:6.0f} ms")


if __name__ == "__main__":
    main()
