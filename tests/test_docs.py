"""The repository carries its own design (docs/README.md): what the code points to is there.

- every ``docs/<page>.md`` a tracked file mentions exists, every heading a pointer quotes
  (``docs/invariants.md, "Who sees what"``) is a heading of that page, and the links between the pages
  resolve, anchors included;
- no tracked file cites a design document the repository does not contain (the outside design and
  conventions documents by section, invariant or number, or their ``reference/*.md`` pages), so such a
  citation cannot come back unnoticed.

Files are listed with ``git ls-files``, so the tests see what a fresh clone holds.
"""

from __future__ import annotations

import re
import subprocess
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
THIS_FILE = "tests/test_docs.py"

# A docs page named from anywhere, not part of a longer path or URL (``/api/v1/docs/`` is no page).
DOCS_PATH = re.compile(r"(?<![\w./-])docs/((?:[\w-]+/)*[\w-]+\.md)")
# A pointer to a heading: docs/<page>.md, "<heading>".
HEADING_POINTER = re.compile(r"(?<![\w./-])docs/([\w-]+\.md),\s+\"([^\"]+)\"")
# Links between the pages: [text](page.md) or [text](page.md#anchor) or [text](#anchor).
MARKDOWN_LINK = re.compile(r"\]\(([^)\s]*)\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.MULTILINE)

# A citation of a design document the repository does not hold: DESIGN or CONVENTIONS (optionally .md)
# followed by a section, an invariant or a number ("DESIGN section 4", "DESIGN invariant 8", "(DESIGN 3)",
# "CONVENTIONS 6"), either file by name, or one of its reference pages ("reference/carbon.md").
OUTSIDE_CITATION = re.compile(
    r"\b(?:DESIGN|CONVENTIONS)(?:\.md)?\b[\s,:;'\"(]*(?:(?:sections?|invariants?|§)\s*)?\d"
    r"|\b(?:DESIGN|CONVENTIONS)\.md\b"
    r"|reference/[a-z-]+\.md"
)

# Citations that remain where this branch may not change them, each with the reason. The test below
# fails once one is gone, so the list only shrinks.
EXEMPT = {
    ("merchants/migrations/0003_seed_alliance_kpis.py", "(DESIGN section 3: verified"): (
        "seeded KPI definition text, data rather than a comment"
    ),
}


@cache
def tracked_text_files() -> dict[str, str]:
    """Path -> text of every tracked file that is UTF-8 text."""
    listing = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True, check=True, timeout=60
    ).stdout.decode()
    files = {}
    for name in filter(None, listing.split("\0")):
        path = ROOT / name
        if not path.is_file():
            continue
        try:
            files[name] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
    return files


def normalised(heading: str) -> str:
    """A heading as pointers quote it: without its number, quotes, markup and case."""
    heading = re.sub(r"^\d+\.\s+", "", heading.strip())
    return " ".join(re.sub(r"[\"'`*]", "", heading).lower().split())


def anchor(heading: str) -> str:
    """The anchor a Markdown renderer (GitHub's) gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def headings(page: Path) -> list[str]:
    return HEADING.findall(page.read_text(encoding="utf-8"))


def test_the_docs_pages_are_tracked() -> None:
    pages = {name for name in tracked_text_files() if name.startswith("docs/")}
    expected = {"README", "architecture", "domain", "invariants", "carbon-method", "api"}
    assert {f"docs/{page}.md" for page in expected} <= pages


def test_every_docs_page_mentioned_exists() -> None:
    missing = [
        f"{name}: docs/{page}"
        for name, text in tracked_text_files().items()
        if name != THIS_FILE
        for page in DOCS_PATH.findall(text)
        if not (DOCS / page).is_file()
    ]
    assert not missing, "pages mentioned but not in docs/:\n" + "\n".join(missing)


def test_every_quoted_heading_is_a_heading_of_its_page() -> None:
    wrong = []
    for name, text in tracked_text_files().items():
        if name == THIS_FILE:
            continue
        for page, quoted in HEADING_POINTER.findall(text):
            if not (DOCS / page).is_file():
                continue  # reported by test_every_docs_page_mentioned_exists
            if normalised(quoted) not in {normalised(heading) for heading in headings(DOCS / page)}:
                wrong.append(f'{name}: docs/{page}, "{" ".join(quoted.split())}"')
    assert not wrong, "pointers to headings that do not exist:\n" + "\n".join(wrong)


def test_links_between_the_docs_pages_resolve() -> None:
    broken = []
    for page in sorted(DOCS.glob("*.md")):
        for target in MARKDOWN_LINK.findall(page.read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:", target):
                continue  # a URL
            path, _, fragment = target.partition("#")
            linked = (page.parent / path).resolve() if path else page
            if not linked.is_file():
                broken.append(f"{page.name}: {target}")
            elif fragment and linked.suffix == ".md" and fragment not in map(anchor, headings(linked)):
                broken.append(f"{page.name}: {target} (no such heading)")
    assert not broken, "broken links:\n" + "\n".join(broken)


def _citations() -> list[tuple[str, int, str]]:
    found = []
    for name, text in tracked_text_files().items():
        if name == THIS_FILE:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if OUTSIDE_CITATION.search(line):
                found.append((name, number, line.strip()))
    return found


def _exempt(name: str, line: str) -> bool:
    return any(name == path and snippet in line for path, snippet in EXEMPT)


def test_no_file_cites_a_design_document_the_repository_does_not_hold() -> None:
    cited = [f"{name}:{number}: {line}" for name, number, line in _citations() if not _exempt(name, line)]
    assert not cited, (
        'cite the page of docs/ instead (for example: see docs/invariants.md, "Per-user limit"), or say '
        "the reason in your own words:\n" + "\n".join(cited)
    )


@pytest.mark.parametrize(("path", "snippet"), sorted(EXEMPT))
def test_each_exemption_is_still_needed(path: str, snippet: str) -> None:
    still_there = any(name == path and snippet in line for name, _number, line in _citations())
    assert still_there, f"{path} no longer cites an outside document there: remove it from EXEMPT"


@pytest.mark.parametrize(
    "text",
    [
        "see DESIGN section 4",
        "(DESIGN invariant 8)",
        "reached paid (DESIGN 3)",
        "Concurrency (CONVENTIONS 6):",
        "DESIGN section 3's rules",
        "as DESIGN.md says",
        "Method (``shared/reference/carbon.md``)",
        "(reference/flash-sale.md, a heading)",
    ],
)
def test_the_pattern_recognises_outside_citations(text: str) -> None:
    assert OUTSIDE_CITATION.search(text)


@pytest.mark.parametrize(
    "text",
    [
        'see docs/invariants.md, "Per-user limit"',
        "the design of the venue, section by section",
        "DESIGNATED 3 shops",
        "a reference/ folder",
    ],
)
def test_the_pattern_leaves_the_project_s_own_words_alone(text: str) -> None:
    assert not OUTSIDE_CITATION.search(text)
