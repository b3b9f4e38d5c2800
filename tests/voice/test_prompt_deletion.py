"""An uploaded prompt is deleted once no IVR flow plays it; until then the flows are named."""

from __future__ import annotations

import io
import wave

from tests.service.conftest import Center, ok


def _wav(seconds: float = 0.5, rate: int = 8000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"\x00\x00" * int(seconds * rate))
    return out.getvalue()


def test_a_prompt_in_use_is_kept_and_a_free_one_goes(center: Center) -> None:
    t = center.tenants["alpha"]
    base = f"/api/v1/tenants/{t.tenant_id}"
    ok(center.admin.put(f"{base}/prompts/goodbye?name=Goodbye", content=_wav()))
    steps = [
        {"id": "bye", "type": "play", "prompt_id": "goodbye", "next": "sales"},
        {"id": "sales", "type": "queue", "queue_id": t.queue_id},
    ]
    ok(center.admin.put(f"{base}/ivr-flows/farewell", json={"name": "Farewell", "steps": steps}))

    kept = center.admin.delete(f"{base}/prompts/goodbye")
    assert kept.status_code == 409
    assert kept.json()["code"] == "prompt_in_use"
    assert "farewell" in kept.json()["detail"]
    assert [p["prompt_id"] for p in ok(center.admin.get(f"{base}/prompts"))] == ["goodbye"]

    spoken = [{**steps[0], "prompt_id": None, "text": "Goodbye."}, steps[1]]
    ok(center.admin.put(f"{base}/ivr-flows/farewell", json={"name": "Farewell", "steps": spoken}))
    assert center.admin.delete(f"{base}/prompts/goodbye").status_code == 204
    assert ok(center.admin.get(f"{base}/prompts")) == []
    assert center.admin.delete(f"{base}/prompts/goodbye").status_code == 404
    agent = center.as_user("alpha", "agent")
    assert agent.delete(f"{base}/prompts/goodbye").status_code == 403
