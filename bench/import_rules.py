"""Import rules for the benchmarks: a realistic mix (bench/import.py, bench/imports_ui.py)."""


def make_rules(count: int) -> None:
    """`count` import rules of every kind of condition: words, patterns, provider lists, topic
    lists, ranges with a category; one in ten fires (add a topic, later rules still apply)."""
    from articles.ingest.corpus import WORDS
    from articles.models import ImportRule

    kinds = [
        {"words": f"{WORDS[3]} unlikely-{{i}}\nsome phrase {{i}}"},
        {"pattern": r"\b(?:recall|ban)\s+\d{{2,}}-{i}\b"},
        {"providers": "\n".join(f"nowhere{{i}}-{n}.example" for n in range(5))},
        {"topics": "Nothing {i}\nNever {i}"},
        {"heat_min": 95, "quality_max": 3, "category": "news"},
    ]
    for i in range(count):
        conditions = {
            key: value.format(i=i) if isinstance(value, str) else value
            for key, value in kinds[i % len(kinds)].items()
        }
        if i % 10 == 9:  # one in ten fires on items with a common word
            conditions = {"words": WORDS[i % len(WORDS)]}
            ImportRule.objects.create(
                name=f"rule {i}",
                position=i,
                action="topic",
                topic=f"Ruled {i}",
                continue_after=True,
                **conditions,
            )
            continue
        ImportRule.objects.create(name=f"rule {i}", position=i, action="hold", **conditions)
