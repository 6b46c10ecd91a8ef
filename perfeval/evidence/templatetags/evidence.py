"""Evidence where the preparer works: a link with the count beside each indicator row, 正文 section and return
reason of the edit pages, and the list on the report page. The files of a report are read once per render."""

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from perfeval.evidence.models import Evidence
from perfeval.evidence.services import files_of

register = template.Library()


def _files(context, report) -> list[Evidence]:
    # Kept on the report object (services.files_of), not the render context: each included row template has
    # a render context of its own, and the payload builder of the same request has read them already.
    return files_of(report)


@register.inclusion_tag("evidence/_link.html", takes_context=True)
def evidence_link(context, report, *, indicator=None, section="", reason=None, anchor="", here=""):
    """「佐证材料（n）」 to the place's upload page, which comes back here (``anchor``: the row's id)."""
    files = _files(context, report)
    if indicator:
        count = sum(1 for f in files if str(f.indicator_id) == str(indicator))
        query = {"indicator": indicator}
    elif section:
        count = sum(1 for f in files if f.section == section)
        query = {"section": section}
    else:
        count = sum(1 for f in files if str(f.reason_id) == str(reason))
        query = {"reason": reason}
    request = context.get("request")
    here = here or (request.path if request is not None else "")
    if here:
        query["next"] = here + (f"#{anchor}" if anchor else "")
    return {
        "url": f"{reverse('evidence:place', args=[report.pk])}?{urlencode(query)}",
        "count": count,
        "id": f"{anchor}-evidence" if anchor else "",
    }


@register.inclusion_tag("evidence/_table.html", takes_context=True)
def evidence_list(context, report):
    return {
        "report": report,
        "files": _files(context, report),
        "may": {"edit": False},
        "caption": "佐证材料",
        "request": context.get("request"),
    }
