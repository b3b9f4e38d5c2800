"""The web chat channel's business rules: messages and who sees them, attachments, surveys,
CSAT, the typed chat events (the expected wait is routing/waiting.py's, for every channel).
Plain Python over plain data: no web framework, no database."""

from headset.chat.attachments import ALLOWED_MEDIA_TYPES, accept_upload
from headset.chat.messages import (
    AuthorKind,
    ChatMessage,
    Viewer,
    Visibility,
    can_see,
    check_text,
    visible_to,
)
from headset.chat.surveys import SurveyAnswer, csat, survey_answer

__all__ = [
    "ALLOWED_MEDIA_TYPES",
    "AuthorKind",
    "ChatMessage",
    "SurveyAnswer",
    "Viewer",
    "Visibility",
    "accept_upload",
    "can_see",
    "check_text",
    "csat",
    "survey_answer",
    "visible_to",
]
