"""change-order indexes: each feed filter walks its matches newest change first

Feeds list the newest public changes (content_updated_at, id). The public clause reads its
status (and, in change order, its publication moments) through COALESCE, so the planner walks
(content_updated_at, id) for an unfiltered feed; a filtered feed walks one of these, which hold
the filter's column before the change order, and stops at the feed's size instead of sorting
every match. A warning's chosen status (active or withdrawn) has one too.

Also, on PostgreSQL only: the foreign keys of latest_revision_id (article, warning, sanction →
revision), which 0001 declared with use_alter and so never created there (SQLite has them).

Revision ID: 0008
Revises: 0007
"""
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

INDEXES = {
    'warning': {
        'ix_warning_category_changed': ['category', 'content_updated_at', 'id'],
        'ix_warning_risk_level_changed': ['risk_level', 'content_updated_at', 'id'],
        'ix_warning_source_kind_changed': ['source_kind', 'content_updated_at', 'id'],
        'ix_warning_status_changed': ['status', 'content_updated_at', 'id'],
    },
    'article': {
        'ix_article_kind_changed': ['kind', 'content_updated_at', 'id'],
    },
    'sanction': {
        'ix_sanction_kind_changed': ['violation_kind', 'content_updated_at', 'id'],
        'ix_sanction_authority_changed': ['decision_authority', 'content_updated_at', 'id'],
        'ix_sanction_online_changed': ['online', 'content_updated_at', 'id'],
    },
}
CONTENT_TABLES = ('article', 'warning', 'sanction')


def _revision_key(table: str) -> str:
    return f'{table}_latest_revision_id_fkey'


def upgrade():
    for table, indexes in INDEXES.items():
        for name, columns in indexes.items():
            op.create_index(name, table, columns, unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        for table in CONTENT_TABLES:
            op.create_foreign_key(_revision_key(table), table, 'revision', ['latest_revision_id'], ['id'])


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for table in CONTENT_TABLES:
            op.drop_constraint(_revision_key(table), table, type_='foreignkey')
    for table, indexes in INDEXES.items():
        for name in indexes:
            op.drop_index(name, table_name=table)
