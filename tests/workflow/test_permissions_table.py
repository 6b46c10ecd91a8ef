"""Who may do what, role × status × action, against the real views (perfeval.filing.access states the rules).

For each status the report is brought there through the workflow, then every role tries every action through
its view, each attempt rolled back so the next one starts from the same report; the buttons of the report page
must offer exactly what the views allow.
"""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from perfeval.evidence.models import Evidence
from perfeval.evidence.services import Place, add_evidence
from perfeval.excel.models import ImportUpload
from perfeval.filing.models import FindingExplanation, Report, Status
from perfeval.publishing import services as publishing
from perfeval.workflow import services
from perfeval.workflow.models import HeadConfirmation, ReturnReason
from tests.editing.helpers import form_data
from tests.evidence import files as evidence_files
from tests.excel.helpers import demo_workbook, to_bytes

# administrator: the demo's superuser; supervisor: the 主管部门 reviewer of 株洲市民政局's units (not of
# 株洲市信访局); district: the reviewer of 株洲市芦淞区财政局, a bureau below the one owning the demo.
ROLES = ("preparer", "head", "other", "reviewer", "administrator", "supervisor", "district")
USERNAMES = {
    "preparer": "zzxfj_preparer",
    "head": "zzxfj_head",
    "other": "zzmzj_preparer",
    "reviewer": "reviewer",
    "administrator": "admin",
    "supervisor": "zzmzj_supervisor",
    "district": "lusong_reviewer",
}
DEPARTMENT = "preparer head"
BUREAU = "reviewer administrator"
EDITABLE = ("draft", "returned")
# A department without a 主管部门 never waits with one.
DEMO_STATUSES = [s for s in Status.values if s != Status.SUPERVISOR_REVIEW]

# action → {status: the roles that may}; a status not listed: nobody.
ALLOWED = {
    "view": dict.fromkeys(Status.values, "preparer head reviewer administrator"),
    "edit": dict.fromkeys(EDITABLE, DEPARTMENT),
    "import": dict.fromkeys(EDITABLE, DEPARTMENT),
    "explain": dict.fromkeys(EDITABLE, DEPARTMENT),
    "submit": dict.fromkeys(EDITABLE, DEPARTMENT),
    "confirm": dict.fromkeys(EDITABLE, "head"),
    "reply": {"returned": DEPARTMENT},
    "upload_evidence": dict.fromkeys(EDITABLE, DEPARTMENT),
    "remove_evidence": dict.fromkeys(EDITABLE, DEPARTMENT),
    "return": {"submitted": BUREAU},
    "approve": {"submitted": BUREAU},
    "publish": {"approved": BUREAU},
    "reopen": {"published": BUREAU},
}
# The unit under the 主管部门 (株洲市社会福利院 under 株洲市民政局): parent is the 主管部门's own preparer, who
# sees nothing of its units' reports.
UNIT_USERNAMES = {
    "preparer": "zzsfly_preparer",
    "other": "zzxfj_preparer",
    "parent": "zzmzj_preparer",
    "supervisor": "zzmzj_supervisor",
    "reviewer": "reviewer",
    "administrator": "admin",
    "district": "lusong_reviewer",
}
UNIT_ALLOWED = {
    "view": dict.fromkeys(Status.values, "preparer supervisor reviewer administrator"),
    "edit": dict.fromkeys(EDITABLE, "preparer"),
    "import": dict.fromkeys(EDITABLE, "preparer"),
    "explain": dict.fromkeys(EDITABLE, "preparer"),
    "upload_evidence": dict.fromkeys(EDITABLE, "preparer"),
    "remove_evidence": dict.fromkeys(EDITABLE, "preparer"),
    "submit": dict.fromkeys(EDITABLE, "preparer"),
    "confirm": {},
    "reply": {"returned": "preparer"},
    "return": {"supervisor_review": "supervisor", "submitted": BUREAU},
    "forward": {"supervisor_review": "supervisor"},
    "approve": {"submitted": BUREAU},
    "publish": {"approved": BUREAU},
    "reopen": {"published": BUREAU},
}
# The report page's button for an action, when it has one.
BUTTONS = {
    "forward": "forward",
    "edit": "edit-link",
    "import": "excel-import",
    "upload_evidence": "evidence-upload-link",
    "submit": "open-submit",
    "return": "open-return",
    "approve": "approve",
    "publish": "publish-gate",
    "reopen": "open-reopen",
}


def _bring_to(report, status, *, preparer, reviewer, supervisor=None) -> None:
    """Through the workflow; a unit's report through its 主管部门 (``supervisor``), which returns it."""
    if status == "draft":
        return
    services.submit_report(report=report, user=preparer)
    if supervisor is not None:
        if status == "supervisor_review":
            return
        if status == "returned":
            services.return_report(report=report, user=supervisor, reasons=[services.PinnedReason("请核对")])
            return
        services.forward_report(report=report, user=supervisor, opinion="同意报送")
    if status == "returned":
        services.return_report(report=report, user=reviewer, reasons=[services.PinnedReason("请核对")])
    elif status in ("approved", "published"):
        services.approve_report(report=report, user=reviewer)
        if status == "published":
            publishing.publish(report=report, user=reviewer, public_date=date(2024, 5, 10))


def _attempts(report, text_form: dict, workbook: bytes):
    """action → (client → response, the state the action changes when it is allowed)."""
    pk = report.pk

    def transition():
        return Report.objects.filter(pk=pk).values_list("status", "version").get()

    def version():
        return str(Report.objects.values_list("version", flat=True).get(pk=pk))

    reason = ReturnReason.objects.filter(round__report_id=pk).values_list("pk", flat=True).first() or 0
    evidence = Evidence.objects.filter(report_id=pk).values_list("pk", flat=True).first()

    return {
        "edit": (
            lambda c: c.post(reverse("editing:text", args=[pk]), {**text_form, "s8_measures": "改"}),
            lambda: Report.objects.get(pk=pk).s8_measures,
        ),
        "import": (
            lambda c: c.post(
                reverse("excel:upload", args=[pk]), {"file": SimpleUploadedFile("附表.xlsx", workbook)}
            ),
            lambda: ImportUpload.objects.filter(report_id=pk).count(),
        ),
        "explain": (
            lambda c: c.post(
                reverse("editing:explain", args=[pk]),
                {"code": "T", "place": "x||", "text": "说明", "version": version()},
            ),
            lambda: FindingExplanation.objects.filter(report_id=pk, code="T").count(),
        ),
        "upload_evidence": (
            lambda c: c.post(
                reverse("evidence:upload", args=[pk]),
                {"files": SimpleUploadedFile("调查.pdf", evidence_files.pdf())},
            ),
            lambda: Evidence.objects.filter(report_id=pk).count(),
        ),
        "remove_evidence": (
            lambda c: c.post(reverse("evidence:remove", args=[pk, evidence])),
            lambda: Evidence.objects.filter(report_id=pk).count(),
        ),
        "submit": (lambda c: c.post(reverse("workflow:submit", args=[pk])), transition),
        "confirm": (
            lambda c: c.post(reverse("workflow:confirm", args=[pk]), {"version": version()}),
            lambda: HeadConfirmation.objects.filter(report_id=pk).count(),
        ),
        "return": (
            lambda c: c.post(
                reverse("workflow:return", args=[pk]),
                {
                    "form-TOTAL_FORMS": "1",
                    "form-INITIAL_FORMS": "0",
                    "form-0-place": "||",
                    "form-0-text": "改",
                    "confirmed": "on",
                },
            ),
            transition,
        ),
        "approve": (
            lambda c: c.post(reverse("workflow:approve", args=[pk]), {"note": "同意", "confirmed": "on"}),
            transition,
        ),
        "forward": (
            lambda c: c.post(reverse("workflow:forward", args=[pk]), {"opinion": "同意", "confirmed": "on"}),
            transition,
        ),
        "reply": (
            lambda c: c.post(
                reverse("workflow:reply", args=[pk, reason]), {"reply": "已改", "version": version()}
            ),
            lambda: list(ReturnReason.objects.filter(round__report_id=pk).values_list("reply", flat=True)),
        ),
        "publish": (
            lambda c: c.post(
                reverse("publishing:publish_gate", args=[pk]), {"public_date": "2024-05-10", "confirm": "on"}
            ),
            transition,
        ),
        "reopen": (
            lambda c: c.post(reverse("workflow:reopen", args=[pk]), {"reason": "更正"}),
            transition,
        ),
    }


@pytest.mark.parametrize("status", DEMO_STATUSES)
def test_who_may_do_what(status, ready_report, users):
    cast = {role: users[name] for role, name in USERNAMES.items()}
    bring = dict(preparer=cast["preparer"], reviewer=cast["reviewer"])
    expected = _expected(ALLOWED, status, cast)
    expected.update({("forward", role): False for role in cast})
    _check(ready_report, status, cast, expected, bring)


@pytest.mark.parametrize("status", Status.values)
def test_who_may_do_what_with_a_units_report(status, unit_report, users):
    cast = {role: users[name] for role, name in UNIT_USERNAMES.items()}
    bring = dict(preparer=cast["preparer"], reviewer=cast["reviewer"], supervisor=cast["supervisor"])
    _check(unit_report, status, cast, _expected(UNIT_ALLOWED, status, cast), bring)


def _expected(table, status, cast) -> dict:
    return {
        (action, role): role in by_status.get(status, "").split()
        for action, by_status in table.items()
        for role in cast
    }


def _check(report, status, cast, expected, bring) -> None:
    clients = {}
    for role, user in cast.items():
        clients[role] = Client()
        clients[role].force_login(user)
    # What a preparer's browser would post: the text form as the page renders it, an edited workbook.
    text_form = form_data(clients["preparer"].get(reverse("editing:text", args=[report.pk])), "text-form")
    workbook = demo_workbook(report)
    workbook["附件1"]["F6"] = 24.66
    workbook = to_bytes(workbook)
    add_evidence(
        report=report,
        user=cast["preparer"],
        place=Place(),
        files=[SimpleUploadedFile("调查.pdf", evidence_files.pdf())],
    )
    report.refresh_from_db()
    _bring_to(report, status, **bring)
    # The text form was read at the draft's version; the version changed with each transition.
    text_form["version"] = str(Report.objects.get(pk=report.pk).version)

    allowed, offered = {}, {}
    for role, client in clients.items():
        page = client.get(reverse("report_detail", args=[report.pk]))
        allowed[("view", role)] = page.status_code == 200
        html = page.content.decode() if page.status_code == 200 else ""
        for action, testid in BUTTONS.items():
            offered[(action, role)] = f'data-testid="{testid}"' in html
        for action, (attempt, state) in _attempts(report, text_form, workbook).items():
            with transaction.atomic():
                before = state()
                attempt(client)
                allowed[(action, role)] = state() != before
                transaction.set_rollback(True)

    assert allowed == expected
    assert offered == {key: expected[key] for key in offered}
