"""The chat room: web chat's actions beside its pure rules in `headset.chat`.

Sessions (start, leave a message, end), messages (customer and staff, attachments, typing),
supervision (monitor, whisper, barge in, take over), surveys, transcripts, and the customer's
live stream without its socket. Each action takes the `ChatRoom` (built by bootstrap.py) and
typed input, and submits one operation through the engine host. The API's routes, the web
pages and the tests call these actions, never an HTTP handler.
"""

from headset.chatroom.room import ChatRoom

__all__ = ["ChatRoom"]
