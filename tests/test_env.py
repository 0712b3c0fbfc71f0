import pytest
from django.core.exceptions import ImproperlyConfigured

from iepright.env import envbool, envint, envlist, envstr


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        ("YES", True),
        ("on", True),
        ("0", False),
        ("false", False),
        ("No", False),
        ("off", False),
        ("", False),
    ],
)
def test_envbool_reads_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("X_FLAG", raw)
    assert envbool("X_FLAG", not expected) is expected


def test_envbool_fails_loudly_on_typos(monkeypatch):
    monkeypatch.setenv("X_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        envbool("X_FLAG", False)


def test_it_uses_defaults_when_unset(monkeypatch):
    monkeypatch.delenv("X_UNSET", raising=False)
    assert envbool("X_UNSET", True) is True
    assert envint("X_UNSET", 7) == 7
    assert envstr("X_UNSET", "a") == "a"
    assert envlist("X_UNSET", ["b"]) == ["b"]


def test_envint_rejects_words_and_small_values(monkeypatch):
    monkeypatch.setenv("X_NUM", "twenty")
    with pytest.raises(ImproperlyConfigured, match="X_NUM must be a whole number"):
        envint("X_NUM", 1)
    monkeypatch.setenv("X_NUM", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        envint("X_NUM", 5, minimum=1)
    monkeypatch.setenv("X_NUM", "12")
    assert envint("X_NUM", 5, minimum=1) == 12


def test_envlist_splits_and_strips(monkeypatch):
    monkeypatch.setenv("X_LIST", " a.example, ,b.example ")
    assert envlist("X_LIST", []) == ["a.example", "b.example"]
