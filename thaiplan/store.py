"""The dataset's home: an embedded SQLite database, OUT/thaiplan.sqlite.

Each finished document is committed in one transaction as soon as it is
done (WAL: a reader never blocks the writer, a crash loses only what was in
flight). The CSV, JSON and report files are exports of this database
(thaiplan.exports). A document is stored under its source path; its rows
under its doc_id (a duplicate source shares the rows of the first).

The schema is versioned: `MIGRATIONS[n]` takes a database from version n to
n+1, so a database written by an older thaiplan is brought up to date when
opened, its documents kept.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
import zlib
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from thaiplan.columns import COLUMNS, kind_of

DB_NAME = "thaiplan.sqlite"
ROW_OWNERS = ("converted", "not_a_plan")  # statuses whose rows are stored (a not-a-plan: its findings, the header words seen)
OWN_ROWS = str(ROW_OWNERS)  # the same, as SQL: ('converted', 'not_a_plan')

# Version 1: the documents and every dataset table, as their CSV columns.
# Version 2: a document also records its error kind, seconds, thaiplan
# version and pipeline fingerprint (what an incremental run compares), the
# duplicate it repeats; table plans holds each converted document's JSON and
# report section (zlib-compressed UTF-8: a sixth of the pages to write);
# meta's generation counts the changes, so unchanged exports are not rewritten.
# Version 3: the contract's columns (family, read_by, ocr_pages; a heading's
# kind; an item's development-plan fields; a budget's part and source; a
# figure's table and guidelines count), counts stated once per total row.
_V1_COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": ("doc_id", "source", "sha256", "format", "pages", "title", "organization", "fiscal_year_first", "fiscal_year_last", "status", "items", "mismatches", "warnings", "error"),
    "missions": ("doc_id", "code", "parent", "level", "title", "page"),
    "items": ("doc_id", "item_no", "code", "dimension", "type", "name", "budget_baht", "period_start", "period_end", "period_text", "remark", "page", "warnings"),
    "budgets": ("doc_id", "item_no", "fiscal_year", "amount_baht"),
    "totals": ("doc_id", "scope", "label", "fiscal_year", "projects", "activities", "measures", "amount_baht", "page"),
    "reconciliation": ("doc_id", "scope", "quantity", "fiscal_year", "stated", "computed", "difference", "status", "page"),
    "findings": ("doc_id", "severity", "kind", "code", "item_no", "page", "message"),
}  # fmt: skip


def _sql_type(table: str, column: str) -> str:
    return "INTEGER" if kind_of(table, column) == "integer" else "TEXT"


def _table_sql(name: str, columns: tuple[str, ...]) -> str:
    typed = ", ".join(f'"{c}" {_sql_type(name, c)}' for c in columns)
    key = ", PRIMARY KEY (source)" if name == "documents" else ""
    index = "" if name == "documents" else f"; CREATE INDEX {name}_doc ON {name}(doc_id)"
    return f"CREATE TABLE {name} ({typed}{key}){index}"


def _added_columns_sql() -> str:
    """ALTER TABLE for every contract column a version-2 database lacks (thaiplan_version it has)."""
    have = {**_V1_COLUMNS, "documents": (*_V1_COLUMNS["documents"], "thaiplan_version")}
    return "; ".join(f'ALTER TABLE {table} ADD COLUMN "{c}" {_sql_type(table, c)}'
                     for table, columns in COLUMNS.items() for c in columns if c not in have[table])  # fmt: skip


MIGRATIONS: tuple[str, ...] = (
    "; ".join(_table_sql(name, columns) for name, columns in _V1_COLUMNS.items()),
    """ALTER TABLE documents ADD COLUMN error_kind TEXT;
       ALTER TABLE documents ADD COLUMN seconds REAL;
       ALTER TABLE documents ADD COLUMN thaiplan_version TEXT;
       ALTER TABLE documents ADD COLUMN fingerprint TEXT;
       ALTER TABLE documents ADD COLUMN duplicate_of TEXT;
       ALTER TABLE documents ADD COLUMN stored_at REAL;
       CREATE TABLE plans (doc_id TEXT PRIMARY KEY, plan_json BLOB NOT NULL, report_md BLOB NOT NULL);
       CREATE INDEX documents_sha ON documents(sha256);
       CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
       INSERT INTO meta VALUES ('generation', '0')""",
    _added_columns_sql() + """;
       UPDATE documents SET family = 'anticorruption' WHERE status = 'converted';
       UPDATE documents SET read_by = CASE format WHEN 'image' THEN 'ocr' WHEN 'doc' THEN 'docx' ELSE format END
         WHERE status = 'converted';
       UPDATE missions SET kind = CASE level WHEN 1 THEN 'dimension' WHEN 2 THEN 'mission' ELSE 'sub_mission' END;
       UPDATE totals SET "table" = 'detail';
       UPDATE reconciliation SET "table" = 'detail';
       UPDATE totals SET projects = NULL, activities = NULL, measures = NULL
         WHERE rowid NOT IN (SELECT MIN(rowid) FROM totals GROUP BY doc_id, scope, label, page);
       CREATE TABLE crops (doc_id TEXT NOT NULL, total INTEGER NOT NULL, png BLOB NOT NULL,
                           PRIMARY KEY (doc_id, total))""",
)
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class Stored:
    """What the store knows of one source: enough to decide whether to convert it again."""

    source: str
    sha256: str
    status: str
    fingerprint: str


@dataclass(frozen=True)
class Task:
    """One file as the driver hands it to a worker (thaiplan.pool, thaiplan.dask_runner)."""

    source: str  # as given (relative paths stay relative: the dataset records them so)
    sha256: str
    path: str = ""  # absolute, for a worker in another folder or machine (default: source)


@dataclass(frozen=True)
class Outcome:
    """One file's result as it travels from a worker to the store: every row
    already formatted as the CSVs write it (so the driver holds no plan)."""

    source: str
    sha256: str
    status: str  # converted, failed, duplicate
    rows: dict[str, list[tuple[Any, ...]]]  # table -> rows in COLUMNS order, None for empty (documents: one)
    plan_json: bytes | None = None  # plans/<doc_id>.json's text, zlib-compressed (by the worker)
    report_md: bytes = b""  # its report.md section, zlib-compressed
    crops: dict[int, bytes] | None = None  # report.html's pictures: PNG per total index
    error_kind: str = ""
    error: str = ""
    seconds: float = 0.0
    pages: int | None = None
    duplicate_of: str = ""

    @property
    def doc_id(self) -> str:
        return self.sha256[:16]


class Store:
    """The database of one output folder."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(str(path), timeout=60, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable at checkpoints, never corrupt
        self.db.execute("PRAGMA wal_autocheckpoint=20000")  # checkpoint (and fsync) every ~80 MB, not every 4
        self._migrate()

    @classmethod
    def open(cls, out_dir: Path) -> Store:
        return cls(out_dir / DB_NAME)

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the exports' run is over: fold the WAL in
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        version = self.version
        if version > SCHEMA_VERSION:
            from thaiplan.errors import InputError

            raise InputError(f"{self.path} was written by a newer thaiplan (schema {version})",
                             "upgrade thaiplan, or convert into another output folder")  # fmt: skip
        for number in range(version, SCHEMA_VERSION):
            with self._transaction():
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number + 1}")

    def _transaction(self) -> Any:
        return _Transaction(self.db)

    # --- reading ---

    def known(self) -> dict[str, Stored]:
        """Every stored source, by source path."""
        rows = self.db.execute("SELECT source, sha256, status, fingerprint FROM documents")
        return {r[0]: Stored(r[0], r[1] or "", r[2] or "", r[3] or "") for r in rows}

    def converted_source_of(self, sha256: str, fingerprint: str) -> str | None:
        """A source already converted (by this pipeline) with these bytes."""
        row = self.db.execute(
            "SELECT source FROM documents WHERE sha256 = ? AND fingerprint = ? AND status = 'converted' "
            "ORDER BY source LIMIT 1", (sha256, fingerprint)).fetchone()  # fmt: skip
        return row[0] if row else None

    def documents(self) -> Iterator[dict[str, Any]]:
        """documents.csv's rows (and the extra columns), sorted by source."""
        with closing(self.db.execute("SELECT * FROM documents ORDER BY source")) as cursor:
            names = [d[0] for d in cursor.description]
            for row in cursor:
                yield dict(zip(names, row))

    def table_rows(self, table: str) -> Iterator[tuple[Any, ...]]:
        """All rows of a dataset table in export order (documents by their first
        source, rows as stored), in COLUMNS order, None for empty, in one query:
        streamed, not held."""
        columns = COLUMNS[table]
        if table == "documents":
            query = f"SELECT {', '.join(_quoted(columns))} FROM documents ORDER BY source"
        else:
            query = (f"SELECT {', '.join(f't.{q}' for q in _quoted(columns))} FROM {table} t JOIN "
                     f"(SELECT doc_id, MIN(source) AS first FROM documents WHERE status IN {OWN_ROWS} GROUP BY doc_id) d "
                     "ON t.doc_id = d.doc_id ORDER BY d.first, t.rowid")  # fmt: skip
        with closing(self.db.execute(query)) as cursor:
            yield from cursor

    def rows(self, table: str, doc_id: str) -> list[dict[str, Any]]:
        columns = COLUMNS[table]
        cursor = self.db.execute(f"SELECT {', '.join(_quoted(columns))} FROM {table} WHERE doc_id = ? ORDER BY rowid",
                                 (doc_id,))  # fmt: skip
        return [dict(zip(columns, row)) for row in cursor]

    def plan_json(self, doc_id: str) -> str | None:
        """plans/<doc_id>.json's text (only that column is read and unpacked)."""
        row = self.db.execute("SELECT plan_json FROM plans WHERE doc_id = ?", (doc_id,)).fetchone()
        return unpack(row[0]) if row else None

    def report_section(self, doc_id: str) -> str:
        """The document's report.md section ('' for none)."""
        row = self.db.execute("SELECT report_md FROM plans WHERE doc_id = ?", (doc_id,)).fetchone()
        return unpack(row[0]) if row else ""

    def crops(self, doc_id: str) -> dict[int, bytes]:
        """report.html's pictures of one document: PNG per total index."""
        rows = self.db.execute("SELECT total, png FROM crops WHERE doc_id = ? ORDER BY total", (doc_id,))
        return dict(rows.fetchall())

    @property
    def generation(self) -> int:
        """How many documents were stored into this database, ever: the exports' version."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def doc_ids(self) -> list[str]:
        """The doc_ids that own rows (converted documents), in source order, once each."""
        seen: dict[str, None] = {}
        for (doc_id,) in self.db.execute(f"SELECT doc_id FROM documents WHERE status IN {OWN_ROWS} ORDER BY source"):
            seen.setdefault(doc_id, None)
        return list(seen)

    # --- writing ---

    def put(self, outcome: Outcome, fingerprint: str) -> None:
        """Store one file's outcome in one transaction, replacing what its source held."""
        with self._transaction():
            previous = self.db.execute("SELECT doc_id, status FROM documents WHERE source = ?",
                                       (outcome.source,)).fetchone()  # fmt: skip
            self.db.execute("DELETE FROM documents WHERE source = ?", (outcome.source,))
            if previous and previous[0] and previous[0] != outcome.doc_id:
                self._drop_orphan_rows(previous[0])
            if outcome.status in ROW_OWNERS:
                self._replace_rows(outcome)
            extra = (outcome.error_kind or None, round(outcome.seconds, 3), fingerprint, outcome.duplicate_of or None,
                     time.time())  # fmt: skip
            self.db.execute(_INSERT_DOCUMENT, (*outcome.rows["documents"][0], *extra))
            self.db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")

    def _replace_rows(self, outcome: Outcome) -> None:
        doc_id = outcome.doc_id
        stored = self.db.execute("SELECT 1 FROM plans WHERE doc_id = ?", (doc_id,)).fetchone()
        for table in _ROW_TABLES:
            if stored:  # the same content converted before (another pipeline): its rows go
                self.db.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))
            rows = outcome.rows.get(table)
            if rows:
                self.db.executemany(_INSERTS[table], rows)
        self.db.execute("INSERT OR REPLACE INTO plans (doc_id, plan_json, report_md) VALUES (?, ?, ?)",
                        (doc_id, outcome.plan_json, outcome.report_md))  # fmt: skip
        self.db.execute("DELETE FROM crops WHERE doc_id = ?", (doc_id,))
        self.db.executemany("INSERT INTO crops (doc_id, total, png) VALUES (?, ?, ?)",
                            [(doc_id, index, png) for index, png in sorted((outcome.crops or {}).items())])  # fmt: skip

    def _drop_orphan_rows(self, doc_id: str) -> None:
        """Rows of content no source holds any more (a file that changed)."""
        held = self.db.execute(f"SELECT 1 FROM documents WHERE doc_id = ? AND status IN {OWN_ROWS} LIMIT 1",
                               (doc_id,)).fetchone()  # fmt: skip
        if held:
            return
        for table in COLUMNS:
            if table != "documents":
                self.db.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))
        self.db.execute("DELETE FROM plans WHERE doc_id = ?", (doc_id,))
        self.db.execute("DELETE FROM crops WHERE doc_id = ?", (doc_id,))


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any exception (KeyboardInterrupt too)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, exc: object, trace: object) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")


def pack(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 1)  # level 1: most of the gain, little time


def unpack(data: bytes) -> str:
    return zlib.decompress(data).decode("utf-8")


def sql_row(row: dict[str, Any], columns: tuple[str, ...]) -> tuple[Any, ...]:
    """A CSV row (formatted cells) as the database stores it: in column order, empty as NULL."""
    return tuple(None if row[c] == "" else row[c] for c in columns)


_ROW_TABLES = tuple(name for name in COLUMNS if name != "documents")
def _quoted(columns: tuple[str, ...]) -> list[str]:
    return [f'"{c}"' for c in columns]  # "table" is an SQL keyword


_INSERTS = {name: f"INSERT INTO {name} ({', '.join(_quoted(cols))}) VALUES ({', '.join('?' * len(cols))})"
            for name, cols in COLUMNS.items()}  # fmt: skip
_DOCUMENT_EXTRA = ("error_kind", "seconds", "fingerprint", "duplicate_of", "stored_at")
_INSERT_DOCUMENT = (f"INSERT INTO documents ({', '.join(_quoted(COLUMNS['documents'] + _DOCUMENT_EXTRA))}) "
                    f"VALUES ({', '.join('?' * (len(COLUMNS['documents']) + len(_DOCUMENT_EXTRA)))})")  # fmt: skip
