"""The mailroom: where mail enters and leaves Headset (SMTP receiver, IMAP, outbound SMTP).

The rules live in `headset.mail`; this package does the I/O and turns delivered messages
into contacts through the engine host (docs/email.md).
"""
