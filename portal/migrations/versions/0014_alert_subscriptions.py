"""e-mail alert subscriptions, their sent-items ledger and the request throttle

Revision ID: 0014
Revises: 0013
"""
from alembic import op
import sqlalchemy as sa
import portal.content.models


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'alert_subscription',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('address', sa.String(length=320), nullable=False),
        sa.Column('address_hash', sa.String(length=64), nullable=False),
        sa.Column('list_kind', sa.String(length=20), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('params_hash', sa.String(length=64), nullable=False),
        sa.Column('lang', sa.String(length=2), nullable=False),
        sa.Column('frequency', sa.String(length=10), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('created_at', portal.content.models.UTCDateTime(), nullable=False),
        sa.Column('confirmation_sent_at', portal.content.models.UTCDateTime(), nullable=True),
        sa.Column('confirmed_at', portal.content.models.UTCDateTime(), nullable=True),
        sa.Column('cursor_at', portal.content.models.UTCDateTime(), nullable=True),
        sa.Column('confirm_nonce', sa.String(length=43), nullable=False),
        sa.Column('unsubscribe_token', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('address_hash', 'list_kind', 'params_hash', name='uq_alert_subscription_what'),
        sa.UniqueConstraint('unsubscribe_token'),
    )
    with op.batch_alter_table('alert_subscription', schema=None) as batch_op:
        batch_op.create_index('ix_alert_subscription_due', ['status', 'frequency', 'id'], unique=False)
        batch_op.create_index('ix_alert_subscription_pending', ['status', 'created_at'], unique=False)
    op.create_table(
        'alert_sent',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('subscription_id', sa.Integer(), nullable=False),
        sa.Column('item_type', sa.String(length=20), nullable=False),
        sa.Column('item_root', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('sent_at', portal.content.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['subscription_id'], ['alert_subscription.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('subscription_id', 'item_type', 'item_root', name='uq_alert_sent_item'),
    )
    op.create_table(
        'alert_throttle',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('scope', sa.String(length=10), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('at', portal.content.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('alert_throttle', schema=None) as batch_op:
        batch_op.create_index('ix_alert_throttle_key', ['scope', 'key', 'at'], unique=False)


def downgrade():
    op.drop_table('alert_throttle')
    op.drop_table('alert_sent')
    op.drop_table('alert_subscription')
