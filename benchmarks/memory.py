"""Peak memory of refreshing one large CSV source, in a fresh process.

`python memory.py URL DB CATALOG` prints JSON: the resident set before the refresh and
the peak during it (bytes, from /proc/self/status).
"""

import asyncio
import json
import sys


def _status(key: str) -> int:
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    raise KeyError(key)


def main() -> None:
    from tracker.catalog import load_catalog
    from tracker.fetchers import make_client
    from tracker.fetchers.generic import fetch_csv  # noqa: F401 - imported before measuring
    from tracker.refresh import refresh
    from tracker.store import Store
    from tracker.sync import sync

    store = Store.open(sys.argv[2])
    catalog = load_catalog(sys.argv[3])
    sync(store, catalog)

    async def run():
        async with make_client() as client:
            return await refresh(store, catalog, client, host_delay=0)

    before = _status("VmRSS")
    # Reset the high-water mark so the peak is the refresh's own.
    open("/proc/self/clear_refs", "w").write("5")
    report = asyncio.run(run())
    peak = _status("VmHWM")
    print(json.dumps({"before": before, "peak": peak,
                      "status": [o.status for o in report.outcomes],
                      "errors": [o.error for o in report.outcomes if o.error]}))


if __name__ == "__main__":
    main()
