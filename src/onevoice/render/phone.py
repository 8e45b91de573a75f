"""Phone: a call-center script per offer (HTML) and its spoken text for voice systems."""

from __future__ import annotations

from .job import ChannelJob


def write_phone(job: ChannelJob) -> None:
    for offer in job.offers():
        job.write(f"{offer.id}.html", job.render("script.html.j2", offer), offer)
        job.write(f"{offer.id}.spoken.txt", job.render("spoken.txt.j2", offer), offer)
