"""search nodes: where each node's index stands in the outbox

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 09:45:00

"""
from alembic import op
import sqlalchemy as sa
import portal.content.models


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_nodes',
    sa.Column('node_id', sa.String(length=200), nullable=False),
    sa.Column('index_dir', sa.String(length=1000), nullable=False),
    sa.Column('host', sa.String(length=255), nullable=False),
    sa.Column('last_applied', sa.BigInteger(), nullable=False),
    sa.Column('safe_applied', sa.BigInteger(), nullable=False),
    sa.Column('last_seen', portal.content.models.UTCDateTime(), nullable=False),
    sa.Column('started_at', portal.content.models.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('node_id')
    )
    with op.batch_alter_table('search_nodes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_nodes_last_seen'), ['last_seen'], unique=False)


def downgrade():
    with op.batch_alter_table('search_nodes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_nodes_last_seen'))
    op.drop_table('search_nodes')
