"""A chat's attachments: what a customer or an agent may upload into a conversation.

The rule is the center's one rule for files (`headset.core.files`, shared with e-mail): the
kind is judged by the bytes, never the name; only pictures, PDFs and plain text pass; the
name's extension must agree with the kind; no part of the name may run or render
(`invoice.pdf.vbs`, `photo.html.png`); the stored name is cleaned.
"""

from __future__ import annotations

from headset.core.files import ALLOWED_MEDIA_TYPES, AcceptedFile, accept_upload

__all__ = ["ALLOWED_MEDIA_TYPES", "AcceptedFile", "accept_upload"]
