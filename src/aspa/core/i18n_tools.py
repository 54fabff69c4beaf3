"""Translation housekeeping without GNU gettext at run time.

`python -m aspa.core.i18n_tools compile` turns every locale/*/LC_MESSAGES/*.po into .mo with polib, so a
machine without gettext still serves Finnish. `check` lists untranslated and fuzzy Finnish entries.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parents[3] / "locale"


def compile_all(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    written = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


def problems(po_path: Path) -> list[str]:
    """Entries a Finnish reader would see in English: untranslated, fuzzy, or missing a plural form."""
    po = polib.pofile(str(po_path))
    found = []
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            found.append(f"fuzzy: {entry.msgid!r}")
        elif entry.msgid_plural:
            if not entry.msgstr_plural or any(not v for v in entry.msgstr_plural.values()):
                found.append(f"untranslated plural: {entry.msgid!r}")
        elif not entry.msgstr:
            found.append(f"untranslated: {entry.msgid!r}")
    return found


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "compile"
    if command == "compile":
        for path in compile_all():
            print(f"compiled {path}")
        return 0
    if command == "check":
        issues = problems(LOCALE_DIR / "fi" / "LC_MESSAGES" / "django.po")
        print("\n".join(issues) or "Finnish translations complete.")
        return 1 if issues else 0
    print(f"unknown command {command!r}; use compile or check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
