"""Reader reads that skip the ORM's per-query cost, with the ORM's own SQL and conversions.

Building and compiling a queryset costs the reader pages about ten times what the database
spends answering it (docs/PERFORMANCE.md). Two things here do that work once per process and
database engine instead of once per query:

- `CompiledQuery`: a `values_list` queryset compiled to SQL once, run again with only its
  varying values (`Slot`s) re-bound (or, for an `INLINED_ID`, written into the text as an
  integer), its rows converted as the ORM converts them;
- `instance_from_row`: a model instance from a row read through a cursor, through each
  field's database converters and `Model.from_db`, as the ORM builds one;
- `capped_counts`: several querysets counted up to a cap, their SQL (`Query.sql_with_params`)
  side by side in one SELECT, for the desk's badges.

This is the one module that reads Django's SQL compiler (`get_compiler`, `as_sql`,
`get_converters`, `select`/`col_count`) and the converter hooks (`get_db_converters`): internals
that may change between Django's minor versions, so `test_compiled_query.py` fails on a new one
until they are checked again.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

from django.db import DEFAULT_DB_ALIAS, connection, connections

# The Django version whose internals this module was last checked against.
CHECKED_WITH_DJANGO = (5, 2)


@dataclass(frozen=True)
class Slot:
    """A value that changes from one run of a compiled query to the next. It must reach the SQL
    as a parameter, as it is given (a value computed from it, `now.hour` say, would not be
    found among the parameters when it came out the same for both examples)."""

    examples: tuple[Any, Any]  # two values that compile to the same SQL, different params
    adapt: Callable[[Any], Any] = staticmethod(lambda value: value)
    # Written into the SQL's text as an integer literal instead of bound (`INLINED_ID`).
    inlined: bool = False


def _adapt_datetime(value):
    return connection.ops.adapt_datetimefield_value(value)


MOMENT = Slot(
    (datetime(2001, 2, 3, 4, 5, 6, 7, tzinfo=UTC), datetime(2002, 3, 4, 5, 6, 7, 8, tzinfo=UTC)),
    _adapt_datetime,
)
ID = Slot((2_000_000_001, 2_000_000_002))
TEXT = Slot(("\x01first", "\x01second"))
# An id PostgreSQL should plan with: its value in the SQL, so the plan it keeps for a prepared
# statement is the one for that id (a bound id gets a plan for an average one, or is planned
# again on every run; docs/PERFORMANCE.md, "planning"). Each value is a statement of its own:
# for the few ids of a listing that are read often (the big topics, the providers).
INLINED_ID = Slot((2_000_000_001, 2_000_000_002), adapt=int, inlined=True)


class _Compiled(NamedTuple):
    sql: str
    params: list
    slots: dict[str, list[int]]  # where each slot's value goes in `params`
    converters: list[tuple[int, list, Any]]  # (column, converter functions, expression)
    pieces: list[str] | None = None  # `sql` cut at each placeholder, when a slot is inlined


INLINED_STATEMENTS = 256  # SQL texts kept per compiled query, one per inlined value seen


class CompiledQuery:
    """The SQL of `build(**values)`, a `values_list` queryset, compiled once per process and
    database engine; `rows(**values)` runs it with those values re-bound and returns its rows,
    converted as the ORM converts them: model fields in `values_list` order, then annotations
    (as Django selects them; list annotations last).

    Only the values named in `slots` may change: the SQL is compiled with two example values of
    each and must come out the same but for those params (else compiling fails loudly)."""

    def __init__(self, build: Callable[..., Any], **slots: Slot):
        self.build, self.slots = build, slots
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()
        self._inlined = tuple(name for name, slot in slots.items() if slot.inlined)
        self._statements = functools.lru_cache(INLINED_STATEMENTS)(self._statement)

    def rows(self, *, convert: bool = True, **values) -> list[tuple]:
        """`convert=False`: the rows as the database gives them, for a caller that keeps few
        of many (each kept one through `converted`)."""
        compiled = self._compiled.get(connection.vendor) or self._compile()
        params = list(compiled.params)
        for name, positions in compiled.slots.items():
            if name not in self._inlined:
                bound = self.slots[name].adapt(values[name])
                for position in positions:
                    params[position] = bound
        sql = compiled.sql
        if self._inlined:
            inlined = tuple(self.slots[name].adapt(values[name]) for name in self._inlined)
            sql, kept = self._statements(connection.vendor, inlined)
            params = [params[position] for position in kept]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if convert and compiled.converters:
            rows = [_converted(row, compiled.converters) for row in rows]
        return rows

    def converted(self, row) -> tuple:
        """A row `rows(convert=False)` gave, converted as `rows()` converts it."""
        converters = self._compiled[connection.vendor].converters
        return _converted(row, converters) if converters else tuple(row)

    def _compile(self) -> _Compiled:
        with self._lock:
            first = {name: slot.examples[0] for name, slot in self.slots.items()}
            queryset = self.build(**first)
            compiler = queryset.query.get_compiler(connection=connection)
            sql, params = compiler.as_sql()
            positions = {}
            for name, slot in self.slots.items():
                varied = self.build(**{**first, name: slot.examples[1]})
                other_sql, other = varied.query.sql_with_params()
                changed = [i for i, (a, b) in enumerate(zip(params, other, strict=True)) if a != b]
                if other_sql != sql or not changed:
                    raise ValueError(f"{name} is not a parameter of this query alone")
                if any(params[i] != slot.adapt(slot.examples[0]) for i in changed):
                    raise ValueError(f"{name} is not bound as its Slot adapts it")
                positions[name] = changed
            columns = [selected[0] for selected in compiler.select[: compiler.col_count]]
            converters = [
                (index, functions, expression)
                for index, (functions, expression) in compiler.get_converters(columns).items()
            ]
            pieces = None
            if self._inlined:
                pieces = sql.split("%s")
                if len(pieces) != len(params) + 1 or "%%" in sql:
                    raise ValueError("the SQL's placeholders cannot be told apart to inline")
            compiled = _Compiled(sql, list(params), positions, converters, pieces)
            self._compiled[connection.vendor] = compiled
            return compiled

    def _statement(self, vendor: str, inlined: tuple[int, ...]) -> tuple[str, list[int]]:
        """The SQL with the inlined slots' values (integers) written in, and the positions of
        the params still bound."""
        compiled = self._compiled[vendor]
        written = {}
        for name, value in zip(self._inlined, inlined, strict=True):
            for position in compiled.slots[name]:
                written[position] = str(int(value))
        text = [compiled.pieces[0]]
        for position, piece in enumerate(compiled.pieces[1:]):
            text.append(written.get(position, "%s"))
            text.append(piece)
        return "".join(text), [p for p in range(len(compiled.params)) if p not in written]


def _converted(row, converters) -> tuple:
    row = list(row)
    for index, functions, expression in converters:
        for convert in functions:
            row[index] = convert(row[index], expression, connection)
    return tuple(row)


def instance_from_row(model, names: tuple[str, ...], values):
    """A `model` instance from a row, as the ORM builds one: each value through the database's
    and the field's converters, then `Model.from_db`; fields not in `names` are deferred.
    `names` are in the model's field order, as `from_db` expects."""
    attnames, conversions = _loader(model, names, connection.vendor)
    values = list(values)
    for index, column, converters in conversions:
        for convert in converters:
            values[index] = convert(values[index], column, connection)
    return model.from_db(DEFAULT_DB_ALIAS, attnames, values)


@functools.cache
def _loader(model, names, vendor: str):
    """What `instance_from_row` needs for these fields, worked out once per engine (`vendor`)."""
    fields = [model._meta.get_field(name) for name in names]
    conversions = []
    for index, field in enumerate(fields):
        column = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
        if converters:
            conversions.append((index, column, converters))
    return [field.attname for field in fields], conversions


def capped_counts(querysets, cap: int) -> list[int]:
    """How many rows each queryset has, counting no further than `cap`, in one query.

    An exact count of a view's waiting items reads every one of them (a scan of 100,000
    articles for a broad view); a count that stops at `cap` reads at most that many, and a
    header badge needs no more ("999+"). The ORM writes each count's SQL; they are only put
    side by side here, as scalar subqueries of one SELECT."""
    if not querysets:
        return []
    parts, params = [], []
    for queryset in querysets:
        sql, part_params = queryset.order_by().values("pk")[:cap].query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) capped)")
        params.extend(part_params)
    with connections[querysets[0].db].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return list(cursor.fetchone())
