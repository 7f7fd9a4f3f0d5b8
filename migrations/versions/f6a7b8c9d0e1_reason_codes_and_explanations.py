"""reason codes on decisions; applicants' requests for an explanation

Existing decisions keep no code (NULL passes the CHECK constraints): codes are required from now on.

Revision ID: f6a7b8c9d0e1
Revises: e5f6a7b8c9d0
Create Date: 2026-11-26 15:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f6a7b8c9d0e1'
down_revision = 'e5f6a7b8c9d0'
branch_labels = None
depends_on = None

REASON_CODES = (
    "'strong_skills_match', 'development_potential', 'specific_experience', 'internal_mobility_goal', "
    "'skills_gap', 'level_below_minimum', 'availability_mismatch', 'stronger_candidates', "
    "'role_filled_or_cancelled', 'best_overall_fit', 'strongest_skills', 'development_case', "
    "'business_critical_period', 'no_backfill', 'performance_concerns', 'other'"
)
OVERRIDE_CODES = (
    "'override_known_candidate', 'override_applied_directly', 'override_ranking_missed_skill', 'other'"
)


def upgrade():
    with op.batch_alter_table('application_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason_code', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('override_code', sa.String(length=40), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f('ck_application_events_reason_code'), f"reason_code IN ({REASON_CODES})"
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_application_events_override_code'), f"override_code IN ({OVERRIDE_CODES})"
        )

    op.create_table('explanation_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('asked_at', sa.DateTime(), nullable=False),
    sa.Column('asked_audit_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('answered_audit_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'],
                            name=op.f('fk_explanation_requests_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['answered_audit_seq'], ['audit_log.seq'],
                            name=op.f('fk_explanation_requests_answered_audit_seq_audit_log')),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_explanation_requests_answered_by_id_users')),
    sa.ForeignKeyConstraint(['asked_audit_seq'], ['audit_log.seq'],
                            name=op.f('fk_explanation_requests_asked_audit_seq_audit_log')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_explanation_requests'))
    )
    with op.batch_alter_table('explanation_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_explanation_requests_application_id'), ['application_id'], unique=False)
        # at most one open request per application
        batch_op.create_index('uq_explanation_requests_open', ['application_id'], unique=True,
                              sqlite_where=sa.text('answered_at IS NULL'),
                              postgresql_where=sa.text('answered_at IS NULL'))


def downgrade():
    with op.batch_alter_table('explanation_requests', schema=None) as batch_op:
        batch_op.drop_index('uq_explanation_requests_open')
        batch_op.drop_index(batch_op.f('ix_explanation_requests_application_id'))
    op.drop_table('explanation_requests')

    with op.batch_alter_table('application_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_application_events_override_code'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_application_events_reason_code'), type_='check')
        batch_op.drop_column('override_code')
        batch_op.drop_column('reason_code')
