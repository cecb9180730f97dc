"""content generation row: bumped in the transaction of every public change

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-30 09:45:00

"""
from datetime import datetime

from alembic import op
import sqlalchemy as sa
import portal.content.models


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'content_generation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('counter', sa.BigInteger(), nullable=False),
        sa.Column('changed_at', portal.content.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    # Existing content counts as changed at the upgrade; the first row is the only row.
    op.bulk_insert(table, [{'id': 1, 'counter': 0, 'changed_at': datetime.now().astimezone()}])


def downgrade():
    op.drop_table('content_generation')
