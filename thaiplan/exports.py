"""The dataset files, exported from the store: CSV (UTF-8 with BOM for Excel,
RFC 4180), one JSON per plan, report.md.

Each file is written under a temporary name and renamed, so a reader never
sees half a file; rows stream from the database, so memory does not grow
with the number of documents.
"""

from __future__ import annotations

import csv
from pathlib import Path

from thaiplan import __version__
from thaiplan.columns import COLUMNS
from thaiplan.store import Store
from thaiplan.writers import atomic_text, write_atomic

DOCUMENT_COLUMNS = COLUMNS["documents"]


MARKER = ".thaiplan-exports"  # which generation of the database the exports show, in which report language
REPORT_HTML = "report.html"  # the index; report/<doc_id>.html the documents (thaiplan.report_html)
REPORT_PAGES = "report"


def export(store: Store, out: Path, lang: str = "th", keep_pages: bool | None = None, final: Path | None = None) -> bool:
    """Rewrite every export of `out` from its database, unless they already show
    this generation of it in this report language. True when they were written.
    `keep_pages`: whether report pages already in `out` still hold (default: when
    the marker says they were written by this version in this language). `final`: the
    folder the files are moved to when `out` is a staging folder."""
    if up_to_date(store, out, lang):
        return False
    if keep_pages is None:
        keep_pages = pages_hold(out, lang)
    marker = out / MARKER
    marker.unlink(missing_ok=True)  # an interrupted export is redone next time
    doc_ids = store.doc_ids()
    for table, columns in COLUMNS.items():
        with atomic_text(out / f"{table}.csv") as handle:
            handle.write("\ufeff")  # the BOM of UTF-8-sig, once: that codec's encoder is Python, called per row
            writer = csv.writer(handle, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
            writer.writerow(columns)
            writer.writerows(store.table_rows(table))  # straight from SQLite: the csv module writes None as ""
    from thaiplan import typed_exports  # pyarrow and xlsxwriter: only when something changed

    typed_exports.export_typed(out, out, len(doc_ids))
    _export_plans(store, out, doc_ids)
    from thaiplan.report import report_parts  # the records' model: not for a rerun that exports nothing

    # Every document's row, for the reports' lists: held only once the typed files, the peak, are written.
    documents = [{c: _csv(d.get(c)) for c in DOCUMENT_COLUMNS} for d in store.documents()]
    sections = (section for doc_id in doc_ids if (section := store.report_section(doc_id)))
    with atomic_text(out / "report.md") as handle:
        handle.writelines(report_parts(documents, sections))
    from thaiplan.report_html import write_report

    write_report(store, out, documents, doc_ids, lang, rewrite=not keep_pages, final=final)
    write_atomic(marker, _stamp(store, lang))
    return True


def _stamp(store: Store, lang: str) -> str:
    return f"{store.generation} {__version__} {lang}\n"


def _marker(out: Path) -> str:
    marker = out / MARKER
    return marker.read_text(encoding="utf-8") if marker.is_file() else ""


def up_to_date(store: Store, out: Path, lang: str = "th") -> bool:
    """True when the exports of `out` show this generation of its database, in this language."""
    return _marker(out) == _stamp(store, lang) and _complete(out)


def pages_hold(out: Path, lang: str) -> bool:
    """The report pages in `out` were written by this version in this language (a page
    of a document stored anew is removed when it is stored: exports.write_plan_file)."""
    return _marker(out).split()[1:] == [__version__, lang]


def _complete(out: Path) -> bool:
    from thaiplan import typed_exports

    reports = all((out / name).is_file() for name in ("report.md", REPORT_HTML))
    tables = all((out / f"{table}.csv").is_file() for table in COLUMNS) and reports
    return tables and typed_exports.complete(out)


def _export_plans(store: Store, out: Path, doc_ids: list[str]) -> None:
    """plans/<doc_id>.json for every converted document; stale ones removed."""
    folder = out / "plans"
    drop_stale(folder, "*.json", doc_ids)
    for doc_id in doc_ids:
        path = folder / f"{doc_id}.json"
        if not path.exists():
            text = store.plan_json(doc_id)
            if text is not None:
                write_plan_file(out, doc_id, text)


def drop_stale(folder: Path, pattern: str, doc_ids: list[str]) -> None:
    """Remove the per-document files of `folder` whose document the dataset no longer holds."""
    if not folder.is_dir():
        return
    wanted = set(doc_ids)
    for path in folder.glob(pattern):
        if path.stem not in wanted:
            path.unlink()


def write_plan_file(out: Path, doc_id: str, plan_json: str) -> None:
    """A document stored anew: its JSON now, its report page at the next export."""
    write_atomic(out / "plans" / f"{doc_id}.json", plan_json)
    (out / REPORT_PAGES / f"{doc_id}.html").unlink(missing_ok=True)


def _csv(value: object) -> object:
    return "" if value is None else value

