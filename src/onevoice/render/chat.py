"""Chat: one JSON answer document per offer for a chat assistant."""

from __future__ import annotations

import json

from .job import JOURNEYS_DIR, ChannelJob


def _dump(document: dict[str, object]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_chat(job: ChannelJob) -> None:
    for offer in job.offers():
        answer = job.render("answer.md.j2", offer).strip()
        document = {
            "offer": offer.id,
            "channel": job.channel.name,
            "title": offer.in_locale(job.locale).title,
            "url": job.context(offer)["url"],
            "answer": answer,
        }
        job.write(f"{offer.id}.json", _dump(document), offer, template="answer.md.j2")
    template = job.journey_template
    if template is None:
        return
    for journey, steps in job.journeys():
        for step in steps:
            answer = job.render(template, journey=journey, step=step).strip()
            document = {"journey": journey.id, "step": step.id, "channel": job.channel.name,
                        "title": f"{journey.title}: {step.title}", "answer": answer}
            job.write(f"{JOURNEYS_DIR}/{journey.id}-{step.id}.json", _dump(document),
                      journey=journey, template=template)
