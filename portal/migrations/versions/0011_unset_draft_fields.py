"""unset draft fields: a draft may leave its category, risk level, decision date and fine unset

A draft now saves with only a title, and a warning's risk level stays unset until an editor
chooses it (no default "serious"): warning.category, warning.risk_level, sanction.decision_date
and sanction.fine_vnd become nullable. Submitting for review and publishing still require them.

SQLite changes a column's NULL rule only by rebuilding the table, which drops the table's
triggers (migration 0007 keeps the hazard table and the source kind with triggers on warning):
their SQL is read before the rebuild and run again after it.

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

COLUMNS = (
    ('warning', 'category', sa.String(length=40)),
    ('warning', 'risk_level', sa.String(length=20)),
    ('sanction', 'decision_date', sa.Date()),
    ('sanction', 'fine_vnd', sa.BigInteger()),
)


def _set_nullable(nullable: bool) -> None:
    bind = op.get_bind()
    for table in ('warning', 'sanction'):
        triggers = []
        if bind.dialect.name == 'sqlite':
            triggers = [row[0] for row in bind.execute(sa.text(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :table ORDER BY name"),
                {'table': table})]
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, column, type_ in COLUMNS:
                if name == table:
                    batch_op.alter_column(column, existing_type=type_, nullable=nullable)
        for statement in triggers:
            name = statement.split()[2]
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
            op.execute(statement)


def upgrade():
    _set_nullable(True)


def downgrade():
    # Drafts saved with unset fields cannot go back under the old rule: give them the old defaults.
    op.execute("UPDATE warning SET category = 'other' WHERE category IS NULL")
    op.execute("UPDATE warning SET risk_level = 'unknown' WHERE risk_level IS NULL")
    op.execute("UPDATE sanction SET fine_vnd = 0 WHERE fine_vnd IS NULL")
    op.execute("UPDATE sanction SET decision_date = CURRENT_DATE WHERE decision_date IS NULL")
    _set_nullable(False)
