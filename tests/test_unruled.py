"""Rows without rulings (normalize.unruled): a table body whose rows are not ruled apart, cut into
rows by its anchors (a row number, a part's first amount or `-`) and where its lines stand."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from thaiplan.extract.model import Cell, Row, Table
from thaiplan.families.development.vocabulary import ANCHORS, VOCABULARY
from thaiplan.normalize.rows import assemble
from thaiplan.normalize.unruled import anchored_rows, line_rows

PITCH = 20.0  # baseline to baseline
HEIGHT = 9.0  # top to baseline of a line
NUMBER, NAME, TARGET, AMOUNT = 0, 1, 2, 3


def cell(col: int, *lines: tuple[str, float]) -> Cell:
    """A PDF cell whose lines stand at the given baselines."""
    return Cell("\n".join(t for t, _ in lines), col, "pdf", 1, bbox=(col * 100.0, 0.0, col * 100.0 + 90, 600.0),
                lines=tuple((b - HEIGHT, b) for _, b in lines))  # fmt: skip


def texts(rows: list[Row]) -> list[dict[int, str]]:
    return [{c.col: c.text for c in r.cells} for r in rows]


def regroup(cells: list[Cell], breaks: tuple[float, ...] = ()) -> list[dict[int, str]]:
    return texts(anchored_rows([Row(tuple(cells), page=1)], NUMBER, [AMOUNT], ANCHORS, breaks))


def test_a_centred_cell_starting_above_its_number_goes_with_it() -> None:
    # project 1 ends at 140; project 2's name is centred: its first line stands a line above "2"
    got = regroup([
        cell(NUMBER, ("1", 100), ("2", 220)),
        cell(NAME, ("ถนน ก", 100), ("ต่อ", 120), ("คลอง", 200), ("ข", 220), ("ค", 240)),
        cell(AMOUNT, ("100,000.-", 100), ("(งบ อบต.)", 120), ("-", 220)),
    ])  # fmt: skip
    assert got == [
        {NUMBER: "1", NAME: "ถนน ก\nต่อ", AMOUNT: "100,000.-\n(งบ อบต.)"},
        {NUMBER: "2", NAME: "คลอง\nข\nค", AMOUNT: "-"},
    ]


def test_a_cell_written_from_the_top_keeps_its_lines_down_to_the_next_anchor() -> None:
    # no wider gap anywhere: the lines between two parts belong to the part above
    got = regroup([
        cell(NUMBER, ("5", 100)),
        cell(TARGET, ("จุดที่ 1 กว้าง", 100), ("ยาว 100 ม.", 120), ("หนา 0.15 ม.", 140), ("จุดที่ 2", 160)),
        cell(AMOUNT, ("-", 100), ("280,000.-", 160), ("(งบ อบต.)", 180)),
    ])  # fmt: skip
    assert got == [
        {NUMBER: "5", TARGET: "จุดที่ 1 กว้าง\nยาว 100 ม.\nหนา 0.15 ม.", AMOUNT: "-"},
        {TARGET: "จุดที่ 2", AMOUNT: "280,000.-\n(งบ อบต.)"},
    ]


def test_lines_above_the_first_anchor_continue_the_row_a_page_break_cut() -> None:
    # "บ้านนายทรง" ends the previous page's part; a wide gap, then project 18 written from the top
    got = regroup([
        cell(NUMBER, ("18", 150)),
        cell(TARGET, ("บ้านนายทรง", 60), ("จำนวน 1 เตา", 150)),
        cell(AMOUNT, ("2,000,000.-", 150), ("(งบอุดหนุน)", 170)),
    ])  # fmt: skip
    assert got == [{TARGET: "บ้านนายทรง"}, {NUMBER: "18", TARGET: "จำนวน 1 เตา", AMOUNT: "2,000,000.-\n(งบอุดหนุน)"}]


def test_a_name_centred_across_its_number_at_the_page_top_is_not_cut_off() -> None:
    # page 38 of the real plan: `โครงการซ่อมแซมถนน` stands above `12`, one paragraph with `คสล.`
    got = regroup([
        cell(NUMBER, ("12", 87.4)),
        cell(NAME, ("โครงการซ่อมแซมถนน", 68.5), ("คสล.", 87.4), ("หมู่ที่ 12", 108.4)),
        cell(AMOUNT, ("30,000.-", 87.4), ("(งบ อบต. )", 108.4)),
    ])  # fmt: skip
    assert got == [{NUMBER: "12", NAME: "โครงการซ่อมแซมถนน\nคสล.\nหมู่ที่ 12", AMOUNT: "30,000.-\n(งบ อบต. )"}]


def test_drawn_rows_decide_where_cells_are_written_from_the_bottom() -> None:
    # page 74: the rows were drawn 280-318, 318-339, 360-398; `โครงการก่อสร้างประตู` stands in 39's row
    # though nearer to project 38's last line than to `39`; `750,000` wraps above its `.-`
    breaks = (259.0, 280.0, 318.0, 339.0, 360.0, 398.0)
    got = regroup([
        cell(NUMBER, ("38", 274), ("39", 392)),
        cell(NAME, ("โครงการก่อสร้าง ปรับปรุง", 274), ("ต่อเติม สถานีสูบน้ำ", 312), ("ไฟฟ้าหมู่ที่ 4", 333),
             ("โครงการก่อสร้างประตู", 373), ("ระบาย", 392)),
        cell(AMOUNT, ("-", 274), ("750,000", 373), (".-", 392)),
    ], breaks)  # fmt: skip
    assert got == [
        {NUMBER: "38", NAME: "โครงการก่อสร้าง ปรับปรุง\nต่อเติม สถานีสูบน้ำ\nไฟฟ้าหมู่ที่ 4", AMOUNT: "-"},
        {NUMBER: "39", NAME: "โครงการก่อสร้างประตู\nระบาย", AMOUNT: "750,000\n.-"},
    ]


def test_an_amount_wrapped_in_a_narrow_cell_opens_one_part() -> None:
    # the factory's 5-year PDF: `๕๐๐,๐๐๐` wraps as `๕๐` over `๐,๐๐๐`; the lower piece is no part of its own
    got = regroup([
        cell(NUMBER, ("๑", 100), ("๒", 180)),
        cell(TARGET, ("พื้นที่ ๕ ไร่ ลึก", 100), ("เฉลี่ย ๓ ม.", 120), ("จุดที่ ๑", 180)),
        cell(AMOUNT, ("๕๐", 100), ("๐,๐๐๐", 120), ("(งบ", 140), ("อุดหนุน)", 160), ("-", 180)),
    ])  # fmt: skip
    assert got == [
        {NUMBER: "๑", TARGET: "พื้นที่ ๕ ไร่ ลึก\nเฉลี่ย ๓ ม.", AMOUNT: "๕๐\n๐,๐๐๐\n(งบ\nอุดหนุน)"},
        {NUMBER: "๒", TARGET: "จุดที่ ๑", AMOUNT: "-"},
    ]
    # two amounts one under the other are two parts: their pieces make no one amount
    two = regroup([cell(NUMBER, ("3", 100)), cell(AMOUNT, ("100,000", 100), ("200,000", 120))])
    assert two == [{NUMBER: "3", AMOUNT: "100,000"}, {AMOUNT: "200,000"}]


def test_glyph_heights_do_not_cut_a_cell_written_from_the_top() -> None:
    # lines a pitch apart whose ink starts higher or lower (tone marks, `ภูมิภาค` vs `ส่วน`): the gaps
    # are measured baseline to baseline, so all three lines stay with project 4
    unit = Cell("การไฟฟ้า\nส่วน\nภูมิภาค\nส่วนโยธา", 5, "pdf", 1, bbox=(500, 0, 590, 600),
                lines=((88, 100), (114, 120), (134, 140), (148, 160)))  # fmt: skip
    got = regroup([cell(NUMBER, ("4", 100), ("5", 160)), unit, cell(AMOUNT, ("-", 100), ("-", 160))])
    assert got == [{NUMBER: "4", 5: "การไฟฟ้า\nส่วน\nภูมิภาค", AMOUNT: "-"}, {NUMBER: "5", 5: "ส่วนโยธา", AMOUNT: "-"}]


HEADER = (("ที่", "โครงการ", "วัตถุประสงค์", "เป้าหมาย", "2566", "หน่วยงาน"), ("", "", "", "", "(บาท)", "รับผิดชอบ"))


def _assembled(body: list[tuple[float, tuple[str, ...]]], breaks: tuple[float, ...] = ()) -> list[dict[str, str]]:
    """The logical rows of a PDF table whose header stands at 10 and 30 and whose body lines stand as given."""
    placed = [(10.0, HEADER[0]), (30.0, HEADER[1]), *body]
    cells = []
    for col in range(len(HEADER[0])):
        lines = [(text[col], base) for base, text in placed if text[col]]
        cells.append(cell(col, *lines))
    table = Table((Row(tuple(cells), page=1),), 1, row_breaks=breaks)
    return [dict(r.texts, **{f"budget{c}": t for c, t in r.budgets.items()}) for r in assemble((table,), VOCABULARY).rows]


def test_a_unit_centred_above_the_first_rows_number_is_that_rows_not_the_headers() -> None:
    # the real plan's page 83: `สำนักงาน` (a short text, like a header word's piece) stands above `12`
    # in the row Word drew 220-253, which holds the number: it is that project's unit
    body = [(70.0, ("", "", "", "", "", "สำนักงาน")), (90.0, ("12", "โครงการส่งเสริมอาชีพ", "เพื่อให้มีอาชีพ", "1 กลุ่ม", "-", "ปลัด"))]
    got = _assembled(body, breaks=(40.0, 60.0, 100.0))
    assert [(r["number"], r["responsible_unit"]) for r in got] == [("12", "สำนักงาน\nปลัด")]


def test_a_first_row_of_short_texts_is_not_taken_for_the_headers_last_line() -> None:
    # the factory PDF's page 4: `๑`, a short name and `-` under the header: it opens project ๑
    body = [(60.0, ("๑", "โครงการขุดลอก", "เพื่อการเกษตร", "๕ ไร่", "-", "กองช่าง"))]
    assert [(r["number"], r["item"], r["budget4"]) for r in _assembled(body)] == [("๑", "โครงการขุดลอก", "-")]


def test_rows_without_line_positions_or_anchors_come_back_as_they_are() -> None:
    plain = [Row((Cell("1", NUMBER, "docx"), Cell("ถนน", NAME, "docx")))]
    assert anchored_rows(plain, NUMBER, [AMOUNT], ANCHORS) == plain
    no_anchor = [Row((cell(NAME, ("ต่อ", 100), ("ไป", 120)),), page=1)]
    assert anchored_rows(no_anchor, NUMBER, [AMOUNT], ANCHORS) == no_anchor


def test_line_rows_keep_each_lines_break_hint() -> None:
    source = Cell("ถนน\nสาย ก", NAME, "pdf", 1, bbox=(0, 0, 90, 60), break_hints=("full",), end_hint="short",
                  lines=((0, 9), (20, 29)))  # fmt: skip
    first, second = line_rows([Row((source,), page=1)])
    assert (first.cells[0].text, first.cells[0].end_hint) == ("ถนน", "full")
    assert (second.cells[0].text, second.cells[0].end_hint, second.cells[0].bbox) == ("สาย ก", "short", (0, 20, 90, 29))


_TEXT = st.sampled_from(["ถนน", "-", "120,000.-", "(งบ อบต.)", "7", "หมู่ที่ 2", "จุดที่ 1"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 30), _TEXT), min_size=1, max_size=40),
       st.lists(st.integers(0, 31), max_size=8))  # fmt: skip
def test_regrouping_neither_loses_nor_repeats_a_line(placed: list[tuple[int, int, str]], cuts: list[int]) -> None:
    by_col: dict[int, dict[int, str]] = {}
    for col, slot, text in placed:
        by_col.setdefault(col, {})[slot] = text  # one line per column and printed line
    cells = [cell(col, *((t, 50.0 + PITCH * s) for s, t in sorted(lines.items()))) for col, lines in by_col.items()]
    breaks = tuple(sorted({40.0 + PITCH * c for c in cuts}))
    out = anchored_rows([Row(tuple(cells), page=1)], NUMBER, [AMOUNT], ANCHORS, breaks)
    got = sorted((c.col, line, base) for r in out for c in r.cells for line, (_, base) in zip(c.text.split("\n"), c.lines))
    want = sorted((c.col, line, base) for c in cells for line, (_, base) in zip(c.text.split("\n"), c.lines))
    assert got == want
    for row in out:  # each row's lines stay in page order within a column
        for c in row.cells:
            assert [b for _, b in c.lines] == sorted(b for _, b in c.lines)
