"""A store copied or left with its write-ahead log but no `-shm` index, in a folder the
user may not write, can only be opened immutable, and SQLite then ignores the log: the
changes in it are not shown. Reads still work, and say so in one line instead of showing
an older state as if it were the whole store."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import DATA, FROZEN
from test_store_files import TRACKER, _as_other_user


@pytest.fixture
def store_with_unread_wal():
    top = Path(tempfile.mkdtemp(prefix="tracker-wal-"))
    os.chmod(top, 0o755)
    catalog = top / "catalog.yaml"
    shutil.copy(DATA / "catalog-small.yaml", catalog)
    os.chmod(catalog, 0o644)
    live = top / "live.db"
    env = {**os.environ, "TRACKER_NOW": FROZEN.isoformat(), "XDG_CONFIG_HOME": "/nonexistent"}
    base = TRACKER + ["--db", str(live), "--catalog", str(catalog)]
    subprocess.run(base + ["list"], env=env, check=True, capture_output=True)
    folder = top / "ro"
    folder.mkdir()
    conn = sqlite3.connect(live)  # a writer with a change still in its log
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("UPDATE indicators SET name = 'Pace gap' WHERE id = 'pace-mismatch'")
    conn.commit()
    shutil.copy(live, folder / "store.db")
    shutil.copy(f"{live}-wal", folder / "store.db-wal")
    conn.close()
    for f in folder.iterdir():
        os.chmod(f, 0o444)
    os.chmod(folder, 0o555)
    yield folder / "store.db", catalog, env
    os.chmod(folder, 0o755)
    shutil.rmtree(top)


def test_a_log_that_cannot_be_read_is_said_not_hidden(store_with_unread_wal):
    db, catalog, env = store_with_unread_wal
    result = subprocess.run(_as_other_user() + TRACKER + ["--db", str(db), "--catalog",
                            str(catalog), "show", "pace-mismatch"], env=env,
                            capture_output=True, text=True, cwd="/")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "store.db-wal" in lines[0] and "not shown" in lines[0], lines
