from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from perfeval.excel.exports import build_template, build_workbook, set_value
from perfeval.excel.imports import read_workbook
from perfeval.excel.services import apply_payload
from perfeval.filing.models import FilingPeriod, Report
from tests.excel.helpers import demo_workbook, find_cell, fresh, payload_of, to_bytes


def _read(report, content):
    report = fresh(report)
    return read_workbook(content, current=payload_of(report), pack=report.period.rule_pack.rules())


def test_export_demo_has_one_sheet_per_attachment(demo_report):
    workbook = demo_workbook(demo_report)
    assert workbook.sheetnames == ["附件1", "附件2", "附件3-1 信访维稳工作经费"]
    att1 = workbook["附件1"]
    assert att1["A2"].value == "2023年度部门（单位）整体支出绩效评价基础数据表"
    assert (att1["F6"].value, att1["F6"].number_format) == (Decimal("24.19"), "0.00")
    assert int(att1.page_setup.paperSize) == 9  # A4
    assert workbook["附件2"].page_setup.orientation == "landscape"
    assert workbook["附件2"].print_title_rows == "$1:$2"
    assert "B14:B23" in {str(r) for r in workbook["附件2"].merged_cells.ranges}  # 产出指标 over its rows


def test_export_writes_computed_cells_as_values(demo_report):
    att2 = demo_workbook(demo_report)["附件2"]
    # 执行率 1286.3 ÷ 1286.3 = 100% (the seed printed 98%); 总分 from the rules.
    assert (att2["G5"].value, att2["G5"].number_format) == (Decimal("1"), "0.00%")
    assert att2["H5"].value == Decimal("10.00")
    assert find_cell(att2, "总分").row == 32
    assert (att2["G32"].value, att2["H32"].value) == (Decimal("100"), Decimal("100.00"))


def test_export_import_roundtrip_demo_leaves_everything_unchanged(demo_report):
    before = payload_of(demo_report)
    result = _read(demo_report, to_bytes(demo_workbook(demo_report)))
    assert result.errors == []
    assert result.payload == before
    apply_payload(
        report_id=demo_report.pk, payload=result.payload, user=None, expected_version=demo_report.version
    )
    assert payload_of(demo_report) == before


def test_import_edited_cells_change_only_those(demo_report):
    workbook = demo_workbook(demo_report)
    workbook["附件1"]["F6"] = 24.65
    workbook["附件2"]["I14"] = "目标定得偏低，明年调高"
    workbook["附件3-1 信访维稳工作经费"]["E13"] = "≥100%"
    result = _read(demo_report, to_bytes(workbook))
    assert result.errors == []
    payload = result.payload
    assert payload["attachment1"]["expenses"]["sangong"]["final"] == "24.65"
    assert payload["attachment2"]["indicators"][0]["deviation_reason"] == "目标定得偏低，明年调高"
    row = payload["projects"][0]["attachment3"]["indicators"][0]
    assert (row["target_text"], row["operator"], row["target_value"], row["target_unit"]) == (
        "≥100%",
        "ge",
        "100",
        "%",
    )


def test_import_one_bad_cell_among_many_names_it_and_writes_nothing(demo_report):
    before = payload_of(demo_report)
    workbook = demo_workbook(demo_report)
    workbook["附件1"]["D6"] = "abc"
    workbook["附件1"]["F7"] = -1
    workbook["附件1"]["B4"] = 3.5
    workbook["附件2"]["H14"] = 5  # 得分 above 分值 4
    workbook["附件2"]["C5"] = 1.2345678
    with pytest.raises(CommandError):
        path = "/tmp/perfeval-excel-bad.xlsx"
        workbook.save(path)
        call_command("import_report", path, department="zzxfj", year=2023)
    result = _read(demo_report, to_bytes(workbook))
    assert result.payload is None
    assert result.errors == [
        "附件1!B4：「3.5」不是整数",
        "附件1!D6：「abc」不是数字",
        "附件1!F7：「-1」不能为负数",
        "附件2!C5：「1.2345678」最多保留 6 位小数（不会自动舍入）",
        "附件2!H14：得分 5 超过分值 4",
    ]
    assert payload_of(demo_report) == before


def test_formula_looking_text_is_exported_as_string_and_round_trips(demo_report):
    texts = ["=1+1", "@SUM(A1)", "+86 183 7331 1611", "-x", "\tindent"]
    workbook = demo_workbook(demo_report)
    att2 = workbook["附件2"]
    for offset, text in enumerate(texts):
        set_value(att2.cell(row=14 + offset, column=9), text)
    content = to_bytes(workbook)
    reopened = openpyxl.load_workbook(__import__("io").BytesIO(content))
    assert [reopened["附件2"].cell(row=14 + i, column=9).data_type for i in range(len(texts))] == ["s"] * len(
        texts
    )
    result = _read(demo_report, content)
    assert result.errors == []
    assert [row["deviation_reason"] for row in result.payload["attachment2"]["indicators"][:5]] == texts
    apply_payload(
        report_id=demo_report.pk, payload=result.payload, user=None, expected_version=demo_report.version
    )
    again = build_workbook(fresh(demo_report))["附件2"]
    assert [
        (again.cell(row=14 + i, column=9).value, again.cell(row=14 + i, column=9).data_type) for i in range(5)
    ] == [(text, "s") for text in texts]


def test_blank_template_has_skeleton_catalogue_and_last_year(demo_report):
    from perfeval.excel.exports import template_payload

    period_2024 = FilingPeriod.objects.create(
        bureau=demo_report.period.bureau,
        year=2024,
        deadline="2025-04-30",
        rule_pack=demo_report.period.rule_pack,
    )
    workbook = build_template(department=demo_report.department, period=period_2024)
    att1, att2 = workbook["附件1"], workbook["附件2"]
    assert att1["B5"].value == "2023年决算数"
    assert (att1["A6"].value, att1["B6"].value, att1["D6"].value) == ("三公经费", Decimal("24.19"), None)
    assert find_cell(att1, "信访维稳工作经费").offset(column=1).value == Decimal("426.23")
    assert find_cell(att1, "政府采购金额").offset(column=1).value == "——"
    assert [att2.cell(row=r, column=3).value for r in range(14, 25)] == [
        "数量指标", "质量指标", "时效指标", "经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标",
        "服务对象满意度指标", "经济成本指标", "社会成本指标", "生态环境成本指标",
    ]  # fmt: skip
    assert att2["D14"].value in (None, "")
    assert workbook.sheetnames[2].startswith("附件3-1")
    # The template reads back as the blank payload: nothing unreadable.
    expected = template_payload(department=demo_report.department, period=period_2024)["attachment1"][
        "expenses"
    ]
    report = Report.objects.create(department=demo_report.department, period=period_2024)
    result = read_workbook(to_bytes(workbook), current=payload_of(report), pack=period_2024.rule_pack.rules())
    assert result.errors == []
    # Rows left blank that the bare report lacks stay absent (a blank cell adds nothing).
    assert result.payload["attachment1"]["expenses"] == {
        code: values for code, values in expected.items() if any(v is not None for v in values.values())
    }


def test_import_adds_a_new_project_sheet(demo_report):
    workbook = demo_workbook(demo_report)
    copy = workbook.copy_worksheet(workbook["附件3-1 信访维稳工作经费"])
    copy.title = "附件3-2 新项目"
    copy["C3"] = "信访工作经费"
    result = _read(demo_report, to_bytes(workbook))
    assert result.errors == []
    names = [(p["name"], bool(p["attachment3"])) for p in result.payload["projects"]]
    assert names == [
        ("信访维稳工作经费", True),
        ("市人民来访接待中心物业管理费", False),
        ("信访工作经费", True),
    ]


def test_import_command_dry_run_writes_nothing_and_locked_report_fails(demo_report, tmp_path, capsys):
    workbook = demo_workbook(demo_report)
    workbook["附件1"]["F6"] = 24.65
    path = tmp_path / "edited.xlsx"
    workbook.save(path)
    before = payload_of(demo_report)
    call_command("import_report", str(path), department="zzxfj", year=2023, dry_run=True)
    out = capsys.readouterr().out
    assert "附件1 · 三公经费 · 2023年决算数：24.19 → 24.65" in out
    assert payload_of(demo_report) == before
    Report.objects.filter(pk=demo_report.pk).update(status="submitted")
    with pytest.raises(CommandError, match="已锁定"):
        call_command("import_report", str(path), department="zzxfj", year=2023)
    Report.objects.filter(pk=demo_report.pk).update(status="draft")
    assert payload_of(demo_report) == before
    call_command("import_report", str(path), department="zzxfj", year=2023)
    assert payload_of(demo_report)["attachment1"]["expenses"]["sangong"]["final"] == "24.65"
    assert Report.objects.get(pk=demo_report.pk).version == demo_report.version + 1


def test_import_finds_inserted_rows_by_their_labels(demo_report):
    workbook = demo_workbook(demo_report)
    att1 = workbook["附件1"]
    special = find_cell(att1, "信访维稳工作经费").row
    att1.insert_rows(special + 1)
    att1.cell(row=special + 1, column=1, value="新增专项")
    att1.cell(row=special + 1, column=2, value=1)
    att1.cell(row=special + 1, column=6, value=2.5)
    att2 = workbook["附件2"]
    att2.insert_rows(18)  # a fourth 数量指标 row, under the merged 产出/数量 labels
    for column, value in zip(range(4, 10), ["新指标", "≥5", "6", 0, 0, ""], strict=True):
        att2.cell(row=18, column=column, value=value)
    result = _read(demo_report, to_bytes(workbook))
    assert result.errors == []
    assert result.payload["attachment1"]["special_rows"][1] == {
        "name": "新增专项", "prior_final": "1", "budget": None, "final": "2.5",
    }  # fmt: skip
    row = result.payload["attachment2"]["indicators"][4]
    assert (row["level1"], row["level2"], row["name"], row["operator"], row["target_value"]) == (
        "output", "quantity", "新指标", "ge", "5",
    )  # fmt: skip
    assert result.payload["attachment1"]["expenses"]["public"]["final"] == "165.53"


def test_import_refuses_a_formula_in_a_number_cell(demo_report):
    workbook = demo_workbook(demo_report)
    workbook["附件1"]["F6"] = "=F7+F10+F11"
    result = _read(demo_report, to_bytes(workbook))
    assert result.errors == ["附件1!F6：「=F7+F10+F11」是公式，请填写数值"]
