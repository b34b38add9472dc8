from pathlib import Path

import pytest

from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "id" / "LC_MESSAGES"


def catalogue_entries():
    """(msgid, msgstrs, flags) of each entry of the Indonesian .po, parsed plainly."""
    entries, current = [], None
    for line in (LOCALE / "django.po").read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#,"):
            current = {"flags": line, "msgid": "", "msgstr": []}
        elif line.startswith("msgid "):
            current = current or {"flags": "", "msgid": "", "msgstr": []}
            current["msgid"], field = line[7:-1], "msgid"
        elif line.startswith("msgid_plural"):
            field = "plural"
        elif line.startswith("msgstr"):
            current["msgstr"].append(line.split(" ", 1)[1][1:-1])
            field = "msgstr"
        elif line.startswith('"') and current:
            if field == "msgid":
                current["msgid"] += line[1:-1]
            elif field == "msgstr":
                current["msgstr"][-1] += line[1:-1]
        elif not line.strip() and current:
            entries.append(current)
            current = None
    return [entry for entry in entries if entry["msgid"]]


def test_indonesian_catalogue_is_complete_and_not_fuzzy():
    entries = catalogue_entries()
    assert len(entries) > 100
    untranslated = [entry["msgid"] for entry in entries if not all(entry["msgstr"])]
    fuzzy = [entry["msgid"] for entry in entries if "fuzzy" in entry["flags"]]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_is_not_older_than_the_source():
    po, mo = LOCALE / "django.po", LOCALE / "django.mo"
    assert mo.exists()
    with translation.override("id"):
        for entry in catalogue_entries()[:40]:
            if "%" not in entry["msgid"] and len(entry["msgstr"]) == 1:
                assert translation.gettext(entry["msgid"]) == entry["msgstr"][0].replace('\\"', '"'), po


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
