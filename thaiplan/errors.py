"""One exception hierarchy for the whole tool, and the one place its messages
are written.

Only problems that stop a file are exceptions; everything else is a finding.
Each class carries its `kind` (kept in the dataset's error column and in a
result), a `hint` (what the user can do) and the process `exit_code` the CLI
uses when this is the only kind of failure. `message_for` formats
`FILE: what is wrong; what to do` for every caller.

This module imports nothing of thaiplan: readers, normalisers and the
application all raise these.
"""

from __future__ import annotations

from typing import ClassVar

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class ThaiplanError(Exception):
    """Base of every error thaiplan reports to a user."""

    kind: ClassVar[str] = "error"
    hint: str = "check the file"
    exit_code: ClassVar[int] = EXIT_FAILED

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        if hint is not None:
            self.hint = hint

    @property
    def message(self) -> str:
        return str(self)

    def __reduce__(self) -> tuple[object, ...]:  # keeps the hint across worker processes
        return (type(self), (str(self), self.hint))


class InputError(ThaiplanError):
    """The input cannot be read as given (missing, empty, unreadable)."""

    kind = "input"
    hint = "check the path and that the file is a complete plan document"


class UnsupportedFormat(ThaiplanError):
    """The bytes are not a format thaiplan reads."""

    kind = "unsupported_format"
    hint = "give a .txt, .docx, .doc, .xlsx, .xls, .pdf or image file of the plan"


class ExtractionError(ThaiplanError):
    """The format was recognised but the document could not be read."""

    kind = "unreadable"
    hint = "open the file in its own program to check it is not damaged"


class NoPlanTable(ThaiplanError):
    """The document was read but holds no plan table."""

    kind = "no_plan_table"
    hint = "check that this is an anti-corruption plan with its table"


class NotAPlan(NoPlanTable):
    """The document was read, but holds no table of a known plan family: its
    outcome is `not_a_plan`, not a failure."""

    kind = "not_a_plan"


class ToolMissing(ThaiplanError):
    """An external program needed for this format is not installed."""

    kind = "tool_missing"


class OcrUnavailable(ToolMissing):
    """Tesseract (with the Thai model) is needed but missing."""

    kind = "ocr_unavailable"
    hint = "install tesseract with its Thai model: sudo apt-get install tesseract-ocr tesseract-ocr-tha"


class FileTimeout(ThaiplanError):
    """A file took longer than the time limit; its worker was ended."""

    kind = "timeout"
    hint = "the file may be damaged or very large; raise --timeout to give it longer"


class WorkerCrashed(ThaiplanError):
    """The worker process died while converting the file (a native library crashed)."""

    kind = "crashed"
    hint = "please report it with the file; the rest of the batch went on"


class OutOfMemory(ThaiplanError):
    """A file needed more memory than the limit; its worker was ended."""

    kind = "out_of_memory"
    hint = "the file may be damaged or very large; raise --max-memory to allow more"


class SettingsError(ThaiplanError, ValueError):
    """A setting has a wrong name or value (a usage error, not a file's)."""

    kind = "settings"
    hint = "see `thaiplan settings` for every setting, its default and allowed values"
    exit_code = EXIT_USAGE


class OutputInUse(ThaiplanError):
    """Another thaiplan run holds the output folder's lock (thaiplan.outdir)."""

    kind = "output_in_use"
    hint = "wait for that run to finish, or give another -o folder"
    exit_code = EXIT_USAGE


class TooLarge(ThaiplanError):
    """The file is past one of the bounds in `limits` (a bomb, or a document far
    larger than any plan)."""

    kind = "too_large"
    hint = "the file may be damaged or a decompression bomb; if it is a real plan, raise the limit named"

    @classmethod
    def past(cls, what: str, setting: str) -> TooLarge:
        """`too large (WHAT, SETTING)`, with the hint to raise that setting."""
        return cls(f"too large ({what}, {setting})",
                   f"the file may be damaged or a decompression bomb; if it is a real plan, raise --set {setting}=N")  # fmt: skip


def too_many_ocr_pages(what: str, limit: int) -> TooLarge:
    """More pages to OCR than `limits.max_ocr_pages` (`what` says how many): said
    before the first page is read, not by the timeout an hour later."""
    return TooLarge(f"too large ({what}, limits.max_ocr_pages)",
                    f"split it into parts of at most {limit} pages, or raise --set limits.max_ocr_pages=N "
                    "(and limits.timeout_s: a page takes a few seconds)")  # fmt: skip


class InternalError(ThaiplanError):
    """A bug of thaiplan's met on this file; the batch goes on."""

    kind = "internal"
    hint = "please report it with the file"


def short_reason(exc: BaseException) -> str:
    """A library exception's message on one line, at most 160 characters (its class name if empty)."""
    return " ".join(str(exc).split())[:160] or type(exc).__name__


def internal_error(exc: BaseException) -> InternalError:
    """Wrap an unexpected exception so it is reported like every other error."""
    return InternalError(f"thaiplan failed on this file ({type(exc).__name__}: {exc})")


def describe(exc: ThaiplanError) -> str:
    """`what is wrong; what to do`, as the dataset's error column keeps it."""
    return f"{exc}; {exc.hint}"


def message_for(source: object, exc: ThaiplanError) -> str:
    """The one-line message for a user: `FILE: what is wrong; what to do`.

    >>> message_for("plan.pdf", OcrUnavailable("tesseract is not installed"))
    'plan.pdf: tesseract is not installed; install tesseract with its Thai model: sudo apt-get install tesseract-ocr tesseract-ocr-tha'
    """
    return f"{source}: {describe(exc)}"
