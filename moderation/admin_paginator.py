"""A paginator for the moderation queue that never counts a million rows to draw a page."""
from __future__ import annotations

import json

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connections
from django.utils.functional import cached_property

# Up to this many matching rows the count is exact (counting them costs no more than reading them).
EXACT_COUNT_LIMIT = 10_000


class EstimatedCountPaginator(Paginator):
    """Exact counts up to EXACT_COUNT_LIMIT; beyond that on PostgreSQL, the planner's estimate
    (`pg_class.reltuples` for the whole table, `EXPLAIN` for a filtered one), flagged `estimated` so the
    page says "about". Other databases count exactly."""

    estimated = False

    @cached_property
    def count(self) -> int:
        queryset = self.object_list.order_by()
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return queryset.count()
        if not queryset.query.where:
            whole = self._table_estimate(queryset)
            if whole is not None and whole > EXACT_COUNT_LIMIT:
                self.estimated = True
                return whole
        # COUNT(*) over a LIMIT: exact for the small result, bounded work for the large one.
        capped = queryset.values("pk")[: EXACT_COUNT_LIMIT + 1].count()
        if capped <= EXACT_COUNT_LIMIT:
            return capped
        self.estimated = True
        return max(self._plan_estimate(queryset), capped)

    def validate_number(self, number) -> int:
        # An estimate can overshoot: a page past the real end is an empty page, not an error.
        if not self.estimated:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        return number

    @staticmethod
    def _table_estimate(queryset) -> int | None:
        with connections[queryset.db].cursor() as cursor:
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                           [queryset.model._meta.db_table])
            row = cursor.fetchone()
        return row[0] if row and row[0] >= 0 else None  # -1: never analysed

    @staticmethod
    def _plan_estimate(queryset) -> int:
        sql, params = queryset.values("pk").query.sql_with_params()
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return int(plan[0]["Plan"]["Plan Rows"])
