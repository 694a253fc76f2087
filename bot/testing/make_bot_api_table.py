"""Regenerate `bot_api_table.json`, the facts-only Bot API table the fake server checks against.

Usage: python -m bot.testing.make_bot_api_table PATH/TO/bot-api-spec.min.json

The input is the machine-readable Bot API description of the public project
PaulSonOfLars/telegram-bot-api-spec (MIT licence). Only facts are kept: method and type names,
each field's name, types and required flag, the length limits the spec states for a field
("1-4096 characters", "1-64 bytes") and the fixed value of a subtype's `type` field. Telegram's
descriptions (prose) are dropped.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

TABLE_PATH = Path(__file__).with_name("bot_api_table.json")
LIMIT_RE = re.compile(r"(\d+)-(\d+) (characters|bytes)", re.IGNORECASE)
TAG_RE = re.compile(r"must be (\w+)")


def _field(raw: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"types": list(raw.get("types", [])), "required": bool(raw.get("required"))}
    description = raw.get("description", "")
    limit = LIMIT_RE.search(description)
    if limit:
        out["limit"] = [int(limit.group(1)), int(limit.group(2)), limit.group(3).lower()]
    if raw.get("name") == "type":
        tag = TAG_RE.search(description)
        if tag:
            out["tag"] = tag.group(1)
    return out


def build_table(spec: dict[str, Any]) -> dict[str, Any]:
    """The facts of `spec`: versions, methods and types with their fields; no prose."""
    methods = {
        name: {f["name"]: _field(f) for f in method.get("fields", [])}
        for name, method in sorted(spec["methods"].items())
    }
    types: dict[str, Any] = {}
    for name, spec_type in sorted(spec["types"].items()):
        entry: dict[str, Any] = {}
        if "subtypes" in spec_type:
            entry["subtypes"] = list(spec_type["subtypes"])
        if "fields" in spec_type:
            entry["fields"] = {f["name"]: _field(f) for f in spec_type["fields"]}
        types[name] = entry
    return {
        "version": spec.get("version"),
        "release_date": spec.get("release_date"),
        "source": "PaulSonOfLars/telegram-bot-api-spec (MIT licence); facts only, descriptions dropped",
        "methods": methods,
        "types": types,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    spec = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    TABLE_PATH.write_text(
        json.dumps(build_table(spec), ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(f"wrote {TABLE_PATH} ({spec.get('version')})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
