"""Assessments' part in courses' screens: its quizzes as steps of the program outline."""

from wagtail import hooks

from courses.selectors import OUTLINE_STEPS_HOOK

from .selectors import quiz_steps

hooks.register(OUTLINE_STEPS_HOOK, quiz_steps)
