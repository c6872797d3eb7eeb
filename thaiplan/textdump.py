"""`thaiplan text FILE`: a document's repaired text, page by page.

Tables come out as tab-separated rows, the form of a plain-text plan, so the
output can be fed back in; every other line as it stands. Works for any
format the registry reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from thaiplan.extract import read_document
from thaiplan.extract.model import BreakHint, Cell, RawDocument
from thaiplan.normalize.thai_text import repair
from thaiplan.normalize.wraps import rebuild_breaks
from thaiplan.settings import Settings, WrapSettings


def join_by_hints(text: str, hints: Sequence[BreakHint]) -> str:
    """A cell's lines joined: a space where the line ended in one or stopped
    short, nothing where it ran to the edge (a wrap), a space when unknown.

    >>> join_by_hints("การสร้าง\\nจิตสำนึก\\nและ", ("full", "space"))
    'การสร้างจิตสำนึก และ'
    """
    parts = text.split("\n")
    out = [parts[0]]
    for i, part in enumerate(parts[1:]):
        hint = hints[i] if i < len(hints) else None
        out.append(("" if hint == "full" else " ") + part)
    return "".join(out)


def _cell_text(cell: Cell, wraps: WrapSettings) -> str:
    text = repair(cell.text)
    if "\n" in text:
        hints = cell.break_hints or (None,) * text.count("\n")
        text = rebuild_breaks(text, hints, st=wraps) if len(hints) == text.count("\n") else join_by_hints(text, ())
    return " ".join(text.replace("\t", " ").split())


def render(document: RawDocument, settings: Settings | None = None) -> str:
    """The document as text: `=== page N ===`, then its lines and table rows in page order."""
    wraps = (settings or Settings()).wraps
    items: list[tuple[int, int, str]] = []  # (page, order, text)
    for order, line in enumerate(document.lines):
        items.append((line.page or 1, order, repair(line.text)))
    offset = len(document.lines)
    for table in document.tables:
        for row in table.rows:
            width = max(2, max((c.col + c.col_span for c in row.cells), default=0))  # a tab even alone
            cells = [""] * width
            for cell in row.cells:
                cells[cell.col] = _cell_text(cell, wraps)
            page = row.page or table.page_first or 1
            items.append((page, offset, "\t".join(cells)))
            offset += 1
    items.sort(key=lambda item: (item[0], _kind(item[2]), item[1]))
    out: list[str] = []
    current = None
    for page, _, text in items:
        if page != current:
            if out:
                out.append("")
            out.append(f"=== page {page} ===")
            current = page
        out.append(text)
    for note in document.notes:
        where = f" (page {note.page})" if note.page else ""
        out.append(f"# {note.severity}: {note.kind}{where}: {note.message}")
    return "\n".join(out) + "\n"


def _kind(text: str) -> int:
    return 1 if "\t" in text else 0  # running lines of a page before its table rows


def dump_text(path: Path, settings: Settings | None = None) -> str:
    """Read any supported file and return its repaired text, page by page."""
    settings = Settings.resolve(settings)
    return render(read_document(path, settings), settings)
