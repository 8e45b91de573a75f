"""Chat: one JSON answer document per offer for a chat assistant."""

from __future__ import annotations

import json

from .job import ChannelJob


def write_chat(job: ChannelJob) -> None:
    for offer in job.offers():
        answer = job.render("answer.md.j2", offer).strip()
        document = {
            "offer": offer.id,
            "channel": job.channel.name,
            "title": offer.title,
            "url": job.context(offer)["url"],
            "answer": answer,
        }
        text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        job.write(f"{offer.id}.json", text, offer)
