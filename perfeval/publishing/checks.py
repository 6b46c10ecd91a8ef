"""System checks: without a CJK font the PDF shows empty boxes, without HarfBuzz's subsetter fonts are not
subset and a render is about 20× slower — both silently. Warn at start-up instead."""

import ctypes.util
import shutil
import subprocess

from django.core.checks import Warning, register


def cjk_font_families() -> list[str]:
    if shutil.which("fc-list") is None:
        return []
    try:
        result = subprocess.run(
            ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.strip() for line in result.stdout.splitlines() if line.strip()]


def harfbuzz_subset_available() -> bool:
    return ctypes.util.find_library("harfbuzz-subset") is not None


@register()
def pdf_dependencies(app_configs, **kwargs):
    warnings = []
    if not cjk_font_families():
        warnings.append(
            Warning(
                "没有找到中文字体（fc-list :lang=zh 为空）：PDF 中的汉字将显示为空白方框。",
                hint="安装 fonts-noto-cjk（Debian/Ubuntu: apt-get install fonts-noto-cjk）。",
                id="publishing.W001",
            )
        )
    if not harfbuzz_subset_available():
        warnings.append(
            Warning(
                "没有找到 HarfBuzz 字体子集库（libharfbuzz-subset）：PDF 将嵌入完整字体，生成约慢 20 倍、文件很大。",
                hint="安装 libharfbuzz-subset0（Debian/Ubuntu: apt-get install libharfbuzz-subset0）。",
                id="publishing.W002",
            )
        )
    return warnings
