"""demographic self-identification: voluntary equality monitoring answers, apart from matching

Revision ID: e5f6a7b8c9d0
Revises: d4e5f6a7b8c9
Create Date: 2026-11-26 14:06:02.335053

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5f6a7b8c9d0'
down_revision = 'd4e5f6a7b8c9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('demographic_self_id',
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('sex', sa.String(length=20), nullable=True),
    sa.Column('race_ethnicity', sa.String(length=20), nullable=True),
    sa.Column('age_band', sa.String(length=20), nullable=True),
    sa.Column('disability', sa.String(length=20), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("age_band IS NULL OR age_band IN ('under_25', '25_39', '40_54', '55_plus', 'prefer_not_to_say')", name=op.f('ck_demographic_self_id_age_band_valid')),
    sa.CheckConstraint("disability IS NULL OR disability IN ('yes', 'no', 'prefer_not_to_say')", name=op.f('ck_demographic_self_id_disability_valid')),
    sa.CheckConstraint("race_ethnicity IS NULL OR race_ethnicity IN ('hispanic_latino', 'white', 'black', 'pacific_islander', 'asian', 'native_american', 'two_or_more', 'prefer_not_to_say')", name=op.f('ck_demographic_self_id_race_ethnicity_valid')),
    sa.CheckConstraint("sex IS NULL OR sex IN ('female', 'male', 'another', 'prefer_not_to_say')", name=op.f('ck_demographic_self_id_sex_valid')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_demographic_self_id_employee_id_employees'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('employee_id', name=op.f('pk_demographic_self_id'))
    )


def downgrade():
    op.drop_table('demographic_self_id')
