"""The Italian translations are complete and are all loaded by Odoo.

Odoo 18's ``PoFileReader`` reads an addon's ``i18n/it.po`` together with its
``i18n/<addon>.pot``: every it.po entry whose msgid is not in the .pot is taken as
obsolete and silently dropped, both at install and for the translations of Python and
JavaScript code. So, for each addon:

- every msgid of the .pot has a non-empty, non-fuzzy Italian msgstr in it.po;
- every (non-obsolete) it.po entry is in the .pot, or Odoo ignores it;
- the placeholders (``%s``, ``%(name)s``, ``{name}``) of msgid and msgstr are the same.

The .pot must be the one Odoo exports (``odoo --i18n-export=<addon>/i18n/<addon>.pot
--modules=<addon>``), then it.po merged against it (``msgmerge --no-fuzzy-matching``).
Plain pytest: no Odoo registry needed.
"""

import re
from collections import Counter
from pathlib import Path

import polib
import pytest

from .tooling.pytest_fixtures import load_registry  # noqa: F401 (no Odoo registry needed)

ROOT = Path(__file__).resolve().parent.parent
ADDONS = (
    "smartcall_campaign",
    "smartcall_outcomes",
    "smartcall_agenda",
    "smartcall_voip",
    "smartcall_inbound",
)

# printf-style (Python %-formatting, JS sprintf) and brace placeholders (str.format, JS _t)
PRINTF_RE = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdfr]|%[sdfr]")
BRACE_RE = re.compile(r"\{\{?\s*[A-Za-z_][A-Za-z0-9_.]*\s*\}?\}")


def _key(entry):
    return (entry.msgctxt, entry.msgid)


def _label(entry):
    return repr(entry.msgid[:80]) + (f" (context {entry.msgctxt!r})" if entry.msgctxt else "")


def _placeholders(text):
    return Counter(PRINTF_RE.findall(text)) + Counter(
        re.sub(r"\s+", "", m) for m in BRACE_RE.findall(text)
    )


def _files(addon):
    i18n = ROOT / addon / "i18n"
    pot_path, po_path = i18n / f"{addon}.pot", i18n / "it.po"
    assert pot_path.is_file(), f"{pot_path} is missing"
    assert po_path.is_file(), f"{po_path} is missing"
    return polib.pofile(str(pot_path)), polib.pofile(str(po_path))


@pytest.mark.parametrize("addon", ADDONS)
def test_pot_entries_translated(addon):
    """Every msgid of the template has an Italian translation, checked (not fuzzy)."""
    pot, po = _files(addon)
    translations = {_key(e): e for e in po if not e.obsolete}
    missing, empty, fuzzy = [], [], []
    for entry in pot:
        translated = translations.get(_key(entry))
        if translated is None:
            missing.append(_label(entry))
        elif not translated.msgstr.strip():
            empty.append(_label(entry))
        elif "fuzzy" in translated.flags:
            fuzzy.append(_label(entry))
    assert not missing, f"{addon}: {len(missing)} msgids of the .pot not in it.po: {missing}"
    assert not empty, f"{addon}: {len(empty)} msgids with no Italian in it.po: {empty}"
    assert not fuzzy, f"{addon}: {len(fuzzy)} fuzzy entries in it.po: {fuzzy}"


@pytest.mark.parametrize("addon", ADDONS)
def test_po_entries_in_pot(addon):
    """No it.po entry is missing from the .pot (Odoo would drop it as obsolete)."""
    pot, po = _files(addon)
    template = {_key(e) for e in pot}
    ignored = [_label(e) for e in po if not e.obsolete and _key(e) not in template]
    assert not ignored, (
        f"{addon}: {len(ignored)} it.po entries are not in {addon}.pot, Odoo ignores them "
        f"(export the .pot again and merge it.po): {ignored}"
    )


@pytest.mark.parametrize("addon", ADDONS)
def test_placeholders_kept(addon):
    """The Italian keeps the placeholders of the English, no more, no less."""
    _pot, po = _files(addon)
    wrong = [
        f"{_label(e)}: {dict(_placeholders(e.msgid))} != {dict(_placeholders(e.msgstr))}"
        for e in po
        if not e.obsolete and e.msgstr and _placeholders(e.msgid) != _placeholders(e.msgstr)
    ]
    assert not wrong, f"{addon}: placeholders differ in {len(wrong)} entries: {wrong}"
