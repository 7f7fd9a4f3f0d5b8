"""secondment events (each step of a secondment, linked to its audit entry); check-in frequency

Revision ID: a7b8c9d0e1f2
Revises: f6a7b8c9d0e1
Create Date: 2026-11-26 17:02:51.259068

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7b8c9d0e1f2'
down_revision = 'f6a7b8c9d0e1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('secondment_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('secondment_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_role', sa.String(length=20), nullable=False),
    sa.Column('reason_code', sa.String(length=40), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('audit_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.CheckConstraint("actor_role IN ('employee', 'home_manager', 'host_manager', 'talent') OR actor_role = 'system'", name=op.f('ck_secondment_events_actor_role')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_secondment_events_actor_id_users')),
    sa.ForeignKeyConstraint(['audit_seq'], ['audit_log.seq'], name=op.f('fk_secondment_events_audit_seq_audit_log')),
    sa.ForeignKeyConstraint(['secondment_id'], ['secondments.id'], name=op.f('fk_secondment_events_secondment_id_secondments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_secondment_events'))
    )
    with op.batch_alter_table('secondment_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_secondment_events_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_secondment_events_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_secondment_events_secondment_id'), ['secondment_id'], unique=False)

    with op.batch_alter_table('secondments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('check_in_frequency', sa.String(length=20), server_default='monthly', nullable=False))
        batch_op.create_check_constraint(
            batch_op.f('ck_secondments_check_in_frequency'), "check_in_frequency IN ('monthly', 'quarterly')"
        )



def downgrade():
    with op.batch_alter_table('secondments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_secondments_check_in_frequency'), type_='check')
        batch_op.drop_column('check_in_frequency')

    with op.batch_alter_table('secondment_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_secondment_events_secondment_id'))
        batch_op.drop_index(batch_op.f('ix_secondment_events_at'))
        batch_op.drop_index(batch_op.f('ix_secondment_events_actor_id'))

    op.drop_table('secondment_events')
