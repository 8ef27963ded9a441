"""The dashboard's watch on the store (screens/watch.py): it opens the file as the store
itself is opened, so any store the dashboard can read, it can watch."""

from __future__ import annotations

import sqlite3

from screens.watch import StoreWatch
from tracker.store import Store, files


def _store(folder) -> str:
    folder.mkdir(parents=True)
    path = folder / "s.db"
    Store.open(path).close()
    return str(path)


def _write(path: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO meta (key, value) VALUES ('poke', '1') "
                 "ON CONFLICT (key) DO UPDATE SET value = value || '1'")
    conn.commit()
    conn.close()


def test_a_store_in_a_folder_whose_name_holds_uri_characters_is_watched(tmp_path):
    for name in ("a#b", "c?d", "e%20f"):
        path = _store(tmp_path / name)
        watch = StoreWatch(path)
        assert watch.poll().error is None  # the first look starts watching
        _write(path)
        polled = watch.poll()
        assert polled.error is None and polled.changed, name
        watch.close()


def test_a_store_this_user_may_not_write_is_watched_read_only(tmp_path, monkeypatch):
    path = _store(tmp_path / "ro")
    opened: list[str] = []
    real = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", lambda db, *a, **kw: opened.append(db) or
                        real(db, *a, **kw))
    monkeypatch.setattr(files, "writable", lambda p: False)
    watch = StoreWatch(path)
    assert watch.poll().error is None
    assert opened and all("mode=ro" in db for db in opened)
    _write_with(real, path)
    assert watch.poll().changed
    watch.close()


def _write_with(connect, path: str) -> None:
    conn = connect(path)
    conn.execute("INSERT INTO meta (key, value) VALUES ('poke', '2')")
    conn.commit()
    conn.close()
