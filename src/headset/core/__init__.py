"""Core building blocks shared by every business area: standard library only."""
