"""One exception hierarchy for the whole tool.

Only problems that stop a file are exceptions; everything else is a finding.
The CLI turns these into one stderr line and an exit code, in one place.
"""


class ThaiplanError(Exception):
    """Base of every error thaiplan reports to a user.

    `hint` says what the user can do about it; the CLI prints
    `FILE: message; hint`.
    """

    hint = "check the file"

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        if hint is not None:
            self.hint = hint


class InputError(ThaiplanError):
    """The input cannot be read as given (missing, empty, unreadable)."""

    hint = "check the path and that the file is a complete plan document"


class UnsupportedFormat(ThaiplanError):
    """The bytes are not a format thaiplan reads."""

    hint = "give a .txt, .docx, .doc, .pdf or image file of the plan"


class ExtractionError(ThaiplanError):
    """The format was recognised but the document could not be read."""

    hint = "open the file in its own program to check it is not damaged"


class NoPlanTable(ThaiplanError):
    """The document was read but holds no plan table."""

    hint = "check that this is an anti-corruption plan with its table"


class ToolMissing(ThaiplanError):
    """An external program needed for this format is not installed."""


class OcrUnavailable(ToolMissing):
    """Tesseract (with the Thai model) is needed but missing."""

    hint = "install tesseract: apt-get install tesseract-ocr tesseract-ocr-tha"
