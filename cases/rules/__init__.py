"""The rule pack: every evidence check a reviewer relies on, read top to bottom.

Each rule is a `Rule` in RULE_PACK (pack.py): its code, severity, what it checks, the facts it reads,
the evidence it cites, its source: check ids and a confidence tag (docs/rules.md#check-ids; docs/programme.md#confidence-tags: [V] verified statute,
[S] secondary, [R] recollection, [I] proposal; hard rules only on [V], the rest configurable) and
the small function that applies it. Messages are templates in MESSAGES, for clerks: they may name
people, so logs never see them. The rule table of docs/rules.md is generated from RULE_PACK
(`casefile rules --markdown`), and a test keeps the two the same.
"""
from cases.rules.context import MESSAGES, CaseContext, RuleOptions
from cases.rules.placement import unit_mismatch
from cases.rules.pack import RULE_PACK, Rule, rule_table, run_rules

__all__ = ["MESSAGES", "RULE_PACK", "CaseContext", "Rule", "RuleOptions", "rule_table", "run_rules", "unit_mismatch"]
