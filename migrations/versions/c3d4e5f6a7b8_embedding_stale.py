"""embedding staleness: profiles and secondments whose texts changed since their vectors were stored

Revision ID: c3d4e5f6a7b8
Revises: 7a8a05ee4357
Create Date: 2026-11-26 14:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3d4e5f6a7b8'
down_revision = '7a8a05ee4357'
branch_labels = None
depends_on = None


def upgrade():
    # Existing rows start fresh (NULL): the first sweep under a model with no full run queues a
    # re-embedding of everything, which finds the texts `flask embed` already stored.
    for table in ('employees', 'opportunities'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('embedding_stale_since', sa.DateTime(), nullable=True))
            batch_op.create_index(batch_op.f(f'ix_{table}_embedding_stale_since'), ['embedding_stale_since'], unique=False)


def downgrade():
    for table in ('opportunities', 'employees'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_embedding_stale_since'))
            batch_op.drop_column('embedding_stale_since')
