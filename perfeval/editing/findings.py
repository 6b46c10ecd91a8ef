"""The findings of a report as the edit pages show them: grouped by table, each linked to its field."""

from dataclasses import dataclass

from django.urls import reverse

from perfeval.filing import checked
from perfeval.filing.models import Report
from perfeval.rules.checks import Finding


def anchor(table: str, row: str = "", column: str = "") -> str:
    """The HTML id of the field (or row) a finding points at: p-{table}-{row}-{column}."""
    return "-".join(["p", *(part for part in (table, row, column) if part)])


@dataclass(frozen=True)
class ShownFinding:
    finding: Finding
    url: str
    anchor: str
    key: str
    suspect_url: str = ""  # the likely wrong cell behind a disagreeing total, when the checks name one

    @property
    def severity(self) -> str:
        return self.finding.severity

    @property
    def explanation_key(self) -> str:
        return f"{self.finding.code}|{self.key}"


@dataclass(frozen=True)
class FindingGroup:
    table: str
    title: str
    findings: list[ShownFinding]


# Findings that need more than the report itself, such as the copied-narrative detector of the portal, which
# reads other departments' published texts. The app that provides them sits above this one and registers a
# function (report -> list[Finding]) in its AppConfig.ready; check_report lists what they return.
_FINDING_PROVIDERS = []


def register_finding_provider(provider) -> None:
    if provider not in _FINDING_PROVIDERS:
        _FINDING_PROVIDERS.append(provider)


def extra_findings(report: Report) -> list[Finding]:
    """The registered providers' findings for a report loaded with reports_with_parts."""
    return [finding for provider in _FINDING_PROVIDERS for finding in provider(report)]


def _page_urls(report: Report) -> dict[str, str]:
    kwargs = {"report_id": report.pk}
    urls = {
        "cover": reverse("editing:text", kwargs=kwargs),
        "text": reverse("editing:text", kwargs=kwargs),
        "footer": reverse("editing:text", kwargs=kwargs),
        "att1": reverse("editing:attachment1", kwargs=kwargs),
        "att2": reverse("editing:attachment2", kwargs=kwargs),
        "projects": reverse("editing:projects", kwargs=kwargs),
    }
    for card_id, (project_id, _name) in checked.index(report).cards.items():
        urls[f"att3:{card_id}"] = reverse("editing:attachment3", kwargs={**kwargs, "project_id": project_id})
    return urls


TABLE_TITLES = {
    "cover": "封面",
    "text": "正文",
    "footer": "表尾",
    "att1": "附件1 基础数据表",
    "att2": "附件2 部门整体支出绩效自评表",
    "projects": "项目支出",
}


def table_title(report: Report, table: str) -> str:
    if table.startswith("att3:"):
        card = checked.index(report).cards.get(table.removeprefix("att3:"))
        table_name = "项目支出绩效自评表" if report.is_project_only else "附件3 项目支出绩效自评表"
        return f"{table_name} · {card[1]}" if card else table_name
    return TABLE_TITLES.get(table, table)


def place_url(report: Report, table: str, row: str = "", column: str = "") -> str:
    """The edit tab of a place with its field's anchor (a place with no tab: the 检查 page). The tabs' URLs are
    built once per report object."""
    urls = getattr(report, "_editing_page_urls", None)
    if urls is None:
        urls = report._editing_page_urls = _page_urls(report)
    page = urls.get(table) or reverse("editing:check", kwargs={"report_id": report.pk})
    return f"{page}#{anchor(table, row, column)}" if table else page


def shown_findings(report: Report, findings: list[Finding]) -> list[ShownFinding]:
    shown = []
    for finding in findings:
        place = finding.place
        target = anchor(place.table, place.row, place.column)
        url = place_url(report, place.table, place.row, place.column)
        suspect = finding.suspect
        suspect_url = place_url(report, suspect.table, suspect.row, suspect.column) if suspect else ""
        shown.append(ShownFinding(finding, url, target, place.key, suspect_url))
    return shown


def group_findings(report: Report, shown: list[ShownFinding]) -> list[FindingGroup]:
    """Groups in the order check_report sorted them (cover, 正文, 附件1, 附件2, each 附件3, projects, footer)."""
    groups: dict[str, list[ShownFinding]] = {}
    for item in shown:
        groups.setdefault(item.finding.place.table, []).append(item)
    return [FindingGroup(table, table_title(report, table), items) for table, items in groups.items()]
