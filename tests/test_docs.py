"""The domain lives in the repository (docs/): nothing cites a file outside it, and every citation
of a docs/ page or section points at one that exists."""
import re
import subprocess
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

# The design notes casefile was first written from lived outside the repository; a clone has none.
OUTSIDE = re.compile(r"\.\./shared|/work/shared|\b(?:domain|architecture|lessons)\.md\b")
# Their sections were cited bare ("§3.2"); in source and text files such a citation points nowhere.
SECTION = re.compile(r"§\s?\d")
TEXT_SUFFIXES = {".py", ".md", ".toml", ".html", ".txt", ".sh", ".cfg", ".ini", ".yml", ".yaml", ".json", ".js", ".css"}
# docs/programme.md, docs/periods.md#month-sets (from any file)
CITATION = re.compile(r"\bdocs/([\w./-]+?\.md)(?:#([\w-]+))?")
# [text](periods.md#month-sets), [text](#month-sets) inside docs/
RELATIVE_LINK = re.compile(r"\]\((?!https?:)([\w./-]*?\.md)?(?:#([\w-]+))?\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def repository_files() -> list[Path]:
    """Every file of the repository but this one (whose examples are not citations)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")
    return [ROOT / name for name in listed if name and (ROOT / name).is_file() and ROOT / name != Path(__file__).resolve()]


def text_of(path: Path) -> str | None:
    data = path.read_bytes()
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def anchors(markdown: str) -> set[str]:
    """Section anchors as GitHub renders them: lower case, punctuation dropped, spaces to hyphens,
    a repeated heading numbered."""
    found: set[str] = set()
    fenced = re.sub(r"^```.*?^```", "", markdown, flags=re.MULTILINE | re.DOTALL)
    for title in HEADING.findall(fenced):
        title = re.sub(r"`|\*\*|\[([^\]]*)\]\([^)]*\)", r"\1", title).strip().lower()
        slug = "".join(c for c in title if c in " -_" or unicodedata.category(c)[0] in "LN").replace(" ", "-")
        candidate, n = slug, 0
        while candidate in found:
            n += 1
            candidate = f"{slug}-{n}"
        found.add(candidate)
    return found


def broken_citations(files: dict[Path, str]) -> list[str]:
    pages = {p.relative_to(DOCS).as_posix(): anchors(t) for p, t in files.items() if p.is_relative_to(DOCS) and p.suffix == ".md"}
    problems = []
    for path, text in files.items():
        rel = path.relative_to(ROOT).as_posix()
        cited = [(page, anchor) for page, anchor in CITATION.findall(text)]
        if path.is_relative_to(DOCS) and path.suffix == ".md":
            here = path.parent.relative_to(DOCS)
            cited += [((here / page).as_posix() if page else path.relative_to(DOCS).as_posix(), anchor)
                      for page, anchor in RELATIVE_LINK.findall(text) if page or anchor]
        for page, anchor in cited:
            if page not in pages:
                problems.append(f"{rel}: docs/{page} does not exist")
            elif anchor and anchor not in pages[page]:
                problems.append(f"{rel}: docs/{page}#{anchor} is no section of that page")
    return problems


def test_nothing_cites_a_file_outside_the_repository():
    offending = []
    for path in repository_files():
        text = text_of(path)
        if text is None:
            continue
        bare_sections = path.suffix in TEXT_SUFFIXES or path.name in ("Makefile", "README")
        for number, line in enumerate(text.splitlines(), start=1):
            if OUTSIDE.search(line) or (bare_sections and SECTION.search(line)):
                offending.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}")
    assert not offending, "cite the docs/ section instead:\n" + "\n".join(offending)


def test_every_docs_citation_names_a_page_and_section_that_exist():
    files = {p: t for p in repository_files() if (t := text_of(p)) is not None}
    assert any(p.is_relative_to(DOCS) for p in files), "docs/ is missing"
    problems = broken_citations(files)
    assert not problems, "\n".join(problems)


def test_the_checks_catch_what_they_are_for(tmp_path):
    assert OUTSIDE.search("see ../shared/design/domain.md §3.2")
    assert OUTSIDE.search("(lessons" + ".md: 0.188 → 0.063)")
    assert not OUTSIDE.search("see docs/periods.md#month-sets")
    assert SECTION.search("the evidence of §3.7") and not SECTION.search("docs/rules.md#minimum-evidence")
    assert anchors("# Periods\n## Worked example: Case A\n```\n# not a heading\n```\n## Month sets\n## Month sets\n") == {
        "periods", "worked-example-case-a", "month-sets", "month-sets-1",
    }
    page = DOCS / "periods.md"
    files = {
        page: "# Periods\n## Month sets\nsee [rules](rules.md#check-ids) and [here](#nowhere)\n",
        DOCS / "rules.md": "# Rules\n## Check ids\n",
        ROOT / "cases" / "x.py": "# docs/periods.md#month-sets docs/periods.md#gone docs/nothing.md\n",
    }
    assert broken_citations(files) == [
        "docs/periods.md: docs/periods.md#nowhere is no section of that page",
        "cases/x.py: docs/periods.md#gone is no section of that page",
        "cases/x.py: docs/nothing.md does not exist",
    ]
