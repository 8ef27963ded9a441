"""The `party` and `treaty` commands: a party's profile, and a treaty's chart of states."""

from __future__ import annotations

import sys
from typing import Any, TextIO

import click

from tracker import render
from tracker.cli import FORMAT, Env, Failed, cli
from tracker.text import count

LEDGER_CSV = ["party", "mechanism", "mechanism_name", "kind", "role", "date", "current",
              "entry_into_force", "confidence", "source", "note"]
CHART_CSV = ["party", "name", "signature", "ratification", "entry_into_force", "withdrew",
             "in_group"]


@cli.command()
@click.argument("query", metavar="PARTY")
@FORMAT
@click.pass_context
def party(ctx: click.Context, query: str, fmt: str) -> None:
    """Show a party's profile: its mechanisms, roles and dates, what it declined or left,
    its groups, its row on each treaty's chart, and the events of its mechanisms.

    PARTY is a code (USA, EU; two letters such as US or UK work for countries) or a name
    ("United States", "Republic of Korea"), case and accents aside. An unknown or
    ambiguous party exits with 2 and lists the nearest matches. CSV has one row per
    ledger entry ("current" marks the party's latest role in each mechanism).

    \b
    Example:
      tracker party USA
      tracker party "united kingdom" --format json
      tracker party eu --format csv > eu.csv
    """
    from tracker.party import profile, resolve

    store = ctx.find_object(Env).store()
    found = profile(store.db, resolve(store.db, query), store.clock().date())
    print_profile(store.db, sys.stdout, found, fmt)


def print_profile(db, out: TextIO, p, fmt: str) -> None:
    """What `tracker party` prints."""
    from tracker.reports import _sources

    if fmt == "json":
        render.as_json(out, p.as_dict())
        return
    if fmt == "csv":
        latest = {m.mechanism: (m.role, m.date) for m in [*p.mechanisms, *p.left]}
        in_force = {t["treaty"]: t["entry_into_force"] for t in p.treaties}
        render.as_csv(out, LEDGER_CSV, [
            [p.code, e["mechanism"], e["name"], e["kind"], e["role"], e["date"],
             "yes" if latest.get(e["mechanism"]) == (e["role"], e["date"]) else "no",
             in_force.get(e["mechanism"]) or "", e["confidence"], e["source"], e["note"]]
            for e in p.ledger])
        return
    src = _sources(db, out)
    terminal = render.is_terminal(out)
    head = f"{p.name} ({p.code}), {p.kind}"
    if p.official_name and p.official_name != p.name:
        head += f": {p.official_name}"
    render.paragraph(out, head)
    render.paragraph(out, "Groups: " + (", ".join(f"{g['id']} ({g['name']})" for g in p.groups)
                                        or "none recorded"))
    out.write("\n")

    def named(name: str, ident: str) -> list[Any]:
        return [render.labelled(name, ident)] if terminal else [ident, name]

    mech_cols = ["Mechanism / ID"] if terminal else ["ID", "Mechanism"]
    n = len(mech_cols)
    if p.mechanisms:
        render.table(out, f"{_in_title(p)} (latest role; sources in the ledger below)", [*mech_cols, "Kind", "Role", "Date"],
                     [[*named(m.name, m.mechanism), m.kind or "", m.role, m.date]
                      for m in p.mechanisms], wrap=(0,) if terminal else None)
    else:
        render.paragraph(out, "In no mechanism with a recorded ledger.")
        out.write("\n")
    if p.left:
        render.table(out, f"Declined or left ({len(p.left)})",
                     [*mech_cols, "Role", "Date", "Note"],
                     [[*named(m.name, m.mechanism), m.role, m.date, m.note or ""]
                      for m in p.left], wrap=(0, n + 2) if terminal else None)
    if p.treaties:
        render.table(out, "Treaties (signature, ratification, entry into force for it)",
                     [*mech_cols, "Signed", "Ratified", "In force", "Treaty"],
                     [[*named(t["name"], t["treaty"]), t["signature"] or "",
                       t["ratification"] or "", t["entry_into_force"] or "",
                       t["treaty_status"]] for t in p.treaties],
                     wrap=(0, n + 3) if terminal else None)
    if p.ledger:
        render.table(out, f"Ledger ({count(len(p.ledger), 'entry', 'entries')})",
                     ["Date", "Mechanism", "Role", "Confidence", "Source", "Note"],
                     [[e["date"], e["mechanism"], e["role"], e["confidence"], src(e["source"]),
                       e["note"] or ""] for e in p.ledger],
                     keep=(1,), wrap=(4, 5))
    if p.events:
        title = f"Events of its mechanisms while it took part ({len(p.events)})"
        if terminal:  # the mechanism's id under the title: an id is never cut
            render.table(out, title, ["Date", "Event / mechanism", "Source"],
                         [[e["date"], render.labelled(e["title"], ", ".join(e["mechanisms"])),
                           src(e["source"])] for e in p.events], keep=(1,), wrap=(1, 2))
        else:
            render.table(out, title, ["Date", "Event", "Mechanism", "Source"],
                         [[e["date"], e["title"], ", ".join(e["mechanisms"]), e["source"]]
                          for e in p.events])


def _in_title(p) -> str:
    """``In 10 mechanisms, observer in 1``: observers are not counted as in."""
    observer = sum(1 for m in p.mechanisms if m.role == "observer")
    text = f"In {count(len(p.mechanisms) - observer, 'mechanism')}"
    return text + (f", observer in {observer}" if observer else "")


def _treaty_id(db, query: str) -> str:
    from tracker.treaty_chart import treaties

    known = treaties(db)
    wanted = "-".join(query.casefold().split())
    for tid, name in known:
        if wanted == tid:
            return tid
    allowed = ", ".join(t for t, _ in known) or "none in the catalog"
    kind = db.execute("SELECT kind FROM indicators WHERE id = ?", [wanted]).fetchone()
    if kind:
        raise Failed(f"{wanted!r} is not a treaty (its kind is {kind[0] or 'not given'}); "
                     f"treaties: {allowed}")
    raise Failed(f"unknown treaty {query!r} (allowed: {allowed})")


@cli.command()
@click.argument("treaty_id", metavar="TREATY")
@FORMAT
@click.pass_context
def treaty(ctx: click.Context, treaty_id: str, fmt: str) -> None:
    """Show a treaty's chart: each state's signature, ratification and entry into force.

    As the Council of Europe's treaty office shows it, states by name. Entry into force
    for a state follows the treaty's rule in the catalog (ratifications needed, the period
    after them); blank while the treaty is not in force or the state has not ratified.

    \b
    Example:
      tracker treaty cets-225
      tracker treaty "CETS 225" --format csv
    """
    from tracker.treaty_chart import chart

    store = ctx.find_object(Env).store()
    found = chart(store.db, _treaty_id(store.db, treaty_id), store.clock().date())
    print_chart(sys.stdout, found, fmt)


def print_chart(out: TextIO, c, fmt: str) -> None:
    """What `tracker treaty` prints."""
    if fmt == "json":
        render.as_json(out, c.as_dict())
        return
    if fmt == "csv":
        render.as_csv(out, CHART_CSV, [[getattr(r, k) for k in CHART_CSV] for r in c.rows])
        return
    group = c.rule.get("group") if c.rule else None
    withdrew = any(r.withdrew for r in c.rows)
    columns = ["State", "Code", "Signature", "Ratification", "Entry into force",
               *(["Withdrew"] if withdrew else []), *([group] if group else [])]
    rows = [[r.name, r.party, r.signature or "", r.ratification or "",
             r.entry_into_force or "", *([r.withdrew or ""] if withdrew else []),
             *(["yes" if r.in_group else ""] if group else [])] for r in c.rows]
    render.table(out, f"{c.name} ({c.treaty}): {count(len(c.rows), 'party', 'parties')} signed or "
                 "ratified", columns, rows, caption=c.summary, keep=(1,), wrap=(0,))
    if c.rule and c.rule.get("note"):
        render.paragraph(out, f"Rule: {c.rule['note']} ({c.rule['source']})")


__all__ = ["party", "print_chart", "print_profile", "treaty"]
