"""The README is a short front door and the manual in docs/ stays true to the code it describes.

Pure file checks: no server, no network. Links are checked the way a reader follows them on a
code host: relative to the file they appear in, anchors against the target's headings.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
ARCHITECTURE = DOCS / "architecture.md"
USER_GUIDE = DOCS / "user-guide"
MAX_README_BYTES = 12_000
SETUP_COMMANDS = ("bash scripts/start.sh", "bash scripts/test.sh")

_FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)
# Files of the repository named in the prose (e.g. `placemap/data/upload_join.py`, `scripts/audit.sh`).
_REPO_PATH = re.compile(
    r"(?<![\w./-])((?:placemap|views|tests|benchmarks|scripts|deploy|migrations)/[\w./-]*\w\.(?:py|sh|txt|conf))\b"
)
_MODULE = re.compile(r"`(placemap/[\w/]+\.py)`")


def _markdown_files() -> list[Path]:
    return [README, *sorted(DOCS.rglob("*.md"))]


def _prose(text: str) -> str:
    """The text without fenced code blocks or inline code, where brackets are not links."""
    return _INLINE_CODE.sub("", _FENCE.sub("", text))


def _slug(heading: str) -> str:
    """The anchor a code host gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    return re.sub(r"\s", "-", re.sub(r"[^\w\- ]", "", text))


def _anchors(path: Path) -> set[str]:
    return {_slug(h) for h in _HEADING.findall(_FENCE.sub("", path.read_text(encoding="utf-8")))}


def _relative_links(path: Path) -> list[str]:
    links = _LINK.findall(_prose(path.read_text(encoding="utf-8")))
    return [link for link in links if not re.match(r"^[a-z][a-z0-9+.-]*:", link, re.I)]


def _app_pages() -> list[tuple[str, str]]:
    """(title, url_path) of every ``st.Page`` registered in app.py, read without running it."""
    pages, aliases = [], {}
    for node in ast.walk(ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Page":
            keywords = {k.arg: k.value.value for k in node.keywords if isinstance(k.value, ast.Constant)}
            if keywords.get("visibility") == "hidden":
                aliases[keywords["title"]] = keywords["url_path"]  # the address of the default page (``/map``)
                continue
            pages.append((keywords["title"], keywords["url_path"]))
    return [(title, aliases.get(title, url_path)) for title, url_path in pages]


def _package_modules() -> set[str]:
    return {p.relative_to(ROOT).as_posix() for p in (ROOT / "placemap").rglob("*.py") if "__pycache__" not in p.parts}


def test_readme_is_a_front_door_of_at_most_12_kb():
    size = len(README.read_bytes())
    assert size <= MAX_README_BYTES, f"README.md is {size} bytes; move detail into docs/"


@pytest.mark.parametrize("command", SETUP_COMMANDS)
def test_readme_opens_with_the_setup_command(command):
    head = README.read_text(encoding="utf-8").splitlines()[:40]
    assert any(command in line for line in head), f"{command!r} is not in README.md's first 40 lines"


@pytest.mark.parametrize("path", _markdown_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_opens_an_existing_file_and_heading(path):
    broken = []
    for link in _relative_links(path):
        target, _, anchor = link.partition("#")
        file = (path.parent / target).resolve() if target else path
        if not file.exists():
            broken.append(f"{link}: no such file")
        elif anchor and file.suffix == ".md" and anchor not in _anchors(file):
            broken.append(f"{link}: no heading #{anchor} in {file.relative_to(ROOT)}")
    assert not broken, f"{path.relative_to(ROOT)}: " + "; ".join(broken)


@pytest.mark.parametrize("path", _markdown_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_repository_file_named_in_the_docs_exists(path):
    named = set(_REPO_PATH.findall(path.read_text(encoding="utf-8")))
    missing = sorted(n for n in named if not (ROOT / n).exists())
    assert not missing, f"{path.relative_to(ROOT)} names files that do not exist: {missing}"


@pytest.mark.parametrize(("title", "url_path"), _app_pages())
def test_every_page_of_the_app_has_a_user_guide_page_linked_from_the_readme(title, url_path):
    readme = README.read_text(encoding="utf-8")
    row = next((line for line in readme.splitlines() if line.startswith("|") and f"[{title}](" in line), None)
    assert row, f"README.md's table of pages has no linked row for {title!r}"
    link = re.search(rf"\[{re.escape(title)}\]\((docs/user-guide/[\w-]+\.md)\)", row)
    assert link, f"{title!r} in README.md does not link to a page of docs/user-guide/"
    guide = ROOT / link.group(1)
    assert guide.exists(), f"{link.group(1)} does not exist"
    assert f"`/{url_path}`" in row and f"`/{url_path}`" in guide.read_text(encoding="utf-8"), (
        f"the address /{url_path} of {title!r} is missing from the README row or {link.group(1)}"
    )


def test_the_app_registers_as_many_pages_as_the_readme_table_lists():
    rows = [
        line
        for line in README.read_text(encoding="utf-8").splitlines()
        if "](docs/user-guide/" in line and line.startswith("|")
    ]
    assert len(rows) == len(_app_pages()) == 14


def test_every_module_of_the_package_is_named_in_the_architecture_page():
    named = set(_MODULE.findall(ARCHITECTURE.read_text(encoding="utf-8")))
    missing = sorted(_package_modules() - named)
    assert not missing, f"docs/architecture.md does not describe {missing}"


def test_every_module_named_in_the_architecture_page_is_in_the_tree():
    named = set(_MODULE.findall(ARCHITECTURE.read_text(encoding="utf-8")))
    gone = sorted(named - _package_modules())
    assert not gone, f"docs/architecture.md describes modules that no longer exist: {gone}"


def test_link_anchors_follow_the_headings_as_a_code_host_spells_them():
    assert _slug("Load: many people at once") == "load-many-people-at-once"
    assert _slug("Modules of `placemap/`") == "modules-of-placemap"
    assert _slug("Change in your own data") == "change-in-your-own-data"
