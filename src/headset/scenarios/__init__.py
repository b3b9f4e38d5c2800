"""Scenario files shipped with Headset (package data), e.g. the demo's example.toml."""
