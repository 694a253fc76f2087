"""`run.py review login`, `review serve --help` and `bench --console N` through the one parser tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import cli


def test_review_login_prints_a_link_on_console_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    monkeypatch.setenv("BOT_DB_PATH", str(tmp_path / "log.sqlite3"))
    monkeypatch.setenv("CONSOLE_URL", "https://review.example.org/")
    assert cli.main(["review", "login"]) == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith("https://review.example.org/login?token=")
    assert len(out.split("token=")[1]) >= 40


@pytest.mark.parametrize("value", ["ftp://x", "https://", "not a url", "https://x/<script>"])
def test_a_bad_console_url_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONSOLE_URL", value)
    assert cli.main(["review", "login"]) == 1
    assert "CONSOLE_URL" in capsys.readouterr().err


def test_serve_documents_itself(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["review", "serve", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "--host" in out and "--port" in out and "review login" in out


def test_bench_console_prints_the_overview_figure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["bench", "--console", "300"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("console overview, SQLite, 300 exchanges")
