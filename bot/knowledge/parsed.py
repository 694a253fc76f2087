"""The parsed fact base, cached on disk as JSON by the fact files' bytes and the parsing code.

Parsing the fact files (YAML, every check, each of ~19,000 questions normalised) takes about a fifth
of a CPU-second of every start-up of a bot process; a start with unchanged files and unchanged
parsing code (the loader, the typed-fact reader, the model, the language module, the installed YAML
parser and OpenCC) loads the result instead. JSON, never pickle: the file is data, read by a codec
that builds only the fact base's own dataclasses. Only a fact base that parsed without a problem is
kept, so `validate` (which always parses) and a broken edit report every `path:line` as before;
a reload reads the files again and an edited file has another key. The cache is derived data:
delete it any time. A file that cannot be read or does not fit is ignored (logged) and rebuilt.

The key holds the files' names relative to their folder, not the folder: the same files under
another folder (`knowledge` or its absolute path, a copy) share one entry; the intents' paths
(the one place a parse keeps a file's name) are stored as the number of their file and put back
under the folder read now.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import sys
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot.core import lang
from bot.knowledge import facts_loader, loader, model
from bot.knowledge.cache_files import code_digest, read_cached, write_atomically
from bot.knowledge.loader import parse, read_files
from bot.knowledge.model import KnowledgeBase

log = logging.getLogger(__name__)


FORMAT = 1  # bump when the JSON's shape changes (a change of the parsing code is in the key already)
# The dataclasses a parsed fact base is made of: the only types the codec builds.
_TYPES: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (
        model.KnowledgeBase,
        model.Intent,
        model.Release,
        model.Facts,
        model.Fact,
        model.Event,
        model.Person,
        model.Place,
        model.FactList,
    )
}
_PARSING_LIBRARIES = ("yaml", "yaml._yaml", "opencc", "opencc.clib.opencc_clib")


@functools.cache
def _parsing_code() -> str:
    """A digest of what a parse depends on besides the files: the parsing modules, this codec and
    the installed YAML parser and OpenCC."""
    return code_digest((loader, facts_loader, model, lang, sys.modules[__name__]), _PARSING_LIBRARIES)


class ParsedCache:
    """One JSON file per version of the fact files in `directory` (None: no cache, every load parses)."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory

    def load(self, knowledge_dir: Path) -> KnowledgeBase:
        """Read the fact files of `knowledge_dir` and their fact base: from the cache, else parsed
        now (raising KnowledgeError with every problem, as `loader.load`) and cached."""
        return self.parsed(read_files(knowledge_dir), knowledge_dir)

    def parsed(self, files: Mapping[str, str], knowledge_dir: Path) -> KnowledgeBase:
        """The fact base of `files` (read_files of `knowledge_dir`): cached, or parsed and cached."""
        names = _relative_names(files, knowledge_dir)
        path = self._path(files, names)
        if path is None:
            return parse(files)
        found = self._read(path, files)
        if found is None:
            found = parse(files)
            self._write(path, found, files)
        return found

    def _path(self, files: Mapping[str, str], names: list[str] | None) -> Path | None:
        if self.directory is None or names is None:
            return None
        digest = hashlib.sha256()
        for key, name in zip(sorted(files), names, strict=True):
            data = files[key].encode("utf-8")
            digest.update(f"{name}\0{len(data)}\0".encode())
            digest.update(data)
        return self.directory / f"parsed-{FORMAT}-{digest.hexdigest()[:32]}-{_parsing_code()}.json"

    def _read(self, path: Path, files: Mapping[str, str]) -> KnowledgeBase | None:
        def read(path: Path) -> KnowledgeBase:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                raise ValueError("not a parsed fact base of this format")
            kb = _decode(data["base"], sorted(files))
            if not isinstance(kb, KnowledgeBase):
                raise TypeError(f"{type(kb).__name__} where a fact base belongs")
            _check(kb, KnowledgeBase)
            return kb

        return read_cached(path, "fact base cache", read)

    def _write(self, path: Path, kb: KnowledgeBase, files: Mapping[str, str]) -> None:
        """Write the fact base atomically (a temporary file renamed), if it reads back equal to
        itself; failures are only logged."""
        keys = sorted(files)
        try:
            text = json.dumps(
                {"format": FORMAT, "base": _encode(kb, {key: n for n, key in enumerate(keys)})},
                ensure_ascii=False,
                separators=(",", ":"),
            )
            if _decode(json.loads(text)["base"], keys) != kb:
                raise ValueError("it does not read back as the same fact base")
        except (TypeError, ValueError, KeyError, IndexError, RecursionError) as exc:
            log.warning("fact base not cached (%s)", exc)
            return
        write_atomically(path, "fact base cache", lambda tmp: tmp.write(text))


def _relative_names(files: Mapping[str, str], knowledge_dir: Path) -> list[str] | None:
    """Each file's name under `knowledge_dir`, in the order of its path; None when one is not
    under it (then nothing is cached)."""
    try:
        return [Path(key).relative_to(knowledge_dir).as_posix() for key in sorted(files)]
    except ValueError:
        return None


# -- the codec: the fact base's dataclasses, tuples, frozensets and mappings as JSON -------------


def _encode(value: Any, files: Mapping[str, int]) -> Any:
    """`value` as JSON data; a type the fact base is not made of raises TypeError."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, tuple):
        return [_encode(item, files) for item in value]
    if isinstance(value, frozenset):
        return {"$": "frozenset", "v": sorted(_encode(item, files) for item in value)}
    if isinstance(value, MappingProxyType | dict):
        if not all(isinstance(key, str) for key in value):
            raise TypeError("a mapping with keys that are not text")
        items = {key: _encode(item, files) for key, item in value.items()}
        return {"$": "proxy" if isinstance(value, MappingProxyType) else "dict", "v": items}
    if dataclasses.is_dataclass(value) and _TYPES.get(type(value).__name__) is type(value):
        out: dict[str, Any] = {"$": type(value).__name__}
        for field in dataclasses.fields(value):
            item = getattr(value, field.name)
            if field.name == "path":
                if item not in files:
                    raise TypeError(f"a path that is not one of the files read: {item!r}")
                out[field.name] = {"$": "file", "v": files[item]}
            else:
                out[field.name] = _encode(item, files)
        return out
    raise TypeError(f"{type(value).__name__} is not part of a fact base")


def _decode(data: Any, files: list[str]) -> Any:
    """The value `_encode` made `data` from; the paths of `files` put back by their number."""
    if data is None or isinstance(data, str | bool | int | float):
        return data
    if isinstance(data, list):
        return tuple(_decode(item, files) for item in data)
    if not isinstance(data, dict):
        raise TypeError(f"{type(data).__name__} in a cached fact base")
    tag = data["$"]
    if tag == "frozenset":
        return frozenset(_decode(item, files) for item in data["v"])
    if tag in ("proxy", "dict"):
        items = {str(key): _decode(item, files) for key, item in data["v"].items()}
        return MappingProxyType(items) if tag == "proxy" else items
    if tag == "file":
        index = data["v"]
        if type(index) is not int or not 0 <= index < len(files):
            raise ValueError(f"no file {str(index)[:20]} among the files read")
        return files[index]
    cls = _TYPES.get(tag)
    if cls is None:
        raise ValueError(f"unknown type {str(tag)[:40]!r} in a cached fact base")
    return cls(**{key: _decode(item, files) for key, item in data.items() if key != "$"})


@functools.cache
def _fields(name: str) -> dict[str, Any]:
    """The type of each field of one of the fact base's dataclasses, by its name."""
    hints = typing.get_type_hints(_TYPES[name])
    return {field.name: hints[field.name] for field in dataclasses.fields(_TYPES[name])}


def _check(value: Any, hint: Any) -> None:
    """Raise TypeError unless `value` is of the type `hint` (as the model's annotations write it):
    a file of the right shape with a wrong type inside is not served."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Literal:
        if value not in args:
            raise TypeError(f"{str(value)[:40]!r} is none of {args}")
    elif origin in (types.UnionType, typing.Union):
        for option in args:
            try:
                return _check(value, option)
            except TypeError:
                continue
        raise TypeError(f"{type(value).__name__} where {hint} belongs")
    elif origin in (tuple, frozenset):
        if not isinstance(value, origin):
            raise TypeError(f"{type(value).__name__} where {hint} belongs")
        if args[0] is str:  # most of the base: the questions (one call for them all)
            if not all(type(item) is str for item in value):
                raise TypeError(f"not only text where {hint} belongs")
            return None
        for item in value:
            _check(item, args[0])
    elif origin is Mapping:
        if not isinstance(value, MappingProxyType | dict):
            raise TypeError(f"{type(value).__name__} where {hint} belongs")
        for key, item in value.items():
            _check(key, args[0])
            _check(item, args[1])
    elif hint is type(None):
        if value is not None:
            raise TypeError(f"{type(value).__name__} where None belongs")
    elif not isinstance(value, hint):
        raise TypeError(f"{type(value).__name__} where {getattr(hint, '__name__', hint)} belongs")
    elif _TYPES.get(type(value).__name__) is type(value):  # an Event where a Fact belongs: its own fields
        for name, field_hint in _fields(type(value).__name__).items():
            _check(getattr(value, name), field_hint)
