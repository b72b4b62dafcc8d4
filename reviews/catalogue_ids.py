"""The slugs and ids of the clinics, therapists and tags, as each process keeps them between requests.

The public API needs them on every request — a filter's slugs become ids, a page's tag ids become slugs —
and they change a few times a year, so a process reads all of them in one query (~100 small rows) and
reads again when the publication version moves (adding, renaming or removing a clinic, therapist or
tag moves it: moderation.publication.catalogue_changed; this process's copy is also dropped at once by
the models' signals, reviews/apps.py), when asked about a slug or an id it does not know, and at least
once a minute. Version 0 (the cache is down: no version to trust) reads them every time."""
from __future__ import annotations

import time

from .public_sql import public_fetch

MAX_AGE_SECONDS = 60
KINDS = {"location": "reviews_location", "therapist": "reviews_therapist", "tag": "reviews_tag"}
_SQL = " UNION ALL ".join(f"SELECT '{kind}', slug, id FROM {table}" for kind, table in KINDS.items())


class Catalogue:
    def __init__(self, version: int, rows: list[tuple[str, str, int]]) -> None:
        self.version, self.read_at = version, time.monotonic()
        self.ids: dict[str, dict[str, int]] = {kind: {} for kind in KINDS}
        for kind, slug, pk in rows:
            self.ids[kind][slug] = pk
        self.tag_slugs = {pk: slug for slug, pk in self.ids["tag"].items()}

    def fresh_for(self, version: int) -> bool:
        return bool(version) and version == self.version and time.monotonic() - self.read_at < MAX_AGE_SECONDS


_kept: Catalogue | None = None


def catalogue(version: int, *, knows=lambda found: True) -> Catalogue:
    """The catalogue for a request answered under `version`; read again unless this process's copy is
    fresh for it and `knows(copy)` (what the caller looks for is in it)."""
    global _kept
    kept = _kept
    if kept is not None and kept.fresh_for(version) and knows(kept):
        return kept
    found = Catalogue(version, public_fetch(_SQL, []))
    if version:  # a copy read without a version is never reused: keep the one that can be
        _kept = found
    return found


def catalogue_forget(**kwargs) -> None:
    """This process reads them again on its next request (connected to the models' save and delete)."""
    global _kept
    _kept = None
