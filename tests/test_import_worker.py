"""A real worker process imports a file queued with `flask import-employees --background`."""

from __future__ import annotations

from pathlib import Path

import pytest

from marketplace import create_app
from marketplace.cli_imports import import_employees_command
from marketplace.extensions import db
from tests import factories as f
from tests.test_worker import running_worker, worker_env  # noqa: F401  (fixture)

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"


@pytest.mark.real_model  # the worker embeds with the real model
@pytest.mark.timeout(300)
def test_background_import_is_done_by_a_worker_and_followed_in_the_cli(worker_env, tmp_path):  # noqa: F811
    app = create_app({"TESTING": True})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        f.organisation("Northwind")
        db.session.commit()
        log_path = tmp_path / "worker.log"
        with running_worker(log_path):
            result = app.test_cli_runner().invoke(
                import_employees_command, [str(EXAMPLES / "employees-with-errors.csv"), "--background"]
            )
        assert result.exit_code == 0, f"{result.output}\n--- worker log ---\n{log_path.read_text()[-3000:]}"
        assert "Read 10 rows: 5 employees created" in result.output
