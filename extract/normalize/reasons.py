"""Why an employment ended → one of core.types.TERMINATION_REASONS (docs/documents.md#termination-reasons).

Every keyword of REASON_KEYWORDS found in the text is a hit, unless it is negated
("未被判刑、开除、除名", "无自动离职情形"). When several reasons are hit, PRECEDENCE decides:
the disqualifying reasons first, and among them the sanction actually taken before its cause
(旷工…已属自动离职…作除名处理 → removal; 因被判刑…给予开除处分 → dismissal). Among eligible
reasons the enterprise event (破产, 改制) beats the contract mechanics (期满, 协商一致).
辞职/辞退/个人原因 map to "other" (Q8 of docs/programme.md#open-questions: reviewed by a clerk).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from core.types import TERMINATION_REASONS

from extract.normalize.text import nfkc

REASON_KEYWORDS: dict[str, tuple[str, ...]] = {
    "dismissal": ("开除",),
    "removal": ("除名",),
    "criminal_sentence": (
        "追究刑事责任", "判处", "判刑", "服刑", "有期徒刑", "刑事处罚",
        "第三十九条第(六)项", "第三十九条第六项", "第三十九条第(6)项", "第三十九条(六)",
    ),
    "voluntary_departure": ("自动离职", "擅自离职", "擅自离岗", "不辞而别"),
    "bankruptcy": ("宣告破产", "破产"),
    "restructuring": (
        "改制", "兼并", "关闭", "撤销", "解散", "经济性裁员", "买断工龄", "身份置换", "转制", "停产",
    ),
    "expiry": ("合同期满", "期限届满", "期满终止", "合同到期", "期满", "届满", "不再续订"),
    "mutual_agreement": ("协商一致", "双方协商"),
    "other": ("辞职", "辞退", "个人原因", "本人申请"),
}

PRECEDENCE: tuple[str, ...] = (
    "dismissal",
    "removal",
    "criminal_sentence",
    "voluntary_departure",
    "bankruptcy",
    "restructuring",
    "expiry",
    "mutual_agreement",
    "other",
)
assert set(PRECEDENCE) == set(TERMINATION_REASONS) == set(REASON_KEYWORDS)

# A negator right before the keyword, possibly through an enumeration: 未被判刑、开除、除名.
_NEGATED = re.compile(r"(?:未|无|没有|不存在|并非|非因)(?:被|受到|受过|有|因|曾)?(?:[^，。；,;\n、]{1,8}、)*\s*$")


@dataclass(frozen=True)
class ReasonHit:
    reason: str
    keyword: str
    start: int  # in the NFKC text (same length as the input for Chinese text)
    end: int


def _keyword_pattern(keyword: str) -> re.Pattern:
    # tolerate OCR spaces and either bracket style (NFKC makes （） ASCII)
    parts = [re.escape(c) for c in keyword if not c.isspace()]
    return re.compile(r"\s*".join(parts))


_PATTERNS: list[tuple[str, str, re.Pattern]] = [
    (reason, kw, _keyword_pattern(kw)) for reason in PRECEDENCE for kw in REASON_KEYWORDS[reason]
]


def reason_hits(text: str) -> list[ReasonHit]:
    """All non-negated keyword hits, in text order (overlapping hits of one reason collapsed)."""
    norm = nfkc(text or "")
    hits: list[ReasonHit] = []
    taken: list[tuple[int, int]] = []
    for reason, keyword, pattern in sorted(_PATTERNS, key=lambda p: -len(p[1])):
        for m in pattern.finditer(norm):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue  # inside a longer keyword already found (宣告破产 ⊃ 破产, 自动离职 …)
            if _NEGATED.search(norm[max(0, m.start() - 30):m.start()]):
                continue
            taken.append((m.start(), m.end()))
            hits.append(ReasonHit(reason, keyword, m.start(), m.end()))
    return sorted(hits, key=lambda h: h.start)


def classify_reason(text: str) -> str | None:
    """The winning reason code, or None when no keyword is present."""
    hit = winning_hit(text)
    return hit.reason if hit else None


def winning_hit(text: str) -> ReasonHit | None:
    hits = reason_hits(text)
    if not hits:
        return None
    return min(hits, key=lambda h: (PRECEDENCE.index(h.reason), h.start))
