"""Hostile inputs built in the tests (issue 15): each small on disk, each aimed
at one bound of a reader, a normaliser, the writer or the runner.

A bomb is a few KB of deflate that inflates to far more than any plan; a loop
is an object that refers to itself; the rest are plans with one cell made
absurd (30-digit amounts, 200,000 inner spaces, 170,000 plan words).
"""

from __future__ import annotations

import io
import os
import resource
import struct
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass, replace
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
SEED_TEXT = ROOT / "samples" / "000_8b3bc95f51f4a1e5.txt"
ITEM_ROW = 5  # 0-based index of the seed's first item row (after the title and the header)


def seed_lines() -> list[str]:
    return SEED_TEXT.read_text(encoding="utf-8-sig").splitlines()


def plan_text(budget: str | None = None, item: str | None = None, total_label: str | None = None) -> bytes:
    """The seed plan as text with its first item's budget or name, or its first
    total row's counts, replaced."""
    lines = seed_lines()
    cells = lines[ITEM_ROW].split("\t")
    if budget is not None:
        cells[3] = budget
    if item is not None:
        cells[2] = item
    lines[ITEM_ROW] = "\t".join(cells)
    if total_label is not None:
        at = next(i for i, line in enumerate(lines) if line.startswith("\tรวม\t"))
        total = lines[at].split("\t")
        total[2] = total_label
        lines[at] = "\t".join(total)
    return ("\n".join(lines) + "\n").encode("utf-8")


def many_spaces(count: int) -> str:
    """An item name with `count` spaces inside it (none before a mark)."""
    return "โครงการ" + " " * count + "อบรม"


def many_plan_words(chars: int) -> str:
    """A total row's counts cell of about `chars` characters of plan words and no number."""
    return ("โครงการ " * (chars // 8 + 1))[:chars]


def bad_name(folder: Path, data: bytes) -> Path:
    """A file whose name is cp874 bytes (ปี.txt), not valid UTF-8, as Windows ZIP archives leave them."""
    path = Path(os.fsdecode(os.fsencode(folder) + b"/\xbb\xd5.txt"))
    path.write_bytes(data)
    return path


LIMIT_S = 120.0
LIMIT_BYTES = 2 << 30


@dataclass(frozen=True)
class Ran:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float  # the largest resident size of the process or any of its workers

    @property
    def lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))


# Runs a command and reports, on its last stderr line, the peak resident size of it and its children.
_MEASURED = (
    "import resource, subprocess, sys; code = subprocess.call(sys.argv[1:]); "
    "print('peak-kb', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(code)"
)


def run_thaiplan(*args: str | Path, cwd: Path, timeout: float = LIMIT_S, env: dict[str, str] | None = None) -> Ran:
    """`thaiplan ARGS` in a subprocess capped at 2 GB of address space (each worker too),
    ended past `timeout`; its time and peak memory measured."""
    return run_measured(sys.executable, "-m", "thaiplan", *args, cwd=cwd, timeout=timeout, env=env)


def run_measured(*argv: str | Path, cwd: Path, timeout: float = LIMIT_S, env: dict[str, str] | None = None) -> Ran:
    """A command capped at 2 GB of address space, its time and peak memory measured."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", _MEASURED, *map(str, argv)], cwd=cwd, capture_output=True,
                          timeout=timeout, preexec_fn=_limit_memory, env=env or dict(os.environ))  # fmt: skip
    stderr, _, peak = done.stderr.decode("utf-8", "backslashreplace").rstrip().rpartition("peak-kb ")
    stdout = done.stdout.decode("utf-8", "backslashreplace")
    return Ran(done.returncode, stdout, stderr, time.monotonic() - started, int(peak or 0) / 1024)


# --- deflate bombs and hand-made ZIPs ------------------------------------------


def repeated_deflate(name: str, pieces: list[tuple[bytes, int]]) -> Member:
    """A member whose raw deflate stream is each (chunk, count) in order: every chunk
    compressed once and its bytes repeated (a full flush resets the window, so the
    copies are identical). Its size and CRC are the true ones."""
    out = bytearray()
    size = crc = 0
    for chunk, count in pieces:
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        out += (packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)) * count
        size += len(chunk) * count
        for _ in range(count):
            crc = zlib.crc32(chunk, crc)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return Member(name, bytes(out + packer.flush(zlib.Z_FINISH)), size, crc)


@dataclass(frozen=True)
class Member:
    """A ZIP member as written: its raw deflate bytes and the size and CRC it declares."""

    name: str
    deflated: bytes
    size: int
    crc: int = 0

    @classmethod
    def of(cls, name: str, data: bytes) -> Member:
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        return cls(name, packer.compress(data) + packer.flush(), len(data), zlib.crc32(data))


def zip_bytes(members: list[Member]) -> bytes:
    """A ZIP archive of already deflated members (zipfile cannot write a lying size)."""
    body, directory = bytearray(), bytearray()
    for m in members:
        name = m.name.encode()
        fields = struct.pack("<HHHHHIIIHH", 20, 0, 8, 0, 0, m.crc, len(m.deflated), m.size, len(name), 0)
        directory += b"PK\x01\x02" + struct.pack("<H", 20) + fields + struct.pack("<HHHII", 0, 0, 0, 0, len(body)) + name
        body += b"PK\x03\x04" + fields + name + m.deflated
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), len(body), 0)
    return bytes(body + directory + end)


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _rels(targets: list[tuple[str, str]]) -> bytes:
    rels = "".join(f'<Relationship Id="r{i}" Type="{OFFICE}/{kind}" Target="{target}"/>'
                   for i, (kind, target) in enumerate(targets))  # fmt: skip
    return f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>'.encode()


def paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def docx_bytes(document: Member | bytes, headers: list[Member] = (), header_refs: int = 1) -> bytes:  # type: ignore[assignment]
    """A Word file: document.xml (given whole or as a member), its header parts, each
    referenced `header_refs` times."""
    if isinstance(document, bytes):
        document = Member.of("word/document.xml", document)
    refs = [("header", h.name.removeprefix("word/")) for h in headers for _ in range(header_refs)]
    return zip_bytes([
        Member.of("_rels/.rels", _rels([("officeDocument", "word/document.xml")])),
        document,
        Member.of("word/_rels/document.xml.rels", _rels(refs)),
        *headers,
    ])  # fmt: skip


def document_xml(body: str) -> bytes:
    return f"<w:document {W}><w:body>{body}</w:body></w:document>".encode()


def seed_docx_body() -> str:
    """The seed plan's title and table as WordprocessingML (the good file of a DOCX batch)."""
    lines = seed_lines()
    title = paragraph(lines[2])
    rows = "".join("<w:tr>" + "".join(f"<w:tc>{paragraph(escape(c))}</w:tc>" for c in line.split("\t")) + "</w:tr>"
                   for line in lines if "\t" in line)  # fmt: skip
    return f"{title}<w:tbl>{rows}</w:tbl>"


def docx_lying_size(inflated_mb: int = 1024, declared: int | None = 1000) -> bytes:
    """document.xml declaring `declared` bytes (None: the truth) but inflating to
    `inflated_mb` MB of one text node."""
    head = document_xml("<w:p><w:r><w:t>|").split(b"|")[0]
    member = repeated_deflate("word/document.xml", [(head, 1), (b" " * (1 << 20), inflated_mb)])
    return docx_bytes(replace(member, size=declared) if declared else member)


def docx_nested_tables(depth: int) -> bytes:
    """Tables nested `depth` deep (a cell holding a table holding a cell …)."""
    opening, closing = b"<w:tbl><w:tr><w:tc>", b"<w:p/></w:tc></w:tr></w:tbl>"
    head, tail = document_xml("|").split(b"|")
    count = max(1, depth // 64)
    pieces = [(head, 1), (opening * 64, count), (closing * 64, count), (tail, 1)]
    return docx_bytes(repeated_deflate("word/document.xml", pieces))


def docx_header_lines(count: int, distinct: bool = True) -> bytes:
    """The seed plan with a page header of `count` lines (distinct, or one repeated)."""
    lines = "".join(paragraph(f"หัวกระดาษ {i if distinct else 0}") for i in range(count))
    header = Member.of("word/header1.xml", f"<w:hdr {W}>{lines}</w:hdr>".encode())
    return docx_bytes(document_xml(seed_docx_body()), [header])


def docx_repeated_header(mb: int = 20, refs: int = 200) -> bytes:
    """The seed plan with one `mb` MB header part referenced `refs` times."""
    head, tail = f"<w:hdr {W}>|</w:hdr>".encode().split(b"|")
    line = paragraph("หัวกระดาษ").encode()
    chunk = line * ((1 << 20) // len(line))
    header = repeated_deflate("word/header1.xml", [(head, 1), (chunk, mb), (tail, 1)])
    return docx_bytes(document_xml(seed_docx_body()), [header], header_refs=refs)


# --- PDFs written by hand ------------------------------------------------------------


def pdf_bytes(objects: dict[int, bytes], root: int = 1) -> bytes:
    """A PDF of numbered objects (bodies as written), with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    start = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, start)
    return bytes(out)


def stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n" % (dictionary, len(data)) + data + b"\nendstream"


def _page_pdf(page: bytes, extra: dict[int, bytes] | None = None) -> bytes:
    return pdf_bytes({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                      3: page, **(extra or {})})  # fmt: skip


def pdf_self_reference() -> bytes:
    """A page whose contents and resources are an object that is a reference to itself."""
    return _page_pdf(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources 4 0 R >>",
                     {4: b"4 0 R"})  # fmt: skip


def pdf_circular_page_tree() -> bytes:
    """A page tree whose node lists itself among its kids."""
    return pdf_bytes({1: b"<< /Type /Catalog /Pages 2 0 R >>",
                      2: b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
                      3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                      4: stream(b"", b"q Q")})  # fmt: skip


def pdf_circular_contents() -> bytes:
    """A content stream that draws a form XObject that draws itself."""
    return _page_pdf(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                     b"/Resources << /XObject << /X 5 0 R >> >> >>",
                     {4: stream(b"", b"/X Do"),
                      5: stream(b"/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X 5 0 R >> >>",
                                b"/X Do")})  # fmt: skip


def flate_bomb(mb: int) -> bytes:
    """zlib bytes (a few KB per 10 MB) that inflate to `mb` MB of one repeated content operator."""
    member = repeated_deflate("", [(b"0 0 m 1 1 l S\n" * 74898, mb)])  # ~1 MB a piece
    header = b"\x78\xda"
    return header + member.deflated + struct.pack(">I", 0)  # the Adler-32 is never reached


def pdf_content_bomb(mb: int = 2048) -> bytes:
    return _page_pdf(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                     {4: stream(b"/Filter /FlateDecode", flate_bomb(mb))})  # fmt: skip


def pdf_object_stream_bomb(mb: int = 2048) -> bytes:
    """An object stream (holding the page's resources) that inflates to `mb` MB."""
    return _page_pdf(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources 5 0 R >>",
                     {4: stream(b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", flate_bomb(mb))})  # fmt: skip


def pdf_big_page(inches: float, scanned: bool = True) -> bytes:
    """One page `inches` wide and high, holding only an image (so it is read by OCR)."""
    side = int(inches * 72)
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R /Resources << /XObject << /I 5 0 R >> >> >>"
    image = stream(b"/Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8",
                   bytes(range(0, 256, 4)))  # fmt: skip
    return _page_pdf(page % (side, side), {4: stream(b"", b"q %d 0 0 %d 0 0 cm /I Do Q" % (side, side)), 5: image})


def pdf_scanned_pages(count: int) -> bytes:
    """`count` A4 pages, each holding only one image (no text layer: every page needs OCR)."""
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(count))
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
               3: stream(b"", b"q 595 0 0 842 0 0 cm /I Do Q"),
               count + 4: stream(b"/Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray "
                                 b"/BitsPerComponent 8", bytes(range(0, 256, 4)))}  # fmt: skip
    for i in range(count):
        objects[4 + i] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
                          b"/Resources << /XObject << /I %d 0 R >> >> >>" % (count + 4))  # fmt: skip
    return pdf_bytes(objects)


# --- images ----------------------------------------------------------------------------


def seed_page_picture(dpi: int = 300) -> Image.Image:
    """The first page of the seed plan's PDF as a scanner would give it (1 bit a pixel)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(ROOT / "samples" / "seed_plan.pdf")
    try:
        return document[0].render(scale=dpi / 72).to_pil().convert("1")
    finally:
        document.close()



def tiff_frames(count: int, size: tuple[int, int] = (2480, 3508), page: Image.Image | None = None) -> bytes:
    """A TIFF of `count` A4 pages at 300 dpi (Group 4), blank or each the picture
    `page`, every page's IFD pointing at one shared strip: a few hundred bytes a page."""
    page = page.convert("1") if page is not None else Image.new("1", size, 1)
    size = page.size
    encoded = io.BytesIO()
    page.save(encoded, format="TIFF", compression="group4")
    strip = _tiff_strip(encoded.getvalue())
    out = bytearray(b"II*\x00\x00\x00\x00\x00") + strip
    strip_at = 8
    entries = [(256, 4, size[0]), (257, 4, size[1]), (258, 3, 1), (259, 3, 4), (262, 3, 0), (273, 4, strip_at),
               (277, 3, 1), (278, 4, size[1]), (279, 4, len(strip))]  # fmt: skip
    ifd_size = 2 + 12 * len(entries) + 4
    first = len(out) + (len(out) % 2)
    out += b"\x00" * (first - len(out))
    struct.pack_into("<I", out, 4, first)
    for index in range(count):
        at = first + index * ifd_size
        following = at + ifd_size if index + 1 < count else 0
        out += struct.pack("<H", len(entries))
        out += b"".join(struct.pack("<HHII", tag, kind, 1, value) for tag, kind, value in entries)
        out += struct.pack("<I", following)
    return bytes(out)


def _tiff_strip(data: bytes) -> bytes:
    """The one strip of a single-strip TIFF Pillow wrote."""
    with Image.open(io.BytesIO(data)) as image:
        offset, length = image.tag_v2[273][0], image.tag_v2[279][0]
    return data[offset : offset + length]
