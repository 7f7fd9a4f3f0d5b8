"""employee imports: uploaded files and row issues

Revision ID: a1b2c3d4e5f6
Revises: c3d4e5f6a7b8
Create Date: 2026-11-26 13:52:18.761401

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1b2c3d4e5f6'
down_revision = 'c3d4e5f6a7b8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('import_files',
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=300), nullable=False),
    sa.Column('format', sa.String(length=10), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("format IN ('csv', 'json')", name=op.f('ck_import_files_format')),
    sa.ForeignKeyConstraint(['run_id'], ['job_runs.id'], name=op.f('fk_import_files_run_id_job_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('run_id', name=op.f('pk_import_files'))
    )
    op.create_table('import_issues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('employee_number', sa.String(length=40), nullable=True),
    sa.Column('field', sa.String(length=40), nullable=True),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.CheckConstraint("severity IN ('rejected', 'warning')", name=op.f('ck_import_issues_severity')),
    sa.ForeignKeyConstraint(['run_id'], ['job_runs.id'], name=op.f('fk_import_issues_run_id_job_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_issues'))
    )
    with op.batch_alter_table('import_issues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_issues_run_id'), ['run_id'], unique=False)



def downgrade():
    with op.batch_alter_table('import_issues', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_issues_run_id'))

    op.drop_table('import_issues')
    op.drop_table('import_files')
