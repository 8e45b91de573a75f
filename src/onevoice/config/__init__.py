"""Configuration schemas: channels (channel.yml) and, later, checks and waivers."""
