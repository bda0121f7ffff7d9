"""A real local SMTP server (aiosmtpd) for the e-mail tests, and a free port to put one on."""

import email
import email.policy
import socket

from reports import mail


class Inbox:
    """An aiosmtpd handler keeping what it accepts; refuses the addresses in ``refuse``."""

    def __init__(self):
        self.messages = []
        self.refuse = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (
                envelope.rcpt_tos,
                email.message_from_bytes(envelope.content, policy=email.policy.default),
            )
        )
        return "250 OK"


def free_port():
    """Return a local TCP port nothing listens on (at the time of asking)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def send_once(app, use_case, max_attempts=3, **row_id):
    """Run e-mail use case ``use_case`` once on the row ``row_id`` with the app's SMTP settings."""
    with app.extensions["db"].session(write=True) as session:
        return use_case(
            session=session,
            smtp=mail.SmtpSettings.from_config(app.config),
            public_url="https://smartcustoms.example",
            max_attempts=max_attempts,
            **row_id,
        )
