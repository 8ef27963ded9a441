"""The core never imports Textual: cron's commands stay fast and UI-independent."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_cli_does_not_import_textual():
    code = ("import sys, tracker.cli, tracker.sync, tracker.reports, tracker.assess; "
            "print('textual' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"


def test_python_dash_m_tracker_runs():
    result = subprocess.run([sys.executable, "-m", "tracker", "--version"],
                            capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.startswith("tracker, version ")
