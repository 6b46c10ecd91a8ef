import threading

import pytest
from django.db import connection

from perfeval.excel.models import ImportUpload
from perfeval.excel.services import ImportRefused, confirm_upload, parse_upload
from perfeval.filing.models import Report
from tests.excel.helpers import demo_workbook, fresh, payload_of, to_bytes


def _content(report, value):
    workbook = demo_workbook(report)
    workbook["附件1"]["F6"] = value
    return to_bytes(workbook)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_confirms_on_the_same_version_apply_exactly_one(demo_report, preparer, head):
    first = parse_upload(
        report=fresh(demo_report), user=preparer, name="a.xlsx", content=_content(demo_report, 24.65)
    )
    second = parse_upload(
        report=fresh(demo_report), user=head, name="b.xlsx", content=_content(demo_report, 30)
    )
    outcomes = []
    barrier = threading.Barrier(2)

    def confirm(upload, user):
        try:
            barrier.wait()
            confirm_upload(
                upload_id=upload.pk, report=demo_report, user=user, posted_version=upload.base_version
            )
            outcomes.append("applied")
        except ImportRefused as exc:
            outcomes.append(str(exc))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=confirm, args=(first.upload, preparer)),
        threading.Thread(target=confirm, args=(second.upload, head)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(o == "applied" for o in outcomes) == [False, True]
    assert "报告已被修改" in next(o for o in outcomes if o != "applied")
    assert Report.objects.get(pk=demo_report.pk).version == demo_report.version + 1
    assert ImportUpload.objects.filter(applied_at__isnull=False).count() == 1
    final = payload_of(demo_report)["attachment1"]["expenses"]["sangong"]["final"]
    assert final in ("24.65", "30")
