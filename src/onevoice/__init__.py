"""onevoice: one source, every channel, the same message."""

__version__ = "0.1.0"
