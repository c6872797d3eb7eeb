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


# ---- a 5-year local development plan (แผนพัฒนาท้องถิ่น พ.ศ. ๒๕๖๖–๒๕๗๐) ----------------------------

DEV_YEARS = (2566, 2567, 2568, 2569, 2570)


@dataclass(frozen=True)
class DevPart:
    """A sub-row of a project with its own target and budgets (จุดที่ ๑ …); label "" when the project has one."""

    label: str
    target: str
    budgets: tuple[int | None, ...]  # per year; 0 prints "-", None an empty cell
    source: str = "งบ อบต."


@dataclass(frozen=True)
class DevProject:
    no: int
    name: str
    objective: str
    kpi: str
    result: str
    unit: str
    parts: tuple[DevPart, ...]

    def amount(self, year_index: int) -> int:
        return sum(part.budgets[year_index] or 0 for part in self.parts)


@dataclass(frozen=True)
class DevGuideline:
    code: str  # "1.2"
    title: str
    projects: tuple[DevProject, ...]


@dataclass(frozen=True)
class DevStrategy:
    code: str
    title: str
    guidelines: tuple[DevGuideline, ...]


@dataclass(frozen=True)
class Planted:
    """A summary figure printed off by `delta`: scope (guideline, strategy or "all"), fiscal year (None: รวม ๕ ปี)."""

    scope: str
    fiscal_year: int | None
    quantity: str  # projects | amount
    delta: int


@dataclass(frozen=True)
class DevPlan:
    title: str
    organization: str
    strategies: tuple[DevStrategy, ...]
    planted: tuple[Planted, ...]
    years: tuple[int, ...] = DEV_YEARS

    @property
    def guidelines(self) -> list[DevGuideline]:
        return [g for s in self.strategies for g in s.guidelines]

    @property
    def projects(self) -> list[tuple[DevStrategy, DevGuideline, DevProject]]:
        return [(s, g, p) for s in self.strategies for g in s.guidelines for p in g.projects]

    def scopes(self) -> list[tuple[str, list[DevProject]]]:
        """(scope, its projects) for every summary row in print order: guidelines, then the strategy's รวม; รวมทั้งสิ้น."""
        rows = []
        for strategy in self.strategies:
            rows += [(g.code, list(g.projects)) for g in strategy.guidelines]
            rows.append((strategy.code, [p for g in strategy.guidelines for p in g.projects]))
        rows.append(("all", [p for _s, _g, p in self.projects]))
        return rows

    def computed(self) -> dict[tuple[str, int | None, str], int]:
        """What the details give, by the counting rule: a project counts once in a year in which its
        parts' budgets add up to more than 0; amounts add; the all-years figure adds the years."""
        out: dict[tuple[str, int | None, str], int] = {}
        for scope, projects in self.scopes():
            for index, year in enumerate(self.years):
                out[(scope, year, "projects")] = sum(1 for p in projects if p.amount(index) > 0)
                out[(scope, year, "amount")] = sum(p.amount(index) for p in projects)
            for quantity in ("projects", "amount"):
                out[(scope, None, quantity)] = sum(out[(scope, y, quantity)] for y in self.years)
        return out

    def printed(self) -> dict[tuple[str, int | None, str], int]:
        """The summary table's figures as printed: the computed ones with the planted errors."""
        out = self.computed()
        for plant in self.planted:
            out[(plant.scope, plant.fiscal_year, plant.quantity)] += plant.delta
        return out

    def expected_mismatches(self) -> list[dict[str, object]]:
        """The reconciliation rows that must come out as mismatches (and no others)."""
        computed, printed = self.computed(), self.printed()
        return [
            {"table": "summary", "scope": key[0], "quantity": key[2], "fiscal_year": key[1],
             "stated": printed[key], "computed": computed[key], "difference": printed[key] - computed[key]}
            for key in computed if printed[key] != computed[key]
        ]  # fmt: skip

    def expected_internal(self) -> list[tuple[str, str, int | None, str]]:
        """(check, scope, year, quantity) where the printed summary disagrees with itself: a รวม row
        against its guideline rows, รวมทั้งสิ้น against the รวม rows, รวม ๕ ปี against the years."""
        printed, out = self.printed(), []
        children = {s.code: [g.code for g in s.guidelines] for s in self.strategies}
        children["all"] = [s.code for s in self.strategies]
        for scope, _projects in self.scopes():
            for quantity in ("projects", "amount"):
                for year in (*self.years, None):
                    if scope in children and printed[(scope, year, quantity)] != sum(
                            printed[(c, year, quantity)] for c in children[scope]):
                        out.append(("rows", scope, year, quantity))
                if printed[(scope, None, quantity)] != sum(printed[(scope, y, quantity)] for y in self.years):
                    out.append(("years", scope, None, quantity))
        return out


def five_year_plan() -> DevPlan:
    """Three strategies, five guidelines, eleven projects (three with parts), every year column used."""
    road, water = "ส่วนโยธา", "กองช่าง"
    def part(label: str, target: str, *budgets: int | None, source: str = "งบ อบต.") -> DevPart:
        return DevPart(label, target, tuple(budgets), source)
    return DevPlan(
        title="แผนพัฒนาท้องถิ่น (พ.ศ. ๒๕๖๖–๒๕๗๐)",
        organization="องค์การบริหารส่วนตำบลไทรย้อย อำเภอเด่นชัย จังหวัดแพร่",
        strategies=(
            DevStrategy("1", "การพัฒนาด้านโครงสร้างพื้นฐาน", (
                DevGuideline("1.1", "ก่อสร้าง ปรับปรุง บำรุงรักษาถนนและรางระบายน้ำ", (
                    DevProject(1, "โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก หมู่ที่ ๒ สายบ้านนางนารี ถึงบ้านนางเตียว",
                               "เพื่อให้ประชาชนได้รับความสะดวกรวดเร็วในการเดินทาง", "ร้อยละของประชาชนที่ได้รับประโยชน์",
                               "ประชาชนได้รับความสะดวกในการคมนาคม", road, (
                        part("1", "จุดที่ ๑ กว้าง ๔ ม. ยาว ๑๐๐ ม. หนา ๐.๑๕ ม.", 200000, 0, 0, 0, 0),
                        part("2", "จุดที่ ๒ กว้าง ๓ ม. ยาว ๑๒๐ ม. หนา ๐.๑๕ ม.", 0, 250000, 0, 0, 0),
                        part("3", "จุดที่ ๓ กว้าง ๕ ม. ยาว ๒๐๐ ม. หนา ๐.๑๕ ม.", 0, 0, 0, 480000, 0, source="งบอุดหนุน"),
                    )),
                    DevProject(2, "โครงการก่อสร้างรางระบายน้ำ คสล. พร้อมฝาปิด หมู่ที่ ๙",
                               "เพื่อให้มีการระบายน้ำได้ดีไม่ท่วมขัง", "ความยาวรางระบายน้ำที่ก่อสร้าง (เมตร)",
                               "น้ำไม่ท่วมขังในฤดูฝน", road, (
                        part("", "กว้าง ๐.๕๐ ม. ลึก ๐.๔๐ ม. ยาว ๒๐๐ ม.", 0, 0, 375000, 0, 375000),
                    )),
                    DevProject(3, "โครงการซ่อมแซมถนนหินคลุกภายในตำบล", "เพื่อให้ถนนอยู่ในสภาพดีใช้งานได้ตลอดปี",
                               "จำนวนสายทางที่ได้รับการซ่อมแซม", "ถนนใช้สัญจรได้สะดวกปลอดภัย", road, (
                        part("", "จำนวน ๑๒ หมู่บ้าน", 100000, 100000, 100000, 100000, 100000),
                    )),
                )),
                DevGuideline("1.2", "พัฒนาระบบไฟฟ้าและแสงสว่าง", (
                    DevProject(4, "โครงการขยายเขตไฟฟ้า หมู่ที่ ๔", "เพื่อให้ประชาชนมีไฟฟ้าใช้อย่างทั่วถึง",
                               "จำนวนครัวเรือนที่มีไฟฟ้าใช้", "ประชาชนมีไฟฟ้าใช้ครบทุกครัวเรือน",
                               "การไฟฟ้าส่วนภูมิภาค", (
                        part("", "ความยาว ๓๐๐ ม.", 600000, None, 0, 0, 0, source="งบอุดหนุน"),
                    )),
                    DevProject(5, "โครงการติดตั้งไฟฟ้าส่องสว่างสาธารณะ หมู่ที่ ๑๑", "เพื่อความปลอดภัยในการสัญจรยามค่ำคืน",
                               "จำนวนจุดที่ติดตั้ง", "ลดอุบัติเหตุและอาชญากรรม", road, (
                        part("1", "จุดที่ ๑ จำนวน ๑๐ จุด สายกลางหมู่บ้าน", 0, 0, 150000, 0, 0),
                        part("2", "จุดที่ ๒ จำนวน ๘ จุด สายทางเข้าหมู่บ้าน", 0, 0, 120000, 120000, 0),
                    )),
                )),
            )),
            DevStrategy("2", "การพัฒนาด้านแหล่งน้ำ", (
                DevGuideline("2.1", "พัฒนาและจัดให้มีแหล่งน้ำเพื่อการเกษตร", (
                    DevProject(1, "โครงการขุดลอกหนองน้ำสาธารณะ หมู่ที่ ๕", "เพื่อเพิ่มปริมาณการกักเก็บน้ำไว้ใช้ในการเกษตร",
                               "ปริมาณน้ำที่กักเก็บได้ (ลบ.ม.)", "เกษตรกรมีน้ำใช้เพียงพอตลอดปี", water, (
                        part("", "พื้นที่ ๕ ไร่ ลึกเฉลี่ย ๓ ม.", 0, 500000, 0, 0, 0, source="งบอุดหนุน"),
                    )),
                    DevProject(2, "โครงการก่อสร้างฝายชะลอน้ำ ห้วยแม่ปาน", "เพื่อชะลอน้ำและเพิ่มความชุ่มชื้น",
                               "จำนวนฝายที่ก่อสร้าง", "ป่าต้นน้ำชุ่มชื้น น้ำใช้ในการเกษตรเพียงพอ", water, (
                        part("1", "จุดที่ ๑ ฝายแบบมีประตูปิดเปิด กว้าง ๑๕ ม.", 0, 750000, 0, 0, 0),
                        part("2", "จุดที่ ๒ ฝายแกนดินซีเมนต์ กว้าง ๘ ม.", 0, 0, 0, 0, 300000),
                    )),
                )),
                DevGuideline("2.2", "พัฒนาระบบประปาหมู่บ้าน", (
                    DevProject(3, "โครงการปรับปรุงระบบประปาหมู่บ้าน หมู่ที่ ๘", "เพื่อให้ประชาชนมีน้ำสะอาดใช้อุปโภคบริโภค",
                               "จำนวนครัวเรือนที่ใช้น้ำประปา", "ประชาชนมีน้ำสะอาดใช้ทุกครัวเรือน", water, (
                        part("", "ถังเก็บน้ำ ๑ ถัง และท่อเมน ๕๐๐ ม.", 0, 0, 0, 0, 0),
                    )),
                    DevProject(4, "โครงการขุดเจาะบ่อบาดาล หมู่ที่ ๑๒", "เพื่อเพิ่มแหล่งน้ำดิบสำหรับระบบประปา",
                               "จำนวนบ่อที่ขุดเจาะ", "มีน้ำดิบผลิตประปาเพียงพอ", water, (
                        part("", "จำนวน ๒ บ่อ", 0, 180000, 0, 180000, 0),
                    )),
                )),
            )),
            DevStrategy("3", "การพัฒนาด้านเศรษฐกิจ", (
                DevGuideline("3.1", "ส่งเสริมอาชีพและเพิ่มรายได้ให้แก่ประชาชน", (
                    DevProject(1, "โครงการฝึกอบรมอาชีพระยะสั้นให้แก่ประชาชน", "เพื่อให้ประชาชนมีอาชีพเสริมและรายได้เพิ่มขึ้น",
                               "จำนวนผู้เข้ารับการอบรม", "ประชาชนมีรายได้เพิ่มขึ้นร้อยละ ๑๐", "สำนักปลัด", (
                        part("", "ประชาชน จำนวน ๕๐ คน", 30000, 30000, 30000, 30000, 30000),
                    )),
                    DevProject(2, "โครงการส่งเสริมกลุ่มวิสาหกิจชุมชน", "เพื่อพัฒนาผลิตภัณฑ์ชุมชนให้ได้มาตรฐาน",
                               "จำนวนกลุ่มที่ได้รับการส่งเสริม", "ผลิตภัณฑ์ชุมชนจำหน่ายได้มากขึ้น", "สำนักปลัด", (
                        part("", "จำนวน ๔ กลุ่ม", 0, 20000, 20000, 0, 20000),
                    )),
                )),
            )),
        ),
        planted=(
            Planted("1.2", 2568, "amount", 50000),  # one guideline's 2568 amount off by 50,000
            Planted("2", 2567, "projects", 1),  # one strategy รวม count off by one
            Planted("3.1", None, "amount", 10000),  # one รวม ๕ ปี not the sum of its years
        ),
    )  # fmt: skip


def dev_truth(plan: DevPlan) -> dict[str, list[dict[str, object]]]:
    """The dataset the plan must give: headings, items, budgets (part × year) and the summary as printed."""
    headings = []
    for s in plan.strategies:
        headings.append({"kind": "strategy", "code": s.code, "title": s.title})
        headings += [{"kind": "guideline", "code": g.code, "title": g.title} for g in s.guidelines]
    items, budgets = [], []
    for s, g, p in plan.projects:
        items.append({"strategy": s.code, "guideline": g.code, "no": p.no, "name": p.name, "objective": p.objective,
                      "target": " ".join(part.target for part in p.parts), "kpi": p.kpi, "expected_result": p.result,
                      "responsible_unit": p.unit})
        for part in p.parts:
            for year, amount in zip(plan.years, part.budgets):
                budgets.append({"guideline": g.code, "no": p.no, "part": part.label, "fiscal_year": year,
                                "amount": amount, "source": part.source if amount else ""})
    printed = plan.printed()
    totals = [{"scope": scope, "fiscal_year": year, "projects": printed[(scope, year, "projects")],
               "amount": printed[(scope, year, "amount")]}
              for scope, _p in plan.scopes() for year in (*plan.years, None)]
    return {"headings": headings, "items": items, "budgets": budgets, "totals": totals}
