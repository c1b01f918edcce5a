"""Priority marks the bureau works by: 临近退休 (near retirement age), 低保 (low income), 自谋职业
(self-employed). Near retirement is computed from the birth date and gender in the ID number;
the others come from the roster. Retirement ages and the margin are configuration: the statutory
ages are being raised step by step from 2025, and which age a county applies is its decision [R]."""
from __future__ import annotations

import datetime

from pydantic import BaseModel, ConfigDict

from extract.normalize.idnumbers import birth_date_from_id, gender_from_id

NEAR_RETIREMENT, LOW_INCOME, SELF_EMPLOYED = "临近退休", "低保", "自谋职业"
ROSTER_MARKS = (LOW_INCOME, SELF_EMPLOYED)
NO = {"", "否", "无", "0", "false", "no", "n"}


class PriorityOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    retirement_age_male: int = 60
    retirement_age_female: int = 50
    near_years: int = 2  # "near" = within this many years of the retirement age, or past it


def priority_marks(id_number: str, attributes: dict, today: datetime.date, options: PriorityOptions = PriorityOptions()) -> list[str]:
    marks = []
    if _near_retirement(id_number, today, options) or _roster_says(attributes, NEAR_RETIREMENT):
        marks.append(NEAR_RETIREMENT)
    marks += [mark for mark in ROSTER_MARKS if _roster_says(attributes, mark)]
    return marks


def _near_retirement(id_number: str, today: datetime.date, options: PriorityOptions) -> bool:
    birth, gender = birth_date_from_id(id_number), gender_from_id(id_number)
    if birth is None or gender is None:
        return False
    born = datetime.date.fromisoformat(birth)
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    retirement = options.retirement_age_male if gender == "male" else options.retirement_age_female
    return age >= retirement - options.near_years


def _roster_says(attributes: dict, mark: str) -> bool:
    """A roster column named after the mark with a yes-like value, or a value naming the mark."""
    for key, value in attributes.items():
        text = str(value).strip()
        if (mark in key and text.lower() not in NO) or mark in text:
            return True
    return False
