"""Score a page against each type's titles and phrases; the best score wins."""
from __future__ import annotations

from rapidfuzz import fuzz

from classify.vocabulary import MIN_SCORE, PHRASE_WEIGHT, PHRASES, TITLE_WEIGHT, TITLES, TOP_BONUS
from core.types import PageClass, PageText
from extract.normalize.text import squeeze  # NFKC, no whitespace: how titles are matched

FUZZY_TITLE_MIN = 85  # partial_ratio on a top line for titles of 4+ characters
# A title counts only on a heading-like line (no sentence punctuation, not much longer than the
# title): "原安置介绍信已遗失。" in a unit's 证明 names a document, it does not make the page one
# (domain.md §5.10); there it counts as a phrase.
HEADING_SLACK = 16
SENTENCE_MARKS = frozenset(",。;")  # after NFKC


def _heading(line: str, title: str) -> bool:
    return len(line) <= len(title) + HEADING_SLACK and not SENTENCE_MARKS & set(line)


def classify_page(page: PageText) -> PageClass:
    scores, titled = score_page(page)
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    best, best_score = ranked[0]
    second = ranked[1][1]
    if best_score < MIN_SCORE:
        return PageClass("other", round(1.0 - best_score / (MIN_SCORE * 2), 3), starts_document=False)
    # Margin over the runner-up, squashed to 0..1: a clear title gives ~0.9+.
    confidence = best_score / (best_score + second + 1.0)
    return PageClass(best, round(min(confidence, 0.99), 3), starts_document=best in titled)


def score_page(page: PageText) -> tuple[dict[str, float], set[str]]:
    full = squeeze(page.text)
    lines = [(squeeze(line.text), line.bbox[1] < page.height * 0.3) for line in page.lines]
    top_lines = [text for text, at_top in lines if at_top and len(text) >= 3]
    scores: dict[str, float] = {}
    titled: set[str] = set()
    for doc_type, titles in TITLES.items():
        score = 0.0
        for title in titles:
            hit_top = any(
                _heading(line, title)
                and (title in line or (len(title) >= 4 and fuzz.partial_ratio(title, line) >= FUZZY_TITLE_MIN))
                for line in top_lines
            )
            if hit_top:
                score = max(score, TITLE_WEIGHT + TOP_BONUS + len(title) * 0.1)
                titled.add(doc_type)
            elif any(title in text and _heading(text, title) for text, _ in lines):
                score = max(score, TITLE_WEIGHT + len(title) * 0.1)
            elif title in full:
                score = max(score, PHRASE_WEIGHT)  # mentioned in the text
        score += PHRASE_WEIGHT * sum(1 for phrase in PHRASES[doc_type] if phrase in full)
        scores[doc_type] = score
    return scores, titled
