"""report.html: the audit report for people, Thai first (report.lang = "en" for English).

OUT/report.html is the index: every document ordered by how much of it
disagrees, the findings of the whole dataset by kind, the files not converted.
Each converted document has its own page, OUT/report/<doc_id>.html: per
printed total that disagrees, the row as written, stated / computed /
difference, a picture of the page around the row (PDFs and scans: the crop
the worker made, the row outlined; DOCX and text: the row as an HTML table),
and the rows that were added up, with links to their pages; then its
findings by kind. Every page is self-contained (inline style, pictures as
data: URIs, no script) and works offline; one page per document keeps the
report usable at thousands of documents.
"""

from __future__ import annotations

import base64
import html
import json
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

from thaiplan.exports import REPORT_HTML, REPORT_PAGES, drop_stale
from thaiplan.store import Store
from thaiplan.writers import atomic_text

INDEX_NAME, PAGES_DIR = REPORT_HTML, REPORT_PAGES

WORDS: dict[str, dict[str, str]] = {
    "th": {
        "title": "รายงานการตรวจแผน (thaiplan)", "files": "ไฟล์", "converted": "แปลงแล้ว", "failed": "แปลงไม่ได้",
        "disagree": "ตัวเลขที่ไม่ตรงกัน", "warnings": "คำเตือน", "document": "เอกสาร", "organization": "หน่วยงาน",
        "years": "ปีงบประมาณ", "read_by": "อ่านจาก", "items": "รายการ", "largest": "ผลต่างงบประมาณสูงสุด (บาท)",
        "index": "เอกสารเรียงตามขนาดของความไม่ตรงกัน", "findings": "ข้อสังเกต", "kind": "ประเภท", "count": "จำนวน",
        "severity": "ระดับ", "not_converted": "ไฟล์ที่แปลงไม่ได้", "not_plans": "ไฟล์ที่ไม่มีตารางแผน",
        "not_plan": "ไม่ใช่ตารางแผน", "format": "รูปแบบ", "found": "สิ่งที่พบ", "problem": "ปัญหา", "back": "← กลับไปหน้ารวม",
        "source": "ไฟล์ต้นฉบับ", "pages": "หน้า", "page": "หน้า", "mismatches": "ตัวเลขที่พิมพ์ไว้ไม่ตรงกับรายการในแผน",
        "all_agree": "ตัวเลขที่พิมพ์ไว้ทุกตัวตรงกับรายการในแผน", "printed_row": "แถวที่พิมพ์ไว้",
        "quantity": "สิ่งที่นับ", "fiscal_year": "ปีงบประมาณ", "stated": "ระบุไว้", "computed": "คำนวณได้",
        "difference": "ผลต่าง", "legend": "ระบุไว้ = ตัวเลขที่พิมพ์ในแถวรวมของแผน · คำนวณได้ = ผลรวมจากรายการในแผน · "
        "ผลต่าง = ระบุไว้ − คำนวณได้ (บวก: พิมพ์ไว้มากกว่ารายการ)", "added_up": "รายการที่นำมารวม",
        "no": "ลำดับ", "code": "รหัส", "type": "ประเภท", "name": "ชื่อรายการ", "budget": "งบประมาณ (บาท)",
        "picture": "ภาพจากหน้าเอกสาร", "no_picture": "ไม่มีภาพของหน้า (เอกสาร Word หรือข้อความ): แถวตามที่อ่านได้",
        "scope_all": "รวมทั้งสิ้น", "scope": "มิติที่", "none": "ไม่มี", "message": "รายละเอียด",
        "projects": "โครงการ", "activities": "กิจกรรม", "measures": "มาตรการ", "guidelines": "แนวปฏิบัติ",
        "amount": "งบประมาณ (บาท)", "error": "ผิดพลาด", "warning": "คำเตือน", "info": "ข้อมูล",
        "summary": "ตารางสรุป", "detail": "แถวรวมในตาราง",
    },
    "en": {
        "title": "thaiplan report", "files": "files", "converted": "converted", "failed": "failed",
        "disagree": "figures that disagree", "warnings": "warnings", "document": "document",
        "organization": "organisation", "years": "fiscal years", "read_by": "read by", "items": "items",
        "largest": "largest amount difference (baht)", "index": "Documents by the size of their mismatches",
        "findings": "Findings", "kind": "kind", "count": "count", "severity": "severity",
        "not_converted": "Files not converted", "not_plans": "Files that hold no plan table",
        "not_plan": "not a plan table", "format": "format", "found": "what was found", "problem": "problem", "back": "← back to the index",
        "source": "source file", "pages": "pages", "page": "page",
        "mismatches": "Printed figures that disagree with the plan's rows",
        "all_agree": "Every printed figure agrees with the plan's rows.", "printed_row": "the printed row",
        "quantity": "quantity", "fiscal_year": "fiscal year", "stated": "stated", "computed": "computed",
        "difference": "difference", "legend": "stated = the figure printed in the plan's total row · computed = "
        "the sum of the plan's rows · difference = stated − computed (positive: more printed than listed)",
        "added_up": "rows added up", "no": "no.", "code": "code", "type": "type", "name": "name",
        "budget": "budget (baht)", "picture": "the page", "no_picture": "no page picture (a Word or text "
        "document): the row as read", "scope_all": "grand total", "scope": "dimension", "none": "none",
        "message": "message", "projects": "projects", "activities": "activities", "measures": "measures",
        "guidelines": "guidelines", "amount": "amount (baht)", "error": "error", "warning": "warning",
        "info": "info", "summary": "summary table", "detail": "total row",
    },
}  # fmt: skip

# Finding kinds in Thai (the messages stay as the pipeline wrote them).
KIND_NAMES_TH = {
    "type_guessed": "เดาประเภทรายการจากคำแรก", "type_unknown": "ไม่ทราบประเภทรายการ",
    "subtotals_vs_grand_total": "ผลรวมย่อยไม่ตรงกับยอดรวมทั้งสิ้น", "code_repeated": "รหัสซ้ำ",
    "period_unparsed": "อ่านระยะเวลาไม่ได้", "period_outside_plan": "ระยะเวลาอยู่นอกปีของแผน",
    "month_respelled": "แก้ชื่อเดือน", "amount_unparsed": "อ่านจำนวนเงินไม่ได้",
    "amount_joined": "รวมจำนวนเงินที่ถูกเว้นวรรคแยก",
    "item_without_mission": "รายการไม่มีภารกิจ", "budget_without_item": "งบประมาณไม่มีรายการ",
    "text_without_code": "ข้อความไม่มีรหัส", "zero_budget_unexplained": "งบประมาณเป็นศูนย์โดยไม่มีคำอธิบาย",
    "scanned_page": "หน้าสแกน (อ่านด้วย OCR)", "unusable_text_layer": "ชั้นข้อความใช้ไม่ได้",
    "nested_table": "ตารางซ้อน", "ocr_skipped": "ข้ามการ OCR", "low_ocr_confidence": "OCR อ่านได้ไม่มั่นใจ",
    "crop_failed": "ไม่มีภาพของหน้า", "hidden_sheet": "แผ่นงานที่ซ่อนไว้ (ไม่ได้อ่าน)",
    "hidden_cells": "แถวหรือคอลัมน์ที่ซ่อนไว้ (ไม่ได้อ่าน)", "formulas_unsaved": "สูตรที่ไม่มีค่าที่บันทึกไว้",
    "guessed_marks": "เดาสระหรือวรรณยุกต์ที่ไม่มีรหัสยูนิโค้ด", "unmapped_glyphs": "อักขระที่ไม่มีรหัสยูนิโค้ด (คงไว้เป็น U+FFFD)",
}  # fmt: skip

_STYLE = """
body{font-family:"Sarabun","TH Sarabun New","Noto Sans Thai","Garuda","Loma",sans-serif;margin:1.5em auto;
max-width:70em;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.5em}h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #ccc}h3{font-size:1.05em}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #bbb;padding:.2em .5em;vertical-align:top}
th{background:#f2f2f2;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
.mismatch{border:1px solid #d9a;border-radius:4px;padding:.3em 1em;margin:1em 0;background:#fffafc}
.legend{color:#555;font-size:.9em}.crop{max-width:100%;border:1px solid #999}.neg{color:#a00}.pos{color:#06c}
.printed td{background:#fff8e6}
"""


def write_report(store: Store, out: Path, documents: list[dict[str, Any]], doc_ids: list[str], lang: str,
                 rewrite: bool, final: Path | None = None) -> None:  # fmt: skip
    """report.html and one page per converted document (pages that exist are kept
    unless `rewrite`: exports.write_plan_file removes a document's page when it is stored anew).
    `final`: the folder the pages end up in when `out` is a staging folder (links to the
    sources are relative to where the pages will be read)."""
    words = WORDS[lang]
    folder = out / PAGES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    drop_stale(folder, "*.html", doc_ids)
    for doc_id in doc_ids:
        page = folder / f"{doc_id}.html"
        if rewrite or not page.exists():  # the JSON is read only for pages to write
            text = store.plan_json(doc_id)
            if text is not None:
                plan = json.loads(text)
                with atomic_text(page) as handle:
                    handle.write(document_page(plan, store.crops(doc_id), words, _source_href((final or out) / PAGES_DIR, plan)))
    found = _summaries(store)
    summaries = {doc_id: found.get(doc_id, _AGREE) for doc_id in doc_ids}
    kinds = store.db.execute("SELECT kind, severity, COUNT(*), COUNT(DISTINCT doc_id) FROM findings "
                             "GROUP BY kind, severity ORDER BY COUNT(*) DESC, kind").fetchall()  # fmt: skip
    with atomic_text(out / INDEX_NAME) as handle:
        handle.writelines(index_parts(documents, summaries, kinds, words))


_SUMMARY_SQL = """SELECT doc_id, COUNT(*),
    MAX(CASE WHEN quantity = 'amount' THEN ABS(CAST(difference AS REAL)) END),
    SUM(CASE WHEN quantity != 'amount' THEN ABS(CAST(difference AS INTEGER)) ELSE 0 END)
    FROM reconciliation WHERE status = 'mismatch' GROUP BY doc_id"""


def _summaries(store: Store) -> dict[str, dict[str, Any]]:
    """Per document: how many figures disagree, the largest amount difference, the counts off (one query)."""
    return {doc_id: {"mismatches": n, "largest": Decimal(str(largest or 0)), "counts_off": off or 0}
            for doc_id, n, largest, off in store.db.execute(_SUMMARY_SQL)}  # fmt: skip


_AGREE = {"mismatches": 0, "largest": Decimal(0), "counts_off": 0}


# --- the index ---


def index_parts(documents: list[dict[str, Any]], summaries: dict[str, dict[str, Any]],
                kinds: list[tuple[str, str, int, int]], words: dict[str, str]) -> Iterator[str]:  # fmt: skip
    """report.html, piece by piece: the index's rows are made one at a time as they are
    written (at 10,000 documents the page, held whole, was tens of MB of strings)."""
    w = words
    converted = [d for d in documents if d["status"] == "converted" and d["doc_id"] in summaries]
    failed = [d for d in documents if d["status"] == "failed"]
    not_plans = [d for d in documents if d["status"] == "not_a_plan"]
    order = sorted(converted, key=lambda d: (-summaries[d["doc_id"]]["mismatches"], -summaries[d["doc_id"]]["largest"],
                                             -summaries[d["doc_id"]]["counts_off"], d["source"]))  # fmt: skip
    disagree = sum(s["mismatches"] for s in summaries.values())
    warnings = sum(int(d.get("warnings") or 0) for d in converted)
    head = [_head(w["title"], w), f"<h1>{_e(w['title'])}</h1>",
            f"<p>{len(documents)} {_e(w['files'])}: {len(converted)} {_e(w['converted'])}, "
            f"{f'{len(not_plans)} ' + _e(w['not_plan']) + ', ' if not_plans else ''}{len(failed)} "
            f"{_e(w['failed'])}; {_n(disagree)} {_e(w['disagree'])}; {_n(warnings)} {_e(w['warnings'])}</p>",
            f"<h2 id='index'>{_e(w['index'])}</h2>"]  # fmt: skip
    yield "\n".join(head) + "\n"
    yield from _table_parts([w["document"], w["organization"], w["years"], w["read_by"], w["items"], w["disagree"],
                             w["largest"], w["warnings"]], (_index_row(d, summaries[d["doc_id"]]) for d in order),
                            numeric={4, 5, 6, 7})  # fmt: skip
    parts = [f"<h2 id='findings'>{_e(w['findings'])}</h2>"]
    rows = [[_e(_kind_name(kind, w)), _e(w.get(severity, severity)), _n(count), _n(docs)]
            for kind, severity, count, docs in kinds]  # fmt: skip
    parts.append(_table([w["kind"], w["severity"], w["count"], w["document"]], rows, numeric={2, 3}) if rows
                 else f"<p>{_e(w['none'])}</p>")  # fmt: skip
    if failed:
        parts.append(f"<h2 id='failed'>{_e(w['not_converted'])}</h2>")
        parts.append(_table([w["source"], w["problem"]], [[_e(d["source"]), _e(d.get("error") or "")] for d in failed]))
    if not_plans:  # read, but no plan table in them: what was seen says why
        parts.append(f"<h2 id='not_plans'>{_e(w['not_plans'])}</h2>")
        parts.append(_table([w["source"], w["format"], w["pages"], w["found"]],
                            [[_e(d["source"]), _e(d.get("format") or ""), _n(d.get("pages") or ""),
                              _e(d.get("error") or "")] for d in not_plans], numeric={2}))  # fmt: skip
    parts.append("</body></html>\n")
    yield "\n" + "\n".join(parts)


def _index_row(document: dict[str, Any], summary: dict[str, Any]) -> list[str]:
    years = _years(document)
    name = document.get("title") or document["source"]
    link = f"<a href='{PAGES_DIR}/{document['doc_id']}.html'>{_e(name)}</a><br><small>{_e(document['source'])}</small>"
    return [link, _e(document.get("organization") or ""), years, _e(document.get("read_by") or ""),
            _n(document.get("items") or 0), _n(summary["mismatches"]), _n(summary["largest"]),
            _n(document.get("warnings") or 0)]  # fmt: skip


# --- one document ---


def document_page(plan: dict[str, Any], crops: dict[int, bytes], words: dict[str, str], source_href: str) -> str:
    w = words
    doc = plan["document"]
    title = doc.get("title") or doc["source"]
    parts = [_head(title, w), f"<p><a href='../{INDEX_NAME}'>{_e(w['back'])}</a></p>", f"<h1>{_e(title)}</h1>",
             _facts(doc, w, source_href), f"<h2>{_e(w['mismatches'])}</h2>",
             f"<p class='legend'>{_e(w['legend'])}</p>"]  # fmt: skip
    by_total: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for check in plan["reconciliation"]:
        if check["status"] == "mismatch" and check.get("total") is not None:
            by_total[check["total"]].append(check)
    if not by_total:
        parts.append(f"<p>{_e(w['all_agree'])}</p>")
    items = {item["item_no"]: item for item in plan["items"]}
    for index in sorted(by_total):
        parts.append(_mismatch(index, plan["totals"][index], by_total[index], items, crops.get(index), w, source_href))
    parts.append(_findings(plan["findings"], w))
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _facts(doc: dict[str, Any], w: dict[str, str], source_href: str) -> str:
    years = _years(doc)
    engine = f" ({_e(doc['ocr_engine'])})" if doc.get("ocr_engine") else ""
    rows = [(w["source"], f"<a href='{_e(source_href)}'>{_e(doc['source'])}</a>"),
            (w["organization"], _e(doc.get("organization") or "")), (w["years"], years),
            (w["read_by"], f"{_e(doc.get('read_by') or '')}{engine}"), (w["pages"], _n(doc.get("pages") or 0)),
            (w["items"], _n(doc.get("items") or 0))]  # fmt: skip
    return "<table>" + "".join(f"<tr><th>{_e(k)}</th><td>{v}</td></tr>" for k, v in rows) + "</table>"


def _mismatch(index: int, total: dict[str, Any], checks: list[dict[str, Any]], items: dict[int, dict[str, Any]],
              crop: bytes | None, w: dict[str, str], source_href: str) -> str:  # fmt: skip
    scope = w["scope_all"] if total["scope"] == "all" else f"{w['scope']} {total['scope']}"
    page = total.get("page")
    where = f" · <a href='{_e(source_href)}#page={page}'>{_e(w['page'])} {page}</a>" if page else ""
    parts = [f"<div class='mismatch' id='total-{index}'>",
             f"<h3>{_e(scope)} · {_e(w.get(total.get('table', 'detail'), ''))}{where}</h3>",
             f"<p>{_e(w['printed_row'])}: <q>{_e(total.get('text') or total.get('label') or '')}</q></p>"]  # fmt: skip
    rows = []
    for c in checks:
        year = c.get("fiscal_year") or ""
        rows.append([_e(w.get(c["quantity"], c["quantity"])), str(year), _n(c["stated"]), _n(c["computed"]),
                     _signed(c["difference"])])  # fmt: skip
    keys = [f"{c['table']}|{c['scope']}|{c['quantity']}|{c.get('fiscal_year') or ''}" for c in checks]
    parts.append(_table([w["quantity"], w["fiscal_year"], w["stated"], w["computed"], w["difference"]], rows,
                        numeric={2, 3, 4}, row_keys=keys))  # fmt: skip
    if crop:
        data = base64.b64encode(crop).decode("ascii")
        parts.append(f"<p>{_e(w['picture'])}:<br><img class='crop' alt='{_e(w['picture'])} {page}' "
                     f"src='data:image/png;base64,{data}'></p>")  # fmt: skip
    else:
        cells = "".join(f"<td>{_e(cell).replace(chr(10), '<br>')}</td>" for cell in total.get("cells") or [])
        parts.append(f"<p>{_e(w['no_picture'])}:</p><table class='printed'><tr>{cells}</tr></table>")
    added = sorted({no for c in checks for no in c.get("items") or []})
    parts.append(f"<details><summary>{_e(w['added_up'])}: {_n(len(added))}</summary>")
    parts.append(_table([w["no"], w["code"], w["type"], w["name"], w["budget"], w["page"]],
                        [_item_row(items[no], w, source_href) for no in added if no in items],
                        numeric={0, 4}))  # fmt: skip
    parts.append("</details></div>")
    return "\n".join(parts)


def _item_row(item: dict[str, Any], w: dict[str, str], source_href: str) -> list[str]:
    budgets = "<br>".join(
        f"{b['fiscal_year']}: {_n(b['amount_baht'])}" if b.get("fiscal_year") else _n(b["amount_baht"])
        for b in item.get("budgets") or [] if b.get("amount_baht") is not None
    )
    page = item.get("page")
    link = f"<a href='{_e(source_href)}#page={page}'>{page}</a>" if page else ""
    return [str(item["item_no"]), _e(item.get("code") or ""), _e(w.get(item["type"] + "s", item["type"])),
            _e(item["name"]), budgets, link]  # fmt: skip


def _findings(findings: list[dict[str, Any]], w: dict[str, str]) -> str:
    if not findings:
        return f"<h2>{_e(w['findings'])}</h2><p>{_e(w['none'])}</p>"
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for finding in findings:
        groups[finding["kind"]].append(finding)
    counts = Counter({kind: len(group) for kind, group in groups.items()})
    parts = [f"<h2>{_e(w['findings'])}</h2>"]
    for kind, count in counts.most_common():
        group = groups[kind]
        parts.append(f"<details><summary>{_e(_kind_name(kind, w))} ({_e(w.get(group[0]['severity'], ''))}): "
                     f"{_n(count)}</summary>")  # fmt: skip
        parts.append(_table([w["code"], w["no"], w["page"], w["message"]],
                            [[_e(f.get("code") or ""), str(f.get("item_no") or ""), str(f.get("page") or ""),
                              _e(f["message"])] for f in group]))  # fmt: skip
        parts.append("</details>")
    return "\n".join(parts)


# --- pieces ---


def _years(document: dict[str, Any]) -> str:
    """`2563`, or `2561–2564` for a plan of several years; empty when unknown."""
    first, last = document.get("fiscal_year_first"), document.get("fiscal_year_last")
    return "" if not first else (str(first) if first == last else f"{first}–{last}")


def _head(title: str, w: dict[str, str]) -> str:
    lang = "th" if w is WORDS["th"] else "en"
    return (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{_e(title)}</title>"
            f"<style>{_STYLE}</style></head><body>")  # fmt: skip


def _table(header: list[str], rows: Iterable[list[str]], numeric: set[int] | None = None,
           row_keys: list[str] | None = None) -> str:  # fmt: skip
    """An HTML table; `row_keys` mark rows (data-check: table|scope|quantity|year, what a script can find)."""
    return "".join(_table_parts(header, rows, numeric, row_keys))


def _table_parts(header: list[str], rows: Iterable[list[str]], numeric: set[int] | None = None,
                 row_keys: list[str] | None = None) -> Iterator[str]:  # fmt: skip
    """_table piece by piece: its head, each row, its end."""
    numeric = numeric or set()
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    marks = [f" data-check='{_e(k)}'" for k in row_keys] if row_keys else None
    yield f"<table><thead><tr>{head}</tr></thead><tbody>"
    for n, row in enumerate(rows):
        yield f"<tr{marks[n] if marks else ''}>" + "".join(f"<td class='n'>{v}</td>" if i in numeric
                                                         else f"<td>{v}</td>" for i, v in enumerate(row)) + "</tr>"  # fmt: skip
    yield "</tbody></table>"


def _kind_name(kind: str, w: dict[str, str]) -> str:
    return KIND_NAMES_TH.get(kind, kind) if w is WORDS["th"] else kind.replace("_", " ")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _n(value: object) -> str:
    """A number with thousands separators (`1,250.50`, `8`)."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    return f"{number:,.2f}" if number != number.to_integral_value() else f"{int(number):,}"


def _signed(value: object) -> str:
    number = Decimal(str(value))
    text = _n(number) if number <= 0 else "+" + _n(number)
    return f"<span class='{'neg' if number < 0 else 'pos'}'>{_e(text)}</span>"


def _source_href(folder: Path, plan: dict[str, Any]) -> str:
    """The source file, relative to the page (a link that works while OUT sits beside the inputs)."""
    source = Path(plan["document"]["source"])
    target = source if source.is_absolute() else Path.cwd() / source
    try:
        return quote(Path(os.path.relpath(target, folder.resolve())).as_posix())
    except ValueError:  # another drive (Windows)
        return target.as_uri()
