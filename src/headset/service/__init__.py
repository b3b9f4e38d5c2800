"""The service shell around the engine: the writer that stores and publishes, timers, boot."""
