"""filter indexes: hazard and tag tables, a stored source kind, one index per list filter

Every list filter becomes an index walked in list order, so a filtered page stops at the page:
- warning_hazard (warning_id, code, published_at) and article_tag (article_id, tag,
  published_at) mirror the JSON lists warning.hazards and article.tags, with the publication
  time copied so (code, published_at, warning_id) walks a hazard's warnings newest first;
- warning.source_kind is the source filter's code of source_authority;
- composite (filter column, list order) indexes on warnings, guides and enforcement results.

The derived rows and source_kind are kept by database triggers (SQLite and PostgreSQL) on
insert and on every change of the columns they come from, so every writer keeps them in step:
the content loader, the workflow, the importers, bulk inserts and a backup restore alike.
Existing rows are backfilled here.

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa
import portal.content.models


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# The source filter's codes and the authority words each covers, as queries.SOURCES has them
# (frozen here: a change there needs a migration that replaces the triggers and refills).
SOURCE_NEEDLES = (('eu-safety-gate', ('safety gate', 'rapex')), ('us-cpsc', ('cpsc', 'fda', 'nhtsa')))


def _source_case(column: str) -> str:
    whens = ' '.join(
        "WHEN " + ' OR '.join(f"lower({column}) LIKE '%{needle}%'" for needle in needles) + f" THEN '{code}'"
        for code, needles in SOURCE_NEEDLES)
    return f"(CASE {whens} ELSE 'domestic' END)"


WARNING_INDEXES = {
    'ix_warning_category_published_at_id': ['category', 'published_at', 'id'],
    'ix_warning_risk_level_published_at_id': ['risk_level', 'published_at', 'id'],
    'ix_warning_source_kind_published_at_id': ['source_kind', 'published_at', 'id'],
    'ix_warning_status_published_at_id': ['status', 'published_at', 'id'],
}
SANCTION_INDEXES = {
    'ix_sanction_kind_order': ['violation_kind', 'decision_date', 'published_from', 'id'],
    'ix_sanction_authority_order': ['decision_authority', 'decision_date', 'published_from', 'id'],
    'ix_sanction_online_order': ['online', 'decision_date', 'published_from', 'id'],
}
# (table, derived table, its key column, its value column, the JSON list column)
DERIVED = (('warning', 'warning_hazard', 'warning_id', 'code', 'hazards'),
           ('article', 'article_tag', 'article_id', 'tag', 'tags'))


def _sqlite_triggers() -> list[str]:
    statements = []
    for table, derived, key, value, column in DERIVED:
        fill = (f"INSERT INTO {derived} ({key}, {value}, published_at) "
                f"SELECT DISTINCT NEW.id, value, NEW.published_at FROM json_each(NEW.{column}) WHERE type = 'text';")
        statements += [
            f"CREATE TRIGGER {derived}_insert AFTER INSERT ON {table} BEGIN {fill} END",
            f"CREATE TRIGGER {derived}_update AFTER UPDATE OF {column}, published_at, id ON {table} BEGIN "
            f"DELETE FROM {derived} WHERE {key} = OLD.id; {fill} END",
            f"CREATE TRIGGER {derived}_delete AFTER DELETE ON {table} BEGIN "
            f"DELETE FROM {derived} WHERE {key} = OLD.id; END",
        ]
    kind = f"UPDATE warning SET source_kind = {_source_case('NEW.source_authority')} WHERE id = NEW.id;"
    statements += [
        f"CREATE TRIGGER warning_source_kind_insert AFTER INSERT ON warning BEGIN {kind} END",
        f"CREATE TRIGGER warning_source_kind_update AFTER UPDATE OF source_authority ON warning BEGIN {kind} END",
    ]
    return statements


def _postgresql_triggers() -> list[str]:
    statements = []
    for table, derived, key, value, column in DERIVED:
        statements += [
            f"""CREATE FUNCTION {derived}_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.{column}::text IS NOT DISTINCT FROM OLD.{column}::text
           AND NEW.published_at IS NOT DISTINCT FROM OLD.published_at AND NEW.id = OLD.id THEN
            RETURN NEW;
        END IF;
        DELETE FROM {derived} WHERE {key} = OLD.id;
    END IF;
    IF json_typeof(NEW.{column}) = 'array' THEN
        INSERT INTO {derived} ({key}, {value}, published_at)
        SELECT DISTINCT NEW.id, element #>> '{{}}', NEW.published_at
        FROM json_array_elements(NEW.{column}) AS element WHERE json_typeof(element) = 'string';
    END IF;
    RETURN NEW;
END $$""",
            f"CREATE TRIGGER {derived}_sync AFTER INSERT OR UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {derived}_sync()",
        ]
    statements += [
        f"""CREATE FUNCTION warning_source_kind() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.source_kind := {_source_case('NEW.source_authority')};
    RETURN NEW;
END $$""",
        "CREATE TRIGGER warning_source_kind BEFORE INSERT OR UPDATE OF source_authority ON warning "
        "FOR EACH ROW EXECUTE FUNCTION warning_source_kind()",
    ]
    return statements


def _backfill() -> None:
    dialect = op.get_bind().dialect.name
    for table, derived, key, value, column in DERIVED:
        if dialect == 'postgresql':
            op.execute(f"INSERT INTO {derived} ({key}, {value}, published_at) "
                       f"SELECT DISTINCT t.id, element #>> '{{}}', t.published_at FROM {table} AS t "
                       f"CROSS JOIN LATERAL json_array_elements(CASE WHEN json_typeof(t.{column}) = 'array' "
                       f"THEN t.{column} ELSE '[]'::json END) AS element WHERE json_typeof(element) = 'string'")
        else:
            op.execute(f"INSERT INTO {derived} ({key}, {value}, published_at) "
                       f"SELECT DISTINCT t.id, j.value, t.published_at FROM {table} AS t, json_each(t.{column}) AS j "
                       f"WHERE j.type = 'text'")
    op.execute(f"UPDATE warning SET source_kind = {_source_case('source_authority')}")


def upgrade():
    with op.batch_alter_table('warning', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_kind', sa.String(length=20), nullable=True))
    op.create_table(
        'warning_hazard',
        sa.Column('warning_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.Text(), nullable=False),
        sa.Column('published_at', portal.content.models.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['warning_id'], ['warning.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('warning_id', 'code'),
    )
    op.create_table(
        'article_tag',
        sa.Column('article_id', sa.Integer(), nullable=False),
        sa.Column('tag', sa.Text(), nullable=False),
        sa.Column('published_at', portal.content.models.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['article_id'], ['article.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('article_id', 'tag'),
    )
    _backfill()
    op.create_index('ix_warning_hazard_code_order', 'warning_hazard', ['code', 'published_at', 'warning_id'])
    op.create_index('ix_article_tag_tag_order', 'article_tag', ['tag', 'published_at', 'article_id'])
    for name, columns in WARNING_INDEXES.items():
        op.create_index(name, 'warning', columns)
    for name, columns in SANCTION_INDEXES.items():
        op.create_index(name, 'sanction', columns)
    op.create_index('ix_article_kind_published_at_id', 'article', ['kind', 'published_at', 'id'])
    dialect = op.get_bind().dialect.name
    for statement in (_postgresql_triggers() if dialect == 'postgresql' else _sqlite_triggers()):
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS warning_source_kind ON warning")
        op.execute("DROP FUNCTION IF EXISTS warning_source_kind()")
        for table, derived, *_ in DERIVED:
            op.execute(f"DROP TRIGGER IF EXISTS {derived}_sync ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {derived}_sync()")
    else:
        for name in ('warning_source_kind_insert', 'warning_source_kind_update'):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        for _, derived, *_ in DERIVED:
            for suffix in ('insert', 'update', 'delete'):
                op.execute(f"DROP TRIGGER IF EXISTS {derived}_{suffix}")
    op.drop_index('ix_article_kind_published_at_id', table_name='article')
    for name in SANCTION_INDEXES:
        op.drop_index(name, table_name='sanction')
    for name in WARNING_INDEXES:
        op.drop_index(name, table_name='warning')
    op.drop_table('article_tag')
    op.drop_table('warning_hazard')
    with op.batch_alter_table('warning', schema=None) as batch_op:
        batch_op.drop_column('source_kind')
