"""The typed context every handler and job receives: python-telegram-bot's ContextTypes with our
own `bot_data` (BotData: settings, engine holder, log, flood gate, the press office's store) and
`user_data` (UserData: the pinned language), as PTB's examples/contexttypesbot.py does. No string
keys, no isinstance on read, no module-level caches.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.core.context import ContextMemory
from bot.core.engine import Engine
from bot.knowledge.reload import EngineHolder
from bot.settings import Settings
from bot.store.chat_state import SharedChatState
from bot.store.log import ConversationLog
from bot.store.prefs import PinStore
from bot.store.press import PressStore
from bot.store.store import Store
from bot.telegram.flood import FloodGate
from bot.telegram.texts import pick_lang

if TYPE_CHECKING:  # the sender is built with the jobs (bot.telegram.jobs) and imports this module
    from bot.telegram.press.sender import NoticeSender


class UserData:
    """What the bot keeps in memory per user: the reply language pinned with /lang."""

    def __init__(self) -> None:
        self.lang: str | None = None

    def clear(self) -> None:
        """Forget everything about the user (after /forget)."""
        self.lang = None


class OpenPrompts:
    """The hand-off confirm prompts shown and not yet answered (by exchange id): a second tap on
    the same hand-off button while its prompt waits adds no message to the chat. Bounded: the
    oldest are forgotten first, and a prompt counts as open for PROMPT_OPEN_S at most."""

    PROMPT_OPEN_S = 600.0
    MAX = 10_000

    def __init__(self) -> None:
        self._shown: dict[str, float] = {}

    def open(self, exchange_id: str, now: float) -> bool:
        """Note a prompt for `exchange_id`; False if one is open already."""
        shown = self._shown.get(exchange_id)
        if shown is not None and now - shown < self.PROMPT_OPEN_S:
            return False
        self._shown.pop(exchange_id, None)
        self._shown[exchange_id] = now
        while len(self._shown) > self.MAX:
            del self._shown[next(iter(self._shown))]
        return True

    def close(self, exchange_id: str) -> None:
        """The prompt was answered (Send or Cancel): a new tap may show a new one."""
        self._shown.pop(exchange_id, None)


class BotData:
    """What the handlers share. PTB creates it empty; `build_application` calls `setup` once."""

    settings: Settings
    store: Store  # the conversation database, built once from the settings
    holder: EngineHolder  # hot reload swaps the engine inside it in one step
    flood: FloodGate

    def __init__(self) -> None:
        self.log: ConversationLog | None = None
        self.redact: Callable[[str], str] = str  # hides the token in what admins are told
        self.reported: set[str] = set()  # errors admins were told about
        self.watcher: tuple[asyncio.Event, asyncio.Task[None]] | None = None
        self.contexts = ContextMemory()  # follow-up context per chat (per member in groups)
        self.prefs: PinStore | None = None  # /lang pins kept across restarts (made on first use)
        self.shared: SharedChatState | None = None  # replicas share a store: contexts, flood windows
        self.press: PressStore | None = None  # the press office's tables (PRESS_CHAT_ID/CONTACT set)
        self.noticed: Engine | None = None  # the engine whose changed answers were last looked at
        self.notices: NoticeSender | None = None  # sends confirmed update notices (with a press store)
        self.prompts = OpenPrompts()  # hand-off confirm prompts waiting for Send or Cancel

    def setup(
        self,
        settings: Settings,
        store: Store,
        holder: EngineHolder,
        log: ConversationLog | None,
        flood: FloodGate,
        redact: Callable[[str], str],
    ) -> None:
        """Fill in what the handlers need (once, before the application starts)."""
        self.settings, self.store, self.holder, self.log, self.flood = settings, store, holder, log, flood
        self.redact = redact
        self.contexts = ContextMemory(settings.context_ttl_s)
        self.noticed = holder.engine
        if settings.press_chat_id is not None or settings.press_contact:
            self.press = PressStore(store)


class BotContext(CallbackContext[ExtBot[Any], UserData, dict[Any, Any], BotData]):
    """The `context` of every handler, with typed `bot_data` and `user_data`."""

    @property
    def engine(self) -> Engine:
        """The engine in service now; read it once per update."""
        return self.bot_data.holder.engine

    @property
    def pinned(self) -> str | None:
        """The language the user pinned with /lang, if any."""
        return self.user_data.lang if self.user_data is not None else None

    def pin(self, choice: str) -> None:
        """Pin a language for this user, or follow the question again ("auto")."""
        if self.user_data is not None:
            self.user_data.lang = None if choice == "auto" else choice


CONTEXT_TYPES = ContextTypes(context=BotContext, user_data=UserData, bot_data=BotData)
App = Application[ExtBot[Any], BotContext, UserData, dict[Any, Any], BotData, Any]


def ui_lang(update: Update, context: BotContext) -> str:
    """The language of the bot's own words for this user."""
    user = update.effective_user
    return pick_lang(context.pinned, user.language_code if user else None)


def is_admin(update: Update, context: BotContext) -> bool:
    """True for users listed in BOT_ADMIN_IDS."""
    user = update.effective_user
    return user is not None and user.id in context.bot_data.settings.admin_ids


def is_private(update: Update) -> bool:
    """True if the update comes from a private chat (the only place for admin reports)."""
    chat = update.effective_chat
    return chat is not None and chat.type == ChatType.PRIVATE
