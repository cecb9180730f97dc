"""warning codes: barcodes, batch numbers and product codes of warnings, for the recall check

"Is my product recalled?" looks a typed or scanned code up exactly. The codes live in JSON
lists on the warning (barcodes, batches, product_codes); warning_code mirrors them one row
per code, normalised the way ``portal.content.recall_check.normalise`` normalises a typed code
(spaces and hyphens removed, lowercased, leading zeros of an all-digit code dropped, so a
UPC-A matches its EAN-13 with a leading 0), with an index on the code: a check is one index
probe, never a scan of the warnings.

Like warning_hazard (migration 0007) the rows are kept by database triggers (SQLite and
PostgreSQL) on insert and on every change of the lists, whatever writes the warning.
Existing rows are backfilled here.

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# (kind stored, JSON list column)
LISTS = (('barcode', 'barcodes'), ('batch', 'batches'), ('code', 'product_codes'))


def _sqlite_select(row: str, source: str) -> str:
    """SELECT of (warning_id, kind, code) for the warning ``row`` (NEW, or an alias in ``source``)."""
    compact = "lower(replace(replace(CAST(j.value AS TEXT), ' ', ''), '-', ''))"
    parts = ' UNION ALL '.join(
        f"SELECT {row}.id AS warning_id, '{kind}' AS kind, {compact} AS c "
        f"FROM {source}json_each({row}.{column}) AS j WHERE j.type IN ('text', 'integer')"
        for kind, column in LISTS)
    return ("SELECT DISTINCT warning_id, kind, CASE WHEN c NOT GLOB '*[^0-9]*' "
            "THEN (CASE WHEN ltrim(c, '0') = '' THEN '0' ELSE ltrim(c, '0') END) ELSE c END "
            f"FROM ({parts}) AS codes WHERE c <> ''")


def _postgresql_select(row: str, source: str) -> str:
    compact = "lower(replace(replace(element #>> '{}', ' ', ''), '-', ''))"
    lists = ' UNION ALL '.join(f"SELECT '{kind}' AS kind, {row}.{column} AS list" for kind, column in LISTS)
    return ("SELECT DISTINCT warning_id, kind, CASE WHEN c ~ '^[0-9]+$' "
            "THEN COALESCE(NULLIF(ltrim(c, '0'), ''), '0') ELSE c END FROM ("
            f"SELECT {row}.id AS warning_id, lists.kind, {compact} AS c FROM {source}"
            f"LATERAL ({lists}) AS lists "
            "CROSS JOIN LATERAL json_array_elements(CASE WHEN json_typeof(lists.list) = 'array' "
            "THEN lists.list ELSE '[]'::json END) AS element "
            "WHERE json_typeof(element) IN ('string', 'number')) AS codes WHERE c <> ''")


INSERT = "INSERT INTO warning_code (warning_id, kind, code) "
COLUMNS = ('barcodes', 'batches', 'product_codes')


def _sqlite_triggers() -> list[str]:
    fill = INSERT + _sqlite_select('NEW', '') + ';'
    return [
        f"CREATE TRIGGER warning_code_insert AFTER INSERT ON warning BEGIN {fill} END",
        f"CREATE TRIGGER warning_code_update AFTER UPDATE OF {', '.join(COLUMNS)}, id ON warning BEGIN "
        f"DELETE FROM warning_code WHERE warning_id = OLD.id; {fill} END",
        "CREATE TRIGGER warning_code_delete AFTER DELETE ON warning BEGIN "
        "DELETE FROM warning_code WHERE warning_id = OLD.id; END",
    ]


def _postgresql_triggers() -> list[str]:
    unchanged = ' AND '.join(f"NEW.{c}::text IS NOT DISTINCT FROM OLD.{c}::text" for c in COLUMNS)
    return [
        f"""CREATE FUNCTION warning_code_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF {unchanged} AND NEW.id = OLD.id THEN
            RETURN NEW;
        END IF;
        DELETE FROM warning_code WHERE warning_id = OLD.id;
    END IF;
    {INSERT}{_postgresql_select('NEW', '')};
    RETURN NEW;
END $$""",
        "CREATE TRIGGER warning_code_sync AFTER INSERT OR UPDATE ON warning "
        "FOR EACH ROW EXECUTE FUNCTION warning_code_sync()",
    ]


def upgrade():
    op.create_table(
        'warning_code',
        sa.Column('warning_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('code', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['warning_id'], ['warning.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('warning_id', 'kind', 'code'),
    )
    postgresql = op.get_bind().dialect.name == 'postgresql'
    if postgresql:
        op.execute(INSERT + _postgresql_select('w', 'warning AS w CROSS JOIN '))
    else:
        op.execute(INSERT + _sqlite_select('w', 'warning AS w, '))
    op.create_index('ix_warning_code_code', 'warning_code', ['code', 'warning_id'])
    for statement in (_postgresql_triggers() if postgresql else _sqlite_triggers()):
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS warning_code_sync ON warning")
        op.execute("DROP FUNCTION IF EXISTS warning_code_sync()")
    else:
        for suffix in ('insert', 'update', 'delete'):
            op.execute(f"DROP TRIGGER IF EXISTS warning_code_{suffix}")
    op.drop_index('ix_warning_code_code', table_name='warning_code')
    op.drop_table('warning_code')
