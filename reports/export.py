"""Exports of ``facts_current`` to CSV, Parquet or JSON lines, streamed in chunks with pandas so
memory stays flat however large the table."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy import text

from pipeline.errors import ConfigError
from store import db
from store.query import FactFilter, facts_sql
from settings import thresholds

FORMATS = ("csv", "parquet", "jsonl")
EXTENSIONS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def format_for(out: Path, fmt: str | None = None) -> str:
    """The export format: ``fmt`` when given, else the one the file's extension names."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise ConfigError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
        return fmt
    try:
        return EXTENSIONS[out.suffix.lower()]
    except KeyError:
        raise ConfigError(f"cannot tell the format from {out.name!r}: name it .csv, .parquet or .jsonl, "
                          "or pass --format") from None


def export_facts(url: str, out: Path, fmt: str, filters: FactFilter | None = None, chunk_rows: int = thresholds.EXPORT_CHUNK_ROWS) -> int:
    """Write the filtered facts to ``out``; returns the number of rows written."""
    if fmt not in FORMATS:
        raise ConfigError(f"format must be one of {', '.join(FORMATS)}")
    filters = filters or FactFilter()
    rows, writer = 0, None
    out.parent.mkdir(parents=True, exist_ok=True)
    with db.engine(url).connect() as conn:
        with out.open("w", encoding="utf-8", newline="") if fmt != "parquet" else _nothing() as handle:
            for i, chunk in enumerate(_pages(conn, filters, chunk_rows)):
                chunk = _typed(chunk)
                if fmt == "csv":
                    chunk.to_csv(handle, index=False, header=i == 0)
                elif fmt == "jsonl":
                    chunk.to_json(handle, orient="records", lines=True, force_ascii=False, date_format="iso")
                else:
                    writer = _write_parquet(chunk, out, writer)
                rows += len(chunk)
    if fmt == "parquet":
        if writer is None:       # no rows: still a valid, empty file with the view's columns
            sql, params = facts_sql(filters, limit=0)
            writer = _write_parquet(_typed(pd.read_sql_query(text(sql), db.engine(url), params=params)), out, None)
        writer.close()
    return rows


def _pages(conn, filters: FactFilter, size: int):
    """Keyset pages (fact_id > last): each a query of its own, so no driver ever buffers the table."""
    last = None
    while True:
        sql, params = facts_sql(filters, after_id=last, limit=size)
        chunk = pd.read_sql_query(text(sql), conn, params=params)
        if chunk.empty:
            return
        last = int(chunk["fact_id"].iloc[-1])
        yield chunk
        if len(chunk) < size:
            return


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def _typed(chunk: pd.DataFrame) -> pd.DataFrame:
    """Stable column types across chunks and databases (SQLite returns dates as text)."""
    for col in ("published", "period_start", "period_end"):
        if col in chunk:
            chunk[col] = pd.to_datetime(chunk[col], errors="coerce").dt.date
    for col in ("reviewed_at",):
        if col in chunk:
            chunk[col] = pd.to_datetime(chunk[col], errors="coerce", utc=True)
    if "negated" in chunk:
        chunk["negated"] = chunk["negated"].astype(bool)
    for col in ("value", "numerator", "denominator"):
        if col in chunk:
            chunk[col] = chunk[col].astype("float64")
    text_cols = [c for c in chunk.columns if chunk[c].dtype == object and c not in ("published", "period_start", "period_end")]
    for col in text_cols:
        chunk[col] = chunk[col].astype("string")
    return chunk


def _write_parquet(chunk: pd.DataFrame, out: Path, writer):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(chunk, preserve_index=False)
    if writer is None:
        writer = pq.ParquetWriter(str(out), table.schema)
    else:
        table = table.cast(writer.schema)
    writer.write_table(table)
    return writer
