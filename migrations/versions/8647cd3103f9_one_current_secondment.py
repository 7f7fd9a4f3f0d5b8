"""one current secondment per person: a partial unique index on secondments.employee_id

Two accepts sent at the same moment used to plan two secondments for one person. The index makes
the database refuse a second planned, signed or running secondment for the same employee.

Revision ID: 8647cd3103f9
Revises: 5e1f0a7c3b92
Create Date: 2026-12-07 23:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8647cd3103f9'
down_revision = '5e1f0a7c3b92'
branch_labels = None
depends_on = None

# as in marketplace.models.secondment.IS_CURRENT when this revision was written
IS_CURRENT = "status IN ('planned', 'agreement_signed', 'active')"


def upgrade():
    doubled = op.get_bind().execute(sa.text(
        f"SELECT employee_id, COUNT(*) FROM secondments WHERE {IS_CURRENT} GROUP BY employee_id HAVING COUNT(*) > 1"
    )).all()
    if doubled:
        # Which one stands is a decision about a person: the talent team ends the other, then upgrade again.
        people = ", ".join(f"employee:{employee_id} ({count})" for employee_id, count in doubled)
        raise RuntimeError(
            f"These people have more than one planned, signed or running secondment: {people}. "
            "End all but one of each (as terminated early), then run the upgrade again."
        )
    with op.batch_alter_table('secondments', schema=None) as batch_op:
        batch_op.create_index('uq_secondments_one_current_per_employee', ['employee_id'], unique=True,
                              sqlite_where=sa.text(IS_CURRENT), postgresql_where=sa.text(IS_CURRENT))


def downgrade():
    with op.batch_alter_table('secondments', schema=None) as batch_op:
        batch_op.drop_index('uq_secondments_one_current_per_employee')
