from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from perfeval.env import env_bool, env_int, parse_database_url
from perfeval.filing.demo import load_fixture
from perfeval.rules.packs import HUNAN_ZHUZHOU_2023, rule_pack_from_dict
from perfeval.rules.parsing import parse_actual, parse_target
from perfeval.rules.scoring import band_of_score

BASE = Path("/srv/app")


@pytest.mark.parametrize("raw", ["maybe", "2", "ja"])
def test_env_bool_rejects_malformed_values(monkeypatch, raw):
    monkeypatch.setenv("DEBUG", raw)
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG", True)


def test_env_int_rejects_malformed_values(monkeypatch):
    monkeypatch.setenv("AXES_FAILURE_LIMIT", "five")
    with pytest.raises(ImproperlyConfigured, match="AXES_FAILURE_LIMIT"):
        env_int("AXES_FAILURE_LIMIT", 5)


@pytest.mark.parametrize(
    "url",
    ["mysql://x/y", "postgres://u@h:notaport/db", "postgres://u@h:5432/", "sqlite://"],
)
def test_database_url_rejects_malformed_values(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        parse_database_url(url, BASE)


def test_database_url_sqlite_uses_wal_and_immediate_transactions():
    config = parse_database_url("sqlite:///db.sqlite3", BASE)
    assert config["NAME"] == "/srv/app/db.sqlite3"
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_database_url_postgres_is_parsed():
    config = parse_database_url("postgres://perfeval:p%40ss@127.0.0.1:5432/perfeval?sslmode=disable", BASE)
    assert (config["ENGINE"], config["NAME"], config["USER"], config["PASSWORD"], config["PORT"]) == (
        "django.db.backends.postgresql",
        "perfeval",
        "perfeval",
        "p@ss",
        "5432",
    )
    assert config["OPTIONS"] == {"sslmode": "disable"}


def _indicators():
    payload = load_fixture()
    yield from payload["attachment2"]["indicators"]
    for project in payload["projects"]:
        if project["attachment3"]:
            yield from project["attachment3"]["indicators"]


@pytest.mark.parametrize("row", list(_indicators()), ids=lambda row: row["name"])
def test_fixture_targets_are_parsed_as_the_rules_parse_them(row):
    """The demo keeps the published text and holds the structure the parser derives from it."""
    target = parse_target(row["target_text"])
    actual = parse_actual(row["actual_text"])
    assert row["operator"] == target.operator
    assert row["target_value"] == (None if target.value is None else format(target.value.normalize(), "f"))
    assert row["target_unit"] == target.unit
    if row["operator"] != "qual":
        assert Decimal(row["actual_value"]) == actual.value
    else:
        # The band of the printed score: the fixture never bands a row from its repeated words.
        pack = rule_pack_from_dict(HUNAN_ZHUZHOU_2023)
        assert row["qual_band"] == band_of_score(Decimal(row["score"]), Decimal(row["weight"]), pack)
