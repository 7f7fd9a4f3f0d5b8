"""users.session_version: part of each session's user id, raised at log-out to end every copy of the session

Revision ID: a94f08add615
Revises: 8647cd3103f9
Create Date: 2026-12-07 23:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a94f08add615'
down_revision = '8647cd3103f9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')
