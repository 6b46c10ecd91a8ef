"""The copied-narrative core: recall on constructed near-copies, no match between unrelated texts on the
same topic, and the passages shown side by side."""

import os
import random
import subprocess
import sys
from decimal import Decimal

import pytest

from perfeval.rules.packs import HUNAN_ZHUZHOU_2023, RulePackError, rule_pack_from_dict
from perfeval.rules.similarity import MIN_CHARS, fingerprint, jaccard, side_by_side

PARAGRAPH = (
    "本单位严格按照预算批复执行资金，但在项目前期论证不够充分，部分项目绩效目标设置不够细化量化，"
    "导致年中调整预算较多，资金执行进度前慢后快，个别指标实际完成值与年度指标值存在偏差，"
    "主要原因是上级政策调整和疫情影响导致部分工作延期开展。"
)
# Same topic, same vocabulary (预算, 绩效, 资金, 执行), written independently.
SAME_TOPIC = (
    "我局将进一步加强预算绩效管理，完善绩效目标编制，强化预算执行监控，定期通报资金支出进度，"
    "对执行缓慢的项目及时督促整改，确保财政资金使用效益，同时加强财务人员业务培训，提升预算编制的科学性和准确性。",
    "一是预算编制还不够精细，个别项目资金测算依据不足；二是绩效目标与年度工作任务衔接不紧密，"
    "部分指标难以量化考核；三是预算执行均衡性有待提高，第四季度支出占全年比重偏大。",
    "2023年度，局机关认真落实过紧日子要求，压减一般性支出，公用经费较上年下降，"
    "重点保障信访维稳和矛盾纠纷化解工作经费，各项资金均按规定用途使用，未发现挤占挪用情况。",
)
THRESHOLD = rule_pack_from_dict(HUNAN_ZHUZHOU_2023).copy_threshold


def near_copy(text: str, share: float, seed: int) -> str:
    """``text`` with ``share`` of its characters replaced by other CJK characters."""
    rng = random.Random(seed)
    chars = list(text)
    for i in rng.sample(range(len(chars)), round(len(chars) * share)):
        chars[i] = chr(0x4E00 + rng.randrange(0x5000))
    return "".join(chars)


def matches(a: str, b: str) -> bool:
    """What the detector decides: an LSH candidate (a band in common) whose exact Jaccard reaches the threshold."""
    fa, fb = fingerprint(a), fingerprint(b)
    candidate = any(x == y for x, y in zip(fa.bands, fb.bands, strict=True))
    return candidate and jaccard(fa.shingles, fb.shingles) >= THRESHOLD


@pytest.mark.parametrize("seed", range(50))
def test_detector_finds_paragraph_with_five_percent_changed(seed):
    assert matches(PARAGRAPH, near_copy(PARAGRAPH, 0.05, seed))


def test_detector_finds_copy_with_punctuation_and_spacing_changed():
    copy = PARAGRAPH.replace("，", ", ").replace("。", ". ")
    assert jaccard(fingerprint(PARAGRAPH).shingles, fingerprint(copy).shingles) == Decimal("1.00")


@pytest.mark.parametrize("other", SAME_TOPIC)
def test_detector_ignores_unrelated_text_on_same_topic(other):
    assert jaccard(fingerprint(PARAGRAPH).shingles, fingerprint(other).shingles) < Decimal("0.1")
    assert not matches(PARAGRAPH, other)


def test_fingerprint_none_for_short_text():
    assert fingerprint("无") is None
    assert fingerprint("我单位无国有资本经营预算支出。") is None
    assert fingerprint("预" * MIN_CHARS) is not None


def test_fingerprint_same_in_every_process():
    # Band keys are stored in the database: they must not depend on Python's per-process string hashing.
    code = f"from perfeval.rules.similarity import fingerprint; print(list(fingerprint({PARAGRAPH!r}).bands))"
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout  # fmt: skip
        for seed in ("1", "2")
    }
    assert runs == {f"{list(fingerprint(PARAGRAPH).bands)}\n"}


def test_side_by_side_marks_shared_passage():
    mine = "我们今年新写的开头。" + PARAGRAPH[:40]
    theirs = PARAGRAPH[:40] + "他们的结尾完全不同。"
    left, right = side_by_side(mine, theirs)
    assert [s.text for s in left if s.shared] == [PARAGRAPH[:40]]
    assert [s.text for s in right if s.shared] == [PARAGRAPH[:40]]
    assert "".join(s.text for s in left) == mine


def test_rule_pack_copy_threshold_defaults_for_old_pack():
    old = {k: v for k, v in HUNAN_ZHUZHOU_2023.items() if k != "copy_detection"}
    assert rule_pack_from_dict(old).copy_threshold == Decimal("0.60")
    assert rule_pack_from_dict({**old, "copy_detection": {"threshold": "0.7"}}).copy_threshold == Decimal(
        "0.7"
    )


def test_rule_pack_copy_threshold_out_of_range_refused():
    with pytest.raises(RulePackError, match="文字雷同阈值"):
        rule_pack_from_dict({**HUNAN_ZHUZHOU_2023, "copy_detection": {"threshold": "0.4"}})
