"""GIFT as Moodle writes it: every feature, malformed files, and round trips through dump."""

from fractions import Fraction

import pytest

from django.utils import translation

from assessments.gift import GiftError, GiftErrors, dump, parse
from assessments.specs import ChoiceSpec, QuestionKind, QuestionSpec


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in their English source; the Indonesian awaits the catalogue merge.
    with translation.override("en"):
        yield


def parse_one(text: str) -> QuestionSpec:
    [question] = parse(text)
    return question


def errors_of(text: str) -> list[tuple[int, str]]:
    with pytest.raises(GiftErrors) as caught:
        parse(text)
    return [(error.line, error.message) for error in caught.value.errors]


def test_single_choice_with_one_right_answer():
    question = parse_one("Berapa pilar Program Desmigratif? {~3 =4 ~5}")
    assert question.kind == QuestionKind.SINGLE_CHOICE
    assert question.text == "Berapa pilar Program Desmigratif?"
    assert question.choices == (ChoiceSpec("3", 0), ChoiceSpec("4", 1), ChoiceSpec("5", 0))
    assert question.line == 1


def test_missing_word_form_puts_a_blank_where_the_answers_were():
    question = parse_one("Grant is {~buried =entombed ~living} in Grant's tomb.")
    assert question.text == "Grant is _____ in Grant's tomb."
    assert [choice.text for choice in question.choices] == ["buried", "entombed", "living"]


def test_several_right_answers_with_wrong_ones_make_single_choice_with_each_fully_right():
    question = parse_one("Siapa yang memilih pendamping Desmigratif? {=musyawarah desa =musdes ~bupati ~camat}")
    assert question.kind == QuestionKind.SINGLE_CHOICE
    assert [choice.weight for choice in question.choices] == [1, 1, 0, 0]


def test_percentage_weights_without_an_equals_sign_make_multiple_choice():
    question = parse_one(
        "Program BPJS Ketenagakerjaan yang wajib bagi PMI adalah … {~%50%JKK ~%50%JKM ~%-100%JHT ~%-33.33333%JP}"
    )
    assert question.kind == QuestionKind.MULTIPLE_CHOICE
    assert [choice.weight for choice in question.choices] == [
        Fraction(1, 2),
        Fraction(1, 2),
        Fraction(-1),
        Fraction(-3333333, 10000000),
    ]


def test_weights_on_right_answers_and_partial_credit_in_single_choice():
    question = parse_one("UU yang menggantikan UU 39/2004 adalah … {=%100%UU 18/2017 ~%50%UU 13/2003 ~UU 6/2014}")
    assert question.kind == QuestionKind.SINGLE_CHOICE
    assert [choice.weight for choice in question.choices] == [1, Fraction(1, 2), 0]
    assert question.choices[0].text == "UU 18/2017"


@pytest.mark.parametrize(
    ("answers", "correct"), [("T", True), ("TRUE", True), ("F", False), ("FALSE", False), ("true", True)]
)
def test_true_false_forms(answers, correct):
    question = parse_one(f"Biaya penempatan boleh dibebankan kepada PMI. {{{answers}}}")
    assert question.kind == QuestionKind.TRUE_FALSE
    assert question.correct is correct


def test_true_false_first_feedback_is_for_a_wrong_answer_and_the_second_for_a_right_one():
    question = parse_one(
        "Biaya penempatan boleh dibebankan kepada PMI. {F#Keliru: lihat Pasal 30.#Benar, tidak boleh.}"
    )
    assert question.correct is False
    assert question.feedback_wrong == "Keliru: lihat Pasal 30."
    assert question.feedback_right == "Benar, tidak boleh."


def test_short_answer_with_several_accepted_answers():
    question = parse_one("Ciri khas perdagangan orang adalah perekrutan untuk tujuan … {=eksploitasi =pemerasan}")
    assert question.kind == QuestionKind.SHORT_ANSWER
    assert question.accepted_answers == ("eksploitasi", "pemerasan")


def test_short_answer_as_moodle_writes_it_with_full_weights_and_feedback():
    question = parse_one("Singkatan PMI? {=%100%Pekerja Migran Indonesia#Tepat. =%100%pekerja migran}")
    assert question.accepted_answers == ("Pekerja Migran Indonesia", "pekerja migran")
    assert question.feedback_right == "Tepat."


def test_short_answer_keeps_non_ascii_text():
    question = parse_one("Makanan khas? {=Kué lapis =kue lapis legit}")
    assert question.accepted_answers == ("Kué lapis", "kue lapis legit")


def test_question_name_per_answer_feedback_and_general_feedback():
    question = parse_one(
        "::Pilar PLM::Pilar manakah yang berlokasi di balai desa? "
        "{=Pusat Layanan Migrasi#Benar. ~Koperasi#Bukan. ####Lihat modul M01.}"
    )
    assert question.name == "Pilar PLM"
    assert question.text == "Pilar manakah yang berlokasi di balai desa?"
    assert question.choices[0] == ChoiceSpec("Pusat Layanan Migrasi", 1, "Benar.")
    assert question.choices[1] == ChoiceSpec("Koperasi", 0, "Bukan.")
    assert question.general_feedback == "Lihat modul M01."


def test_comments_and_categories_apply_to_the_following_questions():
    questions = parse(
        "// Bank soal pre-test\n"
        "$CATEGORY: $course$/top/Pre-test\n"
        "\n"
        "// pilar\n"
        "Berapa pilar? {=4 ~3}\n"
        "\n"
        "$CATEGORY: $course$/top/M08\n"
        "\n"
        "JHT wajib bagi PMI. {F}\n"
    )
    assert [(question.category, question.line) for question in questions] == [
        ("$course$/top/Pre-test", 5),
        ("$course$/top/M08", 9),
    ]


def test_format_tags_are_dropped_and_the_text_kept():
    question = parse_one("::Q::[html]<b>Berapa</b> pilar? {=[plain]4#[markdown]*Benar* ~[moodle]3}")
    assert question.text == "<b>Berapa</b> pilar?"
    assert question.choices[0] == ChoiceSpec("4", 1, "*Benar*")
    assert question.choices[1].text == "3"


def test_escapes_stand_for_the_character_itself():
    question = parse_one(r"Tulis \{a\} \= b\: c \~ d \# e \\ f\nbaris dua {=x \= y ~z \~ w}")
    assert question.text == "Tulis {a} = b: c ~ d # e \\ f\nbaris dua"
    assert [choice.text for choice in question.choices] == ["x = y", "z ~ w"]


def test_an_unknown_escape_is_kept_as_written():
    assert parse_one(r"Jalur C:\data\x {=ya ~tidak}").text == r"Jalur C:\data\x"


def test_questions_and_feedback_over_several_lines():
    question = parse_one(
        "::M05::Tiga tahap pelindungan PMI\n"
        "menurut UU 18/2017 adalah … {\n"
        "=sebelum, selama, dan setelah bekerja#Benar,\n"
        "lihat Pasal 7.\n"
        "~hanya selama bekerja\n"
        "####Pelindungan mencakup\n"
        "seluruh tahap.\n"
        "}"
    )
    assert question.text == "Tiga tahap pelindungan PMI\nmenurut UU 18/2017 adalah …"
    assert question.choices[0].feedback == "Benar,\nlihat Pasal 7."
    assert question.choices[1] == ChoiceSpec("hanya selama bekerja", 0)
    assert question.general_feedback == "Pelindungan mencakup\nseluruh tahap."


def test_questions_are_separated_by_blank_lines_and_keep_their_lines():
    questions = parse("Satu? {T}\n\n\n  \nDua? {F}\nLanjutan\n\nTiga? {=a ~b}\n")
    assert [question.line for question in questions] == [1, 5, 8]
    assert questions[1].text == "Dua? _____\nLanjutan"


def test_an_empty_file_or_comments_only_has_no_questions():
    assert parse("") == []
    assert parse("\n// hanya komentar\n\n$CATEGORY: x\n") == []


def test_numerical_question_refuses_the_file_with_its_line():
    text = "Berapa pilar? {=4 ~3}\n\n// angka\nBerapa JP dalam bimtek? {#36}\n"
    assert errors_of(text) == [
        (4, "Line 4: Balai cannot score numerical questions ({#…}); remove it or turn it into multiple choice.")
    ]


def test_matching_question_refuses_the_file_with_its_line():
    text = "Pasangkan. {\n=JKK -> kecelakaan kerja\n=JKM -> kematian\n}"
    assert errors_of(text) == [
        (1, "Line 1: Balai cannot score matching questions (->); remove it or turn it into multiple choice.")
    ]


def test_essay_question_refuses_the_file_with_the_line_of_its_braces():
    text = "Berapa pilar? {=4 ~3}\n\nCeritakan pengalaman\nAnda di desa. {}"
    assert errors_of(text) == [
        (4, "Line 4: Balai cannot score essay questions ({}); remove it or turn it into multiple choice.")
    ]


def test_every_error_in_a_file_is_reported_at_once():
    text = "A {#1}\n\nB tanpa jawaban\n\nC {=x ~y\n\n::D tanpa penutup {=a ~b}"
    assert errors_of(text) == [
        (1, "Line 1: Balai cannot score numerical questions ({#…}); remove it or turn it into multiple choice."),
        (3, "Line 3: the question has no answers between { and }."),
        (5, "Line 5: the { that opens the answers is not closed with }."),
        (7, "Line 7: the question name that starts with :: is not closed with ::."),
    ]


def test_errors_are_gift_errors_with_a_line():
    with pytest.raises(GiftErrors) as caught:
        parse("A {#1}")
    [error] = caught.value.errors
    assert isinstance(error, GiftError)
    assert error.line == 1
    assert str(caught.value) == error.message


def test_choice_problems_name_the_line_of_the_answer():
    text = "Pilih {\n=benar\n~%150%terlalu\n~#hanya umpan balik\n}"
    assert errors_of(text) == [
        (3, "Line 3: a weight must lie between -100 and 100, not 150."),
        (4, "Line 4: an answer is empty."),
    ]


def test_a_choice_question_needs_two_choices_and_a_right_answer():
    assert errors_of("Satu pilihan {~a}\n\nTanpa yang benar {~%-50%a ~b}") == [
        (1, "Line 1: a choice question needs at least two choices."),
        (3, "Line 3: the question has no right answer."),
    ]


def test_a_partial_weight_on_a_short_answer_is_refused():
    assert errors_of("Singkatan PMI? {=Pekerja Migran Indonesia =%50%pekerja}") == [
        (1, "Line 1: Balai scores short answers as right or wrong; remove the partial weight from “pekerja”.")
    ]


def test_a_question_without_text_is_refused():
    assert errors_of("::Nama::{=a ~b}") == [(1, "Line 1: the question has no text.")]


RICH_SAMPLE = r"""// Bank soal Bimtek Pendamping Desmigratif
$CATEGORY: $course$/top/Pre-test

::Pilar::[html]Berapa pilar Program Desmigratif? {
	~3#Kurang.
	=4#Benar: empat pilar.
	~5
	####Lihat modul M01.
}

::PLM::Pilar yang berlokasi di {=Pusat Layanan Migrasi ~Koperasi Desmigratif} melayani informasi pasar kerja.

::BPJS::Program BPJS Ketenagakerjaan yang wajib bagi PMI adalah … {
	~%50%JKK
	~%50%JKM
	~%-100%JHT#Sukarela sejak 2018.
	~%-33.33333%JP
}

$CATEGORY: $course$/top/M05

::Biaya::Menurut UU 18/2017, biaya penempatan boleh dibebankan kepada PMI. {FALSE#Keliru: Pasal 30.#Benar.}

::TPPO::Perekrutan dengan penipuan untuk tujuan … {=%100%eksploitasi#Tepat. =%100%pemerasan}

::Escapes\: semua::Tanda \{ \} \= \~ \# \: dan \\ serta\nbaris baru {
	=x \= y
	~%50%[plain]%50% diskon
	~//bukan komentar
}

Pendamping dipilih oleh {=musyawarah desa =musdes ~bupati}.

[markdown][html] tetap ditulis? {T##Ya.}
"""


def test_round_trip_of_a_rich_sample_gives_equal_questions():
    questions = parse(RICH_SAMPLE)
    assert len(questions) == 8
    assert questions[5].name == "Escapes: semua"
    assert questions[5].text == "Tanda { } = ~ # : dan \\ serta\nbaris baru"
    assert questions[5].choices[1] == ChoiceSpec("%50% diskon", Fraction(1, 2))
    assert questions[5].choices[2].text == "//bukan komentar"
    assert questions[7].text == "[html] tetap ditulis?"
    assert questions[7].feedback_right == "Ya."
    assert parse(dump(questions)) == questions


def test_dump_writes_moodle_markers():
    text = dump(parse(RICH_SAMPLE))
    assert "$CATEGORY: $course$/top/Pre-test\n\n::Pilar::Berapa pilar Program Desmigratif? {\n\t~3#Kurang.\n" in text
    assert "\t~%-33.33333%JP\n" in text
    assert "\tFALSE#Keliru\\: Pasal 30.#Benar.\n" in text
    assert "\t=%100%eksploitasi#Tepat.\n" in text


def test_round_trip_of_specs_built_in_code():
    questions = [
        QuestionSpec(
            kind=QuestionKind.SINGLE_CHOICE,
            text="Hanya nilai sebagian",
            choices=(ChoiceSpec("a", Fraction(1, 2)), ChoiceSpec("b", 0), ChoiceSpec("c", Fraction(-1, 4))),
        ),
        QuestionSpec(kind=QuestionKind.MULTIPLE_CHOICE, text="Tiga", choices=(ChoiceSpec("x", 1), ChoiceSpec("y", 0))),
        QuestionSpec(kind=QuestionKind.TRUE_FALSE, text="// Benar?", correct=True, feedback_right="#1"),
        QuestionSpec(kind=QuestionKind.SHORT_ANSWER, text="T", accepted_answers=("T",), category="Lain"),
    ]
    assert parse(dump(questions)) == questions


def test_dump_refuses_kinds_gift_cannot_hold():
    with pytest.raises(ValueError):
        dump([QuestionSpec(kind=QuestionKind.LIKERT, text="Materi jelas.")])


def test_dump_of_nothing_is_empty():
    assert dump([]) == ""
