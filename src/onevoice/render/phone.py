"""Phone: a call-center script per offer (HTML) and its spoken text for voice systems."""

from __future__ import annotations

from .job import JOURNEYS_DIR, ChannelJob


def write_journey_pages(job: ChannelJob) -> None:
    """One page per journey with the steps this channel serves (phone, store)."""
    template = job.journey_template
    if template is None:
        return
    for journey, steps in job.journeys():
        page = job.render(template, journey=journey, steps=steps)
        job.write(f"{JOURNEYS_DIR}/{journey.id}.html", page, journey=journey, template=template)


def write_phone(job: ChannelJob) -> None:
    for offer in job.offers():
        for name, template in ((f"{offer.id}.html", "script.html.j2"),
                               (f"{offer.id}.spoken.txt", "spoken.txt.j2")):
            job.write(name, job.render(template, offer), offer, template=template)
    write_journey_pages(job)
