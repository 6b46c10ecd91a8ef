"""The authentication backend: Django's ModelBackend, whose ``get_user`` (run on every request behind login)
also brings what every page's navigation bar prints — the user's department and bureau, and the bell's unread
count — in the same one query instead of three more."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models.expressions import RawSQL

from perfeval.notices.models import Notice


def unread_count_sql(user_table: str) -> RawSQL:
    """The unread notices of the user row of ``user_table`` (the index notice_recipient_unread answers it)."""
    notices = Notice._meta.db_table
    return RawSQL(
        f'SELECT COUNT(*) FROM "{notices}" WHERE "{notices}"."recipient_id" = "{user_table}"."id" '
        f'AND "{notices}"."read_at" IS NULL',
        (),
    )


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        users = (
            model._default_manager.select_related("department", "bureau")
            .annotate(unread_notice_count=unread_count_sql(model._meta.db_table))
            .filter(pk=user_id)
            .order_by()[:1]  # by its key: no ORDER BY to compile on every request
        )
        user = next(iter(users), None)
        return user if user is not None and self.user_can_authenticate(user) else None
