"""secondment agreements: numbered versions of the terms, and the three signatures each version needs

Revision ID: d0e1f2a3b4c5
Revises: e1f2a3b4c5d6
Create Date: 2026-11-27 09:40:12.118402

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd0e1f2a3b4c5'
down_revision = 'e1f2a3b4c5d6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('secondment_agreements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('secondment_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('terms', sa.JSON(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('change_note', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=True),
    sa.Column('acting_up_opportunity_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'signed', 'superseded', 'withdrawn')",
                       name=op.f('ck_secondment_agreements_status')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_secondment_agreements_version_positive')),
    sa.CheckConstraint("(status IN ('signed', 'superseded')) = (signed_at IS NOT NULL)",
                       name=op.f('ck_secondment_agreements_signed_has_date')),
    sa.ForeignKeyConstraint(['acting_up_opportunity_id'], ['opportunities.id'],
                            name=op.f('fk_secondment_agreements_acting_up_opportunity_id_opportunities')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_secondment_agreements_created_by_id_users')),
    sa.ForeignKeyConstraint(['secondment_id'], ['secondments.id'],
                            name=op.f('fk_secondment_agreements_secondment_id_secondments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_secondment_agreements')),
    sa.UniqueConstraint('secondment_id', 'version', name=op.f('uq_secondment_agreements_secondment_id_version'))
    )
    with op.batch_alter_table('secondment_agreements', schema=None) as batch_op:
        # one version at a time is open for signing
        batch_op.create_index('uq_secondment_agreements_one_draft', ['secondment_id'], unique=True,
                              sqlite_where=sa.text("status = 'draft'"),
                              postgresql_where=sa.text("status = 'draft'"))

    op.create_table('agreement_signatures',
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('party', sa.String(length=20), nullable=False),
    sa.Column('signed_by_id', sa.Integer(), nullable=True),
    sa.Column('signer_name', sa.String(length=200), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=False),
    sa.Column('terms_sha256', sa.String(length=64), nullable=False),
    sa.CheckConstraint("party IN ('employee', 'home_manager', 'host_manager')",
                       name=op.f('ck_agreement_signatures_party')),
    sa.ForeignKeyConstraint(['agreement_id'], ['secondment_agreements.id'],
                            name=op.f('fk_agreement_signatures_agreement_id_secondment_agreements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['signed_by_id'], ['users.id'], name=op.f('fk_agreement_signatures_signed_by_id_users')),
    sa.PrimaryKeyConstraint('agreement_id', 'party', name=op.f('pk_agreement_signatures'))
    )


def downgrade():
    op.drop_table('agreement_signatures')
    with op.batch_alter_table('secondment_agreements', schema=None) as batch_op:
        batch_op.drop_index('uq_secondment_agreements_one_draft')
    op.drop_table('secondment_agreements')
