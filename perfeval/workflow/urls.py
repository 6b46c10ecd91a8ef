from django.urls import path, register_converter

from perfeval.filing.models import FilingKind
from perfeval.workflow import views


class FilingKindConverter:
    """A filing kind in an address (``project``), so that no other word after the year is taken for one."""

    regex = "|".join(FilingKind.values)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FilingKindConverter, "filing_kind")

app_name = "workflow"
urlpatterns = [
    path("reports/<int:report_id>/submit/", views.submit, name="submit"),
    path("reports/<int:report_id>/confirm/", views.confirm, name="confirm"),
    path("reports/<int:report_id>/withdraw/", views.withdraw, name="withdraw"),
    path("reports/<int:report_id>/last-year/", views.last_year, name="last_year"),
    path("reports/<int:report_id>/return/", views.return_report, name="return"),
    path("reports/<int:report_id>/approve/", views.approve, name="approve"),
    path("reports/<int:report_id>/forward/", views.forward, name="forward"),
    path("reports/<int:report_id>/reopen/", views.reopen, name="reopen"),
    path("reports/<int:report_id>/changes/", views.changes, name="changes"),
    path("reports/<int:report_id>/reasons/<int:reason_id>/resolve/", views.resolve, name="resolve"),
    path("reports/<int:report_id>/reasons/<int:reason_id>/reply/", views.reply, name="reply"),
    path("reports/<int:report_id>/history/", views.history, name="history"),
    path("review/", views.dashboard_latest, name="dashboard_latest"),
    path("review/<int:year>/", views.dashboard, name="dashboard"),
    path("review/<int:year>/export.xlsx", views.dashboard_export, name="dashboard_export"),
    path("review/bureaus/", views.bureau_overview, name="bureau_overview_latest"),
    path("review/<int:year>/bureaus/", views.bureau_overview, name="bureau_overview"),
    path("review/<int:year>/<filing_kind:kind>/", views.dashboard, name="dashboard_kind"),
    path("supervision/", views.supervision, name="supervision_latest"),
    path("supervision/<int:year>/", views.supervision, name="supervision"),
    path("periods/", views.periods, name="periods"),
]
