"""Which roster cases a document can ever reach through link.py, as keys an index can hold, so
that linking can be redone for the documents a change touches instead of for the workspace
(pipeline/linking.py: link_around).

link.py decides a document from its own facts and from the cases its facts point to: the case
of its ID number (or of its legacy 15-digit form), the cases one slip away from an unreadable
number, the roster people whose name (or 曾用名) sounds like its name, and the documents already
linked to those cases (what they vouch for, including the scan they share). So two documents
can influence each other only through a case both reach, or through the scanned file they share
(the last resort, name_same_file), or through a 曾用名 a household register linked by ID adds to
its case. The keys below describe exactly these paths, generously: two things that share a key
may interact; two that share none, through no chain, never do. Linking the closure of a
document's keys gives the same links as linking everything (tests/test_scale_linking.py).

If link.py or corroborate.py gain a new way for documents to reach a case or one another, it
must be added here too.

Keys (plain strings, at most 64 characters):
- ``n|<pinyin>``: a sound key of a name (extract.normalize.names.sound_keys): a document's
  name (and each row's, and a 曾用名 it records), a case's name and roster 曾用名;
- ``i|<18 chars>``: an ID number read as valid (or a legacy number converted), a case's number;
- ``u|<raw>``: a document's unreadable 18-character number or 15-digit number, from which the
  roster numbers one slip away are found (`slip_numbers`);
- ``w|…`` / ``l|…``: the one-slip patterns of an unreadable 18-character / a 15-digit number
  (`slip_patterns`); a case's number (and its legacy form) has the same patterns exactly when
  it is one slip from the document's.
- ``b|YYYY-MM``: a birth month: a page with neither name nor number that states one (it may
  link facts_only to a person born then), a case's month from its number;
- ``m|…``: a name with some characters left open (`unsure_patterns`): a document's name with
  characters the OCR read unsure open, a case's name with any few open; they share a pattern
  when the reading may be that name (corroborate.RosterBook.reconciling).
"""
from __future__ import annotations

import hashlib
from itertools import combinations

from extract.doubt import MAX_DOUBTFUL_SHARE
from extract.normalize.idnumbers import birth_month, clean_id, from_legacy, is_valid_id, to_legacy
from extract.normalize.names import sound_keys

from cases.facts import DocumentFacts, month_index, month_str
from cases.names import aliases
from cases.roster import RosterEntry

MAX_KEY = 64


def _key(kind: str, text: str) -> str:
    key = f"{kind}|{text}"
    if len(key) <= MAX_KEY:
        return key
    return f"{kind}#{hashlib.blake2b(text.encode(), digest_size=16).hexdigest()}"


def name_keys(name: str | None) -> set[str]:
    return {_key("n", "-".join(k)) for k in sound_keys(name)}


def unsure_patterns(name: str | None, open_at: tuple[int, ...] | None = None) -> set[str]:
    """The name with up to as many characters open as a reading may be unsure of (one for a name
    of up to five): those among `open_at` for a document's reading, any for a case's name."""
    if not name:
        return set()
    most = max(1, int(len(name) * MAX_DOUBTFUL_SHARE))
    positions = range(len(name)) if open_at is None else sorted(p for p in set(open_at) if p < len(name))
    return {
        _key("m", "".join("?" if i in chosen else c for i, c in enumerate(name)))
        for k in range(1, most + 1)
        for chosen in combinations(positions, k)
    }


def slip_patterns(number: str, kind: str) -> set[str]:
    """Two strings of one length share a pattern exactly when they are one slip apart (one
    character replaced, or two neighbours swapped) or equal."""
    out = {_key(kind, f"{i}?{number[:i]}_{number[i + 1:]}") for i in range(len(number))}
    out |= {_key(kind, f"{i}~{number[:i]}{''.join(sorted(number[i:i + 2]))}{number[i + 2:]}") for i in range(len(number) - 1)}
    return out


def _id_keys(value: str | None) -> set[str]:
    raw = clean_id(value)
    if not raw:
        return set()
    if is_valid_id(raw):
        return {_key("i", raw)}
    keys = set()
    legacy = from_legacy(raw)
    if legacy is not None:
        keys.add(_key("i", legacy))
    if len(raw) == 15 and raw.isdigit():
        keys |= {_key("u", raw)} | slip_patterns(raw, "l")
    elif len(raw) == 18:
        keys |= {_key("u", raw)} | slip_patterns(raw, "w")
    return keys


def document_keys(doc: DocumentFacts) -> set[str]:
    """Every key of the document as a whole and of each of its rows."""
    views = [doc] + [doc.for_row(i) for i in range(len(doc.rows))]
    keys: set[str] = set()
    for view in views:
        keys |= name_keys(view.value("name")) | name_keys(view.value("former_name")) | _id_keys(view.value("id_number"))
        if view.doubt("name"):
            keys |= unsure_patterns(view.value("name"), view.doubt("name"))
        if not view.value("name") and not clean_id(view.value("id_number")) and birth_key(view.value("birth_date")):
            keys.add(birth_key(view.value("birth_date")) or "")
    return keys


def birth_key(value: str | None) -> str | None:
    month = month_index(value)
    return _key("b", month_str(month)) if month is not None else None


def case_keys(entry: RosterEntry) -> set[str]:
    """A case's stored keys: its name, its roster 曾用名 and its number (its slip patterns are
    worked out when needed: `case_slip_patterns`)."""
    keys = name_keys(entry.name) | {_key("i", entry.id_number)} | unsure_patterns(entry.name)
    if birth_key(birth_month(entry.id_number)):
        keys.add(birth_key(birth_month(entry.id_number)) or "")
    for former in aliases(entry.attributes):
        keys |= name_keys(former)
    return keys


def case_slip_patterns(id_number: str) -> set[str]:
    """The patterns an unreadable number one slip from this case's number carries."""
    out = slip_patterns(id_number, "w")
    if len(id_number) == 18 and id_number[6:8] == "19":
        out |= slip_patterns(to_legacy(id_number), "l")
    return out


def slip_numbers(key: str) -> set[str]:
    """From a ``u|`` key: the 18-character numbers a roster case must have to be one slip from it."""
    raw = key[2:]
    if len(raw) == 15:
        out = set()
        for i in range(15):
            for c in "0123456789":
                if c != raw[i]:
                    out.add(raw[:i] + c + raw[i + 1:])
        out |= {raw[:i] + raw[i + 1] + raw[i] + raw[i + 2:] for i in range(14)}
        return {n for n in map(from_legacy, out - {raw}) if n}
    out = {raw[:i] + c + raw[i + 1:] for i in range(18) for c in "0123456789X" if c != raw[i]}
    out |= {raw[:i] + raw[i + 1] + raw[i] + raw[i + 2:] for i in range(17)}
    return out - {raw}
