"""Email: a real `.eml` message per offer, HTML with inlined CSS plus a plain-text part."""

from __future__ import annotations

import datetime as dt
import hashlib
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

import css_inline

from .job import JOURNEYS_DIR, ChannelJob

# No remote fetches: the message must not depend on what a server says today.
_INLINER = css_inline.CSSInliner(load_remote_stylesheets=False)

# The templates of a message's parts (the plain text is the message's own, as a whole).
MESSAGE_TEMPLATES = {"": "message.txt.j2", "Subject": "subject.txt.j2",
                     "text/html part": "message.html.j2", "text/plain part": "message.txt.j2"}
JOURNEY_MESSAGE_TEMPLATES = {"": "journey.txt.j2", "text/html part": "journey.html.j2"}


def build_message(job: ChannelJob, ident: str, subject: str, text: str, html: str,
                  marker: tuple[str, str]) -> bytes:
    """A multipart/alternative message; `marker` is the header that says what it is about.

    A message an earlier build made from the same parts comes from the cache (inlining
    the CSS and encoding the parts is most of the work)."""
    settings = job.project.catalog.settings
    key = job.cache_key("eml", ident, subject, text, html, *marker, settings.name,
                        settings.contact.email, job.as_of.isoformat())
    return job.cache.remember(key, lambda: _message(job, ident, subject, text, html, marker))


def _message(job: ChannelJob, ident: str, subject: str, text: str, html: str,
             marker: tuple[str, str]) -> bytes:
    settings = job.project.catalog.settings
    message = EmailMessage(policy=SMTP)
    message["Subject"] = subject
    # Address quotes a name with a comma or `<addr>` in it, so it can neither add a
    # recipient nor pose as another sender (the loader already refused line breaks).
    message["From"] = Address(display_name=settings.name, addr_spec=settings.contact.email)
    message["To"] = "undisclosed-recipients:;"
    # The build date, not the clock: the same source builds the same bytes.
    midnight = dt.datetime.combine(job.as_of, dt.time(), tzinfo=dt.UTC)
    message["Date"] = format_datetime(midnight)
    domain = settings.contact.email.partition("@")[2] or "onevoice.invalid"
    digest = hashlib.sha256((subject + text + html).encode("utf-8")).hexdigest()
    message["Message-ID"] = f"<{ident}.{digest[:16]}@{domain}>"
    message[marker[0]] = marker[1]
    message["X-Onevoice-Channel"] = job.channel.name
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(_INLINER.inline(html), subtype="html", charset="utf-8",
                            cte="quoted-printable")
    message.set_boundary(f"onevoice-{digest[:24]}")
    return message.as_bytes()


def write_email(job: ChannelJob) -> None:
    for offer in job.offers():
        subject = " ".join(job.render("subject.txt.j2", offer).split())
        preheader = " ".join(job.render("preheader.txt.j2", offer).split())
        text = job.render("message.txt.j2", offer, subject=subject, preheader=preheader)
        html = job.render("message.html.j2", offer, subject=subject, preheader=preheader)
        message = build_message(job, offer.id, subject, text, html,
                                ("X-Onevoice-Offer", offer.id))
        job.write(f"{offer.id}.eml", message, offer, template=MESSAGE_TEMPLATES)
    if job.journey_template is None:
        return
    for journey, steps in job.journeys():
        for step in steps:
            subject = f"{journey.title}: {step.title}"
            text = job.render("journey.txt.j2", journey=journey, step=step, subject=subject)
            html = job.render("journey.html.j2", journey=journey, step=step, subject=subject)
            message = build_message(job, f"{journey.id}.{step.id}", subject, text, html,
                                    ("X-Onevoice-Journey", f"{journey.id}/{step.id}"))
            job.write(f"{JOURNEYS_DIR}/{journey.id}/{step.id}.eml", message, journey=journey,
                      template=JOURNEY_MESSAGE_TEMPLATES)
