"""The project's one exception hierarchy: every error a user or admin can cause, as a sentence."""

from __future__ import annotations


class BotError(Exception):
    """Base of every error this project raises on purpose."""


class SettingsError(BotError):
    """A setting in the environment or .env is missing or malformed."""


class KnowledgeError(BotError):
    """The fact base cannot be loaded; `problems` holds one `path:line: message` per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems) if self.problems else "invalid fact base")


class KnowledgeMissing(KnowledgeError):
    """The fact folder is gone (deleted, renamed) or holds no fact files."""


class StoreError(BotError):
    """The conversation log cannot be opened or written."""


class StoreUnavailable(StoreError):
    """The database cannot be reached or written just now (locked, read-only, full, gone, down);
    `kind` names the fault so that admins hear once per kind. Both backends raise it."""

    def __init__(self, kind: str, message: str) -> None:
        self.kind = kind
        super().__init__(message)


class QuestionSetError(BotError):
    """A file given as a question set (bench --ablation) is not one."""


class TrainingStopped(BotError):
    """A training of the learned model was stopped before it finished (the bot is stopping)."""
