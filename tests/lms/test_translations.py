import ast
import gettext
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "id" / "LC_MESSAGES"


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    context: str | None = None
    msgstrs: dict[int, str] = field(default_factory=dict)
    flags: str = ""


def catalogue_entries() -> list[Entry]:
    """Every entry of the Indonesian .po but its header, read as gettext reads it: contexts,
    plural forms, strings continued over several lines and their escapes."""
    entries, entry, target = [], Entry(), None
    for line in (LOCALE / "django.po").read_text(encoding="utf-8").splitlines() + [""]:
        keyword, _, rest = line.partition(" ")
        if not line.strip():
            if entry.msgid:
                entries.append(entry)
            entry, target = Entry(), None
        elif line.startswith("#,"):
            entry.flags = line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            append(entry, target, ast.literal_eval(line))
        else:
            target = keyword
            append(entry, target, ast.literal_eval(rest))
    return entries


def append(entry: Entry, keyword: str, text: str) -> None:
    if keyword == "msgctxt":
        entry.context = (entry.context or "") + text
    elif keyword == "msgid":
        entry.msgid += text
    elif keyword == "msgid_plural":
        entry.msgid_plural += text
    else:  # msgstr or msgstr[n]
        index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
        entry.msgstrs[index] = entry.msgstrs.get(index, "") + text


def shown(entry: Entry, form: int) -> str:
    """What the site shows for the entry's plural `form`, through Django's own translation calls."""
    if not entry.msgid_plural:
        if entry.context is None:
            return translation.gettext(entry.msgid)
        return translation.pgettext(entry.context, entry.msgid)
    count = next(n for n in range(1000) if plural_form(n) == form)
    if entry.context is None:
        return translation.ngettext(entry.msgid, entry.msgid_plural, count)
    return translation.npgettext(entry.context, entry.msgid, entry.msgid_plural, count)


def plural_form(count: int) -> int:
    with (LOCALE / "django.mo").open("rb") as compiled:
        return gettext.GNUTranslations(compiled).plural(count)


def test_indonesian_catalogue_is_complete_and_not_fuzzy():
    entries = catalogue_entries()
    assert len(entries) > 100
    untranslated = [entry.msgid for entry in entries if not all(entry.msgstrs.values())]
    fuzzy = [entry.msgid for entry in entries if "fuzzy" in entry.flags]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_is_not_older_than_the_source():
    """Every entry and every plural form of the .po is what the site shows from the .mo."""
    assert (LOCALE / "django.mo").exists()
    with translation.override("id"):
        stale = [
            (entry.msgid, form)
            for entry in catalogue_entries()
            for form, msgstr in entry.msgstrs.items()
            if shown(entry, form) != msgstr
        ]
    assert stale == [], "Run `make messages`: the compiled catalogue lags the source"


@pytest.mark.django_db
def test_pages_speak_indonesian_first_and_english_on_request(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")  # a phone set to English
    assert "Masuk" in response.content.decode()
    assert response["Content-Language"] == "id"
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert "Log in" in html and 'lang="en"' in html
    assert "Bahasa Indonesia" in html  # the way back


@pytest.mark.django_db
def test_wagtail_admin_speaks_indonesian(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(groups=["Coordinator"]))
    html = client.get("/admin/").content.decode()
    assert "Halaman" in html or "Dasbor" in html
    assert "Pelatihan" in html  # the training menu
