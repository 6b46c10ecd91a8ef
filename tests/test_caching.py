"""perfeval.caching keeps texts and bytes unpickled in each process's memory, the least recently used dropped
first once they hold more than their bound."""

from perfeval.caching import TextMemory


def test_least_recently_used_text_goes_first_beyond_the_bound():
    memory = TextMemory(max_bytes=100)
    memory.set("a", "甲" * 20)  # 40 bytes
    memory.set("b", b"x" * 40)  # 40 bytes
    assert memory.get("a") == "甲" * 20  # "a" is now the most recently used
    memory.set("c", "乙" * 10)  # 20 bytes: 100 in all, within the bound
    assert memory.get("b") == b"x" * 40
    memory.set("d", b"y" * 30)  # over the bound: "a", the least recently used, goes
    assert memory.get("a") is None
    assert [memory.get(k) is not None for k in "bcd"] == [True, True, True]
    assert memory.size <= 100


def test_a_value_kept_again_under_its_key_is_counted_once():
    memory = TextMemory(max_bytes=100)
    memory.set("a", b"x" * 60)
    memory.set("a", b"x" * 60)
    assert memory.size == 60
    memory.clear()
    assert memory.size == 0 and memory.get("a") is None
