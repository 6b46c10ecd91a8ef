"""{% load notices %}{% todo user %}: the home page's to-do list for the user's role."""

from django import template
from django.utils import timezone

from perfeval.filing import access
from perfeval.notices.todo import department_todo, reviewer_todo

register = template.Library()


@register.inclusion_tag("notices/_todo.html")
def todo(user):
    today = timezone.localdate()
    return {
        "today": today,
        "reports": department_todo(user, today=today),
        "review": reviewer_todo(user, today=today),
        "bureau": access.is_bureau(user),  # the bureau's to-do also lists who has not submitted
    }
