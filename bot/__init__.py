"""A Telegram bot that answers questions about one corporate announcement from a curated fact base."""
