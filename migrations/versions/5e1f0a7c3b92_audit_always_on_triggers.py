"""audit triggers fire always (replication role too); audit_head refuses deletes and moving back

Revision ID: 5e1f0a7c3b92
Revises: d0e1f2a3b4c5
Create Date: 2026-12-07 23:30:00

`SET session_replication_role = replica` skipped the append-only triggers without dropping them,
and audit_head had none, so a superuser could cut the tail of the log and move the head back.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5e1f0a7c3b92'
down_revision = 'd0e1f2a3b4c5'
branch_labels = None
depends_on = None

EXISTING = {
    "audit_log": ("audit_log_no_update", "audit_log_no_delete", "audit_log_no_truncate"),
    "audit_checkpoints": ("audit_checkpoint_no_update", "audit_checkpoint_no_delete", "audit_checkpoint_no_truncate"),
}
HEAD = ("audit_head_no_rewind", "audit_head_no_delete", "audit_head_no_truncate")


def upgrade():
    if op.get_bind().dialect.name == "sqlite":  # SQLite has no replication role and no TRUNCATE
        op.execute("CREATE TRIGGER audit_head_no_rewind BEFORE UPDATE ON audit_head "
                   "WHEN NEW.seq < OLD.seq OR NEW.id <> OLD.id "
                   "BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward: UPDATE is refused'); END")
        op.execute("CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head "
                   "BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward: DELETE is refused'); END")
        return
    op.execute(
        "CREATE FUNCTION refuse_audit_rewind() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION '% only moves forward: % is refused', TG_TABLE_NAME, TG_OP; END $$"
    )
    op.execute("CREATE TRIGGER audit_head_no_rewind BEFORE UPDATE ON audit_head FOR EACH ROW "
               "WHEN (NEW.seq < OLD.seq OR NEW.id <> OLD.id) EXECUTE FUNCTION refuse_audit_rewind()")
    op.execute("CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head FOR EACH ROW "
               "EXECUTE FUNCTION refuse_audit_rewind()")
    op.execute("CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head FOR EACH STATEMENT "
               "EXECUTE FUNCTION refuse_audit_rewind()")
    for table, names in {**EXISTING, "audit_head": HEAD}.items():
        op.execute(f"ALTER TABLE {table} " + ", ".join(f"ENABLE ALWAYS TRIGGER {name}" for name in names))


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER audit_head_no_rewind")
        op.execute("DROP TRIGGER audit_head_no_delete")
        return
    for table, names in EXISTING.items():
        op.execute(f"ALTER TABLE {table} " + ", ".join(f"ENABLE TRIGGER {name}" for name in names))
    for name in HEAD:
        op.execute(f"DROP TRIGGER {name} ON audit_head")
    op.execute("DROP FUNCTION refuse_audit_rewind()")
