"""Count the SQL statements a block of code sends (SQLAlchemy events), with their parameters."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import sqlalchemy as sa

from portal.extensions import db


@contextmanager
def count_statements() -> Iterator[list[tuple[str, object]]]:
    """Collect (statement, parameters) of every statement sent while the block runs."""
    statements: list[tuple[str, object]] = []

    def collect(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", collect)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", collect)
