"""Quizzes as Wagtail pages (quiz → ordered questions → choices), their windows, attempts and answers.

The shape is that of `wagtail.contrib.forms`: a page, its ordered rows, and plain records of
what each companion submitted. Scoring itself lives in `assessments.scoring` (pure functions);
writes go through `assessments.services`.
"""

from decimal import Decimal
from fractions import Fraction

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from courses.models import ModulePage, ProgramPage, ReaderOnlyPage

from .forms import QuizPageForm
from .specs import ChoiceSpec, QuestionKind, QuestionSpec


class QuizKind(models.TextChoices):
    PRE_TEST = "pre_test", _("Pre-test")
    MODULE_QUIZ = "module_quiz", _("Module quiz")
    POST_TEST = "post_test", _("Post-test")
    EVALUATION = "evaluation", _("Evaluation")


class FeedbackTiming(models.TextChoices):
    IMMEDIATELY = "immediately", _("Right after submitting")
    AFTER_CLOSE = "after_close", _("After the quiz window closes")
    NEVER = "never", _("Never")


QUESTION_KIND_CHOICES = [
    (QuestionKind.SINGLE_CHOICE.value, _("Single choice")),
    (QuestionKind.MULTIPLE_CHOICE.value, _("Multiple choice")),
    (QuestionKind.TRUE_FALSE.value, _("True or false")),
    (QuestionKind.SHORT_ANSWER.value, _("Short answer")),
    (QuestionKind.LIKERT.value, _("Likert scale 1–4")),
    (QuestionKind.FREE_TEXT.value, _("Free text")),
]

# Where each kind of quiz sits in the page tree: module quizzes under their module, the rest under the program.
KIND_PARENTS = {
    QuizKind.PRE_TEST: ProgramPage,
    QuizKind.POST_TEST: ProgramPage,
    QuizKind.EVALUATION: ProgramPage,
    QuizKind.MODULE_QUIZ: ModulePage,
}


class QuizPage(ReaderOnlyPage):
    """A pre-test, module quiz, post-test or evaluation. Companions take it at `assessments:quiz`."""

    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=QuizKind.choices,
        help_text=_("Pre-test, post-test and evaluation sit under the program, a module quiz under its module."),
    )
    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "ol", "ul", "link"],
        help_text=_("What the quiz is for and how to answer, shown before a companion starts."),
    )
    jp_hours = models.PositiveSmallIntegerField(
        _("JP"), default=0, help_text=_("Jam pelajaran (lesson hours of 45 minutes) the quiz counts for.")
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("The lowest score out of 100 that passes. Leave empty to use the program's pass mark."),
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("How many times a companion may take the quiz."),
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no time limit. When time runs out, the saved answers are scored."),
    )
    shuffle_questions = models.BooleanField(
        _("shuffle questions"),
        default=False,
        help_text=_("Each attempt gets its own order, which stays the same for that attempt."),
    )
    shuffle_choices = models.BooleanField(
        _("shuffle choices"),
        default=False,
        help_text=_("Each attempt gets its own order of choices, which stays the same for that attempt."),
    )
    feedback_timing = models.CharField(
        _("feedback and correct answers"),
        max_length=20,
        choices=FeedbackTiming.choices,
        default=FeedbackTiming.IMMEDIATELY,
        help_text=_("When a companion sees the feedback and the correct answers."),
    )
    question_source = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reusers",
        verbose_name=_("use the questions of"),
        help_text=_("A post-test can ask the pre-test's questions, so the gain is measured on the same items."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("jp_hours"),
                FieldPanel("pass_mark"),
                FieldPanel("attempts_allowed"),
                FieldPanel("time_limit_minutes"),
                FieldPanel("shuffle_questions"),
                FieldPanel("shuffle_choices"),
                FieldPanel("feedback_timing"),
            ],
            heading=_("Rules"),
        ),
        FieldPanel("question_source"),
        InlinePanel("questions", heading=_("Questions"), label=_("Question")),
    ]

    base_form_class = QuizPageForm
    parent_page_types = ["courses.ProgramPage", "courses.ModulePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pass_mark__isnull=True) | models.Q(pass_mark__lte=100),
                name="assessments_quiz_pass_mark_range",
                violation_error_message=_("The pass mark lies between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=models.Q(attempts_allowed__gte=1),
                name="assessments_quiz_at_least_one_attempt",
                violation_error_message=_("A quiz allows at least one attempt."),
            ),
            models.CheckConstraint(
                condition=models.Q(time_limit_minutes__isnull=True) | models.Q(time_limit_minutes__gte=1),
                name="assessments_quiz_time_limit_positive",
                violation_error_message=_("A time limit is at least one minute."),
            ),
            models.CheckConstraint(
                condition=~models.Q(question_source=models.F("id")),
                name="assessments_quiz_source_not_itself",
                violation_error_message=_("A quiz cannot use its own questions as its source."),
            ),
        ]

    def get_reader_url(self) -> str:
        return reverse("assessments:quiz", args=[self.pk])

    def serve(self, request, *args, **kwargs):
        if getattr(request, "is_preview", False):
            return Page.serve(self, request, *args, **kwargs)
        return self.refuse_stranger(request) or redirect(self.get_reader_url())

    @cached_property
    def program(self) -> ProgramPage | None:
        """The program the quiz belongs to (live or not): its parent, or its module's parent."""
        return ProgramPage.objects.ancestor_of(self).first()

    @property
    def effective_pass_mark(self) -> int:
        """The quiz's own pass mark, else its program's (70 by default)."""
        if self.pass_mark is not None:
            return self.pass_mark
        program = self.program
        return program.pass_mark if program is not None else 70

    @property
    def is_scored(self) -> bool:
        return self.kind != QuizKind.EVALUATION

    def question_rows(self) -> models.QuerySet["Question"]:
        """The questions asked: those of `question_source` when set, else the quiz's own, in order, with choices."""
        return (
            Question.objects.filter(quiz_id=self.question_source_id or self.pk)
            .select_related("module")
            .prefetch_related("choices")
            .order_by("sort_order", "pk")
        )


class Question(ClusterableModel, Orderable):
    """One question of a quiz, with its choices; tagged with the module whose topic it tests."""

    quiz = ParentalKey(QuizPage, on_delete=models.CASCADE, related_name="questions", verbose_name=_("quiz"))
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=QUESTION_KIND_CHOICES,
        default=QuestionKind.SINGLE_CHOICE.value,
        help_text=_("Likert and free text are for evaluations and are not scored."),
    )
    name = models.CharField(
        _("name"), max_length=200, blank=True, help_text=_("A short name for reports, such as Q01 Migrasi aman.")
    )
    text = models.TextField(_("question"), help_text=_("The question as a companion reads it."))
    module = models.ForeignKey(
        ModulePage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("module"),
        help_text=_("The module whose topic the question tests; results roll up by it."),
    )
    accepted_answers = models.TextField(
        _("accepted answers"),
        blank=True,
        help_text=_(
            "Short answer only: one accepted answer a line. Case, extra spaces and a final full stop are ignored."
        ),
    )
    correct = models.BooleanField(
        _("correct answer"), null=True, blank=True, help_text=_("True or false only: whether the statement is true.")
    )
    feedback_right = models.TextField(
        _("feedback when right"), blank=True, help_text=_("True or false: shown after a right answer.")
    )
    feedback_wrong = models.TextField(
        _("feedback when wrong"), blank=True, help_text=_("True or false: shown after a wrong answer.")
    )
    general_feedback = models.TextField(
        _("general feedback"), blank=True, help_text=_("Shown after submitting, whatever the answer.")
    )

    panels = [
        FieldPanel("kind"),
        FieldPanel("name"),
        FieldPanel("text"),
        FieldPanel("module"),
        InlinePanel("choices", heading=_("Choices"), label=_("Choice")),
        FieldPanel("accepted_answers"),
        FieldPanel("correct"),
        FieldPanel("feedback_right"),
        FieldPanel("feedback_wrong"),
        FieldPanel("general_feedback"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.name or self.text[:60]

    @property
    def accepted_answer_list(self) -> list[str]:
        return [line.strip() for line in self.accepted_answers.splitlines() if line.strip()]

    def ordered_choices(self) -> list["Choice"]:
        """The choices in the editor's order; sorted here so unsaved (previewed) rows work too."""
        return sorted(self.choices.all(), key=lambda choice: (choice.sort_order is None, choice.sort_order or 0))

    def to_spec(self) -> QuestionSpec:
        """The question as the scoring functions and the GIFT writer take it; choices in their order."""
        return QuestionSpec(
            kind=QuestionKind(self.kind),
            text=self.text,
            name=self.name,
            choices=tuple(
                ChoiceSpec(text=choice.text, weight=Fraction(choice.weight), feedback=choice.feedback)
                for choice in self.ordered_choices()
            ),
            accepted_answers=tuple(self.accepted_answer_list),
            correct=self.correct,
            feedback_right=self.feedback_right,
            feedback_wrong=self.feedback_wrong,
            general_feedback=self.general_feedback,
        )


class Choice(Orderable):
    """A choice of a choice question (or a Likert label), worth `weight` of the question's mark."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question"))
    text = models.TextField(_("text"), help_text=_("The choice as a companion reads it."))
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=5,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(-1)), MaxValueValidator(Decimal(1))],
        help_text=_("1 for a right choice, 0 for a wrong one, a fraction for partial credit, negative for a penalty."),
    )
    feedback = models.TextField(_("feedback"), blank=True, help_text=_("Shown after submitting when chosen."))

    panels = [FieldPanel("text"), FieldPanel("weight"), FieldPanel("feedback")]

    class Meta(Orderable.Meta):
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gte=-1, weight__lte=1),
                name="assessments_choice_weight_range",
                violation_error_message=_("A choice's weight lies between -1 and 1."),
            ),
        ]

    def __str__(self):
        return self.text[:60]


class QuizWindow(models.Model):
    """When a cohort may take a quiz. Without a window the quiz is open over the cohort's days."""

    quiz = models.ForeignKey(QuizPage, on_delete=models.CASCADE, related_name="windows", verbose_name=_("quiz"))
    cohort = models.ForeignKey(
        "courses.Cohort", on_delete=models.CASCADE, related_name="quiz_windows", verbose_name=_("cohort")
    )
    opens_at = models.DateTimeField(_("opens at"), help_text=_("From when companions of the cohort can start."))
    closes_at = models.DateTimeField(
        _("closes at"), help_text=_("After this no attempt starts; attempts under way end by it.")
    )

    class Meta:
        ordering = ["opens_at"]
        verbose_name = _("quiz window")
        verbose_name_plural = _("quiz windows")
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "cohort"],
                name="assessments_window_once_per_cohort",
                violation_error_message=_("This cohort already has a window for this quiz."),
            ),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="assessments_window_ordered",
                violation_error_message=_("A window closes after it opens."),
            ),
        ]

    def __str__(self):
        return f"{self.quiz} — {self.cohort}"


class Attempt(models.Model):
    """One companion's go at a quiz, numbered from 1 within the enrollment.

    The order of questions and choices is drawn at the start and kept, so a reload shows the
    same page. `deadline` is the earlier of the time limit and the window's close; past it the
    saved answers are scored. The score is a percentage, None for an evaluation.
    """

    quiz = models.ForeignKey(QuizPage, on_delete=models.PROTECT, related_name="attempts", verbose_name=_("quiz"))
    enrollment = models.ForeignKey(
        "courses.Enrollment", on_delete=models.PROTECT, related_name="attempts", verbose_name=_("enrollment")
    )
    number = models.PositiveSmallIntegerField(_("attempt number"), default=1)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    question_order = models.JSONField(_("question order"), default=list, blank=True)
    choice_order = models.JSONField(_("choice order"), default=dict, blank=True)

    class Meta:
        ordering = ["enrollment", "quiz", "number"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "quiz", "number"],
                name="assessments_attempt_unique_number",
                violation_error_message=_("This attempt has already been started."),
            ),
            models.UniqueConstraint(
                fields=["enrollment", "quiz"],
                condition=models.Q(submitted_at__isnull=True),
                name="assessments_attempt_one_open",
                violation_error_message=_("You already have an attempt in progress for this quiz."),
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1),
                name="assessments_attempt_number_from_one",
                violation_error_message=_("Attempts are numbered from 1."),
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=100),
                name="assessments_attempt_score_range",
                violation_error_message=_("A score lies between 0 and 100."),
            ),
        ]

    def __str__(self):
        return f"{self.enrollment} — {self.quiz} #{self.number}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    def is_expired(self, now=None) -> bool:
        """Past its deadline and not yet submitted: its saved answers are to be scored."""
        return self.submitted_at is None and self.deadline is not None and (now or timezone.now()) >= self.deadline


class Response(models.Model):
    """A companion's answer to one question of an attempt, saved as it changes and scored at submit.

    `answer` by kind: single choice a choice id; multiple choice a list of choice ids; true/false
    a bool; short answer and free text a string; Likert an int 1…4. `score` is the share of the
    question's mark (0…1), None until submitted and for unscored kinds.
    """

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses", verbose_name=_("attempt"))
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="responses", verbose_name=_("question")
    )
    answer = models.JSONField(_("answer"), null=True, blank=True)
    saved_at = models.DateTimeField(_("saved at"), auto_now=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=5, null=True, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"],
                name="assessments_response_once_per_question",
                violation_error_message=_("This question already has an answer in this attempt."),
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=1),
                name="assessments_response_score_range",
                violation_error_message=_("A question's score lies between 0 and 1."),
            ),
        ]

    def __str__(self):
        return f"{self.attempt} — {self.question}"
