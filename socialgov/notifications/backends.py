"""Email backends that let the outbox record a send at the last possible moment.

With plain SMTP a message is accepted when the server answers the final
"." of DATA. If the sender were killed after that answer but before recording
the send, the message would go again; recorded before DATA, it could be lost.
``send_with_commit_point`` transmits the whole message, records the send in a
database transaction it leaves open, sends the final "." and commits at once,
before waiting for the server's answer. A crash before the commit rolls the
record back and, unless the "." had gone, leaves the server with an
incomplete message, which it discards, so the resend that follows is the only
copy. The remaining gap is between two writes (the "." and the COMMIT), with
no waiting on either server between them; a crash exactly there sends the
message twice, with the same Message-ID. (Committing the record before sending
the "." would instead lose the message on a crash at any time during the
commit's round trip to the database, which is far longer.)
"""

from __future__ import annotations

import re
import smtplib
import socket
from collections.abc import Callable
from contextlib import AbstractContextManager

from django.conf import settings
from django.core.mail.backends.smtp import EmailBackend
from django.core.mail.message import EmailMessage, sanitize_address

_LEADING_DOT = re.compile(rb"(?m)^\.")


class CommitPointSMTPBackend(EmailBackend):
    """Django's SMTP backend, plus a send whose final "." goes inside ``commit()``, the block recording it."""

    def open(self) -> bool | None:
        opened = super().open()
        if opened and self.connection.sock is not None:
            # The final "." is a small write right after the body: without this,
            # Nagle's algorithm holds it until the server's delayed ACK (~40 ms a message).
            self.connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return opened

    def send_with_commit_point(self, message: EmailMessage, commit: Callable[[], AbstractContextManager]) -> None:
        if not message.recipients():
            raise smtplib.SMTPRecipientsRefused({})
        if self.connection is None:
            self.open()
        connection = self.connection
        encoding = message.encoding or settings.DEFAULT_CHARSET
        sender = sanitize_address(message.from_email, encoding)
        recipients = [sanitize_address(address, encoding) for address in message.recipients()]
        data = message.message().as_bytes(linesep="\r\n")

        connection.ehlo_or_helo_if_needed()
        code, reply = connection.mail(sender)
        if code != 250:
            connection.rset()
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        refused = {}
        for recipient in recipients:
            code, reply = connection.rcpt(recipient)
            if code not in (250, 251):
                refused[recipient] = (code, reply)
        if len(refused) == len(recipients):
            connection.rset()
            raise smtplib.SMTPRecipientsRefused(refused)
        code, reply = connection.docmd("DATA")
        if code != 354:
            connection.rset()
            raise smtplib.SMTPDataError(code, reply)
        body = _LEADING_DOT.sub(b"..", data)
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
        connection.send(body)
        try:
            with commit():
                connection.send(b".\r\n")
        except BaseException:
            # Drop the connection without a word (QUIT would be read as more of the
            # message): an incomplete message is discarded by the server.
            self.connection = None
            connection.close()
            raise
        code, reply = connection.getreply()
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)
