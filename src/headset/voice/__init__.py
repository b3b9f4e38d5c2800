"""Voice in the service: the switchboard between call control, the engine and the media hub."""
