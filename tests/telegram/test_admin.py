"""Admins in Telegram: /stats, /unanswered, /reload, and fact-file edits picked up while running."""

from __future__ import annotations

import html
import json
import shutil
import time
from pathlib import Path

import pytest

from bot.core.engine import Engine
from bot.knowledge.reload import ReloadResult
from bot.review.commands import stats_summary, unanswered_top
from bot.telegram.alerts import reload_report
from bot.telegram.watcher import stop_watcher
from bot.testing.fake_bot_api import BOT_USERNAME, Call
from tests.engines import engine_of
from tests.fakes.telegram_harness import ADMIN_ID, SMALL_FACTS, SMALL_NEW, SMALL_OLD, BotHarness, running_bot

pytest_plugins = ["tests.fakes.telegram_fixtures"]

QUESTION = "When was the agreement signed?"


def knowledge(tmp_path: Path) -> Path:
    """A tiny fact base of two intents in its own folder."""
    folder = tmp_path / "knowledge"
    folder.mkdir()
    (folder / "facts.yaml").write_text(SMALL_FACTS, encoding="utf-8")
    return folder


def edit(folder: Path, old: str, new: str) -> None:
    path = folder / "facts.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def answer_of(engine: Engine, intent_id: str) -> str | None:
    """The English answer of an intent in service, or None."""
    intent = engine.kb.get(intent_id)
    return None if intent is None else intent.answer["en"]


def plain(call: Call) -> str:
    return str(call.result["text"])


async def admin(tg: BotHarness, command: str) -> str:
    """An admin sends a command; return the bot's answer as the admin sees it."""
    calls = await tg.say(command, user_id=ADMIN_ID)
    assert all(c.params["text"].startswith("<pre>") for c in calls)
    return "\n".join(plain(c) for c in calls)


async def test_stats_for_admins(tg: BotHarness) -> None:
    """/stats shows the review's summary of the log, including what was just asked."""
    await tg.say(QUESTION)
    await tg.say("Wer hat unterschrieben?", lang="de")
    await tg.rows()  # written
    expected = stats_summary(tg.runtime.store)
    assert await admin(tg, "/stats") == expected
    assert "2" in expected


async def test_unanswered_for_admins(tg: BotHarness) -> None:
    """/unanswered shows the top clusters of questions the bot could not answer."""
    for _ in range(2):
        await tg.say("What is the weather on Mars tomorrow?")
    await tg.rows()
    expected = unanswered_top(tg.runtime.store, limit=10)
    assert await admin(tg, "/unanswered") == expected
    assert "weather" in expected.lower()


async def test_reload_swaps_a_valid_edit_and_keeps_the_old_base_on_a_broken_one(
    tmp_path: Path,
) -> None:
    """/reload: a good edit is served at once; a broken one is refused with path:line errors,
    and the previous answers stay in service; fixing it brings the new version in."""
    folder = knowledge(tmp_path)
    engine = engine_of(folder)
    async with running_bot(tmp_path, engine=engine, knowledge_dir=folder) as tg:
        await stop_watcher(tg.app)  # only /reload reloads here (watchfiles yields an edit at once)
        edit(folder, SMALL_OLD, SMALL_NEW)
        report = await admin(tg, "/reload")
        assert "edited 1: signing_date" in report
        [answer] = await tg.say(QUESTION)
        assert plain(answer).startswith(SMALL_NEW)

        edit(
            folder,
            "    kind: fact\n    source: [p1]\n    related: [parties]",
            "    kind: factoid\n    source: [p1]\n    related: [parties]",
        )
        report = await admin(tg, "/reload")
        assert "NOT reloaded" in report
        assert f"{folder / 'facts.yaml'}:5: kind 'factoid'" in report
        [answer] = await tg.say(QUESTION)
        assert plain(answer).startswith(SMALL_NEW)  # the last good version

        edit(folder, "kind: factoid", "kind: fact")
        assert "Fact base in service" in await admin(tg, "/reload")
        assert tg.api.rejected() == []


async def test_reload_is_refused_to_non_admins(tmp_path: Path) -> None:
    """A member's /reload gets the unknown-command reply and reloads nothing."""
    folder = knowledge(tmp_path)
    async with running_bot(tmp_path, engine=engine_of(folder), knowledge_dir=folder) as tg:
        await stop_watcher(tg.app)  # only a /reload could serve the edit (the watcher would, at once)
        edit(folder, SMALL_OLD, SMALL_NEW)
        [refusal] = await tg.say("/reload", user_id=1001)
        assert "don't know that command" in plain(refusal)
        [answer] = await tg.say(QUESTION)
        assert plain(answer).startswith(SMALL_OLD)


async def test_an_edited_fact_file_is_served_within_seconds(tmp_path: Path) -> None:
    """The watcher picks up an edit by itself (no restart) within seconds; a broken edit keeps the
    previous answers and reaches the admins with its line number, once."""
    folder = knowledge(tmp_path)
    async with running_bot(
        tmp_path, engine=engine_of(folder), knowledge_dir=folder, reload_debounce_s=0.2
    ) as tg:
        tg.api.chat(ADMIN_ID)
        holder = tg.app.bot_data.holder
        edited_at = time.monotonic()
        edit(folder, SMALL_OLD, SMALL_NEW)
        # Served within seconds (well under 3 on a quiet machine; the wait leaves room for a busy one).
        await tg.api.until(lambda: answer_of(holder.engine, "signing_date") == SMALL_NEW, 10)
        print(f"\n[reload] the edit served {time.monotonic() - edited_at:.2f} s after its save")
        [answer] = await tg.say(QUESTION)
        assert plain(answer).startswith(SMALL_NEW)

        edit(folder, "related: [parties]", "related: parties: [")
        await tg.api.until(lambda: len(tg.api.sent(chat_id=ADMIN_ID)) == 1, 5)
        alert = html.unescape(plain(tg.api.sent(chat_id=ADMIN_ID)[0]))
        assert f"{folder / 'facts.yaml'}:" in alert and "NOT reloaded" in alert
        [answer] = await tg.say(QUESTION)
        assert plain(answer).startswith(SMALL_NEW)
        assert tg.api.rejected() == []


async def test_admins_hear_once_of_the_folder_vanishing_and_once_of_its_return(tmp_path: Path) -> None:
    """rm -r of the fact folder and a new one in its place: one alert, one 'back' note, the old
    answers served meanwhile, and an edit of the new folder served within seconds."""
    folder = knowledge(tmp_path)
    async with running_bot(
        tmp_path, engine=engine_of(folder), knowledge_dir=folder, reload_debounce_s=0.2
    ) as tg:
        tg.api.chat(ADMIN_ID)
        holder = tg.app.bot_data.holder
        shutil.rmtree(folder)
        await tg.api.until(lambda: len(tg.api.sent(chat_id=ADMIN_ID)) == 1, 5)
        [answer] = await tg.say(QUESTION)
        assert plain(answer).startswith(SMALL_OLD)
        knowledge(tmp_path)
        await tg.api.until(lambda: len(tg.api.sent(chat_id=ADMIN_ID)) == 2, 5)
        edited_at = time.monotonic()
        edit(folder, SMALL_OLD, SMALL_NEW)
        # Served within seconds (well under 3 on a quiet machine; the wait leaves room for a busy one).
        await tg.api.until(lambda: answer_of(holder.engine, "signing_date") == SMALL_NEW, 10)
        print(f"\n[reload] the edit served {time.monotonic() - edited_at:.2f} s after its save")
        gone, back = (html.unescape(plain(c)) for c in tg.api.sent(chat_id=ADMIN_ID)[:2])
        assert "NOT reloaded" in gone and ("not a readable folder" in gone or "no fact files here" in gone)
        assert back.startswith("The fact folder is back") and "Fact base in service" in back
        assert tg.api.rejected() == []


@pytest.mark.parametrize(
    ("result", "first_line", "then"),
    [
        pytest.param(
            ReloadResult(ok=True, changed=False, event="returned"),
            "The fact folder is back",
            "Fact base in service",
            id="returned",
        ),
        pytest.param(
            ReloadResult(ok=False, changed=False, problems=("kb:0: no fact files here",), event="returned"),
            "The fact folder is back",
            "NOT reloaded",
            id="returned-broken",
        ),
        pytest.param(
            ReloadResult(
                ok=False,
                changed=False,
                problems=("kb:0: training failed (MemoryError)",),
                event="training_failed",
            ),
            "Training the learned model",
            "kb:0: training failed (MemoryError)",
            id="training-failed",
        ),
    ],
)
def test_the_reload_report_names_a_return_and_a_failed_training(
    tmp_path: Path, result: ReloadResult, first_line: str, then: str
) -> None:
    """What admins read when the folder comes back, or when training fails, says so first."""
    text = reload_report(result, engine_of(knowledge(tmp_path)))
    assert text.startswith(first_line) and then in text.splitlines()[1]


async def test_admin_commands_are_in_the_admins_menu_only(tg: BotHarness) -> None:
    """/stats, /unanswered and /reload appear in the admins' own command menu, nowhere else."""
    admin_scope = json.dumps({"chat_id": ADMIN_ID, "type": "chat"}, sort_keys=True)
    admin_menu = {c["command"] for c in tg.api.commands[(admin_scope, "")]}
    assert {"stats", "unanswered", "reload", "start"} <= admin_menu
    public = {
        c["command"] for (scope, _), cmds in tg.api.commands.items() if scope != admin_scope for c in cmds
    }
    assert not public & {"stats", "unanswered", "reload"}


@pytest.mark.parametrize("command", ["/unanswered", "/stats", "/reload"])
@pytest.mark.parametrize(
    ("lang", "fragment"), [("en", "private chat"), ("de", "privaten Chat"), ("zh", "私聊")]
)
async def test_admin_reports_in_a_group_show_nothing_logged(
    tg: BotHarness, command: str, lang: str, fragment: str
) -> None:
    """An admin's report command in a group gets a short "ask me in private" in the admin's
    language, and no logged question, figure or fact-base report reaches the group."""
    secret = "What is the private phone number of the mayor?"
    await tg.say(secret, user_id=4242)  # another user's question, asked in private
    await tg.rows()
    group = {"chat_id": -100_999, "chat_type": "supergroup", "user_id": ADMIN_ID, "lang": lang}
    [reply] = await tg.say(f"{command}@{BOT_USERNAME}", **group)
    text = plain(reply)
    assert fragment in text
    assert "phone" not in text and "<pre>" not in reply.params["text"]
    assert "Fact base" not in text and "Queries" not in text
    assert len(text) < 80
    # The same admin in private gets the report.
    assert await admin(tg, command)
