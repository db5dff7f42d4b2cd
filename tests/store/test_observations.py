"""One observation, many mentions: a figure repeated in the headline is one fact; the same figure in
two articles is one observation; the API and the exports that serve them downstream."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from conftest import LiveServer
from sqlalchemy import text

from run.ingest import ingest_source
from pipeline.sources import SourceConfig
from store import db, reviews

ROOT = Path(__file__).resolve().parents[2]

HEADLINE_AND_BODY = (
    "Hà Giang cấp 120.500 thẻ căn cước trong 6 tháng đầu năm 2024\n"
    "BHG- Sáng 17.7, Công an tỉnh Hà Giang tổ chức hội nghị sơ kết công tác cấp căn cước 6 tháng đầu năm 2024.\n"
    "Theo báo cáo, trong 6 tháng đầu năm 2024, Công an tỉnh đã cấp 120.500 thẻ căn cước cho công dân, "
    "đạt 95% kế hoạch năm. Tỷ lệ kích hoạt tài khoản định danh điện tử đạt 75,1%.\n")
# The same report in another paper: other words around the same figures (not a near-duplicate text).
REPOST = (
    "Công an Hà Giang: hơn nửa năm, người dân nhận thẻ căn cước mới\n"
    "Ngày 18.7, lãnh đạo Công an tỉnh Hà Giang cho biết kết quả triển khai Luật Căn cước trên địa bàn tỉnh.\n"
    "Cụ thể, 6 tháng đầu năm 2024, lực lượng Công an toàn tỉnh Hà Giang đã cấp 120.500 thẻ căn cước, "
    "tổ chức nhiều đợt cấp lưu động tại các xã vùng sâu, vùng xa; nhiều thôn bản được phục vụ tận nhà.\n")


def _store(url: str, folder: Path, key: str, texts: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in texts.items():
        (folder / f"{name}.txt").write_text(body, encoding="utf-8")
    ingest_source(SourceConfig(key=key, kind="files", location=str(folder)), url)


@pytest.fixture
def reposted(database_url, tmp_path):
    db.upgrade(database_url)
    _store(database_url, tmp_path / "a", "baohagiang", {"hg-1": HEADLINE_AND_BODY})
    _store(database_url, tmp_path / "b", "congan", {"ca-7": REPOST})
    return database_url


def test_headline_and_body_are_one_fact_with_two_mentions_counted_once(reposted):
    with db.session(reposted) as s:
        rows = s.execute(text("SELECT value, mentions, value_start, evidence FROM facts_current "
                              "WHERE article = 'hg-1' AND value = 120500")).all()
        total = s.execute(text("SELECT SUM(value) FROM facts_current WHERE article = 'hg-1' AND kind = 'count'")).scalar()
        spans = s.execute(text("SELECT f.mention_spans FROM facts f JOIN articles a ON a.id = f.article_id "
                               "WHERE a.article_key = 'hg-1' AND f.value = 120500")).scalar()
    assert len(rows) == 1
    value, mentions, start, evidence = rows[0]
    assert mentions == 2 and total == 120500
    assert start > HEADLINE_AND_BODY.index("\n") and evidence.startswith("Theo báo cáo")   # anchored in the body
    spans = json.loads(spans) if isinstance(spans, str) else spans
    assert [s["place"] for s in spans] == ["headline", "body"]
    assert HEADLINE_AND_BODY[spans[0]["start"]:spans[0]["end"]] == "120.500"


def test_observations_group_the_same_figure_from_two_articles(reposted):
    with db.session(reposted) as s:
        obs = s.execute(text("SELECT articles, sources, facts, mentions, province_legacy_name, concept, period "
                             "FROM observations WHERE value = 120500")).all()
        facts = s.execute(text("SELECT COUNT(*) FROM facts_current WHERE value = 120500")).scalar()
        singles = s.execute(text("SELECT COUNT(*) FROM observations WHERE articles = 1")).scalar()
    assert facts == 2
    assert obs == [(2, 2, 2, 3, "Hà Giang", "id_card_issuance", "2024-H1")]
    assert singles >= 2                       # 95% and 75,1% are reported by one article only


@pytest.fixture
def api(reposted):
    from web.app import create_app

    with LiveServer(create_app(reposted)) as server:
        yield reposted, server.base


def test_api_items_carry_evidence_articles_and_observations(api):
    url, base = api
    with httpx.Client(base_url=base) as client:
        items = client.get("/api/facts", params={"province": "Tuyên Quang", "kind": "count"}).json()["items"]
        fact = next(f for f in items if f["article"] == "hg-1")
        assert "120.500 thẻ căn cước" in fact["evidence"] and fact["mentions"] == 2
        assert fact["title"].startswith("Hà Giang cấp") and "url" in fact
        assert all(f["negated"] is False for f in items)                     # JSON booleans, on every database

        articles = client.get("/api/articles", params={"source": "congan"}).json()["items"]
        assert [(a["article"], a["status"], a["province_legacy_name"], a["facts"]) for a in articles] == \
            [("ca-7", "ok", "Hà Giang", 1)]
        assert {a["article"] for a in client.get("/api/articles", params={"province": "08", "status": "ok"}).json()["items"]} \
            == {"hg-1", "ca-7"}
        assert client.get("/api/articles", params={"status": "failed"}).json()["items"] == []

        observed = client.get("/api/observations", params={"concept": "id_card_issuance", "min_articles": 2}).json()
        assert [(o["value"], o["articles"], o["chosen_by"], o["distinct_values"]) for o in observed["items"]] == \
            [(120500.0, 2, "only_value", 1)]
        one = observed["items"][0]
        detail = client.get(f"/api/observations/{one['observation_id']}").json()
        assert sorted(e["article"] for e in detail["evidence"]) == ["ca-7", "hg-1"]
        assert all(e["chosen"] and "120.500" in e["evidence"] and e["title"] for e in detail["evidence"])
        assert sorted(e["fact_id"] for e in detail["evidence"]) == detail["fact_ids"] and len(detail["article_ids"]) == 2
        assert client.get("/api/observations/999999").status_code == 404
        plan = [o for o in client.get("/api/observations").json()["items"] if o["value"] == 95]
        assert [o["percent_of"] for o in plan] == ["plan"]          # a share of the plan, kept apart from rates
        page = client.get("/api/observations", params={"limit": 1}).json()
        assert len(page["items"]) == 1 and page["next_cursor"] == page["items"][0]["observation_id"]

        for path, params in (("/api/facts", {"kind": "banana"}), ("/api/facts", {"concept": "banana"}),
                             ("/api/facts", {"province": "Atlantis"}), ("/api/facts", {"review": "banana"}),
                             ("/api/observations", {"kind": "banana"}), ("/api/observations", {"role": "banana"}),
                             ("/api/articles", {"status": "banana"}), ("/api/articles", {"province": "Atlantis"}),
                             ("/api/articles", {"published_from": "yesterday"}), ("/api/facts", {"limit": 0})):
            response = client.get(path, params=params)
            assert response.status_code == 422, (path, params, response.text)
            assert "detail" in response.json()


def test_cli_facts_by_province_and_concept_and_exports_by_extension(reposted, tmp_path):
    def cli(*args):
        return subprocess.run([sys.executable, "-m", "cli.main", *args, "--db", reposted], capture_output=True,
                              text=True, cwd=ROOT, timeout=300)

    listed = cli("facts", "--province", "Tuyên Quang", "--concept", "eid_accounts", "--format", "jsonl")
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(r["article"], r["value"], r["negated"]) for r in rows] == [("hg-1", 75.1, False)]
    assert cli("facts", "--concept", "banana").returncode == 2

    for name, check in (("x.parquet", lambda p: p.read_bytes()[:4] == b"PAR1"),
                        ("x.jsonl", lambda p: json.loads(p.read_text(encoding="utf-8").splitlines()[0])["fact_id"]),
                        ("x.csv", lambda p: p.read_text(encoding="utf-8").startswith("fact_id,"))):
        result = cli("export", "--out", str(tmp_path / name))
        assert result.returncode == 0, result.stderr
        assert check(tmp_path / name), name
    forced = cli("export", "--out", str(tmp_path / "facts.data"), "--format", "jsonl")
    assert forced.returncode == 0 and json.loads((tmp_path / "facts.data").read_text(encoding="utf-8").splitlines()[0])
    import pandas as pd

    frame = pd.read_parquet(tmp_path / "x.parquet")
    assert len(frame) == 4 and frame["mentions"].max() == 2 and frame["negated"].dtype == bool


def test_charts_have_a_time_axis_units_and_a_source_note(reposted, tmp_path):
    from reports.charts import latest_by_province, time_series

    assert time_series(reposted, "id_card_issuance", kind="count") == \
        {"Tuyên Quang": [(__import__("datetime").date(2024, 6, 30), 120500.0)]}       # two articles, one point
    assert [(r["province"], r["value"], r["articles"]) for r in latest_by_province(reposted, "eid_accounts")] == \
        [("Tuyên Quang", 75.1, 1)]
    for name, args in (("over-time.svg", ("--by", "period", "--kind", "count")), ("latest.svg", ())):
        result = subprocess.run([sys.executable, "-m", "cli.main", "chart", "id_card_issuance", "--out",
                                 str(tmp_path / name), "--db", reposted, "--kind", "count", *args],
                                capture_output=True, text=True, cwd=ROOT, timeout=300)
        assert result.returncode == 0, result.stderr
        svg = (tmp_path / name).read_text(encoding="utf-8")
        assert "Source: vnfacts, 1 values reported by 2 news articles (baohagiang, congan)" in svg
        assert "value (thẻ)" in svg
    over_time = (tmp_path / "over-time.svg").read_text(encoding="utf-8")
    assert "<!-- date the value stands at" in over_time and "<!-- 2024-06-30 -->" in over_time      # a date axis
    table = subprocess.run([sys.executable, "-m", "cli.main", "chart", "eid_accounts", "--out", str(tmp_path / "t.csv"),
                            "--db", reposted], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert table.returncode == 0, table.stderr
    assert (tmp_path / "t.csv").read_text(encoding="utf-8").splitlines() == [
        "province,legacy_province,value,unit,as_of,period,articles", "Tuyên Quang,Hà Giang,75.1,%,2024-06-30,2024-H1,1"]


def test_facts_that_do_not_say_what_or_when_are_not_grouped(database_url, tmp_path):
    db.upgrade(database_url)
    _store(database_url, tmp_path / "c", "commune", {
        "x1": "Xã Tân Lập tổ chức hội thao\nBuổi sáng có 12 người tham gia hội thao của xã Tân Lập.\n",
        "x2": "Phường Đông Hải dọn vệ sinh\nĐoàn thanh niên phường Đông Hải huy động 12 người dọn vệ sinh bờ biển.\n"})
    with db.session(database_url) as s:
        facts = s.execute(text("SELECT COUNT(*) FROM facts_current WHERE value = 12")).scalar()
        rows = s.execute(text("SELECT concept, period, articles FROM observations WHERE value = 12")).all()
    assert facts == 2 and rows == []            # not a point of any series: no indicator, no time


@pytest.mark.parametrize("first, last, pattern", [
    ("2023-06-30", "2024-06-10", r"\d{4}-\d{2}"),            # a year: months, one format
    ("2020-12-31", "2024-06-30", r"\d{4}"),                  # years
    ("2024-06-01", "2024-06-20", r"\d{4}-\d{2}-\d{2}"),      # weeks: days
    ("2024-06-30", "2024-06-30", r"\d{4}-\d{2}-\d{2}"),      # one point
])
def test_a_date_axis_labels_every_tick_in_one_format(first, last, pattern):
    """The --by period chart's tick labels, read from the SVG, all have the one format of the span."""
    import datetime as dt

    import regex

    from reports.charts import render_lines

    a, b = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    svg = render_lines({"Tuyên Quang": [(a, 70.0), (b, 75.1)], "Hà Nội": [(a + (b - a) / 2, 60.0)]}, "t").decode()
    labels = regex.findall(r'<g id="xtick_\d+">\s*<g id="line2d_\d+">.*?<!-- (.*?) -->', svg, flags=regex.DOTALL)
    assert len(labels) >= 1
    assert all(regex.fullmatch(pattern, label) for label in labels), labels
    assert len(set(labels)) == len(labels), labels                # no two ticks with one label


def test_a_series_holds_one_chosen_value_and_says_which_rule_chose_it(database_url, tmp_path):
    """Two papers report different values for one province, indicator and period: one row, the value
    of the later-published article; a reviewer's decision on the other value wins over that."""
    db.upgrade(database_url)
    body = ("Hà Giang: kết quả cấp căn cước\nTheo báo cáo, trong 6 tháng đầu năm 2024, Công an tỉnh Hà Giang đã "
            "cấp {n} thẻ căn cước cho công dân trên địa bàn, tổ chức nhiều đợt cấp lưu động tại các xã vùng sâu.\n")
    folder = tmp_path / "two"
    folder.mkdir()
    for key, n, day in (("early", "120.500", "2024-07-10"), ("late", "121.000", "2024-07-20")):
        (folder / f"{key}.txt").write_text(body.format(n=n) + f"Ngày đăng {key}.\n", encoding="utf-8")
        (folder / f"{key}.meta.json").write_text(json.dumps({"published": day}), encoding="utf-8")
    ingest_source(SourceConfig(key="two", kind="files", location=str(folder)), database_url)
    query = text("SELECT value, chosen_by, distinct_values, facts, articles, fact_ids FROM observations "
                 "WHERE concept = 'id_card_issuance' AND kind = 'count'")
    with db.session(database_url) as s:
        rows = s.execute(query).all()
        assert [(r.value, r.chosen_by, r.distinct_values, r.facts, r.articles) for r in rows] == \
            [(121000.0, "latest_published", 2, 2, 2)]
        early = s.execute(text("SELECT fact_id FROM facts_current WHERE value = 120500")).scalar()
        reviews.record_review(s, early, "accept", "lan")
        s.commit()
        rows = s.execute(query).all()
    assert [(r.value, r.chosen_by, r.distinct_values) for r in rows] == [(120500.0, "reviewer", 2)]
