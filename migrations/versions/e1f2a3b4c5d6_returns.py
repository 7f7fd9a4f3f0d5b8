"""returns: the return plan, the return review, skills gained, the knowledge-capture note, each party's evaluation

Revision ID: e1f2a3b4c5d6
Revises: c9d0e1f2a3b4
Create Date: 2026-12-03 08:19:48.411821

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e1f2a3b4c5d6'
down_revision = 'c9d0e1f2a3b4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('evaluations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('secondment_id', sa.Integer(), nullable=False),
    sa.Column('party', sa.String(length=20), nullable=False),
    sa.Column('comments', sa.Text(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("party IN ('employee', 'home_manager', 'host_manager')", name=op.f('ck_evaluations_party')),
    sa.ForeignKeyConstraint(['secondment_id'], ['secondments.id'], name=op.f('fk_evaluations_secondment_id_secondments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_evaluations_submitted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluations')),
    sa.UniqueConstraint('secondment_id', 'party', name=op.f('uq_evaluations_secondment_id_party'))
    )
    op.create_table('knowledge_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('secondment_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('written_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['secondment_id'], ['secondments.id'], name=op.f('fk_knowledge_notes_secondment_id_secondments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_notes')),
    sa.UniqueConstraint('secondment_id', name=op.f('uq_knowledge_notes_secondment_id'))
    )
    op.create_table('return_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('secondment_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('equivalent_role', sa.String(length=200), nullable=True),
    sa.Column('proposed_end_date', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_role', sa.String(length=20), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=True),
    sa.Column('secondee_wishes', sa.Text(), nullable=True),
    sa.Column('secondee_wishes_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("(COALESCE(outcome, '') = 'equivalent_role') = (equivalent_role IS NOT NULL)", name=op.f('ck_return_plans_equivalent_has_role')),
    sa.CheckConstraint("(COALESCE(outcome, '') = 'extension') = (proposed_end_date IS NOT NULL)", name=op.f('ck_return_plans_extension_has_date')),
    sa.CheckConstraint("outcome IS NULL OR outcome IN ('original_role', 'equivalent_role', 'extension', 'conversion')", name=op.f('ck_return_plans_outcome')),
    sa.CheckConstraint('(outcome IS NULL) = (recorded_at IS NULL)', name=op.f('ck_return_plans_recorded_dated')),
    sa.CheckConstraint('(secondee_wishes IS NULL) = (secondee_wishes_at IS NULL)', name=op.f('ck_return_plans_wishes_dated')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_return_plans_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['secondment_id'], ['secondments.id'], name=op.f('fk_return_plans_secondment_id_secondments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_plans')),
    sa.UniqueConstraint('secondment_id', name=op.f('uq_return_plans_secondment_id'))
    )
    op.create_table('return_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('secondment_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('how_it_went', sa.Text(), nullable=False),
    sa.Column('role_returned_to', sa.String(length=200), nullable=False),
    sa.Column('development_conversation', sa.Text(), nullable=False),
    sa.Column('next_steps', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_return_reviews_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['secondment_id'], ['secondments.id'], name=op.f('fk_return_reviews_secondment_id_secondments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_reviews')),
    sa.UniqueConstraint('secondment_id', name=op.f('uq_return_reviews_secondment_id'))
    )
    op.create_table('skill_gains',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('secondment_id', sa.Integer(), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('proposed_at', sa.DateTime(), nullable=False),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('level_before', sa.Integer(), nullable=True),
    sa.CheckConstraint('level BETWEEN 1 AND 5', name=op.f('ck_skill_gains_level_range')),
    sa.CheckConstraint('level_before IS NULL OR level_before BETWEEN 1 AND 5', name=op.f('ck_skill_gains_level_before_range')),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_skill_gains_confirmed_by_id_users')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_skill_gains_proposed_by_id_users')),
    sa.ForeignKeyConstraint(['secondment_id'], ['secondments.id'], name=op.f('fk_skill_gains_secondment_id_secondments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['skill_id'], ['skills.id'], name=op.f('fk_skill_gains_skill_id_skills')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skill_gains')),
    sa.UniqueConstraint('secondment_id', 'skill_id', name=op.f('uq_skill_gains_secondment_id_skill_id'))
    )
    op.create_table('evaluation_ratings',
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.String(length=40), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.CheckConstraint("question IN ('objectives_met', 'development_value', 'support', 'would_recommend')", name=op.f('ck_evaluation_ratings_question')),
    sa.CheckConstraint('rating BETWEEN 1 AND 5', name=op.f('ck_evaluation_ratings_rating_range')),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluations.id'], name=op.f('fk_evaluation_ratings_evaluation_id_evaluations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('evaluation_id', 'question', name=op.f('pk_evaluation_ratings'))
    )


def downgrade():
    op.drop_table('evaluation_ratings')
    op.drop_table('skill_gains')
    op.drop_table('return_reviews')
    op.drop_table('return_plans')
    op.drop_table('knowledge_notes')
    op.drop_table('evaluations')
