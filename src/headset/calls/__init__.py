"""Call control: a voice call's state and steps as commands and events (pure; docs/voice.md)."""
