"""Benchmark of the drafting engine (sources/drafting.py) on the demo's two sources.

    python tests/perf/drafting.py            # figures against targets, then misses and errors
    python tests/perf/drafting.py --quiet    # figures only

Not part of the test run (pytest ignores tests/perf). The demo profile of Cai Qi is set aside: each
source's archived text is drafted as into a database that holds no person (so Cai Qi is found as
the text's subject, a new person) and whose approved organizations are the demo's organizations
(the catalogue an editor drafts against; `--no-catalogue` drafts with none). The proposals of both
sources together are then compared with the curated file:

- positions: recall of the curated positions (a proposal with the same role, case aside, the same
  organization, and the same start date at the curated precision); precision of the position
  proposals (same role and organization as a curated position, start dates not in conflict);
- events: recall of the curated events (a proposal with the curated date at its precision whose
  quote overlaps a quote the curated event cites from that source); precision of the event
  proposals (the same test against any curated event);
- person facts: recall of name, native name, romanization, other names, birth date and place;
- quotes verbatim: every proposal's quote found as it stands in the archived text;
- about another person: proposals whose quote's first person named is one of the demo's other
  people (Wang Anshun, Guo Jinlong, ...) and names neither Cai Qi nor his surname;
- time to draft a synthetic 40,000-character text (tests/perf/evidence.py's) and the larger source.
"""

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests/perf"))

from sources import drafting, evidence  # noqa: E402

DEMO = ROOT / "profiles/demo/cai-qi.json"
TARGETS = {"positions recall": 0.80, "positions precision": 0.85, "events recall": 0.70, "facts recall": 0.90}
DRAFT_MS = 2000


def catalogue_of(people):
    """The organizations of the demo file, each once, with its parent named: the catalogue."""
    found = {}

    def walk(organization):
        while organization:
            parent = organization.get("parent")
            found.setdefault(
                organization["id"],
                {
                    "id": organization["id"],
                    "name": organization["name"],
                    "native_name": organization.get("native_name", ""),
                    "kind": organization.get("kind", ""),
                    "parent": {"id": parent["id"], "name": parent["name"]} if parent else None,
                },
            )
            organization = parent

    for document in people:
        for membership in document["memberships"]:
            walk(membership["organization"])
    return list(found.values())


def at_precision(curated, proposed):
    return not curated or (proposed or "")[: len(curated)] == curated and len(proposed or "") >= len(curated)


def overlap(a, b):
    a, b = " ".join(a.split()), " ".join(b.split())
    return bool(a and b) and (a in b or b in a)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--no-catalogue", action="store_true", help="draft with no approved organization")
    args = parser.parse_args()
    people = json.loads(DEMO.read_text())["people"]
    cai, others = people[0], people[1:]
    catalogue = [] if args.no_catalogue else catalogue_of(people)
    proposals = []  # (source id, proposal)
    elapsed = {}
    for source in cai["sources"]:
        text = source["archived_text"]
        evidence._index_cache.clear()
        started = time.perf_counter()
        drafts = drafting.draft(text, catalogue=catalogue, people=[])
        elapsed[source["id"]] = (len(text), (time.perf_counter() - started) * 1000)
        subject = next((d for d in drafts if d.name == cai["name"]), None)
        if subject is None:
            print(f"{source['id']}: the text's subject was not found ({[d.name for d in drafts]})")
            continue
        proposals += [(source["id"], p) for p in subject.proposals]
        for extra in drafts:
            if extra is not subject:
                print(f"{source['id']}: also drafted {extra.name!r} ({len(extra.proposals)} proposals)")
    texts = {s["id"]: s["archived_text"] for s in cai["sources"]}

    positions = [(s, p) for s, p in proposals if p.kind == "position" and not p.field]
    memberships = cai["memberships"]

    def same_post(membership, value):
        return (
            membership["role"].lower() == value["role"].lower()
            and membership["organization"]["id"] == value["organization"]["id"]
        )

    recalled = [
        m
        for m in memberships
        if any(
            same_post(m, p.value) and at_precision(m["start_date"], p.value["start_date"])
            for _, p in positions
        )
    ]
    correct = [
        (s, p)
        for s, p in positions
        if any(
            same_post(m, p.value)
            and (
                not m["start_date"]
                or not p.value["start_date"]
                or drafting.compare_dates(m["start_date"], p.value["start_date"]) != "contradicts"
            )
            for m in memberships
        )
    ]
    events = [(s, p) for s, p in proposals if p.kind == "event"]
    disputed = [
        (s, p)
        for s, p in positions
        if (s, p) not in correct
        and any(
            same_post(m, p.value)
            and any(
                c["source"] == s
                and c["stance"] == "disputes"
                and c["stated"] in (p.value["start_date"], p.value["end_date"])
                for c in m["citations"]
            )
            for m in memberships
        )
    ]

    def event_hit(event, source, proposal):
        return at_precision(event["date"], proposal.value["date"]) and any(
            c["source"] == source and overlap(c["quote"], proposal.quote) for c in event["citations"]
        )

    events_recalled = [e for e in cai["events"] if any(event_hit(e, s, p) for s, p in events)]
    events_correct = [(s, p) for s, p in events if any(event_hit(e, s, p) for e in cai["events"])]
    facts = [p for _, p in proposals if p.kind == "fact"]
    wanted = {
        "name": cai["name"],
        "native_name": cai["native_name"],
        "romanization": cai["romanization"],
        "other_names": cai["other_names"][0]["name"] if cai["other_names"] else "",
        "birth_date": cai["birth_date"],
        "birth_place": cai["birth_place"],
    }

    def fact_value(proposal):
        value = proposal.value.get(proposal.field)
        return value[0]["name"] if proposal.field == "other_names" else value

    facts_recalled = [
        k for k, v in wanted.items() if v and any(p.field == k and fact_value(p) == v for p in facts)
    ]
    facts_correct = [p for p in facts if wanted.get(p.field) == fact_value(p)]
    verbatim = [p for s, p in proposals if p.quote in texts[s]]
    other_names = [o["name"] for o in others]

    def about_other(quote):
        first = min(((quote.find(n), n) for n in other_names if n in quote), default=None)
        mine = [quote.find(w) for w in ("Cai", " he ", "He ", " his ", "His ") if w in quote]
        return first is not None and (not mine or first[0] < min(mine))

    wrong_person = [p for _, p in proposals if about_other(p.quote)]
    synthetic = __import__("evidence").synthetic_text()
    evidence._index_cache.clear()
    started = time.perf_counter()
    drafting.draft(synthetic, catalogue=catalogue, people=[])
    synthetic_ms = (time.perf_counter() - started) * 1000

    shown_catalogue = (
        "no catalogue" if args.no_catalogue else f"{len(catalogue)} organizations in the catalogue"
    )

    def ratio(a, b):
        return (a / b if b else 0.0), f"{a}/{b}"

    rows = [
        ("positions recall", *ratio(len(recalled), len(memberships))),
        ("positions precision", *ratio(len(correct), len(positions))),
        ("events recall", *ratio(len(events_recalled), len(cai["events"]))),
        ("events precision", *ratio(len(events_correct), len(events))),
        ("facts recall", *ratio(len(facts_recalled), len([v for v in wanted.values() if v]))),
        ("facts precision", *ratio(len(facts_correct), len(facts))),
        ("quotes verbatim", *ratio(len(verbatim), len(proposals))),
    ]
    print(f"\nDrafting engine on {DEMO.name} ({shown_catalogue})\n")
    for name, value, count in rows:
        target = TARGETS.get(name) or (1.0 if name == "quotes verbatim" else None)
        mark = "" if target is None else ("ok" if value >= target else "MISSED")
        print(f"{name:<34} {value:6.1%}  ({count}){f'  target ≥ {target:.0%}' if target else ''}  {mark}")
    print(
        f"{'  of the others, dates the curated file records as disputed by that source':<34} {len(disputed)}"
    )
    print(
        f"{'proposals about another person':<34} {len(wrong_person):6d}  target 0  "
        f"{'ok' if not wrong_person else 'MISSED'}"
    )
    print(
        f"{'infers proposals (implied ends)':<34} {sum(1 for _, p in proposals if p.stance == 'infers'):6d}"
    )
    for source, (size, ms) in elapsed.items():
        print(f"draft {source} ({size:,} characters): {ms:.0f} ms")
    print(
        f"draft synthetic text (40,000 characters): {synthetic_ms:.0f} ms  target < {DRAFT_MS} ms  "
        f"{'ok' if synthetic_ms < DRAFT_MS else 'MISSED'}"
    )
    if args.quiet:
        return
    print("\nCurated positions not recalled:")
    for m in memberships:
        if m not in recalled:
            print(f"- {m['role']} | {m['organization']['id']} | {m['start_date']}")
    print("\nPosition proposals that match no curated position:")
    for s, p in positions:
        if (s, p) not in correct:
            v = p.value
            print(
                f"- {v['role']} | {v['organization']['id'] or 'NEW ' + v['organization']['name']} | "
                f"{v['start_date']}–{v['end_date']}  ({s[:4]}: {p.quote[:90]})"
            )
    print("\nFacts:", [(p.field, fact_value(p)) for p in facts])
    print("\nCurated events not recalled:")
    for e in cai["events"]:
        if e not in events_recalled:
            quotes = [c["quote"][:90] for c in e["citations"]]
            print(f"- {e['date']} {e['kind']} {e['title'][:50]} | {quotes[:2]}")
    print("\nEvent proposals that match no curated event:")
    for s, p in events:
        if (s, p) not in events_correct:
            print(f"- {p.value['date']} {p.value['kind']} ({s[:4]}: {p.quote[:100]})")
    print("\nAbout another person:", [p.quote[:100] for p in wrong_person])


if __name__ == "__main__":
    main()
