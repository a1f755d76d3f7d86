"""Email backends that let the outbox record a send at the last possible moment.

With plain SMTP a message is accepted when the server answers the final
"." of DATA. If the sender were killed after that answer but before recording
the send, the message would go again; recorded before DATA, it could be lost.
``send_with_commit_point`` transmits the whole message, records the send, and
only then sends the final ".": a crash at any point before it leaves the
server with an incomplete message, which it discards, so the resend that
follows is the only copy. The remaining gap is one socket write.
"""

from __future__ import annotations

import re
import smtplib
from collections.abc import Callable

from django.conf import settings
from django.core.mail.backends.smtp import EmailBackend
from django.core.mail.message import EmailMessage, sanitize_address

_LEADING_DOT = re.compile(rb"(?m)^\.")


class CommitPointSMTPBackend(EmailBackend):
    """Django's SMTP backend, plus a send that calls ``commit`` just before the message is complete."""

    def send_with_commit_point(self, message: EmailMessage, commit: Callable[[], None]) -> None:
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
        commit()
        connection.send(b".\r\n")
        code, reply = connection.getreply()
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)
