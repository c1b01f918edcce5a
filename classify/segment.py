"""Group a file's classified pages into documents.

A page opens a new document when it carries a title or changes type; an untitled page of the
same type (the second page of a form) or an untitled `other` page (a blank back, an unreadable
photo) continues the document before it. An `other` page with a title of its own is its own paper.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from core.codes import DocType
from core.types import PageClass


@dataclass
class DocumentSpan:
    pages: list[int]  # 1-based page numbers in the file
    doc_type: str
    confidence: float
    page_classes: list[PageClass] = field(default_factory=list)


# One person has one ID card: front and back on two pages are one document.
MERGE_TITLED_PAGES = {"id_card"}


def segment(pages: list[tuple[int, PageClass]]) -> list[DocumentSpan]:
    spans: list[DocumentSpan] = []
    for number, cls in sorted(pages):
        current = spans[-1] if spans else None
        if current is not None and _continues(current, cls):
            current.pages.append(number)
            current.page_classes.append(cls)
            if current.doc_type == DocType.OTHER and cls.doc_type != DocType.OTHER:
                current.doc_type, current.confidence = cls.doc_type, cls.confidence
            continue
        spans.append(DocumentSpan([number], cls.doc_type, cls.confidence, [cls]))
    return spans


def _continues(current: DocumentSpan, cls: PageClass) -> bool:
    if cls.doc_type == DocType.OTHER:
        # blank back sides, photos of attachments stay with their document; an `other` page
        # under a title of its own (诚信承诺书, another agency's 登记表) is a paper of its own
        return not cls.starts_document
    if cls.doc_type != current.doc_type:
        return current.doc_type == DocType.OTHER and not current.page_classes[0].starts_document
    if cls.starts_document:
        return cls.doc_type in MERGE_TITLED_PAGES
    return True
