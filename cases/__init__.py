"""Cases: roster import, linking documents to veterans, evidence rules and derived periods.

Plain Python, typed values in and out (no Django, no Celery):

    roster = load_roster(path)                        # list[RosterEntry]; RosterError on a bad row
    links = link_documents(docs, roster)              # one explainable Link per DocumentFacts (+ .row, .rows)
    linked_docs = case_documents(docs, links, entry.id_number)  # what that case evaluates
    result = evaluate_case(entry, linked_docs, CaseOptions())   # CaseResult: derived + flags

ID-number and name rules live in extract.normalize (idnumbers, names); canonical_id,
is_valid_id, birth_month and same_name are re-exported here for callers of the case stage.
Masking for logs is core.privacy.mask_id.
"""
from extract.normalize.idnumbers import birth_month, canonical_id, is_valid_id
from extract.normalize.names import same_name

from cases.derived import CaseDerived
from cases.evaluate import CaseResult, evaluate_case
from cases.facts import DocumentFacts, month_index, month_str
from cases.link import Link, RowMatch, case_documents, link_documents
from cases.options import CaseOptions
from cases.roster import RosterEntry, RosterError, load_roster

__all__ = [
    "CaseDerived",
    "CaseOptions",
    "CaseResult",
    "DocumentFacts",
    "Link",
    "RosterEntry",
    "RosterError",
    "RowMatch",
    "birth_month",
    "canonical_id",
    "case_documents",
    "evaluate_case",
    "is_valid_id",
    "link_documents",
    "load_roster",
    "month_index",
    "month_str",
    "same_name",
]
