"""Uncertainty routes, never misleads (issue #10): a flag that may be caused by a page the machine
is unsure of and no reviewer has confirmed says so, and names that page.

One pass over a case's flags after every rule has run (not inside the rules), with the case's
documents and the thresholds of RuleOptions:

- a `missing_document` flag of type T, while one of the case's own documents is unconfirmed, its
  type confidence below `type_confidence_threshold`, and it might be of type T: the classifier's
  runner-up is T when one is stored (`DocumentFacts.possible_types`), else any type but its own;
- a flag of a rule whose judgement rests on dates (`Rule.dated`: the timeline rules, birth dates,
  dated documents) that cites a field read below `field_confidence_threshold` that no reviewer
  confirmed or entered;
- any flag citing a document the linker attached only as a last resort (by the name alone, the
  scan alone, or birth and service facts without a name: corroborate.AWAITING_REVIEW) and no
  reviewer has confirmed: the document may not be this veteran's.

Such a flag keeps its code, severity and evidence; its message gains
“（暂定：文件 D000012 第 3 页类型未确认，确认后重新判断）” and `RuleFlag.provisional` lists the documents
and pages. When a reviewer confirms the document (or corrects the field, or sets the type) the case
is evaluated again and the note is gone: a confirmed document is never uncertain.
"""
from __future__ import annotations

from dataclasses import replace

from core.labels import FIELD_ZH
from core.types import RuleFlag

from cases.corroborate import AWAITING_REVIEW
from cases.facts import DocumentFacts
from cases.rules.context import RuleOptions
from cases.rules.pack import RULE_PACK

DATED_CODES = frozenset(rule.code for rule in RULE_PACK if rule.dated)


def type_uncertain(doc: DocumentFacts, options: RuleOptions) -> bool:
    """The document's type is a guess: unconfirmed and below the type threshold."""
    return (
        not doc.confirmed
        and doc.type_confidence is not None
        and doc.type_confidence < options.type_confidence_threshold
    )


def field_uncertain(doc: DocumentFacts, name: str, options: RuleOptions) -> bool:
    """The field was read below the field threshold and no reviewer has confirmed it."""
    field = doc.fields.get(name)
    if field is None or doc.confirmed or name in doc.reviewed_fields:
        return False
    return field.confidence < options.field_confidence_threshold


def might_be(doc: DocumentFacts, doc_type: str) -> bool:
    """Whether the document could really be of this type, as far as its classification says."""
    if doc.possible_types is None:
        return doc_type != doc.doc_type
    return doc_type in doc.possible_types


def mark_provisional(flags: list[RuleFlag], docs: list[DocumentFacts], options: RuleOptions) -> list[RuleFlag]:
    """The flags, each one that an uncertain, unconfirmed page may cause marked provisional."""
    return [_marked(flag, docs, options) for flag in flags]


def _marked(flag: RuleFlag, docs: list[DocumentFacts], options: RuleOptions) -> RuleFlag:
    causes = _type_causes(flag, docs, options) + _field_causes(flag, docs, options) + _link_causes(flag, docs)
    if not causes:
        return flag
    pages = [page for page, _ in causes]
    documents = list(dict.fromkeys(p["document"] for p in pages))
    words = "；".join(dict.fromkeys(text for _, text in causes))
    return replace(
        flag,
        message=f"{flag.message.rstrip()}（暂定：{words}，确认后重新判断）",
        provisional={"documents": documents, "pages": pages},
    )


def _type_causes(flag: RuleFlag, docs: list[DocumentFacts], options: RuleOptions) -> list[tuple[dict, str]]:
    if flag.code != "missing_document" or not flag.doc_type:
        return []
    suspects = [d for d in docs if type_uncertain(d, options) and might_be(d, flag.doc_type)]
    # A stored runner-up naming the type first, then the least certain.
    suspects.sort(key=lambda d: (d.possible_types is None, d.type_confidence, d.id))
    causes = []
    for doc in dict((d.id, d) for d in suspects).values():
        where = f"第 {'、'.join(map(str, doc.pages))} 页" if doc.pages else ""
        text = f"文件 {doc.id} {where}类型未确认" if where else f"文件 {doc.id} 类型未确认"
        for page in doc.pages:
            causes.append(({"document": doc.id, "page": page, "cause": "doc_type"}, text))
        if not doc.pages:
            causes.append(({"document": doc.id, "cause": "doc_type"}, text))
    return causes


def _field_causes(flag: RuleFlag, docs: list[DocumentFacts], options: RuleOptions) -> list[tuple[dict, str]]:
    if flag.code not in DATED_CODES:
        return []
    by_id = {d.id: d for d in docs}
    causes = []
    for cited in flag.evidence:
        doc = by_id.get(cited.document)
        name = cited.field
        if doc is None or not field_uncertain(doc, name, options):
            continue
        page = doc.fields[name].page
        text = f"文件 {doc.id} 第 {page} 页的{FIELD_ZH.get(name, name)}识别置信度低、未确认"
        causes.append(({"document": doc.id, "page": page, "cause": "field", "field": name}, text))
    return causes


def _link_causes(flag: Flag, docs: list[DocumentFacts]) -> list[tuple[dict, str]]:
    by_id = {d.id: d for d in docs}
    causes = []
    for document in dict.fromkeys(cited.document for cited in flag.evidence):
        doc = by_id.get(document)
        if doc is None or doc.confirmed or doc.link_method not in AWAITING_REVIEW:
            continue
        text = f"文件 {doc.id} {AWAITING_REVIEW[doc.link_method]}，待核实"
        for page in doc.pages or (None,):
            causes.append(({"document": doc.id, "page": page, "cause": "link"} if page else {"document": doc.id, "cause": "link"}, text))
    return causes
