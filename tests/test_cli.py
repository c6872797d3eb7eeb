"""The command line as a user meets it: exit codes, one stderr line per bad
file, no traceback, and the rest of the batch still converted."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SEED


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "thaiplan", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def _documents(out: Path) -> list[dict[str, str]]:
    with (out / "documents.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_bad_inputs_each_get_one_line_and_the_rest_converts(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.bin"
    binary.write_bytes(bytes(range(256)) * 8)
    no_table = tmp_path / "letter.txt"
    no_table.write_text("เรียน นายกเทศมนตรี\nขอส่งแผนปฏิบัติการมาเพื่อโปรดทราบ\n", encoding="utf-8")
    missing = tmp_path / "missing.pdf"
    out = tmp_path / "out"
    result = _run("convert", str(missing), str(empty), str(SEED), str(binary), str(no_table), "-o", str(out))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr
    assert len(lines) == 3, result.stderr  # the letter is read, and not a plan: no line, no failure (issue 14)
    by_file = {line.split(": ", 1)[0]: line for line in lines}
    assert "not found" in by_file[str(missing)]
    assert "empty" in by_file[str(empty)]
    assert "binary" in by_file[str(binary)]
    assert all("; " in line for line in lines)  # FILE: what is wrong; what to do
    documents = {Path(d["source"]).name: d for d in _documents(out)}
    assert documents[SEED.name]["status"] == "converted"
    assert documents[SEED.name]["items"] == "38"
    assert documents["empty.txt"]["status"] == "failed"
    assert documents["letter.txt"]["status"] == "not_a_plan" and "plan headers" in documents["letter.txt"]["error"]
    assert (out / "plans" / f"{documents[SEED.name]['doc_id']}.json").exists()
    assert not (out / "plans" / ".json").exists()


def test_usage_error_exits_2(tmp_path: Path) -> None:
    result = _run("convert", "--jobs", "0", str(SEED), "-o", str(tmp_path / "o"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert _run("frobnicate").returncode == 2


def test_output_path_that_is_a_file_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("x", encoding="utf-8")
    result = _run("convert", str(SEED), "-o", str(target))
    assert result.returncode == 2
    assert str(target) in result.stderr


def test_all_good_exits_0_with_a_summary(tmp_path: Path) -> None:
    result = _run("convert", str(SEED), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "1 of 1 file(s) converted" in result.stdout
    assert "38 items" in result.stdout


def test_folder_inputs_are_walked_and_docs_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "plans" / "2563"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_bytes(SEED.read_bytes())
    (folder / "README.md").write_text("notes", encoding="utf-8")
    (tmp_path / "plans" / ".hidden.txt").write_text("x", encoding="utf-8")
    out = tmp_path / "out"
    result = _run("convert", str(tmp_path / "plans"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert [Path(d["source"]).name for d in _documents(out)] == ["a.txt"]


def test_no_temporary_files_left_behind(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _run("convert", str(SEED), "-o", str(out)).returncode == 0
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_same_file_twice_is_converted_once(tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_bytes(SEED.read_bytes())
    out = tmp_path / "out"
    result = _run("convert", str(SEED), str(copy), "-o", str(out))
    assert result.returncode == 0, result.stderr
    statuses = sorted(d["status"] for d in _documents(out))
    assert statuses == ["converted", "duplicate"]
    assert any("same content as" in d["error"] for d in _documents(out))
