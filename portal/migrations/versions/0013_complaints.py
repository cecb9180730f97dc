"""complaints and reports from residents

Revision ID: 0013
Revises: 0012
"""
from alembic import op
import sqlalchemy as sa
import portal.content.models


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'complaint',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=10), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('sector', sa.String(length=30), nullable=False),
        sa.Column('lang', sa.String(length=2), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('created_at', portal.content.models.UTCDateTime(), nullable=False),
        sa.Column('status_changed_at', portal.content.models.UTCDateTime(), nullable=False),
        sa.Column('due_at', portal.content.models.UTCDateTime(), nullable=True),
        sa.Column('closed_at', portal.content.models.UTCDateTime(), nullable=True),
        sa.Column('rejection_reason', sa.Text(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('business_name', sa.String(length=300), nullable=False),
        sa.Column('business_address', sa.String(length=500), nullable=False),
        sa.Column('product', sa.String(length=300), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('happened_on', sa.String(length=10), nullable=False),
        sa.Column('happened_where', sa.String(length=300), nullable=False),
        sa.Column('wanted', sa.Text(), nullable=False),
        sa.Column('contact_name', sa.String(length=200), nullable=False),
        sa.Column('contact_email', sa.String(length=254), nullable=False),
        sa.Column('contact_phone', sa.String(length=20), nullable=False),
        sa.Column('contact_address', sa.String(length=500), nullable=False),
        sa.Column('purged_at', portal.content.models.UTCDateTime(), nullable=True),
        sa.Column('assigned_org', sa.String(length=200), nullable=False),
        sa.Column('assigned_to_id', sa.Integer(), nullable=True),
        sa.Column('warning_id', sa.Integer(), nullable=True),
        sa.Column('sanction_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['assigned_to_id'], ['user.id']),
        sa.ForeignKeyConstraint(['warning_id'], ['warning.id']),
        sa.ForeignKeyConstraint(['sanction_id'], ['sanction.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('code'),
    )
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.create_index('ix_complaint_created', ['created_at', 'id'], unique=False)
        batch_op.create_index('ix_complaint_status_due', ['status', 'due_at'], unique=False)
        batch_op.create_index('ix_complaint_assignee', ['assigned_to_id', 'status'], unique=False)
        batch_op.create_index('ix_complaint_closed', ['closed_at', 'purged_at'], unique=False)
        batch_op.create_index('ix_complaint_stats', ['month', 'status', 'sector'], unique=False)

    op.create_table(
        'complaint_attachment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('complaint_id', sa.Integer(), nullable=False),
        sa.Column('stored_name', sa.String(length=64), nullable=False),
        sa.Column('original_name', sa.String(length=200), nullable=False),
        sa.Column('content_type', sa.String(length=40), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('created_at', portal.content.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('complaint_attachment', schema=None) as batch_op:
        batch_op.create_index('ix_complaint_attachment_complaint_id', ['complaint_id'], unique=False)

    op.create_table(
        'complaint_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('complaint_id', sa.Integer(), nullable=False),
        sa.Column('at', portal.content.models.UTCDateTime(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('actor_label', sa.String(length=200), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('public', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id']),
        sa.ForeignKeyConstraint(['actor_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('complaint_event', schema=None) as batch_op:
        batch_op.create_index('ix_complaint_event_complaint_id', ['complaint_id'], unique=False)

    op.create_table(
        'complaint_attempt',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=10), nullable=False),
        sa.Column('remote_addr', sa.String(length=64), nullable=False),
        sa.Column('at', portal.content.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('complaint_attempt', schema=None) as batch_op:
        batch_op.create_index('ix_complaint_attempt_addr', ['action', 'remote_addr', 'at'], unique=False)
        batch_op.create_index('ix_complaint_attempt_at', ['at'], unique=False)


def downgrade():
    op.drop_table('complaint_attempt')
    op.drop_table('complaint_event')
    op.drop_table('complaint_attachment')
    op.drop_table('complaint')
