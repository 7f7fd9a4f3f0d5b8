"""An in-process SMTP server (aiosmtpd) that keeps every message it accepts, for tests of outgoing e-mail."""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Callable, Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class Mailbox:
    """aiosmtpd handler: accepts mail for any address except those in ``refuse``."""

    def __init__(self, refuse: tuple[str, ...] = ()):
        self.messages: list[EmailMessage] = []
        self.refuse = refuse

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


def free_port() -> int:
    """A TCP port nothing listens on (yet)."""
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def smtp_server(port: int, refuse: tuple[str, ...] = ()) -> Iterator[Mailbox]:
    """Run a capture server on 127.0.0.1:``port`` for the duration of the block."""
    mailbox = Mailbox(refuse)
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()


def wait_for(condition: Callable[[], object], timeout: float, interval: float = 0.2) -> bool:
    """Poll ``condition`` until it is true or ``timeout`` seconds pass; returns whether it became true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return bool(condition())
