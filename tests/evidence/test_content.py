"""The type of a file is its content's, whatever its name says; what is not accepted is refused by reason."""

import pytest

from perfeval.evidence import content
from tests.evidence import files


@pytest.mark.parametrize(
    ("build", "kind"),
    [
        (files.pdf, "pdf"),
        (files.png, "png"),
        (files.jpeg, "jpeg"),
        (files.xlsx, "xlsx"),
        (files.docx, "docx"),
        (files.ofd, "ofd"),
    ],
)
def test_inspect_decides_type_by_content(build, kind):
    inspected = content.inspect(build())
    assert inspected.kind == kind
    assert len(inspected.sha256) == 64


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (files.windows_executable, "文件内容是Windows 可执行程序，不是文档或图片，不能作为佐证材料上传"),
        (files.pdf_with_javascript, "PDF 含JavaScript 脚本，出于安全原因拒绝上传"),
        (files.pdf_with_hidden_javascript, "PDF 含JavaScript 脚本，出于安全原因拒绝上传"),
        (files.pdf_in_object_stream_with_javascript, "PDF 含JavaScript 脚本，出于安全原因拒绝上传"),
        (files.pdf_with_launch, "PDF 含启动外部程序的动作（/Launch）"),
        (files.docx_bomb, "部件 word/document.xml 的压缩比过高（疑似压缩炸弹）"),
        (files.docx_with_many_entries, "压缩包内有 3002 个部件，超过上限"),
        (files.docx_with_macro, "文件含宏或 ActiveX 控件"),
        (files.svg_with_script, "不接受 SVG 图片（其中可以含脚本）"),
        (lambda: b"", "文件是空的"),
        (lambda: b"just some text", "无法识别文件内容的类型"),
        (lambda: b"%PDF-1.4\ngarbage", "PDF 已损坏"),
        (lambda: files.png()[:40], "图片已损坏"),
        (files.docx_with_lying_sizes, "文件已损坏"),
        (lambda: files.docx()[:-30], "文件已损坏"),
    ],
)
def test_inspect_refuses_with_reason(build, message):
    with pytest.raises(content.Refused) as refused:
        content.inspect(build())
    assert message in str(refused.value)


def test_inspect_refuses_a_file_over_the_size_limit(settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    with pytest.raises(content.Refused, match="文件过大：.*每个文件最大"):
        content.inspect(files.pdf(("x" * 2000,)))


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("a" * 20_000 + ".pdf", "文件名过长（20004 个字符，最多 200 个字符）"),
        ("../../etc/passwd", "文件名不能含路径"),
        ("..\\..\\boot.ini", "文件名不能含路径"),
        ("/etc/passwd", "文件名不能含路径"),
        ("..", "文件名不能含路径"),
        ("满意度调查.pdf", None),
    ],
)
def test_name_problem(raw, problem):
    found = content.name_problem(raw)
    assert (found is None) if problem is None else (problem in found)


@pytest.mark.parametrize(
    ("raw", "kind", "shown"),
    [
        ("满意度调查.pdf", "pdf", "满意度调查.pdf"),
        ("survey.exe", "pdf", "survey.pdf"),  # the content's extension, not the name's
        ("report\u202egpj.exe", "png", "reportgpj.png"),  # a right-to-left override cannot hide the type
        ("\x00\x01", "jpeg", "佐证材料.jpg"),
        ("table", "xlsx", "table.xlsx"),
    ],
)
def test_display_name_is_sanitised(raw, kind, shown):
    assert content.display_name(raw, kind) == shown


@pytest.mark.parametrize(
    ("kind", "text", "passes"),
    [
        ("pdf", "满意率 96%，办公电话 0731-28680000", True),
        ("pdf", "联系人 13812345678", False),
        ("docx", "身份证 430202198001011234", False),
        ("pdf", None, False),  # a scan: no text to check
        ("png", "anything", False),  # images are never public
    ],
)
def test_publication_gate(kind, text, passes):
    assert (content.publication_gate(kind, text) is None) == passes
