"""Readers of public rostering benchmark formats into the engine's problem model."""
