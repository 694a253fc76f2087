"""The rules of the fake Bot API: the spec's methods and types, HTML parse mode, stated limits.

`Validator.check_method` raises `ApiError` (HTTP 400, Telegram's wording) for a request Telegram
would refuse: unknown or missing fields, wrong types in nested objects, text over its limit after
entity parsing, callback data over 64 bytes, malformed HTML. Standard library only.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

# Facts-only table derived from the public Bot API description (see make_bot_api_table.py).
SPEC_PATH = Path(__file__).with_name("bot_api_table.json")

JSON = dict[str, Any]

# ---- the spec ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """Methods and types of the Bot API, by name."""

    methods: dict[str, dict[str, JSON]]  # method -> field name -> field
    method_names: dict[str, str]  # lower-case name -> name (Telegram ignores the case)
    types: dict[str, JSON]


@lru_cache(maxsize=1)
def load_spec(path: Path = SPEC_PATH) -> Spec:
    """Read the facts-only Bot API table once."""
    data = json.loads(path.read_text(encoding="utf-8"))
    methods: dict[str, dict[str, JSON]] = data["methods"]
    return Spec(methods, {name.lower(): name for name in methods}, data["types"])


class ApiError(Exception):
    """A Bot API error response: HTTP status, description and optional parameters."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


def bad(message: str) -> ApiError:
    """A 400 Bad Request with Telegram's prefix."""
    return ApiError(400, f"Bad Request: {message}")


# ---- HTML parse mode --------------------------------------------------------------------------

HTML_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "tg-emoji",
    "code",
    "pre",
    "blockquote",
    "tg-time",
}
_ATTR = r"""\s+[a-zA-Z-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?"""
TAG_RE = re.compile(rf"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:{_ATTR})*)\s*>")
ENTITY_RE = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")


def parse_html(text: str) -> str:
    """The plain text of an HTML-formatted message, or ApiError 400 "can't parse entities"."""
    out: list[str] = []
    stack: list[str] = []
    i = 0

    def fail(why: str) -> ApiError:
        offset = len(text[:i].encode("utf-8"))
        return bad(f"can't parse entities: {why} at byte offset {offset}")

    while i < len(text):
        ch = text[i]
        if ch == "<":
            m = TAG_RE.match(text, i)
            if m is None:
                raise fail("Unsupported start tag")
            closing, name, attrs = m.group(1) == "/", m.group(2).lower(), m.group(3)
            if name not in HTML_TAGS:
                raise fail(f'Unsupported start tag "{name}"')
            if closing:
                if not stack or stack[-1] != name:
                    raise fail(f'Unexpected end tag "{name}"')
                stack.pop()
            else:
                if name == "span" and "tg-spoiler" not in attrs:
                    raise fail('Tag "span" must have class "tg-spoiler"')
                stack.append(name)
            i = m.end()
        elif ch == "&":
            m = ENTITY_RE.match(text, i)
            if m is None:
                raise fail("Unsupported HTML entity or unescaped '&'")
            out.append(html.unescape(m.group(0)))
            i = m.end()
        else:
            out.append(ch)
            i += 1
    if stack:
        raise fail(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(out)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


# ---- request validation -----------------------------------------------------------------------

PARSED_FIELDS = ("text", "message_text", "caption")
COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
# An inline keyboard button needs exactly one of these (the spec's prose, as a rule).
BUTTON_KINDS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


def _measure(value: str, unit: str) -> int:
    return len(value.encode("utf-8")) if unit.lower() == "bytes" else utf16_len(value)


class Validator:
    """Checks method parameters and nested objects against the spec."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec

    def check_method(self, method: str, params: JSON) -> None:
        """Raise ApiError 400 unless `params` is a valid call of `method`."""
        self.check_object(params, self.spec.methods[method], method)
        if method == "answerInlineQuery":
            results = params.get("results", [])
            if len(results) > 50:
                raise bad("RESULTS_TOO_MUCH")
            ids = [r.get("id") for r in results if isinstance(r, dict)]
            if len(ids) != len(set(ids)):
                raise bad("RESULT_ID_DUPLICATE")

    def check_object(self, obj: JSON, fields: dict[str, JSON], where: str) -> None:
        """Required fields present, no unknown fields, every value of its declared type."""
        for name in obj:
            if name not in fields:
                raise bad(f'{where}: unknown field "{name}"')
        for name, spec_field in fields.items():
            if name not in obj:
                if spec_field.get("required"):
                    raise bad(f'{where}: field "{name}" is required')
                continue
            self.check_value(obj[name], spec_field["types"], f"{where}.{name}")
            value = obj[name]
            if isinstance(value, str):
                self._check_string(obj, name, value, spec_field, where)
        if where.endswith("InlineKeyboardButton"):
            kinds = [k for k in BUTTON_KINDS if k in obj]
            if len(kinds) != 1:
                raise bad(f"{where}: exactly one button kind expected, got {kinds}")
            if not str(obj.get("text", "")).strip():
                raise bad("BUTTON_TEXT_INVALID")
        if where.endswith("BotCommand") and not COMMAND_RE.match(str(obj.get("command", ""))):
            raise bad(f"BOT_COMMAND_INVALID: {obj.get('command')!r}")

    def _check_string(self, obj: JSON, name: str, value: str, spec_field: JSON, where: str) -> None:
        if name in PARSED_FIELDS and str(obj.get("parse_mode", "")).upper() == "HTML":
            value = parse_html(value)
        limit = spec_field.get("limit")
        if limit is None:
            return
        low, high, unit = int(limit[0]), int(limit[1]), str(limit[2])
        if low >= 1 and not value.strip():
            raise bad("message text is empty" if name in PARSED_FIELDS else f"{where}.{name} empty")
        size = _measure(value, unit)
        if not low <= size <= high:
            what = "message is too long" if name in PARSED_FIELDS else f"{where}.{name}"
            raise bad(f"{what}: {size} {unit.lower()}, allowed {low}-{high}")

    def check_value(self, value: Any, types: list[str], where: str) -> None:
        """Raise ApiError unless `value` matches one of `types` (spec type expressions)."""
        first: ApiError | None = None
        for type_name in types:
            try:
                self._check_one(value, type_name, where)
                return
            except ApiError as exc:
                first = first or exc
        if first is not None:
            raise first

    def _check_one(self, value: Any, type_name: str, where: str) -> None:
        if type_name.startswith("Array of "):
            if not isinstance(value, list):
                raise bad(f"{where}: expected an array")
            for n, item in enumerate(value):
                self.check_value(item, [type_name[len("Array of ") :]], f"{where}[{n}]")
            return
        simple: dict[str, Callable[[Any], bool]] = {
            "Integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "Float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
            "String": lambda v: isinstance(v, str),
            "Boolean": lambda v: isinstance(v, bool),
            "True": lambda v: v is True,
        }
        if type_name in simple:
            if not simple[type_name](value):
                raise bad(f"{where}: expected {type_name}, got {type(value).__name__}")
            return
        spec_type = self.spec.types.get(type_name)
        if spec_type is None or type_name == "InputFile":
            return  # files and types the spec does not spell out are not checked
        if "subtypes" in spec_type:
            subtypes = list(spec_type["subtypes"])
            chosen = [t for t in subtypes if self._tag(t) == _get(value, "type")]
            self.check_value(value, chosen or subtypes, where)
            return
        if not isinstance(value, dict):
            raise bad(f"{where}: expected an object {type_name}")
        fields: dict[str, JSON] = spec_type.get("fields", {})
        tag = self._tag(type_name)
        if tag and value.get("type") != tag:
            raise bad(f"{where}: type must be {tag}")
        self.check_object(value, fields, f"{where}:{type_name}")

    def _tag(self, type_name: str) -> str | None:
        """The value a subtype's `type` field must have ("article"), if the spec says."""
        type_field = self.spec.types.get(type_name, {}).get("fields", {}).get("type", {})
        tag = type_field.get("tag")
        return str(tag) if tag else None


def _get(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, dict) else None


def decode_form(raw: dict[str, list[str]], fields: dict[str, JSON]) -> JSON:
    """Form values are strings; nested objects and arrays are JSON (as PTB sends them)."""
    out: JSON = {}
    for name, values in raw.items():
        value = values[-1]
        types = fields.get(name, {}).get("types", [])
        out[name] = _decode_value(value, types)
    return out


def _decode_value(value: str, types: list[str]) -> Any:
    if types == ["String"]:
        return value
    if "Boolean" in types and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if ("Integer" in types or "Float" in types) and re.fullmatch(r"-?\d+(\.\d+)?", value):
        return float(value) if "." in value else int(value)
    if "String" in types and not value.startswith(("{", "[")):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value
