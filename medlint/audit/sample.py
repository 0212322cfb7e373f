"""Generated health pages, for the audit's tests and benchmark and for trying the command.

Pages look like a clinic network's site: sections (conditions, treatments, blog, ...),
titles and bodies assembled from sentences written for this module, some careful, some
that break the rules (absolute claims, offers, doses without a caveat), in Markdown, HTML
and plain text. Deterministic for a seed: the same pages every run.
"""
from __future__ import annotations

import random
from typing import Any, Iterator

SECTIONS = ("conditions", "treatments", "blog", "clinics", "news", "guides")
TOPICS = ("asthma", "migraine", "back pain", "eczema", "insomnia", "anxiety", "high blood pressure",
          "type 2 diabetes", "acid reflux", "hay fever", "knee arthritis", "depression")
TREATMENTS = ("physiotherapy", "an inhaler", "talking therapy", "a low-salt diet", "acupuncture",
              "ketamine infusions", "a new supplement", "stretching exercises", "sleep hygiene")
CAREFUL = (
    "Many people with {topic} find that {treatment} helps, although results vary from person to person.",
    "Talk to your doctor or pharmacist before you start {treatment}.",
    "Common side effects of {treatment} include tiredness and mild headaches.",
    "A small study in 2021 suggested that {treatment} may ease {topic} for some adults.",
    "If your symptoms get worse, contact your GP or call emergency services.",
    "We explain what {topic} is, how it is diagnosed and which options exist.",
    "This page is for general information and is not a substitute for professional medical advice.",
)
RISKY = (
    "{treatment_cap} cures {topic} for good.",
    "Our {treatment} is 100% safe and has no side effects.",
    "Book your consultation today and get 20% off!",
    "Take 50 mg twice a day at home.",
    "You can stop taking your prescribed medication once you feel better.",
    "This revolutionary treatment works for everyone.",
    "Guaranteed results in just two weeks.",
)
TITLES = ("Living with {topic}", "{treatment_cap} for {topic}: what to know",
          "The miracle cure for {topic}", "Our {topic} clinic", "{topic_cap}: causes and care")


def _fill(template: str, rng: random.Random) -> str:
    topic, treatment = rng.choice(TOPICS), rng.choice(TREATMENTS)
    return template.format(topic=topic, treatment=treatment, topic_cap=topic[:1].upper() + topic[1:],
                           treatment_cap=treatment[:1].upper() + treatment[1:])


def page(i: int, rng: random.Random) -> dict[str, Any]:
    """One page: url, title, body, format."""
    section = SECTIONS[rng.randrange(len(SECTIONS))]
    fmt = ("markdown", "html", "text")[rng.randrange(3)]
    risk = rng.random()
    paragraphs = []
    for _ in range(rng.randint(2, 6)):
        sentences = [_fill(rng.choice(RISKY if rng.random() < risk * 0.5 else CAREFUL), rng)
                     for _ in range(rng.randint(1, 4))]
        paragraphs.append(" ".join(sentences))
    heading = _fill(rng.choice(TITLES), rng)
    if fmt == "markdown":
        body = f"## {heading}\n\n" + "\n\n".join(paragraphs) + "\n"
    elif fmt == "html":
        body = f"<h2>{heading}</h2>\n" + "\n".join(f"<p>{p}</p>" for p in paragraphs) + "\n"
    else:
        body = heading + "\n\n" + "\n\n".join(paragraphs) + "\n"
    slug = heading.lower().replace(" ", "-").replace(":", "")
    return {"url": f"https://clinic.example/{section}/{slug}-{i}", "title": _fill(rng.choice(TITLES), rng),
            "body": body, "format": fmt}


def pages(n: int, seed: int = 19) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for i in range(n):
        yield page(i, rng)
