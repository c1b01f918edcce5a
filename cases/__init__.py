"""Cases: roster import, linking documents to veterans, evidence rules and derived periods.

Plain Python, typed values in and out (no Django, no Celery):

    roster = load_roster(path)                        # list[RosterEntry]; RosterError on a bad row
    links = link_documents(docs, roster)              # one explainable Link per DocumentFacts
    result = evaluate_case(entry, linked_docs, CaseOptions())   # CaseResult: derived + flags
"""
from cases.evaluate import CaseOptions, CaseResult, evaluate_case
from cases.facts import DocumentFacts, month_index, month_str
from cases.ids import birth_month, canonical_id, is_valid_id, mask_id
from cases.link import Link, link_documents
from cases.names import same_name
from cases.roster import RosterEntry, RosterError, load_roster

__all__ = [
    "CaseOptions",
    "CaseResult",
    "DocumentFacts",
    "Link",
    "RosterEntry",
    "RosterError",
    "birth_month",
    "canonical_id",
    "evaluate_case",
    "is_valid_id",
    "link_documents",
    "load_roster",
    "mask_id",
    "month_index",
    "month_str",
    "same_name",
]
