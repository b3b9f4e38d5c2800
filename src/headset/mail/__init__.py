"""E-mail rules, free of I/O: parsing MIME, sanitising HTML, threading, loops, bounces, replies.

The adapters in `headset.mailroom` feed raw messages in and send built messages out; this
package never opens a socket or a database (docs/email.md).
"""
