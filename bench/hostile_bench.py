"""Benchmark (not a test): every hostile case of tests/hostile_files.py converted
on its own by the CLI under `prlimit --as=2G`, with its wall time, the peak
resident memory of the run and its workers, its exit status and its line.

    python bench/hostile_bench.py [--only NAME] [--limit-s 120]

The acceptance of issue 15: every case ends within 120 s and 2 GB, in one
clear line or a conversion, never a traceback. The worst case is printed last.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import hostile_files as h  # noqa: E402 (after the path: bench scripts run from anywhere)

CAP = f"--as={h.LIMIT_BYTES}"


def _text(**cell: object) -> Callable[[Path], Path]:
    return _file("plan.txt", lambda: h.plan_text(**cell))  # type: ignore[arg-type]


def _file(name: str, build: Callable[[], bytes]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(build())
        return path

    return make


def _fifo(folder: Path) -> Path:
    path = folder / "pipe.txt"
    os.mkfifo(path)
    return path


def _bad_name(folder: Path) -> Path:
    return h.bad_name(folder, h.plan_text(budget="๑๐๐"))


def _sparse_text(folder: Path) -> Path:
    path = folder / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(101 << 20)
    return path


def _big_png(folder: Path) -> Path:
    from PIL import Image

    path = folder / "huge.png"
    Image.new("1", (20_000, 10_000)).save(path)
    return path


def _xlsx_lying(folder: Path) -> Path:
    workbook = b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>'
    bomb = h.repeated_deflate("xl/worksheets/sheet1.xml", [(b" " * (1 << 20), 1024)])
    path = folder / "bomb.xlsx"
    path.write_bytes(h.zip_bytes([h.Member.of("xl/workbook.xml", workbook), h.Member(bomb.name, bomb.deflated, 1000, bomb.crc)]))
    return path


CASES: dict[str, Callable[[Path], Path]] = {
    "amount_30_digits": _text(budget="1" * 30),
    "name_not_utf8": _bad_name,
    "item_200k_spaces": _text(item=h.many_spaces(200_000)),
    "total_170k_plan_words": _text(total_label=h.many_plan_words(170_000)),
    "total_170k_unspaced": _text(total_label=("โครงการ" * 30_000)[:170_000]),
    "text_101mb_sparse": _sparse_text,
    "fifo": _fifo,
    "dev_zero": lambda folder: Path("/dev/zero"),
    "docx_lying_size_1gb": _file("lying.docx", lambda: h.docx_lying_size(1024, 1000)),
    "docx_gigabyte_part": _file("part.docx", lambda: h.docx_lying_size(1024, None)),
    "docx_declared_50mb_holds_1gb": _file("small.docx", lambda: h.docx_lying_size(1024, 50 << 20)),
    "docx_nested_tables_200mb": _file("nested.docx", lambda: h.docx_nested_tables((200 << 20) // 48)),
    "docx_nested_tables_deep": _file("deep.docx", lambda: h.docx_nested_tables(300)),
    "docx_header_90k_lines": _file("header.docx", lambda: h.docx_header_lines(90_000)),
    "docx_20mb_header_200_refs": _file("refs.docx", lambda: h.docx_repeated_header(20, 200)),
    "xlsx_lying_size_1gb": _xlsx_lying,
    "pdf_self_reference": _file("self.pdf", h.pdf_self_reference),
    "pdf_circular_page_tree": _file("tree.pdf", h.pdf_circular_page_tree),
    "pdf_circular_contents": _file("contents.pdf", h.pdf_circular_contents),
    "pdf_content_bomb_2gb": _file("content.pdf", lambda: h.pdf_content_bomb(2048)),
    "pdf_object_stream_bomb_2gb": _file("objstm.pdf", lambda: h.pdf_object_stream_bomb(2048)),
    "pdf_50_inch_page": _file("p50.pdf", lambda: h.pdf_big_page(50)),
    "pdf_200_inch_page": _file("p200.pdf", lambda: h.pdf_big_page(200)),
    "pdf_600_scanned_pages": _file("scans.pdf", lambda: h.pdf_scanned_pages(600)),
    "tiff_300_blank_a4": _file("blank.tif", lambda: h.tiff_frames(300)),
    "tiff_2000_a4_with_content": _file("pages.tif", lambda: h.tiff_frames(2000, page=h.seed_page_picture())),
    "png_200_mpx": _big_png,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", action="append", help="run only these cases (repeatable)")
    parser.add_argument("--limit-s", type=float, default=h.LIMIT_S)
    args = parser.parse_args()
    worst: list[tuple[float, float, str]] = []
    print(f"{'case':32} {'seconds':>8} {'peak MB':>8} {'exit':>4}  line")
    for name, build in CASES.items():
        if args.only and name not in args.only:
            continue
        with tempfile.TemporaryDirectory(prefix="hostile_bench_") as tmp:
            folder = Path(tmp)
            source = build(folder)
            command = ["prlimit", CAP, sys.executable, "-m", "thaiplan", "convert", source, "-o", folder / "out", "-q"]
            try:
                ran = h.run_measured(*command, cwd=folder, timeout=args.limit_s + 60)
            except Exception as exc:  # noqa: BLE001 (a case past the limit is the finding, not a crash of the bench)
                print(f"{name:32} {'> ' + str(args.limit_s + 60):>8} {'?':>8} {'-':>4}  {type(exc).__name__}")
                worst.append((float("inf"), 0.0, name))
                continue
        line = ran.lines[0].replace(str(folder), "…") if ran.lines else "(no line: converted or not_a_plan)"
        flag = " TRACEBACK" if "Traceback" in ran.stderr else ""
        print(f"{name:32} {ran.seconds:8.1f} {ran.peak_mb:8.0f} {ran.code:>4}  {line[:110]}{flag}")
        worst.append((ran.seconds, ran.peak_mb, name))
    if worst:
        slowest = max(worst)
        largest = max(worst, key=lambda w: w[1])
        print(f"slowest: {slowest[2]} {slowest[0]:.1f} s; most memory: {largest[2]} {largest[1]:.0f} MB")


if __name__ == "__main__":
    main()
