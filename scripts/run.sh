#!/usr/bin/env bash
# `make run`: migrate, seed the demo organisation into an empty database, then run the Celery
# worker (with beat) in the background and gunicorn in the foreground until Ctrl-C.
# Honours PORT; DATABASE_URL / CELERY_BROKER_URL switch it to PostgreSQL / Redis.
# E-mail goes to a local capture server (aiosmtpd) that keeps every message in instance/mail/new/,
# unless MAIL_SERVER names a real SMTP server.
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
export MARKETPLACE_INSTANCE_PATH="${MARKETPLACE_INSTANCE_PATH:-$PWD/instance}"
PORT="${PORT:-5000}"
BIN="$PWD/.venv/bin"
INSTANCE="$MARKETPLACE_INSTANCE_PATH"
mkdir -p "$INSTANCE"

flask() { "$BIN/flask" --app marketplace "$@"; }

# Prints "seed" when the database has no accounts yet, "seeded" otherwise.
database_state() {
    "$BIN/python" - <<'PY'
import sqlalchemy as sa
from marketplace import create_app
from marketplace.extensions import db
from marketplace.models import User

app = create_app()
with app.app_context():
    print("seeded" if db.session.scalar(sa.select(User.id).limit(1)) else "seed")
PY
}

print_demo_logins() {
    "$BIN/python" - <<'PY'
from marketplace import create_app
from marketplace.services.demo import DEMO_ACCOUNTS

app = create_app()
print(f"Demo log-ins, each with the password {app.config['DEMO_PASSWORD']!r}:")
for account in DEMO_ACCOUNTS:
    print(f"  {account.email:<32} {account.role.label:<14} {account.what_to_try}")
PY
}

echo "==> Migrating the database"
flask db upgrade

state="$(database_state)"
if [ "$state" = seed ]; then
    echo "==> Empty database: loading the skill catalogue and the demo organisation"
    flask seed-demo
fi
echo "==> Embedding profiles and secondments not yet in the vector cache"
flask embed

stop() {
    trap - EXIT INT TERM
    echo "==> Stopping"
    for pid in ${web_pid:-} ${worker_pid:-} ${mail_pid:-}; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export BASE_URL="${BASE_URL:-http://localhost:$PORT}"  # the links in e-mails
if [ -z "${MAIL_SERVER:-}" ]; then
    export MAIL_SERVER=127.0.0.1 MAIL_PORT="${MAIL_PORT:-8025}"
    MAIL_DIR="$INSTANCE/mail"
    echo "==> Starting the e-mail capture server on $MAIL_SERVER:$MAIL_PORT (messages: $MAIL_DIR/new/)"
    "$BIN/python" -m aiosmtpd -n -l "$MAIL_SERVER:$MAIL_PORT" -c aiosmtpd.handlers.Mailbox "$MAIL_DIR" \
        >>"$INSTANCE/mail.log" 2>&1 &
    mail_pid=$!
fi

echo "==> Starting the background worker (log: $INSTANCE/worker.log)"
"$BIN/celery" -A jobs.worker worker --beat --schedule "$INSTANCE/celerybeat-schedule" \
    --concurrency "${WORKER_CONCURRENCY:-1}" --without-gossip --without-mingle --without-heartbeat \
    --loglevel INFO >>"$INSTANCE/worker.log" 2>&1 &
worker_pid=$!
if flask jobs-ping --timeout "${WORKER_START_TIMEOUT:-60}"; then
    echo "==> Worker is answering"
else
    echo "warning: the worker did not answer; background jobs will wait. See $INSTANCE/worker.log" >&2
fi

"$BIN/gunicorn" --workers "${WEB_CONCURRENCY:-2}" --bind "0.0.0.0:$PORT" 'marketplace:create_app()' &
web_pid=$!

echo
echo "Secondment marketplace: http://localhost:$PORT/"
print_demo_logins
if [ -n "${MAIL_DIR:-}" ]; then
    echo "E-mails the marketplace sends are kept, one file each, in $MAIL_DIR/new/"
fi
echo "Press Ctrl-C to stop."
echo
wait "$web_pid"
