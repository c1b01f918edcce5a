"""A county-sized workspace built straight into the database (no OCR, no files): cases, one
source file per document, documents with the fields extraction would have stored. For the
scale tests (tests/test_scale_*.py): the export of 2,000 cases, queries per page, and
incremental against full linking.

`tricky=True` adds what makes linking interact across documents: papers without an ID number
(linked by name and a corroborating month, the same file or a unit), unreadable ID numbers one
slip from a roster number, homophone namesakes on the roster, a name-only paper, a valid number
of someone not on the roster, and a payroll listing several veterans row by row.
"""
from __future__ import annotations

import random

from extract.normalize.idnumbers import _check_char
from records.models import Case, Document, Field, Flag, SourceFile

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜谢邹喻柏水窦章云苏潘葛奚范彭郎鲁韦昌马苗凤花方俞任袁柳"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞斌辉建国志宏海波宁"
# Homophone namesakes: (roster name, another roster name that sounds the same)
HOMOPHONES = [("周立新", "周利新"), ("张伟", "章伟"), ("李明", "李鸣")]


def id_number(i: int, born: str) -> str:
    first17 = f"3608{(i // 1000) % 100:02d}{born}{i % 1000:03d}"
    return first17 + _check_char(first17)


def _name(i: int) -> str:
    # distinct for i < len(SURNAMES) * len(GIVEN) ** 2 (≈ 125,000)
    g = len(GIVEN)
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % g] + GIVEN[(i // (len(SURNAMES) * g)) % g]


def _month(rng: random.Random, lo: int, hi: int) -> tuple[int, int]:
    return rng.randint(lo, hi), rng.randint(1, 12)


class Person:
    def __init__(self, i: int, rng: random.Random, name: str | None = None) -> None:
        self.i = i
        by, bm = _month(rng, 1960, 1980)
        self.born = f"{by}{bm:02d}{rng.randint(1, 28):02d}"
        self.id_number = id_number(i, self.born)
        self.name = name or _name(i)
        ey = by + rng.randint(17, 21)
        self.enlisted = f"{ey}-{rng.randint(1, 12):02d}"
        self.discharged = f"{ey + rng.randint(3, 12)}-{rng.randint(1, 12):02d}"
        self.unit = f"青河县第{i}机械厂"


def build(n_cases: int, *, seed: int = 1, tricky: bool = False, flags: bool = False, linked: bool = False) -> dict:
    """Writes the workspace; returns {"cases": [Case], "documents": [Document]}. `linked`: each
    person's own papers are attached to his case already (as linking would), for tests of what
    reads linked cases (exports, pages)."""
    rng = random.Random(seed)
    people = [Person(i, rng) for i in range(n_cases)]
    if tricky:
        for k, (a, b) in enumerate(HOMOPHONES):
            if 2 * k + 1 < n_cases:
                people[2 * k].name, people[2 * k + 1].name = a, b
    cases = Case.objects.bulk_create(
        Case(id_number=p.id_number, name=p.name, attributes={"入伍时间": p.enlisted} if p.i % 7 == 0 else {})
        for p in people
    )
    specs: list[tuple[int | None, str, dict, list]] = []  # (file group, doc type, fields, rows)
    owner: dict[int, int] = {}  # spec index of a person's own six papers → the person
    for p in people:
        group = p.i
        base = {"name": p.name, "id_number": p.id_number}
        specs += [
            (group, "enlistment", {**base, "birth_date": p.born[:4] + "-" + p.born[4:6], "enlistment_date": p.enlisted}, []),
            (group, "discharge", {**base, "enlistment_date": p.enlisted, "discharge_date": p.discharged}, []),
            (group, "placement", {**base, "placement_unit": p.unit, "issue_date": p.discharged + "-20"}, []),
            (group, "termination", {**base, "employer": p.unit, "termination_date": "2003-06-30"}, []),
            (group, "id_card", {**base, "birth_date": p.born[:4] + "-" + p.born[4:6]}, []),
            (None, "contribution", dict(base), []),
        ]
        owner.update({k: p.i for k in range(len(specs) - 6, len(specs))})
        if not tricky:
            continue
        if p.i % 5 == 1:  # no ID number: the name and the discharge month
            specs.append((None, "discharge", {"name": p.name, "discharge_date": p.discharged}, []))
        if p.i % 5 == 2:  # no ID number, scanned with his ID-numbered papers: the same file
            specs.append((group, "political_review", {"name": p.name}, []))
        if p.i % 5 == 3:  # no ID number, in a file of its own: his unit (from the linked letter)
            specs.append((None, "termination", {"name": p.name, "employer": p.unit}, []))
        if p.i % 11 == 4:  # an unreadable ID number one digit off his
            slip = p.id_number[:10] + str((int(p.id_number[10]) + 1) % 10) + p.id_number[11:]
            specs.append((None, "enlistment", {"name": p.name, "id_number": slip}, []))
        if p.i % 13 == 5:  # a name and nothing else (the last resort)
            specs.append((None, "other", {"name": p.name}, []))
        if p.i % 17 == 6:  # someone else's paper: a valid number not on the roster
            other = id_number(90000 + p.i, "19700101")
            specs.append((None, "discharge", {"name": p.name, "id_number": other}, []))
    if tricky:
        for k, (a, b) in enumerate(HOMOPHONES):  # papers that sound like both namesakes
            if 2 * k + 1 < n_cases:
                pa = people[2 * k]
                specs.append((None, "discharge", {"name": b, "discharge_date": pa.discharged}, []))
                specs.append((None, "other", {"name": a}, []))
        # a payroll listing several veterans, one per row
        rows = [{"name": _field_json(people[j].name), "id_number": _field_json(people[j].id_number)}
                for j in range(0, min(n_cases, 30), 3)]
        specs.append((None, "subsidy_voucher", {}, rows))
        specs.append((None, "subsidy_voucher", {}, rows[:1]))  # a payroll of one veteran only
    files: dict[object, SourceFile] = {}
    keys = [spec[0] if spec[0] is not None else ("own", k) for k, spec in enumerate(specs)]
    new_files = []
    for key in dict.fromkeys(keys):
        new_files.append(SourceFile(sha256=f"{len(new_files):064x}", kind="pdf", size=1, storage_key="k",
                                    first_name=f"scan-{len(new_files)}.pdf", status="done"))
    for key, f in zip(dict.fromkeys(keys), SourceFile.objects.bulk_create(new_files)):
        files[key] = f
    counters: dict[int, int] = {}
    docs = []
    for key, (_, doc_type, _, rows) in zip(keys, specs):
        f = files[key]
        index = counters.get(f.pk, 0)
        counters[f.pk] = index + 1
        docs.append(Document(file=f, index=index, pages=[index + 1], doc_type=doc_type, doc_type_conf=0.97, rows=rows))
    if linked:
        for k, d in enumerate(docs):
            if k in owner:
                d.case, d.link_method, d.link_reason = cases[owner[k]], "id_number", "公民身份号码与花名册一致"
    docs = Document.objects.bulk_create(docs, batch_size=500)
    Field.objects.bulk_create(
        (Field(document=d, name=name, value=value, raw=value, confidence=0.95, page=d.pages[0], bbox=[1, 1, 2, 2],
               source="text_layer")
         for d, (_, _, fields, _) in zip(docs, specs) for name, value in fields.items()),
        batch_size=1000,
    )
    if flags:
        by_number = {c.id_number: c for c in cases}
        for c, p in zip(cases, people):
            c.derived = {
                "service_months": 60, "pending_placement_months": 9,
                "pending_period": {"start": "1997-01", "end": "1997-09"},
                "dates": {"enlistment": {"field": "enlistment_date", "month": p.enlisted, "value": p.enlisted, "document": "D000001"}},
            }
        Case.objects.bulk_update(cases, ["derived"], batch_size=500)
        Flag.objects.bulk_create(
            (Flag(case=by_number[p.id_number], code="missing_document", doc_type="placement", severity="error",
                  message=f"缺少安置介绍信（{p.i}）", evidence=[]) for p in people if p.i % 3 == 0),
            batch_size=1000,
        )
    return {"cases": cases, "documents": docs}


def _field_json(value: str) -> dict:
    return {"value": value, "raw": value, "confidence": 0.95, "page": 1, "bbox": [1, 1, 2, 2]}
