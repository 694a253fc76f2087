"""A fake Telegram Bot API server on 127.0.0.1 that enforces what Telegram enforces.

The real python-telegram-bot `Application` talks to it over HTTP (TELEGRAM_API_URL). Every request
is checked against the facts-only table `bot_api_table.json` (see bot_api_rules: methods, fields,
nested types, stated limits, HTML parse mode). Updates come from a queue the test fills (long
polling with offsets, as Telegram does). Faults are injected on demand: 429 with retry_after,
502 Bad Gateway, slow responses. Every request is recorded for the test to assert on.

Standard library only; it runs in a thread, so tests on the event loop and subprocesses can use it.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bot.testing.bot_api_rules import (
    JSON,
    ApiError,
    Spec,
    Validator,
    bad,
    decode_form,
    load_spec,
    parse_html,
    utf16_len,
)

TOKEN = "123456:TEST-token-abcdefghijklmnop"
BOT_USERNAME = "announcement_test_bot"

# ---- recording and faults ---------------------------------------------------------------------


@dataclass
class Call:
    """One request the bot made, and what the fake answered."""

    method: str
    params: JSON
    status: int
    result: Any = None  # the `result` of an ok response
    description: str = ""  # the error description otherwise
    injected: bool = False  # a fault the test asked for, not a rule the bot broke
    at: float = field(default_factory=time.monotonic)

    @property
    def ok(self) -> bool:
        """True when the fake answered 200."""
        return self.status == 200


@dataclass
class Fault:
    """A fault to inject into the next `times` calls of `method` ("*" for any but getUpdates)."""

    method: str
    kind: str  # "429" | "403" | "502" | "slow"
    value: float  # retry_after for 429, seconds for slow
    times: int
    chat_id: int | None = None  # only calls to this chat

    def error(self) -> ApiError | None:
        """The error response this fault stands for (None for 502 and slow)."""
        if self.kind == "429":
            return ApiError(
                429, f"Too Many Requests: retry after {int(self.value)}", {"retry_after": int(self.value)}
            )
        if self.kind == "403":
            return ApiError(403, "Forbidden: bot was blocked by the user")
        return None


# ---- the server -------------------------------------------------------------------------------


class FakeBotAPI:
    """The fake server: start(), feed updates, let the bot talk, assert on `calls`, stop()."""

    def __init__(self, token: str = TOKEN, *, spec: Spec | None = None, first_update_id: int = 1) -> None:
        self.token = token
        self.spec = spec or load_spec()
        self.validator = Validator(self.spec)
        self.bot_user: JSON = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": "Announcement Bot",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }
        self._lock = threading.Condition()
        self._calls: list[Call] = []
        self._updates: list[JSON] = []
        self._next_update_id = first_update_id
        # Called (in the server's thread) with each new getUpdates offset, before the updates below
        # it are forgotten: a test checks there what the bot had stored by then.
        self.on_confirm: Callable[[int], None] | None = None
        self._confirmed = 0  # every update with a smaller id is confirmed by an offset
        self._delivered = 0  # the highest update id getUpdates has returned
        self._polls = 0  # getUpdates calls begun (a long poll is recorded only when it ends)
        self._next_message_id = 1
        self._chats: dict[int, JSON] = {}
        self._messages: dict[tuple[int, int], JSON] = {}
        self._threads: set[tuple[int, int]] = set()  # (chat id, topic id) of forum topics
        self._callbacks: dict[str, bool] = {}  # callback query id -> answered
        self._inline: dict[str, bool] = {}
        self._faults: list[Fault] = []
        self.commands: dict[tuple[str, str], list[JSON]] = {}  # (scope, language) -> commands
        self.webhook: JSON = {"url": ""}
        self._closing = False
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ---- life cycle ---------------------------------------------------------------------------

    def start(self) -> FakeBotAPI:
        """Listen on a free port of 127.0.0.1 in a daemon thread."""
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-bot-api"
        )
        self._thread.daemon = True
        self._thread.start()
        return self

    def stop(self) -> None:
        """Wake long polls, stop serving, close the socket."""
        with self._lock:
            self._closing = True
            self._lock.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeBotAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port it listens on."""
        assert self._server is not None, "start() first"
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """What TELEGRAM_API_URL should be: the token is appended by the client."""
        return f"http://127.0.0.1:{self.port}/bot"

    # ---- inspection ---------------------------------------------------------------------------

    def calls(self, method: str | None = None, *, ok: bool | None = True) -> list[Call]:
        """Recorded calls, optionally of one method; by default only the successful ones."""
        with self._lock:
            return [
                c
                for c in self._calls
                if (method is None or c.method == method) and (ok is None or c.ok == ok)
            ]

    def rejected(self) -> list[Call]:
        """Calls refused for breaking a rule (not the faults the test injected)."""
        return [c for c in self.calls(ok=False) if not c.injected]

    def sent(self, chat_id: int | None = None) -> list[Call]:
        """Successful sendMessage calls, optionally to one chat."""
        return [c for c in self.calls("sendMessage") if chat_id is None or c.params.get("chat_id") == chat_id]

    def texts(self, chat_id: int | None = None) -> list[str]:
        """The plain text of every message sent (after HTML parsing)."""
        return [str(c.result["text"]) for c in self.sent(chat_id)]

    @property
    def confirmed(self) -> int:
        """Every update id below this was confirmed by a getUpdates offset."""
        with self._lock:
            return self._confirmed

    @property
    def polls(self) -> int:
        """How many getUpdates calls have begun (the bot is polling once this is > 0)."""
        with self._lock:
            return self._polls

    @property
    def delivered(self) -> int:
        """The highest update id the bot has fetched."""
        with self._lock:
            return self._delivered

    @property
    def last_update_id(self) -> int:
        """The id of the last update pushed (0 if none)."""
        with self._lock:
            return self._next_update_id - 1

    def wait(self, predicate: Callable[[], bool], timeout: float = 20.0) -> None:
        """Block (outside an event loop) until `predicate()` holds; AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out after {timeout}s waiting for the bot")
                self._lock.wait(min(left, 0.2))

    async def until(self, predicate: Callable[[], bool], timeout: float = 20.0) -> None:
        """Await (inside the bot's event loop) until `predicate()` holds."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout}s waiting for the bot")
            await asyncio.sleep(0.01)

    # ---- faults -------------------------------------------------------------------------------

    def fail(
        self, method: str, kind: str, value: float = 1, times: int = 1, chat_id: int | None = None
    ) -> None:
        """Inject a fault into the next `times` calls of `method` (to `chat_id` only, if given):
        "429" (value = retry_after), "403" (blocked by the user), "502", "slow" (value = seconds).
        """
        assert kind in ("429", "403", "502", "slow")
        with self._lock:
            self._faults.append(Fault(method, kind, value, times, chat_id))

    def _take_fault(self, method: str, params: JSON) -> Fault | None:
        for fault in self._faults:
            wanted = fault.method == method or (fault.method == "*" and method != "getUpdates")
            if fault.chat_id is not None and params.get("chat_id") != fault.chat_id:
                wanted = False
            if wanted and fault.times > 0:
                fault.times -= 1
                return fault
        return None

    # ---- updates: what users do ---------------------------------------------------------------

    def push(self, update: JSON) -> int:
        """Queue one update (its update_id is assigned here); return the id."""
        with self._lock:
            update = {"update_id": self._next_update_id, **update}
            self._next_update_id += 1
            self._updates.append(update)
            self._lock.notify_all()
            return int(update["update_id"])

    def user(
        self, user_id: int, lang: str | None = "en", *, is_bot: bool = False, first_name: str | None = None
    ) -> JSON:
        """A Telegram user object (named `User<id>` unless `first_name` is given)."""
        user: JSON = {"id": user_id, "is_bot": is_bot, "first_name": first_name or f"User{user_id}"}
        if lang:
            user["language_code"] = lang
        return user

    def chat(self, chat_id: int, chat_type: str = "private", *, forum: bool = False) -> JSON:
        """A chat object (remembered, so that the bot may write to it). A forum (a supergroup with
        topics) stays one once made."""
        chat: JSON = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = f"User{chat_id}"
        else:
            chat["title"] = f"Chat {chat_id}"
        with self._lock:
            if forum or self._chats.get(chat_id, {}).get("is_forum"):
                if chat_type != "supergroup":
                    raise ValueError("only a supergroup can be a forum")
                chat["is_forum"] = True
            self._chats[chat_id] = chat
        return chat

    def message(
        self,
        text: str | None = None,
        *,
        user_id: int = 1001,
        lang: str | None = "en",
        chat_id: int | None = None,
        chat_type: str = "private",
        reply_to: JSON | None = None,
        is_bot: bool = False,
        kind: str = "message",
        thread_id: int | None = None,
        **content: Any,
    ) -> JSON:
        """A message from a user (text with the entities Telegram would add, or `content` such as
        sticker=..., photo=[...]); pushed as update `kind` (message, edited_message, channel_post).
        `thread_id` posts it in that topic of a forum supergroup (the topic exists from then on).
        """
        forum = thread_id is not None
        chat = self.chat(chat_id if chat_id is not None else user_id, chat_type, forum=forum)
        with self._lock:
            message_id = self._next_message_id
            self._next_message_id += 1
        msg: JSON = {"message_id": message_id, "date": int(time.time()), "chat": chat}
        if kind != "channel_post":
            msg["from"] = self.user(user_id, lang, is_bot=is_bot)
        if kind == "edited_message":
            msg["edit_date"] = int(time.time())
        if text is not None:
            msg["text"] = text
            entities = text_entities(text)
            if entities:
                msg["entities"] = entities
        if reply_to is not None:
            msg["reply_to_message"] = reply_to
        if thread_id is not None:
            msg["message_thread_id"] = thread_id
            msg["is_topic_message"] = True
        msg.update(content)
        with self._lock:
            if thread_id is not None:
                self._threads.add((chat["id"], thread_id))
            self._messages[(chat["id"], message_id)] = msg
        self.push({kind: msg})
        return msg

    def tap(
        self,
        message: JSON,
        data: str,
        *,
        user_id: int = 1001,
        lang: str | None = "en",
        first_name: str | None = None,
    ) -> str:
        """A tap on an inline button of `message` (a message the bot sent); return the query id."""
        with self._lock:
            query_id = f"cb{len(self._callbacks) + 1}"
            self._callbacks[query_id] = False
        self.push(
            {
                "callback_query": {
                    "id": query_id,
                    "from": self.user(user_id, lang, first_name=first_name),
                    "chat_instance": f"ci{message['chat']['id']}",
                    "message": message,
                    "data": data,
                }
            }
        )
        return query_id

    def inline_query(self, query: str, *, user_id: int = 1001, lang: str | None = "en") -> str:
        """`@bot query` typed in any chat; return the inline query id."""
        with self._lock:
            query_id = f"iq{len(self._inline) + 1}"
            self._inline[query_id] = False
        self.push(
            {
                "inline_query": {
                    "id": query_id,
                    "from": self.user(user_id, lang),
                    "query": query,
                    "offset": "",
                    "chat_type": "sender",
                }
            }
        )
        return query_id

    def chosen_inline_result(self, result_id: str, query: str, *, user_id: int = 1001) -> int:
        """The user picked an inline result (sent when inline feedback is on)."""
        return self.push(
            {
                "chosen_inline_result": {
                    "result_id": result_id,
                    "from": self.user(user_id),
                    "query": query,
                }
            }
        )

    def bot_message(self, call: Call) -> JSON:
        """The Message the bot created with `call` (to tap its buttons or reply to it)."""
        result = call.result
        assert isinstance(result, dict), call
        return result

    # ---- serving ------------------------------------------------------------------------------

    def handle(
        self,
        method_path: str,
        params: JSON | None,
        raw_form: dict[str, list[str]] | None,
    ) -> tuple[int, JSON]:
        """Answer one request; record it. Returns (HTTP status, JSON body)."""
        method = self.spec.method_names.get(method_path.lower())
        if method is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        if params is None:
            params = decode_form(raw_form or {}, self.spec.methods[method])
        with self._lock:
            fault = self._take_fault(method, params)
        error = fault.error() if fault is not None else None
        if error is not None:
            return self._record_error(method, params, error, injected=True)
        if fault is not None and fault.kind == "502":
            self._record(Call(method, params, 502, description="Bad Gateway", injected=True))
            return 502, {}
        try:
            self.validator.check_method(method, params)
            result = self._dispatch(method, params)
        except ApiError as exc:
            return self._record_error(method, params, exc)
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.value)
        self._record(Call(method, params, 200, result=result))
        return 200, {"ok": True, "result": result}

    def _record(self, call: Call) -> None:
        with self._lock:
            self._calls.append(call)
            self._lock.notify_all()

    def _record_error(
        self,
        method: str,
        params: JSON,
        exc: ApiError,
        *,
        injected: bool = False,
    ) -> tuple[int, JSON]:
        self._record(Call(method, params, exc.code, description=exc.description, injected=injected))
        body: JSON = {"ok": False, "error_code": exc.code, "description": exc.description}
        if exc.parameters:
            body["parameters"] = exc.parameters
        return exc.code, body

    def _dispatch(self, method: str, params: JSON) -> Any:
        handler = getattr(self, f"_m_{method}", None)
        return handler(params) if handler is not None else True

    # ---- methods with behaviour ---------------------------------------------------------------

    def _m_getMe(self, params: JSON) -> JSON:
        return self.bot_user

    def _m_getUpdates(self, params: JSON) -> list[JSON]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        if offset > self.confirmed and self.on_confirm is not None:
            self.on_confirm(offset)
        with self._lock:
            self._polls += 1
            self._lock.notify_all()
            if offset:
                self._confirmed = max(self._confirmed, offset)
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                self._lock.notify_all()
            while not self._updates and not self._closing:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._lock.wait(left)
            batch = list(self._updates[:limit])
            if batch:
                self._delivered = max(self._delivered, int(batch[-1]["update_id"]))
            return batch

    def _m_deleteWebhook(self, params: JSON) -> bool:
        self.webhook = {"url": ""}
        if params.get("drop_pending_updates"):
            with self._lock:
                self._updates.clear()
        return True

    def _m_setWebhook(self, params: JSON) -> bool:
        self.webhook = dict(params)
        return True

    def _m_getWebhookInfo(self, params: JSON) -> JSON:
        return {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    def _m_setMyCommands(self, params: JSON) -> bool:
        scope = json.dumps(params.get("scope", {"type": "default"}), sort_keys=True)
        key = (scope, params.get("language_code", ""))
        self.commands[key] = list(params["commands"])
        return True

    def _chat_of(self, chat_id: Any) -> JSON:
        chat = self._chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise bad("chat not found")
        return chat

    def _m_sendMessage(self, params: JSON) -> JSON:
        with self._lock:
            chat = self._chat_of(params["chat_id"])
            reply = params.get("reply_parameters")
            replied: JSON | None = None
            if reply is not None:
                where = (reply.get("chat_id", chat["id"]), reply["message_id"])
                replied = self._messages.get(where)
                if replied is None and not reply.get("allow_sending_without_reply"):
                    raise bad("message to be replied not found")
            thread = self._thread_of(chat, params.get("message_thread_id"), replied)
            message_id = self._next_message_id
            self._next_message_id += 1
            msg: JSON = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": chat,
                "from": self.bot_user,
                "text": self._plain(params, "text"),
            }
            if "reply_markup" in params:
                msg["reply_markup"] = params["reply_markup"]
            if replied is not None:
                msg["reply_to_message"] = replied
            if thread is not None:
                msg["message_thread_id"] = thread
                msg["is_topic_message"] = True
            self._messages[(chat["id"], message_id)] = msg
            return msg

    def _thread_of(self, chat: JSON, thread: Any, replied: JSON | None) -> int | None:
        # Telegram's rule: message_thread_id names a topic of a forum; without it, a reply goes
        # into the topic of the message it replies to, anything else into General (no topic).
        if thread is None:
            inherited = replied.get("message_thread_id") if replied is not None else None
            return int(inherited) if chat.get("is_forum") and inherited is not None else None
        if not chat.get("is_forum") or (chat["id"], thread) not in self._threads:
            raise bad("message thread not found")
        return int(thread)

    def _plain(self, params: JSON, name: str) -> str:
        text = str(params[name])
        return parse_html(text) if str(params.get("parse_mode", "")).upper() == "HTML" else text

    def _edit(self, params: JSON, change: Callable[[JSON], JSON]) -> JSON:
        with self._lock:
            key = (params.get("chat_id"), params.get("message_id"))
            msg = self._messages.get(key)  # type: ignore[arg-type]
            if msg is None or msg.get("from", {}).get("id") != self.bot_user["id"]:
                raise bad("message to edit not found")
            new = change(dict(msg))
            if new == msg:
                raise bad(
                    "message is not modified: specified new message content and reply markup "
                    "are exactly the same as a current content and reply markup of the message"
                )
            new["edit_date"] = int(time.time())
            self._messages[key] = new  # type: ignore[index]
            return new

    def _m_editMessageText(self, params: JSON) -> JSON:
        def change(msg: JSON) -> JSON:
            msg["text"] = self._plain(params, "text")
            msg.pop("reply_markup", None)
            if "reply_markup" in params:
                msg["reply_markup"] = params["reply_markup"]
            return msg

        return self._edit(params, change)

    def _m_editMessageReplyMarkup(self, params: JSON) -> JSON:
        def change(msg: JSON) -> JSON:
            msg.pop("reply_markup", None)
            if params.get("reply_markup"):
                msg["reply_markup"] = params["reply_markup"]
            return msg

        return self._edit(params, change)

    def _answer_once(self, table: dict[str, bool], query_id: str) -> bool:
        with self._lock:
            if table.get(query_id, True):
                raise bad("query is too old and response timeout expired or query ID is invalid")
            table[query_id] = True
        return True

    def _m_answerCallbackQuery(self, params: JSON) -> bool:
        return self._answer_once(self._callbacks, str(params["callback_query_id"]))

    def _m_answerInlineQuery(self, params: JSON) -> bool:
        return self._answer_once(self._inline, str(params["inline_query_id"]))


def text_entities(text: str) -> list[JSON]:
    """The entities Telegram adds to a text: a bot command at the start, @mentions."""
    entities: list[JSON] = []

    def entity(kind: str, start: int, end: int) -> JSON:
        offset = utf16_len(text[:start])
        return {"type": kind, "offset": offset, "length": utf16_len(text[start:end])}

    command = re.match(r"/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,32})?", text)
    if command:
        entities.append(entity("bot_command", 0, command.end()))
    for mention in re.finditer(r"(?<![\w/])@[A-Za-z0-9_]{3,32}", text):
        if command and mention.start() < command.end():
            continue
        entities.append(entity("mention", mention.start(), mention.end()))
    return entities


def _handler_for(api: FakeBotAPI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stalls

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the test reads `api.calls`, not a log

        def do_GET(self) -> None:
            self.do_POST()

        def do_POST(self) -> None:
            parts = urlsplit(self.path)
            m = re.fullmatch(r"/bot([^/]+)/([A-Za-z]+)", parts.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if len(body) < length:  # the client died mid-request (a SIGKILL): Telegram never got it
                self.close_connection = True
                return
            if m is None:
                self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                return
            if m.group(1) != api.token:
                self._reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
                return
            ctype = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
            params: JSON | None = None
            raw: dict[str, list[str]] = parse_qs(parts.query, keep_blank_values=True)
            try:
                if ctype == "application/json":
                    params = json.loads(body or b"{}")
                    if not isinstance(params, dict):
                        raise ValueError("not an object")
                elif ctype in ("application/x-www-form-urlencoded", ""):
                    raw.update(parse_qs(body.decode("utf-8"), keep_blank_values=True))
                else:
                    raise ValueError(f"unsupported content type {ctype}")
            except ValueError as exc:
                self._reply(400, {"ok": False, "error_code": 400, "description": f"Bad Request: {exc}"})
                return
            status, payload = api.handle(m.group(2), params, raw)
            if status == 502:
                self._reply_raw(502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html")
            else:
                self._reply(status, payload)

        def _reply(self, status: int, payload: JSON) -> None:
            self._reply_raw(status, json.dumps(payload).encode("utf-8"), "application/json")

        def _reply_raw(self, status: int, body: bytes, ctype: str) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a cancelled long poll): nothing to tell it

    return Handler


@contextmanager
def running(token: str = TOKEN) -> Iterator[FakeBotAPI]:
    """`with running() as api:` a started fake server, stopped afterwards."""
    api = FakeBotAPI(token).start()
    try:
        yield api
    finally:
        api.stop()
