"""matching: text embedding cache, stretch tolerance, employee updated_at

Revision ID: 4e1f7feb2b68
Revises: ce4b301e9555
Create Date: 2026-11-26 12:20:38.544403

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4e1f7feb2b68'
down_revision = 'ce4b301e9555'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('text_embeddings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('model_id', sa.String(length=200), nullable=False),
    sa.Column('text_hash', sa.String(length=64), nullable=False),
    sa.Column('dimension', sa.Integer(), nullable=False),
    sa.Column('vector', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_text_embeddings')),
    sa.UniqueConstraint('model_id', 'text_hash', name=op.f('uq_text_embeddings_model_id_text_hash'))
    )
    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False))

    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stretch', sa.String(length=20), server_default='some_stretch', nullable=False))
        batch_op.create_check_constraint(
            op.f('ck_opportunities_stretch'), "stretch IN ('ready_now', 'some_stretch', 'developmental')"
        )



def downgrade():
    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_opportunities_stretch'), type_='check')
        batch_op.drop_column('stretch')

    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.drop_column('updated_at')

    op.drop_table('text_embeddings')
