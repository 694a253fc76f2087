"""Hostile fact files for the tests: one anchored list of questions reused by many intents."""

from __future__ import annotations


def amplified(questions: int = 500, intents: int = 200) -> str:
    """A valid YAML fact file whose aliases expand `questions` entries under every intent (with
    the defaults: 43 KB of text, 300,000 question entries once expanded)."""
    lines = ["intents:"]
    for i in range(intents):
        lines += [
            f"  - id: amp_{i}",
            "    topic: agreement",
            "    source: [p1]",
            "    answer: {de: a, en: a, zh: a}",
            "    questions:",
        ]
        if i == 0:
            lines.append("      de: &q")
            lines += [f"        - question number {n}" for n in range(questions)]
            lines += ["      en: *q", "      zh: *q"]
        else:
            lines += ["      de: *q", "      en: *q", "      zh: *q"]
    return "\n".join(lines) + "\n"
