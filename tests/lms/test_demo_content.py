"""The demo lessons teach the law as it stood at the bimtek (30 Oct – 2 Nov 2017).

UU 39/2004 was still in force; UU 18/2017 had passed the DPR on 25 Oct 2017 and many of its rules
waited for implementing regulations (shared domain notes, §2.7). The JSON files are read directly.
"""

import html
import json
import re
from pathlib import Path

import pytest

from courses.blocks import LessonStreamBlock
from lms.management.commands.load_demo_data import glossary_lesson

DEMO = Path(__file__).resolve().parents[2] / "lms" / "demo"


def read(name):
    return json.loads((DEMO / name).read_text(encoding="utf-8"))


LESSONS = {**read("lessons_a.json"), **read("lessons_b.json")}
OBJECTIVES = read("objectives.json")
GLOSSARY = read("glossary.json")


def units(text):
    """Sentences and list items of a text that may hold HTML, as plain strings."""
    text = re.sub(r"</?(p|li|ul|ol|br)\b[^>]*>", "\n", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return [
        sentence.strip()
        for line in text.splitlines()
        for sentence in re.split(r"(?<=[.!?])\s+", line)
        if sentence.strip()
    ]


def block_texts(value):
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return [text for key, text in value.items() if key != "kind"]


def module_units(code):
    texts = list(OBJECTIVES.get(code, []))
    for lesson in LESSONS[code]:
        texts += [lesson["title"], lesson["intro"]]
        for block in lesson["body"]:
            texts += block_texts(block["value"])
    return [unit for text in texts for unit in units(text)]


def glossary_units():
    return [unit for item in GLOSSARY for unit in units(item["term"] + ". " + item["definition"])]


def every_unit():
    return [unit for code in LESSONS for unit in module_units(code)] + glossary_units()


def matching(found, *patterns):
    return [unit for unit in found if all(re.search(pattern, unit, re.IGNORECASE) for pattern in patterns)]


# Any wording that says the worker is (or will be) free of placement costs.
COST_FREEDOM = r"Pasal 30|biaya penempatan tidak|(dibebani|dibebankan|membebaskan|dibebaskan)\b.{0,40}biaya penempatan"
WAITS_FOR_REGULATION = r"menunggu|peraturan pelaksana|peraturan Badan"
LAW_IN_FORCE = r"UU (Nomor 39 Tahun 2004|39/2004)"


def test_every_lesson_is_valid_for_the_lesson_stream_and_fits_its_fields():
    stream = LessonStreamBlock()
    every = [lesson for code in LESSONS for lesson in LESSONS[code]] + [glossary_lesson(GLOSSARY)]
    for lesson in every:
        stream.clean(stream.to_python(lesson["body"]))  # raises on an unknown block or an overlong field
        assert len(lesson["intro"]) <= 250, lesson["title"]
    assert len(every) == 45  # 44 lessons and the glossary
    assert all(1 <= len(LESSONS[code]) <= 4 for code in LESSONS)
    assert len(LESSONS["M05"]) + 1 <= 4  # the glossary lesson joins M05


def test_no_text_calls_placement_already_free_without_the_wait_for_its_regulation():
    everything = every_unit() + [unit for code in OBJECTIVES for text in OBJECTIVES[code] for unit in units(text)]
    assert not matching(everything, r"biaya penempatan tidak boleh dibebankan kepada pekerja")
    unqualified = [unit for unit in matching(everything, COST_FREEDOM) if not re.search(WAITS_FOR_REGULATION, unit)]
    assert unqualified == []
    for code in ("M04", "M05", "M11"):
        assert matching(module_units(code), r"Pasal 30", WAITS_FOR_REGULATION), code
    assert matching(units(" ".join(OBJECTIVES["M04"])), r"Pasal 30", r"peraturan pelaksana")


def test_uu_39_2004_is_named_the_law_in_force_and_its_cost_rule_is_taught():
    for code in ("M04", "M05"):
        assert matching(module_units(code), LAW_IN_FORCE, r"(masih|yang) berlaku"), code
    assert matching(module_units("M04"), r"Pasal 76", r"PPTKIS")
    assert matching(module_units("M04"), r"struktur biaya resmi")


def test_safe_migration_lessons_give_the_minimum_ages():
    m04 = module_units("M04")
    assert matching(m04, r"\b18 tahun\b", r"Pasal 5\b")
    assert matching(m04, r"\b21 tahun\b", r"pengguna perseorangan", r"Pasal 35\b")
    assert matching(module_units("M07"), r"\b18 tahun\b", r"\b21 tahun\b", r"pengguna perseorangan")


def test_the_middle_east_domestic_work_ban_is_taught_as_the_common_illegal_route():
    kepmenaker = r"Kepmenaker (Nomor 260 Tahun 2015|260/2015)"
    assert matching(module_units("M04"), kepmenaker, r"pengguna perseorangan", r"Timur Tengah")
    for code in ("M09", "M11"):
        assert matching(module_units(code), kepmenaker, r"perseorangan|rumah tangga"), code


def test_the_family_consent_letter_is_known_by_the_village_head():
    letter = (r"surat izin", r"suami|orang tua|wali", r"diketahui (oleh )?kepala desa")
    for code in ("M04", "M05"):
        assert matching(module_units(code), *letter), code
    assert matching(module_units("M05"), r"surat izin", r"Pasal 13 huruf b")
    assert matching(glossary_units(), *letter)


def test_glossary_gives_the_2017_bodies_and_the_later_names_only_as_later():
    terms = [item["term"] for item in GLOSSARY]
    assert {"BNP2TKI", "BP3TKI", "SISKOTKLN"} <= set(terms)
    assert not [term for term in terms if re.match(r"BP2MI|BP3MI|SISKOP2MI", term)]
    later_names = matching(every_unit(), r"\b(BP2MI|BP3MI|SISKOP2MI)\b")
    assert later_names and all("kemudian" in unit for unit in later_names)


def test_m15_does_not_list_bank_indonesia_as_a_bank_for_families():
    m15 = module_units("M15")
    assert not [unit for unit in matching(m15, r"Bank Indonesia") if re.search(r"\b(BRI|BNI|BTN|Mandiri)\b", unit)]
    assert matching(m15, r"Bank Indonesia adalah bank sentral")
    assert matching(m15, r"\bBRI\b", r"\bBNI\b", r"\bBTN\b", r"Mandiri")


def test_m09_does_not_call_every_salary_deduction_loan_dangerous():
    m09 = module_units("M09")
    assert not matching(m09, r"pinjaman yang harus dilunasi dengan potong gaji")
    assert not matching(m09, r"Utang yang harus dibayar dari gaji membuat")
    deductions = matching(m09, r"potong(an)? gaji|dari gaji|dipotong")
    assert deductions and all(re.search(r"biaya resmi|tidak berizin", unit) for unit in deductions)
    assert matching(m09, r"KUR-TKI", r"\bsah\b")


@pytest.mark.parametrize("source", ["M08", "glossary"])
def test_no_text_makes_jkk_jkm_mandatory_without_naming_the_regulation(source):
    found = glossary_units() if source == "glossary" else module_units(source)
    assert not [unit for unit in matching(found, r"\b(JKK|JKM)\b", r"wajib") if "Permenaker" not in unit]


def test_m08_calls_jkk_jkm_the_core_cover_and_leaves_the_rules_to_permenaker_7_2017():
    m08 = module_units("M08")
    assert matching(m08, r"JKK dan JKM", r"perlindungan pokok")
    assert matching(m08, r"wajib|harus diikuti", r"Permenaker 7/2017")
    assert matching(glossary_units(), r"JKK", r"Permenaker 18/2018 kemudian")


def test_ltsa_is_defined_at_province_and_district_level():
    definitions = [item["definition"] for item in GLOSSARY if item["term"] == "LTSA"] + [
        block["value"]["definition"]
        for code in LESSONS
        for lesson in LESSONS[code]
        for block in lesson["body"]
        if block["type"] == "glossary_term" and block["value"]["term"].startswith("LTSA")
    ]
    assert definitions and all("provinsi" in text for text in definitions)


def test_the_apjii_2017_survey_is_cited_with_its_2018_publication():
    surveys = matching(every_unit(), r"survei|APJII")
    assert surveys and all("Februari 2018" in unit for unit in surveys if "2017" in unit)
