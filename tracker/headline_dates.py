"""The headline figures' values on many dates in one pass (the charts of the Overview and
of the Markdown briefing).

:func:`tracker.headline.values_at` works a date out from scratch: every ledger entry and
every party of every mechanism, once per date, so a chart over the ledger's 1,600 change
dates costs seconds. Here the dates are walked oldest first and each ledger entry or
treaty value is applied once, when its date is reached; each figure keeps the count it is
made of (parties in a mechanism, signers and ratifiers of each treaty) up to date, so a
date costs the treaties and mechanisms, not the entries. The rules are those of
:mod:`tracker.headline` (the tests hold the two equal on every date).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from tracker.headline import LIFECYCLE_FIELDS, SIGNED_STATUSES, Reads
from tracker.queries import IN_ROLES

if TYPE_CHECKING:
    from sqlite_utils import Database

_SIGNING = ("signed", "ratified")


class _Latest:
    """What holds at a date, per key: of the entries dated on or before it (padded dates),
    the one last in the store's order (its index in ``entries``), as the figures read it."""

    def __init__(self, entries: list[tuple[str, object, object]]) -> None:
        # (padded date, key, value), in the store's order
        self.todo = sorted(range(len(entries)), key=lambda i: entries[i][0])
        self.entries = entries
        self.next = 0
        self.best: dict[object, int] = {}
        self.now: dict[object, object] = {}

    def advance(self, date: str) -> Iterator[tuple[object, object, object]]:
        """Apply the entries dated up to ``date``: each (key, old value, new value)."""
        while self.next < len(self.todo) and self.entries[self.todo[self.next]][0] <= date:
            i = self.todo[self.next]
            self.next += 1
            _, key, value = self.entries[i]
            if self.best.get(key, -1) < i:
                self.best[key] = i
                old = self.now.get(key)
                self.now[key] = value
                yield key, old, value


def values_on(db: Database, dates: Iterable[str],
              reads: Reads | None = None) -> Iterator[tuple[str, dict[str, int]]]:
    """Each of ``dates`` (padded, ascending) with every headline figure's value on it, by
    figure id: what :func:`tracker.headline.values_at` gives for each."""
    reads = reads or Reads(db)
    mechanisms, treaties = set(reads.mechanisms), reads.treaties
    watched = set(treaties) | {ind for ind, _, _ in reads.rules}
    roles = _Latest([(d, (m, party), role) for m, party, role, d, _, _ in reads.memberships])
    values = _Latest([(as_of, (t, name), v) for t in treaties
                      for name in (*LIFECYCLE_FIELDS, "enforcement")
                      for v, as_of, _, _ in reads.history(t, name)])
    mechanisms_in: Counter[str] = Counter()
    """Per party: the mechanisms it has a current role in."""
    signers: Counter[str] = Counter()
    ratified: Counter[str] = Counter()
    parties = 0
    both: set[str] = set()
    """The mechanisms with both the US and China in a current role."""
    for date in dates:
        for (m, party), old, new in roles.advance(date):
            if m in mechanisms and (old in IN_ROLES) != (new in IN_ROLES):
                if reads.kinds.get(party) != "company":
                    before = mechanisms_in[party]
                    mechanisms_in[party] += 1 if new in IN_ROLES else -1
                    parties += (mechanisms_in[party] > 0) - (before > 0)
                if party in ("USA", "CHN"):
                    if roles.now.get((m, "USA")) in IN_ROLES and \
                            roles.now.get((m, "CHN")) in IN_ROLES:
                        both.add(m)
                    else:
                        both.discard(m)
            if m in watched:
                signers[m] += (new in _SIGNING) - (old in _SIGNING)
                ratified[m] += (new == "ratified") - (old == "ratified")
        for _ in values.advance(date):
            pass
        yield date, _figures(reads, values.now, signers, ratified, len(both), parties)


def _figures(reads: Reads, values: dict, signers: Counter, ratified: Counter, both: int,
             parties: int) -> dict[str, int]:
    signed = in_force = 0
    for t in reads.treaties:
        enforcement = values.get((t, "enforcement"))
        if enforcement is not None and enforcement != "Binding":
            continue
        status = next((values[(t, name)] for name in LIFECYCLE_FIELDS if (t, name) in values),
                      None)
        signed += status in SIGNED_STATUSES or signers[t] > 0
        in_force += status == "In force"
    out = {"treaties-signed": signed, "treaties-in-force": in_force, "us-and-china": both,
           "parties": parties}
    for ind, _, _ in reads.rules:
        out[f"{ind}:ratified"] = ratified[ind]
    return out
