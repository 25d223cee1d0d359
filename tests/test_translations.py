"""Korean is the default language and English complete: every string in the code has a
Korean translation, and the committed .mo is compiled from the committed .po."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib

from tests.conftest import require_service

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "ko" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def test_every_korean_message_is_translated_and_none_is_fuzzy():
    catalogue = polib.pofile(str(PO))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"


def test_committed_mo_is_compiled_from_the_committed_po():
    po = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in polib.pofile(str(PO))
        if not e.obsolete
    }
    mo = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in polib.mofile(str(MO))
    }
    mo.pop((None, ""), None)
    assert po == mo, "run `make messages` and commit locale/ko"


def test_every_string_in_the_code_is_in_the_korean_catalogue(tmp_path):
    require_service(shutil.which("xgettext") is not None, "gettext (xgettext) is not installed")
    tree = tmp_path / "tree"
    shutil.copytree(
        ROOT,
        tree,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "tests", "bench", "staticfiles", "node_modules", "*.sqlite3", "locale"
        ),
    )
    (tree / "locale").mkdir()
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            "ko",
            "--no-obsolete",
            "--verbosity",
            "0",
        ],
        cwd=tree,
        check=True,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin:/usr/local/bin"},
    )
    fresh = {
        (e.msgctxt, e.msgid)
        for e in polib.pofile(str(tree / "locale" / "ko" / "LC_MESSAGES" / "django.po"))
    }
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(PO)) if e.translated()}
    missing = sorted(m for _ctx, m in fresh - committed)
    assert not missing, f"strings without a Korean translation: {missing[:15]}"
