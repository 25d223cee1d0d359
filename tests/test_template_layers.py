"""The templates keep the apps' layers (SPEC section 11), as import-linter does for the code:
a template includes or extends only templates of its own app, of the apps below it, of the
core (the site's own pages, `_parts/`, `registration/`, `kindness/`) or, for an app's page,
the htmx fragments of `partials/`. Pieces shared across apps therefore live in `_parts/`,
never in the folder of the first app that needed them."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
TEMPLATES = ROOT / "templates"
CORE_FOLDERS = {"", "_parts", "registration", "kindness"}
FRAGMENTS = "partials"
USES = re.compile(r"""\{%\s*(?:include|extends)\s+["']([^"']+)["']""")
NAMED = re.compile(r"""["']([a-z0-9_/]+\.html)["']""")


def _layers() -> dict[str, int]:
    """App -> its height in the import-linter layers contract (the core is 0)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    heights = {}
    for height, layer in enumerate(reversed(contract["layers"])):
        for app in layer.split("|"):
            heights[app.strip()] = height
    return heights


LAYERS = _layers()


def _folder(name: str) -> str:
    return name.split("/", 1)[0] if "/" in name else ""


def _may_use(user: str, used: str) -> bool:
    """May a template of folder `user` include or extend one of folder `used`?"""
    if used in CORE_FOLDERS:
        return True
    if user in CORE_FOLDERS or user == FRAGMENTS:
        return False  # the core and the fragments use nothing above the core
    if used == FRAGMENTS or used == user:
        return True
    if used not in LAYERS or user not in LAYERS:
        return False
    # Apps of one layer (scoring | programme) are independent of each other.
    return LAYERS[used] < LAYERS[user]


def _uses() -> list[tuple[str, str]]:
    edges = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        edges += [(name, used) for used in USES.findall(path.read_text())]
    return edges


def test_the_layers_are_read_from_the_import_contract():
    assert LAYERS["kindness"] == 0
    assert LAYERS["complaints"] < LAYERS["surveys"] < LAYERS["scoring"] < LAYERS["demo"]
    assert LAYERS["scoring"] == LAYERS["programme"]


@pytest.mark.parametrize(
    ("user", "used", "allowed"),
    [
        ("complaints", "_parts", True),
        ("programme", "complaints", True),
        ("surveys", "partials", True),
        ("scoring", "programme", False),
        ("complaints", "surveys", False),
        ("_parts", "complaints", False),
        ("kindness", "partials", False),
        ("partials", "surveys", False),
        ("", "scoring", False),
    ],
)
def test_the_rule(user, used, allowed):
    assert _may_use(user, used) is allowed


def test_every_included_or_extended_template_exists():
    missing = [(name, used) for name, used in _uses() if not (TEMPLATES / used).is_file()]
    assert not missing, missing


def test_templates_include_and_extend_only_downward():
    upward = [
        f"{name} uses {used}"
        for name, used in _uses()
        if not _may_use(_folder(name), _folder(used))
    ]
    assert not upward, upward


@pytest.mark.parametrize("app", sorted(LAYERS))
def test_an_apps_code_renders_only_templates_it_may_use(app):
    """Template names in an app's Python code: its own folder, the core's, the fragments or
    a lower app's (a view of one app rendering another app's page would hide the tie)."""
    named = []
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for used in NAMED.findall(path.read_text()):
            if not _may_use(app, _folder(used)):
                named.append(f"{path.relative_to(ROOT)} names {used}")
    assert not named, named
