"""Group similar unanswered questions and turn each group into a YAML snippet for the fact base.

Pure: queries in, clusters and text out. No SQLite, no files, no Telegram. The review (bot.review.commands)
loads the queries and prints what comes out of here.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

import yaml
from rapidfuzz import fuzz, process

from bot.core.lang import normalise
from bot.review.display import visible

DEFAULT_SIMILARITY = 75.0  # 0-100: how alike two questions must be to share a cluster
DEFAULT_NEAR = 0.5  # from this score the nearest intent is named as a likely home for a cluster
MAX_QUESTIONS = 10  # per snippet: enough to paste, not a wall of text

# Words that say nothing about the topic; left out of a suggested intent id.
_STOPWORD_TEXT = (
    "a an and are about as at be by can could did do does for from has have how i in is it its "
    "me of on or the there this to was were what when where which who why will with you your "
    "am auf aus bei das dem den der des die ein eine es gibt hat im ist mit sind und von "
    "wann warum was welche wer wie wo wurde zu zum zur"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@dataclass(frozen=True)
class Query:
    """One logged question the bot did not answer well."""

    text: str
    lang: str | None
    intent: str | None  # the nearest intent the matcher found
    confidence: float | None
    user: str | None  # pseudonym
    outcome: str
    downvoted: bool = False  # answered, then marked not helpful


@dataclass(frozen=True)
class Cluster:
    """Similar questions, largest first in a report; `text` is the most frequent wording."""

    size: int
    users: int
    text: str
    questions: tuple[tuple[str, str], ...]  # (lang, wording), most frequent first, distinct
    langs: tuple[tuple[str, int], ...]
    intent: str | None
    score: float | None  # mean confidence of the members that had `intent` as nearest
    downvoted: int
    offtopic: bool = False  # messages the bot found not about the release (noise, listed apart)


def cluster_key(text: str) -> str:
    """Case-folded words separated by single spaces; punctuation (any script) dropped."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def similarity(a: str, b: str) -> float:
    """0-100. Half edit-similarity, half word-set similarity: robust to word order and to extra
    words, without letting a one-word text join every longer one that contains it."""
    return (fuzz.ratio(a, b) + fuzz.token_set_ratio(a, b)) / 2


def cluster(queries: Sequence[Query], min_similarity: float = DEFAULT_SIMILARITY) -> list[Cluster]:
    """Group `queries` greedily: most frequent wordings first, each joins its most similar group.

    Messages with no letters or digits (empty, punctuation, emoji) say nothing to add to the fact
    base: they are left out. Questions about the release come first; off-topic messages are
    clustered apart and follow them.
    """
    about = [q for q in queries if q.outcome != "offtopic"]
    noise = [q for q in queries if q.outcome == "offtopic"]
    return _clustered(about, min_similarity) + [
        replace(c, offtopic=True) for c in _clustered(noise, min_similarity)
    ]


def _clustered(queries: Sequence[Query], min_similarity: float) -> list[Cluster]:
    groups: dict[str, list[Query]] = {}
    for query in queries:
        key = cluster_key(query.text)
        if key:
            groups.setdefault(key, []).append(query)
    leaders: list[str] = []
    members: list[list[Query]] = []
    # Stable sort: equally frequent wordings keep the order they were first asked in.
    for key in sorted(groups, key=lambda k: -len(groups[k])):
        index = _best_leader(key, leaders, min_similarity)
        if index is None:
            leaders.append(key)
            members.append(list(groups[key]))
        else:
            members[index].extend(groups[key])
    clusters = [_summarise(group) for group in members]
    return sorted(clusters, key=lambda c: (-c.size, -c.users, c.text.casefold(), c.text))


def _best_leader(key: str, leaders: list[str], min_similarity: float) -> int | None:
    # similarity() >= m needs token_set_ratio >= 2m - 100: let rapidfuzz prefilter in C.
    floor = max(0.0, 2 * min_similarity - 100)
    best: tuple[float, int] | None = None
    for choice, token_score, index in process.extract(
        key, leaders, scorer=fuzz.token_set_ratio, score_cutoff=floor, limit=None
    ):
        score = (fuzz.ratio(key, choice) + token_score) / 2
        if score >= min_similarity and (best is None or score > best[0]):
            best = (score, index)
    return None if best is None else best[1]


def _summarise(group: list[Query]) -> Cluster:
    wordings = Counter(q.text.strip() for q in group)
    order = {text: i for i, text in reversed(list(enumerate(q.text.strip() for q in group)))}
    ranked = sorted(wordings, key=lambda t: (-wordings[t], order[t]))
    lang_of = {q.text.strip(): q.lang or "en" for q in group}
    intents = Counter(q.intent for q in group if q.intent)
    intent = None
    score = None
    if intents:
        intent = sorted(intents, key=lambda i: (-intents[i], -_mean(group, i), i))[0]
        score = _mean(group, intent)
    langs = Counter(q.lang or "?" for q in group)
    return Cluster(
        size=len(group),
        users=len({q.user for q in group if q.user}),
        text=ranked[0],
        questions=tuple((lang_of[t], t) for t in ranked),
        langs=tuple(sorted(langs.items(), key=lambda item: (-item[1], item[0]))),
        intent=intent,
        score=score,
        downvoted=sum(q.downvoted for q in group),
    )


def _mean(group: list[Query], intent: str) -> float:
    scores = [q.confidence for q in group if q.intent == intent and q.confidence is not None]
    return sum(scores) / len(scores) if scores else 0.0


# ---- YAML snippets --------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Indent list items under their key, as the fact files do."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def suggestion(
    cluster: Cluster, number: int, near: float = DEFAULT_NEAR, known: frozenset[str] = frozenset()
) -> str | None:
    """A commented YAML list item: a new intent to fill in with the cluster's questions, those
    the fact base does not hold yet (`known`: normalised questions); None when it holds them all.

    The nearest intent is a hint in the comment, never the target: the bot chose it for these
    questions and did not answer, so it may well be the wrong one. Snippets of several clusters
    concatenated still form one valid YAML list.
    """
    questions: dict[str, list[str]] = {}
    for lang, text in cluster.questions[:MAX_QUESTIONS]:
        if normalise(text) not in known:
            questions.setdefault(lang, []).append(visible(text))  # pasted by people: nothing hidden
    if not questions:
        return None
    queries = "query" if cluster.size == 1 else "queries"
    users = "user" if cluster.users == 1 else "users"
    comment = [f"# {number}. {cluster.size} {queries} from {cluster.users} {users}"]
    if cluster.intent is None or cluster.score is None:
        comment.append("# no intent comes close: add a new intent")
    elif cluster.downvoted:
        comment.append(
            f"# answered by {cluster.intent} but marked not helpful: fix that answer, or add a new intent"
        )
    elif cluster.score >= near:
        comment += [
            f"# hint: nearest intent {cluster.intent} (score {cluster.score:.2f}), "
            "which did not answer them;",
            f"# if they ask what it answers, add them there: review promote QUERY --to {cluster.intent}",
        ]
    else:
        comment.append(f"# hint: nearest intent {cluster.intent} (score {cluster.score:.2f}), not close")
    comment.append("# (answer from the press release only; if it does not say, use kind: unknown)")
    item = {
        "id": intent_id(cluster.text, number),
        "topic": "TODO",
        "kind": "fact",
        "source": ["TODO"],
        "answer": {"de": "TODO", "en": "TODO", "zh": "TODO"},
        "questions": questions,
    }
    body = yaml.dump([item], Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000).rstrip()
    return "\n".join([*comment, body])


def intent_id(text: str, number: int) -> str:
    """A lowercase id from the question's content words, e.g. 'paid_metro'; else new_intent_N."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = [w for w in re.findall(r"[a-z0-9]+", ascii_text) if w not in _STOPWORDS and len(w) > 2]
    return "_".join(words[:3]) if words else f"new_intent_{number}"
