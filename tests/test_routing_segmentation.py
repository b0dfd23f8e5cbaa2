"""Officers' text is segmented with the vocabulary as jieba's dictionary: domain terms stay whole,
and full-width characters, numbers, mine names and English do not throw it off."""

from __future__ import annotations

import warnings

import pytest

from graph.engine import Engine
from resolvers.routing import MATCHERS
from resolvers.routing_matcher import Matcher
from resolvers.segmentation import SEGMENTER, normalize


@pytest.fixture
async def matcher(seeded_graph: Engine) -> Matcher:
    return await MATCHERS.get(seeded_graph)


def words(text: str) -> list[str]:
    return [t.surface for t in SEGMENTER.tokens(normalize(text))]


def found(matcher: Matcher, text: str) -> list[str]:
    return [hit.term.text for hit in matcher.find(text) if not hit.term.is_context]


def found_keys(matcher: Matcher, text: str) -> set[str]:
    return {hit.term.key for hit in matcher.find(text) if not hit.term.is_context}


def kept_whole(term: str, text: str) -> bool:
    return any(term in word for word in words(text))


async def test_domain_terms_stay_whole_words(matcher: Matcher) -> None:
    assert "尾矿库" in words("这个尾矿库渗漏")
    assert "回采率" in words("今年回采率太低")
    assert "排土场" in words("排土场塌了")
    for term in ("尾矿库", "回采率", "水土保持", "排土场", "越界开采", "综合利用率"):
        assert kept_whole(term, f"听说那边的{term}问题比较大"), term


async def test_a_compound_term_is_found_whole_not_as_its_parts(matcher: Matcher) -> None:
    assert found(matcher, "矿山安全生产许可证过期了") == ["安全生产许可证", "过期了"]
    assert "安全许可证" in found(matcher, "安全许可证过期还在生产")


async def test_full_width_text_reads_like_half_width(matcher: Matcher) -> None:
    assert normalize("ＸＸ铁矿（３号井），回采率５０％！") == "xx铁矿(3号井),回采率50%!"
    assert found(matcher, "ＸＸ铁矿（３号井）回采率不到５０％") == ["回采率"]
    assert found(matcher, "尾矿库,渗漏;下游地下水超标!!") == found(
        matcher, "尾矿库，渗漏；下游地下水超标！！"
    )


async def test_spaces_typed_between_chinese_characters_are_ignored(matcher: Matcher) -> None:
    assert normalize("水土 流失  严重") == "水土流失严重"
    assert found(matcher, "水 土 流 失") == ["水土流失"]


async def test_mine_names_and_numbers_do_not_swallow_terms(matcher: Matcher) -> None:
    assert any("尾矿库" in t for t in found(matcher, "白银3号尾矿库防渗膜破了"))
    assert "越界开采" in "".join(found(matcher, "金川二矿区2024年越界开采"))


async def test_english_words_are_matched_by_their_stems(matcher: Matcher) -> None:
    expected = {SEGMENTER.key(t) for t in ("tailings pond", "leak", "groundwater")}
    assert expected <= found_keys(matcher, "Two tailings ponds are leaking into the groundwater")
    assert SEGMENTER.key("soil erosion") in found_keys(matcher, "SOIL EROSION around the dump")


async def test_mixed_chinese_and_english_text_finds_both(matcher: Matcher) -> None:
    expected = {SEGMENTER.key("tailings pond"), "渗漏"}
    assert expected <= found_keys(matcher, "Tailings pond 渗漏，影响下游")


async def test_filler_words_inside_a_phrase_do_not_hide_it(matcher: Matcher) -> None:
    assert "罚款不交" in found(matcher, "罚款一直不交")
    assert SEGMENTER.key("licence expired") in found_keys(matcher, "the licence has expired")


async def test_a_common_word_is_not_found_inside_another_word(matcher: Matcher) -> None:
    assert "安全" not in found(matcher, "食品安全")
    assert "环评" in found(matcher, "环评报告没批")


async def test_segmenting_writes_nothing_to_stderr_and_warns_nothing(
    matcher: Matcher, capfd: pytest.CaptureFixture[str]
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        SEGMENTER.add_words(["新加的词"])
        assert "新加的词" in words("这里有个新加的词")
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""
