"""Title and phrase evidence of a page (the rule scorer).

Two kinds of evidence, which the trained model (classify/model.py) takes as features:
- **titles**, matched only on the page's headings (classify/headings.py), exactly or fuzzily;
- **phrases and labels** anywhere in the text (weak: a 介绍信 mentions 入伍, a form has 身份证号).

`title_evidence` turns them into one score per type; `rule_class` is the verdict of those scores
alone, used when no model is installed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from classify.headings import Heading, find_headings
from classify.vocabulary import MIN_SCORE, PHRASE_WEIGHT, PHRASES, TITLE_WEIGHT, TITLES, TOP_BONUS
from core.types import PageClass, PageText
from extract.normalize.text import squeeze  # NFKC, no whitespace: how titles are matched

FUZZY_MIN = 82        # rapidfuzz ratio of a heading against a title of 4+ characters
HEADING_SLACK = 16    # a heading may hold more than its title: 青河县…发放花名册, 关于对X同志…的决定
FUZZY_MIN_SHARE = 0.8  # a fuzzy match needs a heading at least this long relative to the title
PARTIAL_MIN_CHARS = 6  # a title inside a longer heading matches fuzzily only from this length on
PARTIAL_MIN = 90


@dataclass(frozen=True)
class TitleEvidence:
    scores: dict[str, float]       # every type in TITLES: title + phrase score
    titled: frozenset[str]          # types whose title is a top heading: the page opens a document
    headings: tuple[Heading, ...]


# A bracketed qualifier names the copy, not the kind of paper: （存根）, （副本）, （第二联）. In
# 待遇领取人员健在确认表（存根） the 存根 is the stub of a 确认表, not a placement letter's.
QUALIFIER = re.compile(r"[(（〔\[【][^()（）〔〕\[\]【】]{1,6}[)）〕\]】]?$")


def title_match(heading: str, title: str) -> float:
    """1.0 when the heading holds the title, the fuzzy ratio (0..1) when it nearly is the
    title, else 0. A heading's closing bracketed qualifier counts only when nothing precedes it."""
    heading = QUALIFIER.sub("", heading) or heading
    if len(heading) > len(title) + HEADING_SLACK:
        return 0.0
    if title in heading:
        return 1.0
    if len(title) < 4 or len(heading) < FUZZY_MIN_SHARE * len(title):
        return 0.0
    ratio = fuzz.ratio(title, heading)
    if ratio < FUZZY_MIN and len(title) >= PARTIAL_MIN_CHARS and len(heading) > len(title):
        # a long title inside a longer heading, one character misread (青河县…发放花名衝)
        partial = fuzz.partial_ratio(title, heading)
        ratio = partial if partial >= PARTIAL_MIN else 0
    return ratio / 100 if ratio >= FUZZY_MIN else 0.0


def title_evidence(page: PageText) -> TitleEvidence:
    headings = tuple(find_headings(page))
    full = squeeze(page.text)
    scores: dict[str, float] = {}
    titled: set[str] = set()
    for doc_type, titles in TITLES.items():
        score = 0.0
        for title in titles:
            for h in headings:
                strength = title_match(h.text, title)
                if strength:
                    score = max(score, (TITLE_WEIGHT + (TOP_BONUS if h.top else 0.0) + len(title) * 0.1) * strength)
                    if h.top:
                        titled.add(doc_type)
            if not score and title in full:
                score = PHRASE_WEIGHT  # named in the text, not as a heading: a mention
        score += PHRASE_WEIGHT * sum(1 for phrase in PHRASES[doc_type] if phrase in full)
        scores[doc_type] = score
    return TitleEvidence(scores, frozenset(titled), headings)


def rule_class(evidence: TitleEvidence) -> PageClass:
    """The rule scorer's verdict: the best score wins, its margin over the runner-up as
    confidence (not calibrated)."""
    ranked = sorted(evidence.scores.items(), key=lambda kv: kv[1], reverse=True)
    best, best_score = ranked[0]
    second = ranked[1][1]
    if best_score < MIN_SCORE:
        return PageClass("other", round(1.0 - best_score / (MIN_SCORE * 2), 3), starts_document=False)
    confidence = best_score / (best_score + second + 1.0)
    return PageClass(best, round(min(confidence, 0.99), 3), starts_document=best in evidence.titled)

