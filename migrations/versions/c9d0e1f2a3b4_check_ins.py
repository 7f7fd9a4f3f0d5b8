"""check-ins: each held check-in of a secondment, with progress per objective and everyone's feedback

Revision ID: c9d0e1f2a3b4
Revises: a7b8c9d0e1f2
Create Date: 2026-11-26 17:12:06.803146

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c9d0e1f2a3b4'
down_revision = 'a7b8c9d0e1f2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('check_ins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('secondment_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('rating', sa.String(length=20), nullable=False),
    sa.Column('host_feedback', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('secondee_feedback', sa.Text(), nullable=True),
    sa.Column('secondee_feedback_at', sa.DateTime(), nullable=True),
    sa.Column('home_manager_note', sa.Text(), nullable=True),
    sa.Column('home_manager_note_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("rating IN ('on_track', 'at_risk', 'off_track')", name=op.f('ck_check_ins_rating')),
    sa.CheckConstraint('(home_manager_note IS NULL) = (home_manager_note_at IS NULL)', name=op.f('ck_check_ins_note_dated')),
    sa.CheckConstraint('(secondee_feedback IS NULL) = (secondee_feedback_at IS NULL)', name=op.f('ck_check_ins_feedback_dated')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_check_ins_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['secondment_id'], ['secondments.id'], name=op.f('fk_check_ins_secondment_id_secondments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_ins')),
    sa.UniqueConstraint('secondment_id', 'due_on', name=op.f('uq_check_ins_secondment_id_due_on'))
    )
    op.create_table('check_in_objectives',
    sa.Column('check_in_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('objective', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('progress', sa.Text(), nullable=False),
    sa.CheckConstraint("status IN ('not_started', 'on_track', 'at_risk', 'achieved')", name=op.f('ck_check_in_objectives_status')),
    sa.ForeignKeyConstraint(['check_in_id'], ['check_ins.id'], name=op.f('fk_check_in_objectives_check_in_id_check_ins'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('check_in_id', 'position', name=op.f('pk_check_in_objectives'))
    )


def downgrade():
    op.drop_table('check_in_objectives')
    op.drop_table('check_ins')
