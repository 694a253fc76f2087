"""Fakes the tests talk to instead of the outside world (e.g. a Telegram Bot API server)."""
