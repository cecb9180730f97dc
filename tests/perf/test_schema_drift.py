"""The migrated schema is the models' schema: autogenerate finds nothing to add or drop.

Holds the list-filter indexes, the hazard and tag tables and source_kind (migration 0007), the
change-order indexes and, on PostgreSQL, the latest_revision_id foreign keys (migration 0008) to
what portal/content/models.py declares, so neither drifts from the other.
"""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from portal.extensions import db


def test_a_freshly_migrated_database_matches_the_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == []
