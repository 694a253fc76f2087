"""Normalisation and language detection (pure)."""

from __future__ import annotations

import pytest

from bot.core.lang import Script, detect_language, in_script, normalise, script_of, strip_invisible


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Bürgermeister", "burgermeister", id="umlaut"),
        pytest.param("STRASSE Straße", "strasse strasse", id="eszett-and-case"),
        pytest.param("Ｓｉｅｍｅｎｓ　２０２４", "siemens 2024", id="full-width"),
        pytest.param("  wer,   ist\tdas?!  ", "wer ist das", id="punctuation-and-spaces"),
        pytest.param("U-Bahn-Linien", "u bahn linien", id="hyphens"),
        pytest.param("wer\u200bist\u200e da", "werist da", id="zero-width"),
        pytest.param("谁见证了签约？", "谁见证了签约", id="chinese-punctuation"),
        pytest.param("Siemens（中国）有限公司", "siemens 中国 有限公司", id="mixed-scripts"),
        pytest.param("🎉🎉", "", id="emoji-only"),
        pytest.param("a\x00b\x07c", "abc", id="control-chars"),
        pytest.param("Crème brûlée", "creme brulee", id="accents"),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    """Case, width, umlauts, ß, punctuation and invisible characters fold away."""
    assert normalise(text) == expected


def test_strip_invisible_keeps_line_breaks_as_spaces() -> None:
    """Line breaks separate words; bidi marks vanish."""
    assert strip_invisible("a\nb\u202ec") == "a bc"


@pytest.mark.parametrize(
    ("text", "hint", "expected"),
    [
        pytest.param("Wer hat die Vereinbarung unterzeichnet?", None, "de", id="de-question"),
        pytest.param("Who signed the agreement?", None, "en", id="en-question"),
        pytest.param("协议是什么时候签署的？", None, "zh", id="zh-question"),
        pytest.param("Was bedeutet 东数西算?", None, "zh", id="han-means-zh"),
        # A sentence of Latin question and function words around a Chinese name is that language.
        pytest.param("Who is 肖松?", None, "en", id="en-around-a-chinese-name"),
        pytest.param("Wer ist eigentlich 肖松?", None, "de", id="de-around-a-chinese-name"),
        pytest.param("肖松是谁 CEO", None, "zh", id="zh-with-a-latin-word"),
        pytest.param("请问 Siemens AG 的 CEO 是谁", None, "zh", id="zh-with-latin-names"),
        pytest.param("seit wann ist siemens in chongqing", None, "de", id="de-lowercase"),
        pytest.param("since when is siemens in chongqing", None, "en", id="en-lowercase"),
        pytest.param("Größe?", None, "de", id="umlaut-evidence"),
        # No evidence either way: the Telegram language code decides, never overrides evidence.
        pytest.param("Chongqing?", "de-AT", "de", id="hint-breaks-tie"),
        pytest.param("Chongqing?", "zh-hans", "zh", id="hint-zh"),
        pytest.param("Chongqing?", None, "en", id="no-hint-default-en"),
        pytest.param("Who signed the agreement?", "de", "en", id="evidence-beats-hint"),
    ],
)
def test_detect_language(text: str, hint: str | None, expected: str) -> None:
    """Han script means zh; otherwise word evidence; the hint only breaks ties."""
    assert detect_language(text, hint=hint) == expected


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        pytest.param("請問協議何時簽署？", "请问协议何时签署", id="taiwan-press"),
        pytest.param("西門子在重慶的辦事處", "西门子在重庆的办事处", id="names"),
        pytest.param("数据中心 資料中心", "数据中心 资料中心", id="mixed-scripts"),
    ],
)
def test_traditional_chinese_is_read_as_simplified(traditional: str, simplified: str) -> None:
    """OpenCC folds traditional characters into the simplified ones the fact base uses."""
    assert normalise(traditional) == simplified


@pytest.mark.parametrize(
    ("cantonese", "mandarin"),
    [
        pytest.param("份合同係邊個負責嘅？", "份合同是谁负责的", id="who-and-possessive"),
        pytest.param("佢哋喺邊度見面？", "他们在哪里见面", id="where-and-they"),
        pytest.param("呢份文件講咗乜嘢？", "这份文件讲了什么", id="this-and-what"),
        pytest.param("分公司開咗幾多年？", "分公司开了多少年", id="how-many"),
        pytest.param("工廠建成咗未？", "工厂建成了没有", id="yet-question"),
        pytest.param("嗰陣時有冇人講嘢？", "那时候有没有人讲东西", id="then-and-whether"),
        pytest.param("边日开会？", "哪日开会", id="simplified-cantonese-which-day"),
        pytest.param("边个区？边个讲嘅？", "哪个区 谁讲的", id="which-before-a-noun-else-who"),
        # 咁 opening a question is "so, then"; "so" of degree, or in the middle, stays.
        pytest.param("咁份合同幾時生效？", "那份合同几时生效", id="so-then-opening"),
        pytest.param("好，咁邊個負責？", "好 那谁负责", id="so-then-after-a-pause"),
        pytest.param("咁多人嚟？", "咁多人来", id="so-many-stays"),
        pytest.param("點解咁鍾意？", "为什么咁钟意", id="so-in-the-middle-stays"),
        pytest.param("咁樣得唔得？", "这样得不得", id="like-this"),
        # Mandarin words that share a character with Cantonese stay as they are.
        pytest.param("兩國關係和產業體系", "两国关系和产业体系", id="relation-and-system"),
        pytest.param("这边一些人在路边几个摊位", "这边一些人在路边几个摊位", id="side-not-which"),
        pytest.param("他呢？", "他呢", id="mandarin-particle"),
    ],
)
def test_written_cantonese_is_read_as_mandarin(cantonese: str, mandarin: str) -> None:
    """Cantonese function and question words fold into their Mandarin forms; Mandarin is kept."""
    assert normalise(cantonese) == mandarin


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("签约日期是哪一天？", None, id="simplified"),
        pytest.param("簽約日期是哪一天？", "t", id="traditional-generic"),
        # 為 is Taiwan's (and Hong Kong's) form; OpenCC's standard writes 爲: the tie goes to Taiwan.
        pytest.param("西門子自哪一年起成為市長國際經濟諮詢顧問團成員？", "tw", id="taiwan-wei"),
        pytest.param("著重說明裡面的內容", "tw", id="taiwan-li-zhu"),
        pytest.param("爲什麼西門子選擇重慶", "t", id="opencc-standard-wei"),
        # 説 is Hong Kong's form of 說.
        pytest.param("肖松喺簽約儀式上面講咗啲咩説話？", "hk", id="hong-kong-shuo"),
        pytest.param("Siemens 簽約", "t", id="mixed-with-latin"),
        # Characters both scripts share: nothing says traditional, so the reply stays simplified.
        pytest.param("日本", None, id="shared-characters-only"),
        # One traditional character among simplified ones: still simplified.
        pytest.param("这条綫是哪条", None, id="mostly-simplified"),
        pytest.param("Who signed?", None, id="latin"),
        pytest.param("", None, id="empty"),
    ],
)
def test_script_of(text: str, expected: str | None) -> None:
    """A question's script: simplified (None), or the traditional standard its characters suggest."""
    assert script_of(text) == expected


@pytest.mark.parametrize(
    ("simplified", "script", "expected"),
    [
        pytest.param("为什么选择重庆？", "t", "爲什麼選擇重慶？", id="generic"),
        pytest.param("为什么选择重庆？", "tw", "為什麼選擇重慶？", id="taiwan"),
        pytest.param("这条线里着重说明", "hk", "這條線裏着重説明", id="hong-kong"),
        pytest.param("为什么选择重庆？", None, "为什么选择重庆？", id="simplified-unchanged"),
        pytest.param("Siemens 2024", "t", "Siemens 2024", id="no-chinese"),
    ],
)
def test_in_script(simplified: str, script: Script | None, expected: str) -> None:
    """A simplified text in the script asked for."""
    assert in_script(simplified, script) == expected
