"""A small WebDriver BiDi client (W3C), enough to drive Firefox through Headset's pages.

Firefox speaks WebDriver BiDi itself, so no driver binary sits in between: one WebSocket to
`ws://host:port/session`, JSON commands `{"id", "method", "params"}` answered by a message
with the same id (`"type": "success"` or `"error"`), and events (`"type": "event"`) in
between. The client is synchronous: a command reads the socket until its answer arrives and
keeps the events it read on the way (`Session.events`), so nothing runs in the background.

Pages are driven the way a person would: clicks are pointer actions at an element and text is
typed key by key (`input.performActions`), so the page's own event handlers do the work.
Checks read the DOM with `script.evaluate`, polled until they hold or time out.
"""

from __future__ import annotations

import base64
import itertools
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from websockets.sync.client import ClientConnection, connect

#: WebDriver's key value for Enter (the spec names keys by code points in the PUA).
ENTER = "\ue007"


class BiDiError(Exception):
    """The browser refused a command (an "error" answer), or a script threw."""


class TimedOut(AssertionError):
    """A condition on the page did not hold in time; an assertion failure for pytest."""


@dataclass
class Session:
    """One WebDriver BiDi session over one WebSocket."""

    ws: ClientConnection
    timeout: float = 15
    #: Events read while waiting for answers, oldest first: {"method", "params"}.
    events: list[dict[str, Any]] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Sends a command and returns its result; raises BiDiError for an error answer."""
        command_id = next(self._ids)
        self.ws.send(json.dumps({"id": command_id, "method": method, "params": params or {}}))
        deadline = time.monotonic() + self.timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimedOut(f"no answer to {method} within {self.timeout} s")
            message = json.loads(self.ws.recv(timeout=left))
            if message.get("type") == "event":
                self.events.append({"method": message["method"], "params": message["params"]})
                continue
            if message.get("id") != command_id:
                continue  # an answer to a command that timed out earlier
            if message["type"] == "error":
                raise BiDiError(f"{method}: {message['error']}: {message.get('message', '')}")
            result = message["result"]
            assert isinstance(result, dict)
            return result

    def subscribe(self, *events: str) -> None:
        self.send("session.subscribe", {"events": list(events)})

    def new_tab(self) -> Tab:
        """A tab in a user context of its own: its own cookies and storage, like a new profile."""
        user_context = self.send("browser.createUserContext")["userContext"]
        created = self.send("browsingContext.create", {"type": "tab", "userContext": user_context})
        return Tab(self, created["context"], user_context)


@contextmanager
def session_at(url: str, timeout: float = 15) -> Iterator[Session]:
    """A session with default capabilities over a WebSocket to `url` (…/session), then ended."""
    # no keepalive pings: the session lives for seconds, and the ping thread draws from the
    # global `random` module behind the other tests' backs
    with connect(url, open_timeout=timeout, max_size=None, ping_interval=None) as ws:
        session = Session(ws, timeout)
        session.send("session.new", {"capabilities": {}})
        try:
            yield session
        finally:
            session.send("session.end")


@dataclass
class Tab:
    """A top-level browsing context and what the tests do in it."""

    session: Session
    context: str
    user_context: str

    def close(self) -> None:
        self.session.send("browsingContext.close", {"context": self.context})
        self.session.send("browser.removeUserContext", {"userContext": self.user_context})

    # --- navigating and reading the page

    def goto(self, url: str) -> None:
        params = {"context": self.context, "url": url, "wait": "complete"}
        self.session.send("browsingContext.navigate", params)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (awaited if it is a promise)."""
        return self._value(
            self.session.send(
                "script.evaluate",
                {
                    "expression": expression,
                    "target": {"context": self.context},
                    "awaitPromise": True,
                    "resultOwnership": "none",
                },
            )
        )

    def call(self, function: str, *arguments: Any) -> Any:
        """Calls a JavaScript function declaration with arguments (strings, numbers, nodes)."""
        return self._value(
            self.session.send(
                "script.callFunction",
                {
                    "functionDeclaration": function,
                    "arguments": [_local(a) for a in arguments],
                    "target": {"context": self.context},
                    "awaitPromise": True,
                    "resultOwnership": "none",
                },
            )
        )

    @property
    def url(self) -> str:
        return str(self.evaluate("location.href"))

    def text(self, selector: str) -> str | None:
        """The rendered text of the first element matching `selector`, None if there is none."""
        found = self.call("(s) => document.querySelector(s)?.innerText.trim() ?? null", selector)
        return None if found is None else str(found)

    def value(self, selector: str) -> str | None:
        found = self.call("(s) => document.querySelector(s)?.value ?? null", selector)
        return None if found is None else str(found)

    def attribute(self, selector: str, name: str) -> str | None:
        found = self.call(
            "(s, n) => document.querySelector(s)?.getAttribute(n) ?? null", selector, name
        )
        return None if found is None else str(found)

    def wait_until(
        self, check: Callable[[], Any], what: str, timeout: float = 10, every: float = 0.05
    ) -> Any:
        """Polls `check` until it returns something truthy; fails saying `what` was awaited."""
        deadline = time.monotonic() + timeout
        last: Any = None
        while time.monotonic() < deadline:
            last = check()
            if last:
                return last
            time.sleep(every)
        raise TimedOut(f"waited {timeout} s for {what}; last seen: {last!r}")

    def wait_for_text(
        self, selector: str, expected: str, *, contains: bool = False, timeout: float = 10
    ) -> None:
        """Waits until the element's text equals (or contains) `expected`."""

        def seen() -> str | None:
            now = self.text(selector)
            if now is None:
                return None
            matched = expected in now if contains else now == expected
            return now if matched else None

        self.wait_until(seen, f"{selector} to say {expected!r}", timeout)

    # --- acting like a person: pointer and keyboard

    def node(self, selector: str, timeout: float = 10) -> dict[str, Any]:
        """The first element matching a CSS selector, as a shared reference, once it exists."""

        def located() -> dict[str, Any] | None:
            nodes = self.session.send(
                "browsingContext.locateNodes",
                {
                    "context": self.context,
                    "locator": {"type": "css", "value": selector},
                    "maxNodeCount": 1,
                },
            )["nodes"]
            return {"sharedId": nodes[0]["sharedId"]} if nodes else None

        found = self.wait_until(located, f"an element {selector}", timeout)
        assert isinstance(found, dict)
        return found

    def click(self, selector: str) -> None:
        """Moves the mouse to the middle of the element and presses the left button."""
        element = self.node(selector)
        self.call("(el) => el.scrollIntoView({block: 'center'})", element)
        self.session.send(
            "input.performActions",
            {
                "context": self.context,
                "actions": [
                    {
                        "type": "pointer",
                        "id": "mouse",
                        "parameters": {"pointerType": "mouse"},
                        "actions": [
                            {
                                "type": "pointerMove",
                                "x": 0,
                                "y": 0,
                                "origin": {"type": "element", "element": element},
                            },
                            {"type": "pointerDown", "button": 0},
                            {"type": "pointerUp", "button": 0},
                        ],
                    }
                ],
            },
        )

    def press(self, *keys: str) -> None:
        """Presses and releases each key in turn (characters, or ENTER and other key values)."""
        actions: list[dict[str, str]] = []
        for key in keys:
            actions += [{"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]
        self.session.send(
            "input.performActions",
            {
                "context": self.context,
                "actions": [{"type": "key", "id": "keyboard", "actions": actions}],
            },
        )
        self.session.send("input.releaseActions", {"context": self.context})

    def type_into(self, selector: str, text: str) -> None:
        """Clicks the field, clears it as a person would (select all, delete) and types `text`."""
        self.click(selector)
        self.call("(el) => el.select?.()", self.node(selector))
        self.press("\ue017")  # Delete: the selection goes
        self.press(*text)

    def screenshot(self) -> bytes:
        """The visible part of the page as PNG bytes (for looking at a failure)."""
        data = self.session.send("browsingContext.captureScreenshot", {"context": self.context})
        return base64.b64decode(data["data"])

    # --- the page's JavaScript errors

    def js_errors(self) -> list[str]:
        """Uncaught errors this tab's scripts raised (log.entryAdded of type "javascript")."""
        self.evaluate("0")  # a round trip, so that entries sent before it have been read
        return [
            str(event["params"].get("text"))
            for event in self.session.events
            if event["method"] == "log.entryAdded"
            and event["params"].get("type") == "javascript"
            and event["params"].get("source", {}).get("context") == self.context
        ]

    @staticmethod
    def _value(answer: dict[str, Any]) -> Any:
        if answer.get("type") == "exception":
            details = answer["exceptionDetails"]
            raise BiDiError(f"the script threw: {details.get('text')}")
        return _plain(answer["result"])


def _local(value: Any) -> dict[str, Any]:
    """A Python value as a BiDi LocalValue (a dict with sharedId is a node reference)."""
    if isinstance(value, dict) and "sharedId" in value:
        return value
    if value is None:
        return {"type": "null"}
    if isinstance(value, bool):
        return {"type": "boolean", "value": value}
    if isinstance(value, int | float):
        return {"type": "number", "value": value}
    return {"type": "string", "value": str(value)}


def _plain(remote: dict[str, Any]) -> Any:
    """A BiDi RemoteValue as a Python value (primitives, arrays and plain objects)."""
    kind = remote["type"]
    if kind in ("undefined", "null"):
        return None
    if kind in ("string", "boolean"):
        return remote["value"]
    if kind == "number":
        return remote["value"]  # "NaN", "Infinity" and "-0" stay strings
    if kind == "array":
        return [_plain(item) for item in remote.get("value", [])]
    if kind == "object":
        return {key: _plain(item) for key, item in remote.get("value", [])}
    return remote  # nodes, functions and the like: the description the browser gave
