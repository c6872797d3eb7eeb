"""The command line: a thin layer over the library. Errors become one line per
file on stderr and an exit status here, and only here.

Exit status: 0 all inputs converted or skipped; 1 some inputs failed (the
rest still stored); 2 usage error (a wrong option or setting); 130
interrupted (what finished is kept: run the same command again to resume).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from pathlib import Path
from typing import IO

from thaiplan import __version__
from thaiplan.errors import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    OutputInUse,
    SettingsError,
    ThaiplanError,
    describe,
    internal_error,
    message_for,
)
from thaiplan.settings import Settings, load_toml


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="thaiplan", description="Thai local-government plan tables to a checkable dataset."
    )
    parser.add_argument("--version", action="version", version=f"thaiplan {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    convert = commands.add_parser("convert", help="convert plans (files or folders) into a dataset folder")
    convert.add_argument("inputs", nargs="*", default=["samples"], help="files or folders (default: samples)")
    convert.add_argument("-o", "--output", default="output", help="output folder (default: output)")
    convert.add_argument("-j", "--jobs", type=int, default=None, help="parallel workers (default: the machine's cores)")
    convert.add_argument("--fresh", action="store_true", help="rebuild the dataset from nothing (the old one is "
                         "replaced only when this run completes)")  # fmt: skip
    convert.add_argument("--timeout", type=float, metavar="SECONDS", help="time limit per file (default 1200)")
    convert.add_argument("--max-memory", type=int, metavar="MB", help="memory limit per file (default: a share of RAM)")
    convert.add_argument("--scheduler", metavar="ADDRESS", help="run on a Dask cluster, e.g. tcp://host:8786")
    convert.add_argument("--include", action="append", default=[], metavar="GLOB", help="only files matching (repeatable)")
    convert.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="leave out files matching")
    convert.add_argument("--lang", choices=("th", "en"), help="report.html's language (default th: Thai)")
    convert.add_argument("--log-json", metavar="FILE", help="write one JSON object per event to FILE")
    loudness = convert.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    loudness.add_argument("-v", "--verbose", action="store_true", help="say when each file starts, and skipped ones")
    text = commands.add_parser(
        "text", help="print a document's repaired text page by page, tables as tab-separated rows"
    )
    text.add_argument("file")
    listing = commands.add_parser("settings", help="list every setting with its value (after --config/--set)")
    debug = commands.add_parser("debug", help="draw one page with its table grid, row roles and reading order (PNG)")
    debug.add_argument("file")
    debug.add_argument("--page", type=int, default=1, help="the page to draw, 1-based (default 1)")
    debug.add_argument("-o", "--output", help="the PNG to write (default: FILE's stem-pageN.png)")
    debug.add_argument("--dpi", type=int, default=144, help="PDF render resolution (default 144)")
    for command in (convert, text, listing, debug):
        command.add_argument("--config", metavar="FILE.toml", help="settings file ([ocr], [pdf], [wraps], [limits], [report])")
        command.add_argument("--set", metavar="KEY=VALUE", action="append", default=[], dest="assignments",
                             help="one setting, e.g. --set ocr.render_dpi=200 (repeatable; after --config)")  # fmt: skip
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    """--config, then --set, then the named options: later ones win."""
    settings = Settings.resolve(load_toml(Path(args.config)) if args.config else None)
    settings = settings.with_set(args.assignments)
    named = {"jobs": getattr(args, "jobs", None), "limits.timeout_s": getattr(args, "timeout", None),
             "limits.max_memory_mb": getattr(args, "max_memory", None), "report.lang": getattr(args, "lang", None),
             "scheduler": getattr(args, "scheduler", None)}  # fmt: skip
    return settings.updated({k: v for k, v in named.items() if v is not None})


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    if getattr(args, "jobs", None) is not None and args.jobs < 1:
        print("thaiplan: --jobs must be 1 or more", file=sys.stderr)
        return EXIT_USAGE
    try:
        settings = _settings(args)
    except SettingsError as exc:
        print(message_for("thaiplan", exc), file=sys.stderr)
        return exc.exit_code
    if args.command == "settings":
        for key, value, kind in settings.describe():
            print(f"{key} = {value!r}  ({kind})")
        return EXIT_OK
    if args.command == "text":
        return _text(Path(args.file), settings)
    if args.command == "debug":
        return _debug(args, settings)
    return _convert(args, settings)


def _convert(args: argparse.Namespace, settings: Settings) -> int:
    from thaiplan.progress import RunDisplay
    from thaiplan.runner import run

    out = Path(args.output)
    if out.exists() and not out.is_dir():
        print(f"{out}: the output path is a file; give a folder with -o", file=sys.stderr)
        return EXIT_USAGE
    with contextlib.ExitStack() as stack:
        log: IO[str] | None = None
        if args.log_json:
            try:
                log = stack.enter_context(open(args.log_json, "w", encoding="utf-8"))  # noqa: SIM115
            except OSError as exc:
                print(f"{args.log_json}: cannot write the log ({exc.strerror}); give another --log-json path",
                      file=sys.stderr)  # fmt: skip
                return EXIT_USAGE
        display = RunDisplay(quiet=args.quiet, verbose=args.verbose, log=log)
        stack.callback(display.close)
        previous = signal.signal(signal.SIGTERM, _interrupt)  # SIGTERM ends a run like Ctrl-C
        stack.callback(signal.signal, signal.SIGTERM, previous)
        try:
            result = run(args.inputs, out, settings, fresh=args.fresh, include=args.include, exclude=args.exclude,
                         on_event=display)  # fmt: skip
        except OutputInUse as exc:  # names OUT itself: `OUT is in use by another thaiplan run (pid N); …`
            display.close()
            print(describe(exc), file=sys.stderr)
            return exc.exit_code
        except ThaiplanError as exc:
            display.close()
            print(message_for(settings.scheduler or out, exc), file=sys.stderr)
            return exc.exit_code
        except OSError as exc:
            display.close()
            print(f"{out}: cannot write the output ({exc.strerror}); check the folder's permissions and free space",
                  file=sys.stderr)  # fmt: skip
            return EXIT_FAILED
        except Exception as exc:  # a bug of ours: one line, what finished is stored
            if os.environ.get("THAIPLAN_DEBUG"):
                raise
            display.close()
            print(message_for(out, internal_error(exc)), file=sys.stderr)
            return EXIT_FAILED
        display.close()
    if result.interrupted:
        done = sum(1 for f in result.files if f.status != "failed")
        print(f"thaiplan: interrupted; {done} file(s) done are kept in {out}. "
              f"Run the same command again to go on where it stopped.", file=sys.stderr)  # fmt: skip
        return EXIT_INTERRUPTED
    if not result.files:
        print(f"{' '.join(args.inputs)}: no files found; give plan files or folders that hold them", file=sys.stderr)
        return EXIT_FAILED
    if not args.quiet:
        print(_summary(result, out))
    return EXIT_FAILED if result.failed else EXIT_OK


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _summary(result: object, out: Path) -> str:
    from thaiplan.runner import RunResult
    from thaiplan.store import Store

    assert isinstance(result, RunResult)
    converted = {f.source for f in result.files if f.status == "converted"}
    lines: list[str] = []
    items = mismatches = warnings = 0
    with Store.open(out) as store:
        for document in store.documents():
            if document["source"] in converted:
                items += document["items"] or 0
                mismatches += document["mismatches"] or 0
                warnings += document["warnings"] or 0
                if len(converted) <= 20:
                    lines.append(f"{document['source']}: {document['items']} items, {document['mismatches']} "
                                 f"mismatches, {document['warnings']} warnings")  # fmt: skip
    counts = ", ".join(f"{result.count(s)} {s}" for s in ("not_a_plan", "unchanged", "duplicate", "skipped", "failed")
                       if result.count(s))  # fmt: skip
    lines.append(
        f"thaiplan: {len(converted)} of {len(result.files)} file(s) converted{'; ' + counts if counts else ''}; "
        f"{items} items; {mismatches} printed figure(s) disagree with the rows; {warnings} warning(s); "
        f"see {out / 'report.md'}"
    )
    return "\n".join(lines)


def _text(path: Path, settings: Settings) -> int:
    from thaiplan.textdump import dump_text

    try:
        sys.stdout.write(dump_text(path, settings))
    except ThaiplanError as exc:
        print(message_for(path, exc), file=sys.stderr)
        return exc.exit_code
    return EXIT_OK


def _debug(args: argparse.Namespace, settings: Settings) -> int:
    from thaiplan.debug import debug_page

    path = Path(args.file)
    out = Path(args.output or f"{path.stem}-page{args.page}.png")
    if not 36 <= args.dpi <= 600:
        print(f"thaiplan: --dpi {args.dpi} is out of range; give 36..600", file=sys.stderr)
        return EXIT_USAGE
    if not out.parent.is_dir():  # before reading: OCR of a scanned page takes seconds
        print(f"{out}: cannot write the image (no folder {out.parent}); give another -o path", file=sys.stderr)
        return EXIT_FAILED
    try:
        drawn = debug_page(path, args.page, settings, args.dpi)
    except ThaiplanError as exc:
        print(message_for(path, exc), file=sys.stderr)
        return exc.exit_code
    try:
        drawn.image.save(out, format="PNG")
    except OSError as exc:
        print(f"{out}: cannot write the image ({exc.strerror or exc}); give another -o path", file=sys.stderr)
        return EXIT_FAILED
    print(drawn.summary(path, args.page, out))
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
