"""Fixtures the log tests share: the plan's speech service and its first accommodation."""

from __future__ import annotations

import pytest

from iepright.plans.models import Plan, Provision


@pytest.fixture
def speech(plan: Plan) -> Provision:
    """Return the plan's timed service: speech-language therapy, 30 minutes a session."""
    return plan.provisions.get(text="Speech-language therapy")


@pytest.fixture
def extended_time(plan: Plan) -> Provision:
    """Return the plan's first provision, an accommodation (no minutes)."""
    return plan.provisions.get(position=0)
