from django.utils.functional import SimpleLazyObject

from perfeval.filing import access
from perfeval.notices.models import Notice


def bell(request) -> dict:
    """The unread count of the navbar's bell: counted with the user (perfeval.notices.auth), else one COUNT made
    only when a page prints it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    counted = getattr(user, "unread_notice_count", None)  # by perfeval.notices.auth with the user
    if counted is not None:
        return {"unread_notices": counted}
    return {
        "unread_notices": SimpleLazyObject(
            lambda: access.notices_visible_to(user, Notice.objects.filter(read_at__isnull=True)).count()
        )
    }
