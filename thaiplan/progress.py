"""What a person sees while a run goes on, and the machine-readable log.

On a terminal: one progress bar (files done / total, pages, rate, ETA, the
file in progress). Elsewhere: one line per finished file on stdout. Errors
always go to stderr, one `FILE: what is wrong; what to do` line each.
`--log-json FILE` gets one JSON object per event.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.progress import Progress



class RunDisplay:
    """An event sink for thaiplan.runner.run (call it with each event)."""

    def __init__(self, quiet: bool = False, verbose: bool = False, log: IO[str] | None = None,
                 terminal: bool | None = None) -> None:  # fmt: skip
        self.quiet, self.verbose, self.log = quiet, verbose, log
        self.terminal = sys.stderr.isatty() if terminal is None else terminal
        self.done = 0
        self.pages = 0
        self.total = 0
        self.started = time.monotonic()
        self.bar: Progress | None = None
        self.task: Any = None

    def __call__(self, kind: str, data: dict[str, Any]) -> None:
        if self.log is not None:
            self.log.write(json.dumps({"event": kind, "time": round(time.time(), 3), **data}, ensure_ascii=False) + "\n")
            self.log.flush()
        if kind == "planned":
            self.total = int(data["files"])
            if self.terminal and not self.quiet and self.total:
                self._start_bar()
            return
        if kind == "started":
            if self.bar is not None:
                self.bar.update(self.task, current=_short(Path(str(data["file"])).name))
            elif self.verbose:
                print(f"{data['file']}: started", flush=True)
            return
        if kind == "failed":
            self._print_error(f"{data['file']}: {data['message']}")
        self._finished(kind, data)

    def _finished(self, kind: str, data: dict[str, Any]) -> None:
        status = data.get("status", "failed")
        if status in ("unchanged", "duplicate", "skipped") and not self.verbose:
            return
        if status not in ("unchanged", "duplicate", "skipped"):
            self.done += 1
            self.pages += int(data.get("pages") or 0)
        if self.bar is not None:
            self.bar.update(self.task, completed=self.done, pages=self.pages)
            self.tick()
        elif not self.quiet and kind != "failed":
            seconds = data.get("seconds") or 0
            print(f"{data['file']}: {status}" + (f" ({seconds:.1f} s)" if seconds else ""), flush=True)

    def _start_bar(self) -> None:
        from rich.console import Console  # only for a terminal: a rerun or a log run starts without it
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(
            TextColumn("[bold]thaiplan"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
            TextColumn("{task.fields[pages]} pages"), TextColumn("{task.fields[rate]}"),
            TextColumn("ETA"), TimeRemainingColumn(), TextColumn("{task.fields[current]}"),
            console=Console(stderr=True), transient=False, refresh_per_second=4,
        )  # fmt: skip
        self.task = self.bar.add_task("convert", total=self.total, pages=0, rate="", current="")
        self.bar.start()

    def _print_error(self, line: str) -> None:
        if self.bar is not None:
            self.bar.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            print(line, file=sys.stderr, flush=True)

    def tick(self) -> None:
        if self.bar is not None:
            elapsed = max(time.monotonic() - self.started, 1e-6)
            self.bar.update(self.task, rate=f"{self.done / elapsed:.1f} files/s")

    def close(self) -> None:
        if self.bar is not None:
            self.tick()
            self.bar.stop()
            self.bar = None


def _short(path: str, width: int = 40) -> str:
    return path if len(path) <= width else "…" + path[-(width - 1):]
