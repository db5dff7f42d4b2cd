"""Issue 25 acceptance: reviewers' decisions, made through the app's own forms on a real HTTP server,
reach every downstream reader and hold when the article's text changes — on SQLite and PostgreSQL."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import httpx
from conftest import LiveServer
from sqlalchemy import text

from run.ingest import ingest_source
from pipeline.sources import SourceConfig
from store import db
from reports.gold_export import export_gold
from web import accounts

ROOT = Path(__file__).resolve().parents[1]
HEADLINE = "Hà Giang đẩy mạnh cấp căn cước cho công dân\n"
BODY = ("Trong 6 tháng đầu năm 2024, Công an tỉnh Hà Giang đã cấp 120.500 thẻ căn cước cho công dân trên địa bàn.\n"
        "Tỷ lệ kích hoạt tài khoản định danh điện tử toàn tỉnh đạt 75,1%, tăng 12,4% so với cùng kỳ.\n"
        "Toàn tỉnh đã thu nhận 8.200 hồ sơ đề nghị cấp căn cước cho trẻ em dưới 14 tuổi.\n"
        "Lực lượng công an đã tổ chức 37 tổ công tác lưu động đến các thôn bản vùng sâu, vùng xa.\n")
INSERTED = "Hội nghị có sự tham dự của lãnh đạo các sở, ngành và đại diện Ủy ban nhân dân các huyện, thành phố.\n"
DECISIONS = {120500: "accept", 75.1: "edit", 12.4: "reject", 8200: "accept", 37: "accept"}


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def rows(url: str, sql: str, **params) -> list[dict]:
    with db.session(url) as s:
        return [dict(r) for r in s.execute(text(sql), params).mappings()]


def test_decisions_reach_every_reader_and_follow_their_numbers(database_url, tmp_path):
    db.upgrade(database_url)
    folder = tmp_path / "src"
    folder.mkdir()
    article_file = folder / "hg-acc.txt"
    source = SourceConfig(key="acc", kind="files", location=str(folder))

    def run(body: str) -> None:
        article_file.write_text(HEADLINE + body, encoding="utf-8")
        ingest_source(source, database_url)

    run(BODY)
    with db.session(database_url) as s:
        accounts.add_user(s, "lan", "reviewer", "a long password")
        s.commit()
    article_id = rows(database_url, "SELECT id FROM articles")[0]["id"]
    from web.app import create_app

    with LiveServer(create_app(database_url)) as server, httpx.Client(base_url=server.base) as client:
        login = client.get("/login")
        signed = client.post("/login", data={"name": "lan", "password": "a long password", "csrf": csrf_of(login.text),
                                             "next": f"/articles/{article_id}"}, follow_redirects=True)
        assert signed.status_code == 200 and "Orphaned additions" not in signed.text
        csrf = csrf_of(signed.text)
        facts = {r["value"]: r for r in rows(database_url, "SELECT fact_id, value FROM facts_current")}
        assert set(facts) == set(DECISIONS)
        for value, action in DECISIONS.items():
            form = {"csrf": csrf, "action": action, "expected": "0"}
            if action == "edit":
                form.update(kind="percent", value="75,2")
            answer = client.post(f"/facts/{facts[value]['fact_id']}/review", data=form)
            assert answer.status_code == 303, answer.text
        # An edit that changes nothing stores nothing.
        stored = rows(database_url, "SELECT COUNT(*) AS n FROM reviews")[0]["n"]
        latest = rows(database_url, "SELECT MAX(id) AS id FROM reviews WHERE fact_id = :f", f=facts[8200]["fact_id"])[0]["id"]
        same = client.post(f"/facts/{facts[8200]['fact_id']}/review",
                           data={"csrf": csrf, "action": "edit", "kind": "count", "value": "8200", "expected": str(latest)})
        assert same.status_code == 200 and "Nothing changed" in same.text
        assert rows(database_url, "SELECT COUNT(*) AS n FROM reviews")[0]["n"] == stored
        # The reviewer adds the number the extractor missed ("14").
        text_ = HEADLINE + BODY
        start = text_.index("dưới 14") + len("dưới ")
        added = client.post(f"/articles/{article_id}/add", data={
            "csrf": csrf, "start": str(start), "end": str(start + 2), "kind": "quantity", "value": "14", "unit": "tuổi",
            "qualifier": "under", "role": "actual", "concept": "id_card_issuance", "period": "2024-H1"})
        assert added.status_code == 303, added.text
        assert client.post(f"/articles/{article_id}/mark", data={"csrf": csrf}).status_code == 303

        # The addition is in facts_current, the API, the export and observations.
        row = rows(database_url, "SELECT fact_id, review_status, value_start, value_end FROM facts_current WHERE value = 14")
        assert [(r["review_status"], r["value_start"]) for r in row] == [("added", start)]
        api = client.get("/api/facts").json()["items"]
        assert [f["review_status"] for f in api if f["value"] == 14] == ["added"]
        out = tmp_path / "facts.jsonl"
        exported = subprocess.run([sys.executable, "-m", "cli.main", "export", "--out", str(out), "--db", database_url],
                                  capture_output=True, text=True, cwd=ROOT, timeout=300)
        assert exported.returncode == 0, exported.stderr
        assert [json.loads(line)["review_status"] for line in out.read_text(encoding="utf-8").splitlines()
                if json.loads(line)["value"] == 14] == ["added"]
        observed = rows(database_url, "SELECT value, chosen_by, fact_ids FROM observations WHERE kind = 'quantity'")
        assert [(o["value"], o["chosen_by"], o["fact_ids"]) for o in observed] == [(14.0, "only_value", str(row[0]["fact_id"]))]

        def decisions() -> dict:
            current = {r["value"]: r["review_status"] for r in rows(database_url, "SELECT value, review_status FROM facts_current")}
            rejected = rows(database_url, "SELECT f.value FROM reviews r JOIN facts f ON f.id = r.fact_id "
                                          "JOIN articles a ON a.id = f.article_id AND a.extractor_version = f.extractor_version "
                                          "WHERE r.action = 'reject'")
            return {**current, **{r["value"]: "rejected" for r in rejected}}

        expected = {120500: "accepted", 75.2: "edited", 12.4: "rejected", 8200: "accepted", 37: "accepted", 14: "added"}
        assert decisions() == expected

        # A sentence inserted at the top: every decision still attached, the addition still covers its number.
        run(INSERTED + BODY)
        assert decisions() == expected
        moved = rows(database_url, "SELECT value_start, value_end FROM facts_current WHERE value = 14")
        now = HEADLINE + INSERTED + BODY
        assert [now[r["value_start"]:r["value_end"]] for r in moved] == ["14"]
        assert "Orphaned" not in client.get(f"/articles/{article_id}").text

        # The number itself removed: the addition is flagged orphaned and gold leaves it out.
        run(INSERTED + BODY.replace("dưới 14 tuổi", "nhỏ tuổi"))
        assert rows(database_url, "SELECT value FROM facts_current WHERE value = 14") == []
        assert {k: v for k, v in decisions().items()} == {k: v for k, v in expected.items() if k != 14}
        page = client.get(f"/articles/{article_id}").text
        assert "Orphaned additions (1)" in page and "dưới <strong>14</strong> tuổi" in page
    with db.session(database_url) as s:
        summary = export_gold(s, tmp_path / "gold")
    gold = json.loads(next((tmp_path / "gold" / "gold").glob("*.json")).read_text(encoding="utf-8"))
    assert summary.added == 0 and sorted(f["value"] for f in gold["facts"]) == [37, 75.2, 8200, 120500]
