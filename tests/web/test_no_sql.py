"""The web app holds no SQL: it renders what the store's functions return (store/read.py,
store/accounts.py, store/reviews.py). Checked on the source, so a query written into a page
fails here before review."""
from __future__ import annotations

from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[2]
SQL = regex.compile(r"\bselect\(|\.execute\(|\.scalars?\(|\btext\(|\bfrom sqlalchemy import\b")


def sql_lines(path: Path) -> list[str]:
    return [f"{path.name}:{n}: {line.strip()}" for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if SQL.search(line) and not line.lstrip().startswith("#")]


def test_the_web_app_holds_no_sql():
    files = sorted((ROOT / "web").glob("**/*.py"))
    assert files
    found = [hit for path in files for hit in sql_lines(path)]
    assert found == [], "SQL in web/ (move it into a store/ function):\n" + "\n".join(found)


def test_the_check_sees_a_query():
    """The pattern is not blind: each way the app could query the database is caught."""
    for line in ('rows = session.execute(text("SELECT 1"))', "session.scalars(select(User)).all()",
                 "n = session.scalar(select(func.count()))", "from sqlalchemy import select"):
        assert SQL.search(line), line
