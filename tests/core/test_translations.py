"""Every visible string has a Finnish translation: extract afresh, then look for gaps."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from aspa.core.i18n_tools import problems

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def fresh_po(tmp_path_factory) -> Path:
    if not shutil.which("xgettext") or not shutil.which("msgmerge"):
        pytest.skip(
            "NOTICE: GNU gettext missing (apt-get install gettext): translation completeness not checked"
        )
    work = tmp_path_factory.mktemp("i18n")
    for part in ("src", "config", "locale"):
        shutil.copytree(ROOT / part, work / part, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {
        **os.environ,
        "ASPA_LOCALE_DIR": str(work / "locale"),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "src")])
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "fi", "--add-location=file", "-i", "var/*"],
        cwd=work,
        env=env,
        check=True,
        capture_output=True,
    )
    return work / "locale" / "fi" / "LC_MESSAGES" / "django.po"


def test_no_missing_or_fuzzy_finnish(fresh_po: Path):
    gaps = problems(fresh_po)
    assert not gaps, "Finnish translations missing (run `make messages-update` and translate):\n" + "\n".join(
        gaps
    )


def test_committed_po_is_up_to_date(fresh_po: Path):
    committed = {
        e.msgid for e in polib.pofile(str(ROOT / "locale/fi/LC_MESSAGES/django.po")) if not e.obsolete
    }
    extracted = {e.msgid for e in polib.pofile(str(fresh_po)) if not e.obsolete}
    assert extracted <= committed, f"strings not yet in locale/fi: {sorted(extracted - committed)[:20]}"


def test_placeholders_survive_translation():
    """A Finnish msgstr must keep every named placeholder of its msgid, or formatting crashes."""
    import re

    pattern = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")
    bad = []
    for entry in polib.pofile(str(ROOT / "locale/fi/LC_MESSAGES/django.po")):
        if entry.obsolete or not entry.msgstr or "fuzzy" in entry.flags:
            continue
        want = {m.group(0) for m in pattern.finditer(entry.msgid)}
        have = {m.group(0) for m in pattern.finditer(entry.msgstr)}
        if want != have:
            bad.append(entry.msgid)
    assert not bad, f"placeholders differ in: {bad}"
