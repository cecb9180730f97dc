"""tags and campaigns: the tag vocabulary, a warning tag index, the campaign table

- taxonomy_term gains the vocabulary 'tag' (portal.content.taxonomy.TAGS) where it is missing
  (a database created after this change has the terms from the initial migration already);
- warning_tag (warning_id, tag, published_at) mirrors the JSON list warning.tags like
  article_tag does for guides (migration 0007): kept by triggers on SQLite and PostgreSQL, so
  (tag, published_at, warning_id) walks a tag's warnings newest first and stops at the page;
- campaign holds the campaigns loaded from content files (type: campaign): one row per slug,
  the validated file as JSON plus the columns the pages look it up by.

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa
import portal.content.models


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

TABLE, DERIVED, KEY, VALUE, COLUMN = 'warning', 'warning_tag', 'warning_id', 'tag', 'tags'


def _sqlite_triggers() -> list[str]:
    fill = (f"INSERT INTO {DERIVED} ({KEY}, {VALUE}, published_at) "
            f"SELECT DISTINCT NEW.id, value, NEW.published_at FROM json_each(NEW.{COLUMN}) WHERE type = 'text';")
    return [
        f"CREATE TRIGGER {DERIVED}_insert AFTER INSERT ON {TABLE} BEGIN {fill} END",
        f"CREATE TRIGGER {DERIVED}_update AFTER UPDATE OF {COLUMN}, published_at, id ON {TABLE} BEGIN "
        f"DELETE FROM {DERIVED} WHERE {KEY} = OLD.id; {fill} END",
        f"CREATE TRIGGER {DERIVED}_delete AFTER DELETE ON {TABLE} BEGIN "
        f"DELETE FROM {DERIVED} WHERE {KEY} = OLD.id; END",
    ]


def _postgresql_triggers() -> list[str]:
    return [
        f"""CREATE FUNCTION {DERIVED}_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.{COLUMN}::text IS NOT DISTINCT FROM OLD.{COLUMN}::text
           AND NEW.published_at IS NOT DISTINCT FROM OLD.published_at AND NEW.id = OLD.id THEN
            RETURN NEW;
        END IF;
        DELETE FROM {DERIVED} WHERE {KEY} = OLD.id;
    END IF;
    IF json_typeof(NEW.{COLUMN}) = 'array' THEN
        INSERT INTO {DERIVED} ({KEY}, {VALUE}, published_at)
        SELECT DISTINCT NEW.id, element #>> '{{}}', NEW.published_at
        FROM json_array_elements(NEW.{COLUMN}) AS element WHERE json_typeof(element) = 'string';
    END IF;
    RETURN NEW;
END $$""",
        f"CREATE TRIGGER {DERIVED}_sync AFTER INSERT OR UPDATE ON {TABLE} "
        f"FOR EACH ROW EXECUTE FUNCTION {DERIVED}_sync()",
    ]


def _backfill() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"INSERT INTO {DERIVED} ({KEY}, {VALUE}, published_at) "
                   f"SELECT DISTINCT t.id, element #>> '{{}}', t.published_at FROM {TABLE} AS t "
                   f"CROSS JOIN LATERAL json_array_elements(CASE WHEN json_typeof(t.{COLUMN}) = 'array' "
                   f"THEN t.{COLUMN} ELSE '[]'::json END) AS element WHERE json_typeof(element) = 'string'")
    else:
        op.execute(f"INSERT INTO {DERIVED} ({KEY}, {VALUE}, published_at) "
                   f"SELECT DISTINCT t.id, j.value, t.published_at FROM {TABLE} AS t, json_each(t.{COLUMN}) AS j "
                   f"WHERE j.type = 'text'")


def _seed_tags() -> None:
    from portal.content.taxonomy import TAGS

    bind = op.get_bind()
    present = set(bind.execute(sa.text("SELECT code FROM taxonomy_term WHERE vocabulary = 'tag'")).scalars())
    term = sa.table("taxonomy_term", sa.column("vocabulary", sa.String), sa.column("code", sa.String),
                    sa.column("label_vi", sa.String), sa.column("label_en", sa.String),
                    sa.column("position", sa.Integer))
    rows = [{"vocabulary": "tag", "code": t.code, "label_vi": t.vi, "label_en": t.en, "position": position}
            for position, t in enumerate(TAGS) if t.code not in present]
    if rows:
        op.bulk_insert(term, rows)


def upgrade():
    _seed_tags()
    op.create_table(
        DERIVED,
        sa.Column(KEY, sa.Integer(), nullable=False),
        sa.Column(VALUE, sa.Text(), nullable=False),
        sa.Column('published_at', portal.content.models.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint([KEY], ['warning.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint(KEY, VALUE),
    )
    _backfill()
    op.create_index('ix_warning_tag_tag_order', DERIVED, [VALUE, 'published_at', KEY])
    for statement in (_postgresql_triggers() if op.get_bind().dialect.name == 'postgresql' else _sqlite_triggers()):
        op.execute(statement)
    op.create_table(
        'campaign',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('slug', sa.String(length=200), nullable=False),
        sa.Column('tag', sa.String(length=40), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('updated_at', portal.content.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('slug', name='uq_campaign_slug'),
    )
    op.create_index('ix_campaign_ends_on', 'campaign', ['ends_on', 'id'])


def downgrade():
    op.drop_index('ix_campaign_ends_on', table_name='campaign')
    op.drop_table('campaign')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"DROP TRIGGER IF EXISTS {DERIVED}_sync ON {TABLE}")
        op.execute(f"DROP FUNCTION IF EXISTS {DERIVED}_sync()")
    else:
        for suffix in ('insert', 'update', 'delete'):
            op.execute(f"DROP TRIGGER IF EXISTS {DERIVED}_{suffix}")
    op.drop_index('ix_warning_tag_tag_order', table_name=DERIVED)
    op.drop_table(DERIVED)
    op.execute("DELETE FROM taxonomy_term WHERE vocabulary = 'tag'")

