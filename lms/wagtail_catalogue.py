"""Balai's supplement to Wagtail's Indonesian catalogue.

Wagtail ships its Indonesian as id_ID and translates about a third of the admin. The supplement
(locale_wagtail/id_ID/LC_MESSAGES) holds the Indonesian for the msgids Wagtail's catalogue lacks,
plus a few of Wagtail's own translations reworded ("Cari", not "Pencarian", on a search button).
It sits in LOCALE_PATHS after the project's catalogue, so the project's words win; Django's
JavaScriptCatalog merges LOCALE_PATHS too, which carries the djangojs half to the admin's
scripts. It is id_ID, the admin's language, so the public site's "id" keeps Django's own words.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings

import wagtail

SUPPLEMENT_DIR = Path(settings.BASE_DIR) / "locale_wagtail" / "id_ID" / "LC_MESSAGES"
DOMAINS = ("django", "djangojs")
WAGTAIL_ROOT = Path(wagtail.__file__).parent

HEADER = """\
# Indonesian for the Wagtail admin strings that Wagtail's own id_ID catalogue lacks, and a few of
# its translations reworded. Kept by `make messages`; translate the empty msgstr entries.
msgid ""
msgstr ""
"Project-Id-Version: Balai\\n"
"Language: id_ID\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"
"""


@dataclass
class Entry:
    context: str | None
    msgid: str
    plural: str | None = None
    strings: list[str] = field(default_factory=list)
    fuzzy: bool = False
    catalogue: str = ""

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.msgid)

    @property
    def translated(self) -> bool:
        return not self.fuzzy and bool(self.strings) and all(self.strings)


def _unquote(line: str) -> str:
    text = line[line.index('"') + 1 : line.rindex('"')]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), text)


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file, header and obsolete entries left out."""
    entries, current, target, fuzzy, source = [], None, None, False, ""

    def finish():
        if current is not None and current.msgid:
            entries.append(current)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#,"):
            fuzzy = fuzzy or "fuzzy" in line
        if line.startswith("#: "):
            source = line[3:]
        if not line or line.startswith("#"):
            continue
        keyword = line.split(" ", 1)[0]
        if keyword == "msgctxt" or (keyword == "msgid" and (current is None or current.strings)):
            finish()
            current = Entry(context=None, msgid="", fuzzy=fuzzy, catalogue=source)
            fuzzy, source = False, ""
        if keyword == "msgctxt":
            current.context, target = _unquote(line), "context"
        elif keyword == "msgid":
            current.msgid, target = _unquote(line), "msgid"
        elif keyword == "msgid_plural":
            current.plural, target = _unquote(line), "plural"
        elif keyword.startswith("msgstr"):
            current.strings.append(_unquote(line))
            target = "msgstr"
        elif line.startswith('"') and current is not None:
            text = _unquote(line)
            if target == "msgstr":
                current.strings[-1] += text
            else:
                setattr(current, target, (getattr(current, target) or "") + text)
    finish()
    return entries


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    lines = escaped.split("\n")
    if len(lines) == 1:
        return f'"{escaped}"'
    parts = [line + "\\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    return '""\n' + "\n".join(f'"{part}"' for part in parts)


def format_entry(entry: Entry) -> str:
    out = [f"#: {entry.catalogue}"]
    if entry.context is not None:
        out.append(f"msgctxt {_quote(entry.context)}")
    out.append(f"msgid {_quote(entry.msgid)}")
    if entry.plural is not None:
        out.append(f"msgid_plural {_quote(entry.plural)}")
        out.append(f"msgstr[0] {_quote(entry.strings[0] if entry.strings else '')}")
    else:
        out.append(f"msgstr {_quote(entry.strings[0] if entry.strings else '')}")
    return "\n".join(out) + "\n"


def wagtail_catalogues(domain: str) -> list[tuple[str, Path]]:
    """(name, locale dir) of every installed Wagtail app that has a catalogue in this domain."""
    found = []
    for config in apps.get_app_configs():
        app = config.name
        if app != "wagtail" and not app.startswith("wagtail."):
            continue
        locale = WAGTAIL_ROOT.joinpath(*app.split(".")[1:], "locale")
        if (locale / "en" / "LC_MESSAGES" / f"{domain}.po").exists():
            found.append((app, locale))
    return found


def supplement_path(domain: str) -> Path:
    return SUPPLEMENT_DIR / f"{domain}.po"


def supplement_entries(domain: str) -> dict:
    path = supplement_path(domain)
    return {e.key: e for e in parse_po(path)} if path.exists() else {}


def update(domain: str) -> Path:
    """Refresh the supplement's msgids from the installed Wagtail, keeping its translations."""
    ours = supplement_entries(domain)
    written, blocks = set(), []
    for app, locale in wagtail_catalogues(domain):
        theirs = _translated_keys(locale, domain)
        for entry in parse_po(locale / "en" / "LC_MESSAGES" / f"{domain}.po"):
            if entry.key in written:
                continue
            kept = ours.get(entry.key)
            if kept is not None and kept.translated:
                entry.strings = kept.strings[:1]
            elif entry.key in theirs:
                continue
            else:
                entry.strings = [""]
            entry.catalogue = app
            written.add(entry.key)
            blocks.append(format_entry(entry))
    path = supplement_path(domain)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + "\n" + "\n".join(blocks), encoding="utf-8")
    return path


def _translated_keys(locale: Path, domain: str) -> set:
    path = locale / "id_ID" / "LC_MESSAGES" / f"{domain}.po"
    return {e.key for e in parse_po(path) if e.translated} if path.exists() else set()


def coverage(domain: str) -> list[tuple[str, int, int, int]]:
    """(catalogue, msgids, translated by Wagtail's id_ID, translated with the supplement)."""
    ours = {key for key, e in supplement_entries(domain).items() if e.translated}
    rows = []
    for app, locale in wagtail_catalogues(domain):
        keys = {e.key for e in parse_po(locale / "en" / "LC_MESSAGES" / f"{domain}.po")}
        theirs = _translated_keys(locale, domain) & keys
        rows.append((app, len(keys), len(theirs), len(theirs | (ours & keys))))
    return rows
