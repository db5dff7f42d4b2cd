"""The fact store on SQLite and on the real PostgreSQL server: migrations, writes, re-runs, reviews."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select, text

from extractors import EXTRACTOR_VERSION
from run.ingest import ingest_source
from pipeline.sources import SourceConfig
from store import db
from store.models import Article, Fact, Official, OfficialMention, Review
from store.read import facts_current

SEEDS = Path(__file__).resolve().parents[2] / "corpus" / "seeds"


def seeds_source(folder: Path = SEEDS) -> SourceConfig:
    return SourceConfig(key="seeds", kind="files", location=str(folder))


def counts(url: str) -> tuple[int, int, int]:
    with db.session(url) as s:
        return (s.scalar(select(func.count()).select_from(Article)), s.scalar(select(func.count()).select_from(Fact)),
                s.scalar(select(func.count()).select_from(OfficialMention)))


def test_upgrade_creates_the_tables_and_the_view(database_url):
    db.upgrade(database_url)
    assert {"sources", "articles", "facts", "officials", "official_mentions", "reviews"} <= set(db.table_names(database_url))
    assert db.is_current(database_url)
    with db.session(database_url) as s:
        assert s.execute(text("SELECT COUNT(*) FROM facts_current")).scalar() == 0


def test_ingest_stores_every_seed_and_rerun_changes_nothing(database_url):
    db.upgrade(database_url)
    first = ingest_source(seeds_source(), database_url)
    assert first.counts() == {"ok": 5}
    before = counts(database_url)
    assert before[0] == 5 and before[1] >= 85 and before[2] >= 9
    second = ingest_source(seeds_source(), database_url)
    assert second.counts() == {"unchanged": 5}
    assert counts(database_url) == before
    with db.session(database_url) as s:
        rows = facts_current(s, article="004_55d2a3152ed71c97")
        eid = [r for r in rows if r["concept"] == "eid_accounts"][0]
        assert (eid["value"], eid["as_of"], eid["province_current_code"]) == (75.1, "2024-06-10", "08")
        text_of = s.scalar(select(Article.cleaned_text).where(Article.article_key == "004_55d2a3152ed71c97"))
        for r in rows:                               # every stored offset points at its number
            assert text_of[r["evidence_start"]:r["evidence_end"]] == r["evidence"]


def test_officials_are_one_row_per_person_across_articles(database_url, tmp_path):
    db.upgrade(database_url)
    for name, place in (("a", "hội nghị"), ("b", "buổi làm việc")):
        (tmp_path / f"{name}.txt").write_text(
            f"Đồng chí Đồng Văn Thanh, Chủ tịch UBND tỉnh Hậu Giang chủ trì {place} tại tỉnh Hậu Giang.",
            encoding="utf-8")
    ingest_source(seeds_source(tmp_path), database_url)
    with db.session(database_url) as s:
        assert s.scalar(select(func.count()).select_from(Official).where(Official.name == "Đồng Văn Thanh")) == 1
        assert s.scalar(select(func.count()).select_from(OfficialMention)) == 2


def test_a_failing_article_is_kept_and_does_not_stop_the_run_and_is_retried(database_url, tmp_path):
    db.upgrade(database_url)
    (tmp_path / "good.txt").write_text("Toàn tỉnh cấp 120 thẻ căn cước.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    summary = ingest_source(seeds_source(tmp_path), database_url)
    assert sorted(w.status for w in summary.written) == ["ok", "quarantined", "quarantined"]
    with db.session(database_url) as s:
        failed = dict(s.execute(select(Article.article_key, Article.error).where(Article.status != "ok")).all())
    assert failed == {"binary": "binary content, not text", "empty": "empty file"}
    (tmp_path / "empty.txt").write_text("Đã cấp 5 thẻ.", encoding="utf-8")
    again = ingest_source(seeds_source(tmp_path), database_url)
    assert sorted(w.status for w in again.written) == ["ok", "quarantined", "unchanged"]


def test_an_extractor_crash_is_stored_as_failed(database_url, monkeypatch):
    db.upgrade(database_url)
    from pipeline import process as process_module

    def broken(*_args, **_kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(process_module, "find_mentions", broken)
    summary = ingest_source(seeds_source(), database_url)
    assert {w.status for w in summary.written} == {"failed"}
    with db.session(database_url) as s:
        assert set(s.scalars(select(Article.error))) == {"ValueError: boom"}
        kept = s.execute(select(Article.cleaned_text, Article.language)).all()
    # what the cleaner left is kept with the failed article, so that someone can read it
    assert kept and all(text and "tỉnh" in text and language == "vi" for text, language in kept)


def test_the_same_text_twice_is_linked_not_extracted_twice(database_url, tmp_path):
    db.upgrade(database_url)
    for name in ("one", "copy"):
        (tmp_path / f"{name}.txt").write_text("Toàn tỉnh cấp 120 thẻ căn cước.", encoding="utf-8")
    summary = ingest_source(seeds_source(tmp_path), database_url)
    assert sorted(w.status for w in summary.written) == ["duplicate", "ok"]
    with db.session(database_url) as s:
        assert s.execute(text("SELECT COUNT(*) FROM facts_current")).scalar() == 1


def _review(s, fact: Fact, action: str, reviewer: str = "lan", **edits) -> None:
    s.add(Review(fact_id=fact.id, article_id=fact.article_id, fact_kind=fact.kind, fact_value=fact.value,
                 value_start=fact.value_start, value_end=fact.value_end, action=action, reviewer=reviewer, **edits))
    s.commit()


def test_facts_current_applies_the_latest_review_and_survives_a_new_extractor_version(database_url, monkeypatch):
    db.upgrade(database_url)
    ingest_source(seeds_source(), database_url)
    with db.session(database_url) as s:
        facts = s.scalars(select(Fact).join(Article).where(Article.article_key == "000_347ef5340c29b66c")
                          .order_by(Fact.value_start)).all()
        accepted, edited, rejected = facts[0], facts[1], facts[2]
        _review(s, accepted, "accept")
        _review(s, edited, "edit", value=32.0, qualifier="approx")
        _review(s, edited, "edit", value=33.0, qualifier="over", note="second look")   # the latest one wins
        _review(s, rejected, "reject")
    def view(url):
        with db.session(url) as s:
            return {r["value_start"]: r for r in facts_current(s, article="000_347ef5340c29b66c")}
    rows = view(database_url)
    assert rows[accepted.value_start]["review_status"] == "accepted"
    assert (rows[edited.value_start]["value"], rows[edited.value_start]["qualifier"]) == (33.0, "over")
    assert rejected.value_start not in rows
    assert len(rows) == len(facts) - 1

    # A new extractor version replaces the machine facts; the reviews re-attach to the matching new facts.
    import extractors

    monkeypatch.setattr(extractors, "EXTRACTOR_VERSION", EXTRACTOR_VERSION + "-next")
    ingest_source(seeds_source(), database_url)
    rows = view(database_url)
    assert {r["extractor_version"] for r in rows.values()} == {EXTRACTOR_VERSION + "-next"}
    assert rows[accepted.value_start]["review_status"] == "accepted"
    assert rows[edited.value_start]["value"] == 33.0
    assert rejected.value_start not in rows


def test_a_rank_is_stored_with_its_position_and_the_size_of_its_ranking(database_url, tmp_path):
    db.upgrade(database_url)
    (tmp_path / "rank.txt").write_text("Năm 2023, chỉ số DTI của tỉnh xếp thứ 17/63 tỉnh, thành phố, tăng 4 bậc so với năm 2022.",
                                       encoding="utf-8")
    ingest_source(seeds_source(tmp_path), database_url)
    with db.session(database_url) as s:
        rows = {r["value"]: r for r in facts_current(s, article="rank")}
    assert (rows[17]["kind"], rows[17]["denominator"], rows[17]["numerator"], rows[17]["role"]) == ("rank", 63, None, "actual")
    assert (rows[4]["kind"], rows[4]["role"], rows[4]["direction"], rows[4]["baseline"]) == ("rank", "change", "increase", "2022")


PAGE = ("<h1>Hà Giang: cấp căn cước</h1><p>Đến ngày 10/6/2024, toàn tỉnh Hà Giang đã kích hoạt "
        "<b>75,1%</b> tài khoản định danh điện tử.</p>")


def _is_html_flags(url: str) -> dict[str, bool]:
    with db.session(url) as s:
        return dict(s.execute(select(Article.article_key, Article.raw_is_html)).all())


def test_whether_a_page_is_html_is_decided_when_it_is_read_and_kept_for_reprocess(database_url, tmp_path):
    """A page that opens with a heading, not with <html> or <p>: the reader knows it is HTML (an .html
    file) and the store keeps that, so reprocessing reads it as HTML too instead of guessing from its
    first tag (the guess took it for text and stored its tags as words)."""
    from run.ingest import reprocess

    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "page.html").write_text(PAGE, encoding="utf-8")
    (folder / "note.txt").write_text("<b>Ghi chú</b> viết tay: 12 hồ sơ.", encoding="utf-8")
    db.upgrade(database_url)
    pages = SourceConfig(key="pages", kind="files", location=str(folder))
    ingest_source(pages, database_url)
    assert _is_html_flags(database_url) == {"page": True, "note": False}
    with db.session(database_url) as s:
        before = s.execute(select(Article.article_key, Article.cleaned_text).order_by(Article.article_key)).all()
        facts_before = [(r["value"], r["value_start"]) for r in facts_current(s, article="page")]
    assert "<h1>" not in dict(before)["page"] and "<b>" in dict(before)["note"]
    assert (75.1, dict(before)["page"].index("75,1")) in facts_before
    assert reprocess(database_url, "pages", {"pages": pages}).counts() == {"ok": 2}
    with db.session(database_url) as s:
        assert s.execute(select(Article.article_key, Article.cleaned_text).order_by(Article.article_key)).all() == before
        assert [(r["value"], r["value_start"]) for r in facts_current(s, article="page")] == facts_before
