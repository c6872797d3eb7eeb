"""Plans of our own making, with known contents, for tests and samples.

A 4-year plan in the DLA template: one budget column per fiscal year under a
two-row header, no period column, items under missions (several under one,
an empty mission cell inheriting the one above), item labels, Thai and Arabic
digits mixed, and exactly two planted mismatches: one yearly subtotal and
one count.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from thaiplan.thai import to_thai

YEARS = (2561, 2562, 2563, 2564)


@dataclass(frozen=True)
class SpecItem:
    code: str
    name: str
    budgets: tuple[int | None, ...]  # per year; None: empty cell (unknown)
    remark: str = ""

    @property
    def kind(self) -> str:
        for word, kind in (
            ("โครงการ", "projects"),
            ("กิจกรรม", "activities"),
            ("มาตรการ", "measures"),
            ("แนวปฏิบัติ", "guidelines"),
        ):
            if self.name.startswith(word):
                return kind
        return "other"


@dataclass(frozen=True)
class SpecDimension:
    code: str
    title: str
    missions: tuple[tuple[str, str], ...]
    items: tuple[SpecItem, ...]


@dataclass(frozen=True)
class FourYearPlan:
    title: str
    dimensions: tuple[SpecDimension, ...]
    years: tuple[int, ...] = YEARS
    # planted: (dimension code, year index, baht added to the printed subtotal)
    planted_amount: tuple[str, int, int] = ("2", 1, 10000)
    # planted: (dimension code, quantity, added to the printed count)
    planted_count: tuple[str, str, int] = ("3", "projects", 1)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def items(self) -> list[SpecItem]:
        return [item for d in self.dimensions for item in d.items]


def four_year_plan() -> FourYearPlan:
    i = SpecItem
    return FourYearPlan(
        title="แผนปฏิบัติการป้องกันการทุจริต ๔ ปี (พ.ศ. ๒๕๖๑ – ๒๕๖๔) องค์การบริหารส่วนตำบลไทรย้อย",
        dimensions=(
            SpecDimension("1", "การสร้างสังคมที่ไม่ทนต่อการทุจริต",
                (("1.1", "การสร้างจิตสำนึกและความตระหนักแก่บุคลากร"), ("1.2", "การสร้างจิตสำนึกและความตระหนักแก่ประชาชน")),
                (
                    i("1.1", "โครงการอบรมคุณธรรมจริยธรรมแก่ผู้บริหารและพนักงาน", (20000, 20000, 25000, 25000)),
                    i("1.1", "มาตรการส่งเสริมการปฏิบัติตามประมวลจริยธรรม", (0, 0, 0, 0), "ไม่ใช้งบประมาณ"),
                    i("1.2", "โครงการเสริมสร้างพลเมืองดีวิถีประชาธิปไตย", (15000, 15000, None, 15000)),
                    i("1.2", "กิจกรรมเผยแพร่ความรู้การต่อต้านการทุจริต", (5000, 5000, 5000, 5000)),
                ),
            ),
            SpecDimension("2", "การบริหารราชการเพื่อป้องกันการทุจริต",
                (("2.1", "การแสดงเจตจำนงทางการเมืองในการต่อต้านการทุจริตของผู้บริหาร"), ("2.2", "มาตรการสร้างความโปร่งใสในการปฏิบัติราชการ")),
                (
                    i("2.1", "กิจกรรมประกาศเจตจำนงต่อต้านการทุจริตของผู้บริหาร", (0, 0, 0, 0), "ไม่ใช้งบประมาณ"),
                    i("2.2", "มาตรการออกคำสั่งมอบหมายงานของนายก", (0, 0, 0, 0), "ไม่ใช้งบประมาณ"),
                    i("2.2", "โครงการจัดซื้อจัดจ้างโปร่งใสตรวจสอบได้", (10000, 10000, 10000, 12000)),
                ),
            ),
            SpecDimension("3", "การส่งเสริมบทบาทและการมีส่วนร่วมของภาคประชาชน",
                (("3.1", "การจัดให้มีและเผยแพร่ข้อมูลข่าวสาร"), ("3.2", "การรับฟังความคิดเห็นของประชาชน")),
                (
                    i("3.1", "โครงการปรับปรุงศูนย์ข้อมูลข่าวสาร", (30000, 0, 30000, 0)),
                    i("3.2", "โครงการประชุมประชาคมท้องถิ่น", (40000, 40000, 40000, 40000)),
                    i("3.2", "แนวปฏิบัติการจัดการเรื่องร้องเรียน", (0, 0, 0, 0), "ไม่ใช้งบประมาณ"),
                ),
            ),
            SpecDimension("4", "การเสริมสร้างและปรับปรุงกลไกในการตรวจสอบการปฏิบัติราชการ",
                (("4.1", "การจัดวางระบบตรวจสอบภายในและการควบคุมภายใน"),),
                (
                    i("4.1", "กิจกรรมติดตามประเมินผลการควบคุมภายใน", (0, 0, 0, 0), "ไม่ใช้งบประมาณ"),
                    i("4.1", "โครงการอบรมสมาชิกสภาท้องถิ่น", (50000, 50000, 1250.5, 50000)),  # type: ignore[arg-type]
                ),
            ),
        ),
    )  # fmt: skip


def _amount(value: float | None, thai: bool) -> str:
    if value is None:
        return ""
    if value == 0:
        return "-"
    text = f"{value:,.2f}" if value != int(value) else f"{int(value):,}"
    return to_thai(text) if thai else text


def _counts(items: list[SpecItem], plus: tuple[str, int] | None) -> str:
    names = {"projects": "โครงการ", "activities": "กิจกรรม", "measures": "มาตรการ", "guidelines": "แนวปฏิบัติ"}
    parts = []
    for kind, word in names.items():
        count = sum(1 for it in items if it.kind == kind) + (plus[1] if plus and plus[0] == kind else 0)
        if count:
            parts.append(f"{to_thai(str(count))} {word}")
    return " ".join(parts)


def text_rows(plan: FourYearPlan, thai_digits: str = "mixed") -> tuple[list[str], list[list[str]]]:
    """(title lines, table rows) of the plan as an official would type it."""

    def thai(index: int) -> bool:
        return thai_digits == "thai" or (thai_digits == "mixed" and index % 2 == 0)

    years = plan.years
    header = ["มิติ", "ภารกิจตามมิติ", "โครงการ/กิจกรรม/มาตรการ", *(f"ปี {to_thai(str(y))}" for y in years), "หมายเหตุ"]
    sub = ["", "", "", *("งบประมาณ (บาท)" for _ in years), ""]
    rows: list[list[str]] = [header, sub]
    counter = 0
    for dim in plan.dimensions:
        first_in_dim = True
        shown: set[str] = set()
        for number, item in enumerate(dim.items, start=1):
            counter += 1
            dim_cell = f"มิติที่ {to_thai(dim.code)} {dim.title}" if first_in_dim else ""
            mission_title = dict(dim.missions)[item.code]
            code = to_thai(item.code) if thai(counter) else item.code
            mission_cell = "" if item.code in shown else f"{code} {mission_title}"
            shown.add(item.code)
            label = f"{to_thai(str(number)) if thai(counter) else number})"
            amounts = [_amount(b, thai(counter + k)) for k, b in enumerate(item.budgets)]
            rows.append([dim_cell, mission_cell, f"{label} {item.name}", *amounts, item.remark])
            first_in_dim = False
        # the dimension subtotal, with the planted errors
        totals = []
        for index, _year in enumerate(years):
            value = sum((it.budgets[index] or 0) for it in dim.items)
            if plan.planted_amount[0] == dim.code and plan.planted_amount[1] == index:
                value += plan.planted_amount[2]
            totals.append(_amount(value, True) if value else "-")
        plus = (plan.planted_count[1], plan.planted_count[2]) if plan.planted_count[0] == dim.code else None
        rows.append(["", "รวม", _counts(list(dim.items), plus), *totals, ""])
    grand = [_amount(sum((it.budgets[i] or 0) for it in plan.items), True) for i in range(len(years))]
    rows.append(["", "รวมทั้งสิ้น", _counts(plan.items, None), *grand, ""])
    return [plan.title], rows


def plan_text(plan: FourYearPlan, thai_digits: str = "mixed", page_every: int = 7) -> str:
    """Tab-separated text, the header repeated (with a cell missing) on each page."""
    title, rows = text_rows(plan, thai_digits)
    header, sub, body = rows[0], rows[1], rows[2:]
    lines = [*title, "", "\t".join(header), "\t".join(sub)]
    for index, row in enumerate(body, start=1):
        lines.append("\t".join(row))
        if index % page_every == 0 and index < len(body):
            lines += ["", "\t".join([header[0], header[1], header[2], *header[3:-1], ""]), "\t".join(sub)]
    return "\n".join(lines) + "\n"
