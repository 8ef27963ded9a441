"""Offline stand-ins for the public sources: MockTransport answers from tests/data/samples."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs

import httpx

SAMPLES = Path(__file__).parent / "data" / "samples"

TYPES = {".json": "application/json", ".csv": "text/csv; charset=utf-8",
         ".xml": "application/xml"}


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


class Sources:
    """A MockTransport handler for the test catalog's sources, counting requests."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.overrides: dict[str, httpx.Response] = {}
        self.etags: dict[str, str] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        host = request.url.host
        if host in self.overrides:
            return self.overrides[host]
        if host == "fr.test":
            year = parse_qs(str(request.url.query, "ascii") if isinstance(request.url.query, bytes)
                            else request.url.query).get("conditions[publication_date][year]")
            body = sample("federal-register-empty.json") if year == ["2025"] else \
                sample("federal-register-documents.json")
            return self._ok(body, "application/json")
        if host == "epoch.test":
            return self._ok(sample("epoch-large-scale.csv"), "text/csv", etag='"epoch-v1"',
                            request=request)
        if host == "wd.test":
            query = parse_qs(request.url.query.decode())["query"][0]
            name = "wikidata-sparql-resolve-sitelinks.json" if "schema:about" in query else \
                "wikidata-sparql-treaty-parties.json"
            return self._ok(sample(name), "application/sparql-results+json")
        if host == "gov.test" and request.url.path.endswith(".atom"):
            return self._ok(sample("govuk-org-atom.xml"), "application/atom+xml")
        if host == "gov.test":
            return self._ok(sample("govuk-search.json"), "application/json")
        if host == "aiid.test":
            return self._ok(sample("aiid-rss.xml"), "application/xml")
        if host == "json.test":
            return self._ok(sample("federal-register-documents.json"), "application/json")
        if host == "csv.test":
            return self._ok(sample("cets225-status-2026-09-12.csv"), "text/csv")
        return httpx.Response(404, text="not found", headers={"Content-Type": "text/html"})

    def _ok(self, body: bytes, ctype: str, etag: str | None = None,
            request: httpx.Request | None = None) -> httpx.Response:
        headers = {"Content-Type": ctype}
        if etag:
            headers["ETag"] = etag
            if request is not None and request.headers.get("If-None-Match") == etag:
                return httpx.Response(304, headers=headers)
        return httpx.Response(200, content=body, headers=headers)

    def hosts(self) -> list[str]:
        return [r.url.host for r in self.requests]
