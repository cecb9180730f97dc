"""indexes for the public list rules; content_updated_at for feed dates

The language rule (one version per item) probes translations by (translation_of_id, lang);
lists walk (published_at, id) or, for enforcement results, (decision_date, published_from, id);
feeds walk (content_updated_at, id); every public answer's Last-Modified reads the newest
search_outbox.created_at. content_updated_at is when the public content last changed:
filled here from the publication time, or for a warning carrying a change note from the row's
last save (the best record an existing database has of when that update went public).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 09:45:00

"""
from alembic import op
import sqlalchemy as sa
import portal.content.models


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

TABLES = ('article', 'warning', 'sanction')
TRANSLATED = sa.text('translation_of_id IS NOT NULL')
ORDER_INDEXES = {
    'article': ('ix_article_published_at_id', ['published_at', 'id']),
    'warning': ('ix_warning_published_at_id', ['published_at', 'id']),
    'sanction': ('ix_sanction_decision_order', ['decision_date', 'published_from', 'id']),
}


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('content_updated_at', portal.content.models.UTCDateTime(), nullable=True))
            batch_op.create_index(f'ix_{table}_translation_of_id_lang', ['translation_of_id', 'lang'], unique=False,
                                  sqlite_where=TRANSLATED, postgresql_where=TRANSLATED)
            name, columns = ORDER_INDEXES[table]
            batch_op.create_index(name, columns, unique=False)
            batch_op.create_index(f'ix_{table}_content_updated_at_id', ['content_updated_at', 'id'], unique=False)
    with op.batch_alter_table('search_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_outbox_created_at'), ['created_at'], unique=False)
    op.execute("UPDATE article SET content_updated_at = published_at")
    op.execute("UPDATE warning SET content_updated_at = CASE WHEN change_note <> '' OR status = 'withdrawn' "
               "THEN updated_at ELSE published_at END WHERE published_at IS NOT NULL")
    op.execute("UPDATE sanction SET content_updated_at = CASE WHEN published_from > published_at "
               "THEN published_from ELSE published_at END")


def downgrade():
    with op.batch_alter_table('search_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_outbox_created_at'))
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f'ix_{table}_content_updated_at_id')
            batch_op.drop_index(ORDER_INDEXES[table][0])
            batch_op.drop_index(f'ix_{table}_translation_of_id_lang')
            batch_op.drop_column('content_updated_at')
