"""Bulk writes for the importer: multi-row upserts and executemany inserts.

The ORM's bulk_create spends most of its time preparing each value of each object; the importer
writes tens of thousands of rows whose values it already knows to be valid, so it prepares each
column once (a converter per field type) and hands whole batches to the database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models


def _converter(field: models.Field) -> Callable[[Any], Any] | None:
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return lambda value: None if value is None else ops.adapt_datetimefield_value(value)
    if isinstance(field, models.JSONField):
        return lambda value: ops.adapt_json_value(value, field.encoder)
    return None


def _columns(model: type[models.Model], fields: Sequence[str]):
    model_fields = [model._meta.get_field(name) for name in fields]
    return [field.column for field in model_fields], [_converter(f) for f in model_fields]


def _prepare(rows: Sequence[dict[str, Any]], fields: Sequence[str], converters) -> list[tuple]:
    pairs = list(zip(fields, converters, strict=True))
    return [
        tuple(row[name] if convert is None else convert(row[name]) for name, convert in pairs)
        for row in rows
    ]


def insert_rows(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> None:
    """INSERT many rows ({field name: value}, all with the same keys) with one executemany."""
    if not rows:
        return
    fields = list(rows[0])
    columns, converters = _columns(model, fields)
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, _prepare(rows, fields, converters))


def upsert_rows(
    model: type[models.Model],
    rows: Sequence[dict[str, Any]],
    *,
    unique_field: str,
    update_fields: Sequence[str],
) -> dict[Any, int]:
    """INSERT ... ON CONFLICT (unique_field) DO UPDATE the `update_fields` only, in one
    statement; returns {unique value: primary key} for every row (PostgreSQL and SQLite 3.35+)."""
    if not rows:
        return {}
    fields = list(rows[0])
    columns, converters = _columns(model, fields)
    meta = model._meta
    quote = connection.ops.quote_name
    unique_column = meta.get_field(unique_field).column
    updates = ", ".join(
        f"{quote(c)} = EXCLUDED.{quote(c)}"
        for c in (meta.get_field(name).column for name in update_fields)
    )
    row_sql = f"({', '.join(['%s'] * len(columns))})"
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(map(quote, columns))}) "
        f"VALUES {', '.join([row_sql] * len(rows))} "
        f"ON CONFLICT ({quote(unique_column)}) DO UPDATE SET {updates} "
        f"RETURNING {quote(unique_column)}, {quote(meta.pk.column)}"
    )
    params = [value for row in _prepare(rows, fields, converters) for value in row]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())
