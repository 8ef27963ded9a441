"""Command-line faults found trying every command as a new user would."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("since", ["2026-11-23", "2026-12", "2027"])
def test_trends_since_a_day_still_to_come_is_one_line_and_exit_2(run, since):
    """The clock says 2026-11-22: a window cannot start after today (nothing has changed
    since then); it used to print every figure "then" as a future date, exit 0."""
    result = run("trends", "--since", since)
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"Error: --since: {since!r} is after today, 2026-11-22 (allowed: a date up to today, "
        "Nd, Nw, Nm or Ny (e.g. 30d, 1y), or all)"]


def test_trends_since_today_is_a_window(run):
    result = run("trends", "--since", "2026-11-22")
    assert result.exit_code == 0, result.output
