"""import identity: import records, source date and product codes on warnings

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa
import portal.content.models


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('warning', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('product_codes', sa.JSON(), nullable=False, server_default='[]'))
    op.create_table(
        'import_record',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('authority', sa.String(length=200), nullable=False),
        sa.Column('reference', sa.String(length=100), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('warning_id', sa.Integer(), nullable=True),
        sa.Column('source_date', sa.Date(), nullable=True),
        sa.Column('source_language', sa.String(length=10), nullable=False),
        sa.Column('original', sa.JSON(), nullable=False),
        sa.Column('image_urls', sa.JSON(), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('imported_version', sa.Integer(), nullable=False),
        sa.Column('notes', sa.JSON(), nullable=False),
        sa.Column('assigned_to_id', sa.Integer(), nullable=True),
        sa.Column('confirmed_category', sa.String(length=40), nullable=False),
        sa.Column('confirmed_risk_level', sa.String(length=20), nullable=False),
        sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
        sa.Column('confirmed_at', portal.content.models.UTCDateTime(), nullable=True),
        sa.Column('first_imported_at', portal.content.models.UTCDateTime(), nullable=False),
        sa.Column('last_seen_at', portal.content.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['warning_id'], ['warning.id']),
        sa.ForeignKeyConstraint(['assigned_to_id'], ['user.id']),
        sa.ForeignKeyConstraint(['confirmed_by_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('authority', 'reference', name='uq_import_record_identity'),
    )
    with op.batch_alter_table('import_record', schema=None) as batch_op:
        batch_op.create_index('ix_import_record_source', ['source'], unique=False)
        batch_op.create_index('ix_import_record_state', ['state'], unique=False)
        batch_op.create_index('ix_import_record_warning_id', ['warning_id'], unique=False)
        batch_op.create_index('ix_import_record_source_date', ['source_date'], unique=False)


def downgrade():
    op.drop_table('import_record')
    with op.batch_alter_table('warning', schema=None) as batch_op:
        batch_op.drop_column('product_codes')
        batch_op.drop_column('source_date')
