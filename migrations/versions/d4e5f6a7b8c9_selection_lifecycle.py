"""selection lifecycle: application statuses and decisions, secondments, invitations, publication approval

Existing applications keep their status ('submitted' now means waiting for the line manager's release,
'withdrawn' is unchanged), so no data moves.

Revision ID: d4e5f6a7b8c9
Revises: b2c3d4e5f6a7
Create Date: 2026-11-26 14:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4e5f6a7b8c9'
down_revision = 'b2c3d4e5f6a7'
branch_labels = None
depends_on = None

APPLICATION_STATUSES = (
    "'submitted', 'release_escalated', 'release_declined', 'release_appealed', 'release_refused', 'released', "
    "'shortlisted', 'rejected', 'interview', 'offered', 'offer_accepted', 'offer_declined', 'withdrawn'"
)
ACTIONS = (
    "'submit', 'approve_release', 'decline_release', 'skip_release', 'escalate', 'appeal', 'overturn', 'uphold', "
    "'shortlist', 'reject', 'schedule_interview', 'offer', 'accept_offer', 'decline_offer', 'withdraw'"
)
OPPORTUNITY_STATUSES_BEFORE = "'draft', 'open', 'closed', 'filled', 'cancelled'"
OPPORTUNITY_STATUSES = "'draft', 'pending_approval', 'open', 'closed', 'filled', 'cancelled'"


def upgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_applications_status'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_applications_status'), f"status IN ({APPLICATION_STATUSES})")
        batch_op.add_column(sa.Column('interview_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('interview_notes', sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f('ix_applications_status'), ['status'], unique=False)

    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_opportunities_status'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_opportunities_status'), f"status IN ({OPPORTUNITY_STATUSES})")

    op.create_table('application_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('from_status', sa.String(length=30), nullable=True),
    sa.Column('to_status', sa.String(length=30), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_role', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('audit_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.CheckConstraint(f"action IN ({ACTIONS})", name=op.f('ck_application_events_action')),
    sa.CheckConstraint(f"to_status IN ({APPLICATION_STATUSES})", name=op.f('ck_application_events_to_status')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_application_events_actor_id_users')),
    sa.ForeignKeyConstraint(['audit_seq'], ['audit_log.seq'], name=op.f('fk_application_events_audit_seq_audit_log')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_events_application_id_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_events'))
    )
    with op.batch_alter_table('application_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_events_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_events_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_events_at'), ['at'], unique=False)

    op.create_table('secondments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('home_manager_id', sa.Integer(), nullable=True),
    sa.Column('host_manager_id', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('end_reason', sa.String(length=20), nullable=True),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('planned', 'agreement_signed', 'active', 'ended')", name=op.f('ck_secondments_status')),
    sa.CheckConstraint("end_reason IS NULL OR end_reason IN ('returned', 'extended', 'terminated_early')", name=op.f('ck_secondments_end_reason')),
    sa.CheckConstraint("(status = 'ended') = (end_reason IS NOT NULL)", name=op.f('ck_secondments_ended_has_reason')),
    sa.CheckConstraint('end_date > start_date', name=op.f('ck_secondments_dates_order')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_secondments_application_id_applications')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_secondments_employee_id_employees')),
    sa.ForeignKeyConstraint(['home_manager_id'], ['employees.id'], name=op.f('fk_secondments_home_manager_id_employees')),
    sa.ForeignKeyConstraint(['host_manager_id'], ['employees.id'], name=op.f('fk_secondments_host_manager_id_employees')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_secondments_opportunity_id_opportunities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_secondments')),
    sa.UniqueConstraint('application_id', name=op.f('uq_secondments_application_id'))
    )
    with op.batch_alter_table('secondments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_secondments_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_secondments_opportunity_id'), ['opportunity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_secondments_status'), ['status'], unique=False)

    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'accepted', 'declined')", name=op.f('ck_invitations_status')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_invitations_employee_id_employees')),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_invitations_invited_by_id_users')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_invitations_opportunity_id_opportunities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    sa.UniqueConstraint('opportunity_id', 'employee_id', name=op.f('uq_invitations_opportunity_id_employee_id'))
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitations_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitations_opportunity_id'), ['opportunity_id'], unique=False)


def downgrade():
    op.drop_table('invitations')
    op.drop_table('secondments')
    op.drop_table('application_events')
    # Statuses the old schema does not know fall back to the nearest it does.
    op.execute("UPDATE opportunities SET status = 'draft' WHERE status = 'pending_approval'")
    op.execute("UPDATE applications SET status = 'withdrawn' WHERE status NOT IN ('submitted', 'withdrawn')")
    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_opportunities_status'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_opportunities_status'), f"status IN ({OPPORTUNITY_STATUSES_BEFORE})"
        )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_applications_status'))
        batch_op.drop_column('interview_notes')
        batch_op.drop_column('interview_at')
        batch_op.drop_constraint(batch_op.f('ck_applications_status'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_applications_status'), "status IN ('submitted', 'withdrawn')")
