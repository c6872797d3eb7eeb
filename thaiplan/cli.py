"""The command line: a thin layer over the library. Errors become one line per
file on stderr and an exit status here, and only here.

Exit status: 0 all converted; 1 some inputs failed (the rest still written);
2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from thaiplan.extract import ThaiplanError
from thaiplan import __version__
from thaiplan.batch import run_batch
from thaiplan.records import DocumentResult

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


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
    convert.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    text = commands.add_parser(
        "text", help="print a document's repaired text page by page, tables as tab-separated rows"
    )
    text.add_argument("file")
    return parser


def _summary(results: list[DocumentResult], out: Path) -> str:
    converted = [r for r in results if r.ok]
    items = sum(len(r.plan.items) for r in converted if r.plan)
    mismatches = sum(len(r.mismatches) for r in converted)
    warnings = sum(len(r.warnings) for r in converted)
    lines = (
        [
            f"{r.source}: {len(r.plan.items)} items, {len(r.mismatches)} mismatches, {len(r.warnings)} warnings"
            for r in converted
            if r.plan
        ]
        if len(converted) <= 20
        else []
    )
    lines.append(
        f"thaiplan: {len(converted)} of {len(results)} file(s) converted; {items} items; "
        f"{mismatches} printed figure(s) disagree with the rows; {warnings} warning(s); see {out / 'report.md'}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    if args.command == "text":
        return _text(Path(args.file))
    if args.jobs is not None and args.jobs < 1:
        print("thaiplan: --jobs must be 1 or more", file=sys.stderr)
        return EXIT_USAGE
    out = Path(args.output)
    if out.exists() and not out.is_dir():
        print(f"{out}: the output path is a file; give a folder with -o", file=sys.stderr)
        return EXIT_USAGE

    def report(result: DocumentResult) -> None:
        if not result.ok and not result.duplicate_of:
            print(f"{result.source}: {result.error}", file=sys.stderr, flush=True)

    try:
        batch = run_batch(args.inputs, out, jobs=args.jobs, on_result=report)
    except OSError as exc:
        print(
            f"{out}: cannot write the output ({exc.strerror}); check the folder's permissions and free space",
            file=sys.stderr,
        )
        return EXIT_FAILED
    if not batch.results:
        print(f"{' '.join(args.inputs)}: no files found; give plan files or folders that hold them", file=sys.stderr)
        return EXIT_FAILED
    if not args.quiet:
        print(_summary(batch.results, out))
    return EXIT_FAILED if batch.failed else EXIT_OK


def _text(path: Path) -> int:
    from thaiplan.textdump import dump_text

    try:
        sys.stdout.write(dump_text(path))
    except ThaiplanError as exc:
        print(f"{path}: {exc}; {exc.hint}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
