"""A form body too large or with too many fields is refused with the app's own 413 page before it is parsed;
the HRIS upload keeps its own, larger limit."""

from __future__ import annotations

import io
import time

import pytest
import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import JobRun, Role
from matching import HashingEncoder
from tests import factories as f

URLENCODED = "application/x-www-form-urlencoded"
HRIS_HEADER = b"employee_number,name,email,job_title,department,manager_number,location,grade,start_date,skills\n"


def _refused_quickly(client, path: str, body: bytes, content_type: str = URLENCODED):
    started = time.perf_counter()
    response = client.post(path, data=body, content_type=content_type)
    return response, time.perf_counter() - started


def test_a_32_mb_form_with_millions_of_fields_is_refused_before_it_is_read(client):
    body = b"a=1&" * (8 * 1024 * 1024)  # 32 MB, 8 million fields: the attack that held a worker 8-14 s
    response, seconds = _refused_quickly(client, "/login", body)
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Form too large" in page and "Error 413" in page  # the app's own page, not a stack trace
    assert seconds < 2.0  # refused on its Content-Length; parsing it took 8-14 s


def test_a_form_over_the_byte_limit_is_refused_with_the_limit_in_words(app, client):
    body = b"email=" + b"x" * app.config["MAX_CONTENT_LENGTH"]
    response = client.post("/login", data=body, content_type=URLENCODED)
    assert response.status_code == 413
    assert f"at most {app.config['MAX_CONTENT_LENGTH'] // 1024:,} KB" in response.get_data(as_text=True)


@pytest.mark.parametrize("content_type", [URLENCODED, "multipart/form-data"])
def test_a_form_with_more_fields_than_allowed_is_refused(app, client, content_type):
    fields = app.config["MAX_FORM_PARTS"] + 1
    if content_type == URLENCODED:
        body = b"&".join(b"f%d=" % i for i in range(fields))  # small in bytes: only the count is over
    else:
        body = b"".join(b"--B\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\n\r\n" % i for i in range(fields))
        body += b"--B--\r\n"
        content_type += "; boundary=B"
    assert len(body) < app.config["MAX_CONTENT_LENGTH"]
    response, seconds = _refused_quickly(client, "/login", body, content_type)
    assert response.status_code == 413
    assert f"at most {app.config['MAX_FORM_PARTS']:,} fields" in response.get_data(as_text=True)
    assert seconds < 2.0


def test_an_ordinary_form_within_the_limits_still_works(client):
    person = f.user(Role.EMPLOYEE)
    db.session.commit()
    f.login(client, person)  # a urlencoded POST to /login that must get through
    assert client.get("/").status_code == 200


@pytest.fixture
def talent_with_org(app, client):
    app.extensions["encoder"] = HashingEncoder()
    organisation = f.organisation("Northwind")
    f.login(client, f.user(Role.TALENT))
    db.session.commit()
    return organisation


def _hris_csv(size: int) -> bytes:
    """A well-formed HRIS export of at least ``size`` bytes, one employee a row."""
    row = b"NW%d,Person %d,p%d@northwind.example,Analyst,Data,,London,G5,2020-01-01,\n"
    count = size // len(row % (0, 0, 0)) + 1
    return HRIS_HEADER + b"".join(row % (i, i, i) for i in range(1, count + 1))


def _upload(client, content: bytes, organisation):
    data = {"file": (io.BytesIO(content), "hris.csv"), "organisation": str(organisation.id)}
    return client.post("/jobs/import-employees", data=data, content_type="multipart/form-data")


def test_the_hris_upload_still_takes_a_file_over_twice_the_form_limit(app, client, talent_with_org):
    content = _hris_csv(2 * app.config["MAX_CONTENT_LENGTH"])
    assert len(content) < app.config["MAX_UPLOAD_BYTES"]
    response = _upload(client, content, talent_with_org)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert db.session.scalar(sa.select(JobRun.total)) == content.count(b"\n") - 1  # every row queued


def test_the_hris_upload_over_its_own_limit_gets_the_upload_message(app, client, talent_with_org):
    app.config["MAX_UPLOAD_BYTES"] = 2 * app.config["MAX_CONTENT_LENGTH"]
    response = _upload(client, _hris_csv(app.config["MAX_UPLOAD_BYTES"] + 1), talent_with_org)
    assert response.status_code == 413
    limit_mb = app.config["MAX_UPLOAD_BYTES"] / (1024 * 1024)
    assert f"Uploads are limited to {limit_mb:g} MB" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(JobRun.id))) == 0


def test_the_upload_limit_holds_before_csrf_reads_the_form(app, client, talent_with_org):
    app.config["WTF_CSRF_ENABLED"] = True  # CSRFProtect parses the body before any view runs
    response = _upload(client, _hris_csv(2 * app.config["MAX_CONTENT_LENGTH"]), talent_with_org)
    assert response.status_code == 400 and "Form expired" in response.get_data(as_text=True)  # read, not refused
