"""Korean is the default language and English complete: every string in the code has a
Korean translation, and the committed .mo is compiled from the committed .po."""

import re
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


# A Korean particle changes with the sound the word before it ends in (을/를, 이/가, 은/는,
# 과/와, 으로/로), which a placeholder's value (a period code, a version, a number, a receipt
# number) does not let the translator know: "버전 2을(를)" reads badly, "버전 2를" may be
# wrong. So no particle follows a placeholder, quoted or not; the message is phrased around
# it instead ("평가 기간 %(code)s: 새로 만들었습니다", "신고가 접수되었습니다(접수번호 %(no)s)").
PLACEHOLDER = r"(?:%\([A-Za-z_0-9]+\)[sdif]|%[sd]|\{[A-Za-z_0-9.]*\})"
PARTICLE_AFTER_PLACEHOLDER = re.compile(
    PLACEHOLDER
    + r"[\"'”’]?"
    + r"(?:\(으\)로|\(이\)|\((?:을|를|이|가|은|는|과|와)\)|을|를|이|가|은|는|과|와|으로|로)"
)


def particles_after_placeholders(text: str) -> list[str]:
    return [m.group(0) for m in PARTICLE_AFTER_PLACEHOLDER.finditer(text)]


def test_the_particle_check_finds_what_it_is_for():
    for bad in (
        "버전 %(version)s을(를) 저장했습니다.",
        "평가 기간 %(code)s이(가) 없습니다.",
        "“%(code)s”은(는) 코드가 아닙니다.",
        "접수번호 %(no)s(으)로 접수되었습니다.",
        "시 평균 %(mean)s과 한계선",
        "{code}를 만들었습니다",
    ):
        assert particles_after_placeholders(bad), bad
    for good in (
        "평가 기간 %(code)s: 새로 만들었습니다.",
        "신고가 접수되었습니다(접수번호 %(no)s).",
        "민원 %(no)s에는 이미 해피콜이 있습니다(%(call)s).",
        "가중치는 %(weight)s입니다.",
        "전문가 상담(%(no)s) 시간이 확정되었습니다: %(slot)s.",
    ):
        assert not particles_after_placeholders(good), good


def test_no_korean_particle_follows_a_placeholder():
    found = [
        (entry.msgid, text)
        for entry in polib.pofile(str(PO))
        if not entry.obsolete
        for text in (entry.msgstr, *entry.msgstr_plural.values())
        if particles_after_placeholders(text)
    ]
    assert not found, "rephrase so that no particle follows the placeholder:\n" + "\n".join(
        f"  {msgid!r}: {text!r}" for msgid, text in found
    )
