"""What the program and module pages show of the reader's progress.

Template tags rather than `get_context`, so the page models never import the selectors that
read them.
"""

from django import template

from courses import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def program_outline(context, program):
    return selectors.program_outline(user=context["request"].user, program=program)


@register.simple_tag(takes_context=True)
def module_lessons(context, module):
    return selectors.module_lessons(user=context["request"].user, module=module)
