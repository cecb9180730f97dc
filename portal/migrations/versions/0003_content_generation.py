"""content generation row: bumped in the transaction of every public change

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 09:45:00

"""
from datetime import datetime

from alembic import op
import sqlalchemy as sa
import portal.content.models


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
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
    # The newest live moment of each kind is one seek (portal.content.generation.BOUNDARIES).
    for table_name, column in (('article', 'published_at'), ('warning', 'published_at'),
                               ('sanction', 'published_at'), ('sanction', 'published_from'),
                               ('sanction', 'published_until')):
        op.create_index(f'ix_{table_name}_status_{column}', table_name, ['status', column], unique=False)
    # Existing content counts as changed at the upgrade; the first row is the only row.
    op.bulk_insert(table, [{'id': 1, 'counter': 0, 'changed_at': datetime.now().astimezone()}])


def downgrade():
    for name, table_name in (('ix_article_status_published_at', 'article'), ('ix_warning_status_published_at', 'warning'),
                             ('ix_sanction_status_published_at', 'sanction'),
                             ('ix_sanction_status_published_from', 'sanction'),
                             ('ix_sanction_status_published_until', 'sanction')):
        op.drop_index(name, table_name=table_name)
    op.drop_table('content_generation')
