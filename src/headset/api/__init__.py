"""The HTTP and WebSocket API (FastAPI): thin routes over the service and storage."""
