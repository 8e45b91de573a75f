"""Web: Markdown pages for MkDocs, and the MkDocs build of the whole site.

The pages are handed to MkDocs through the onevoice plugin (see
`mkdocs_plugin.py`), so hand-written pages in the docs folder build beside
the generated ones. Offer pages stay out of the navigation: Material renders
the whole navigation into every page, and thousands of entries would make the
build quadratic in the number of offers.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

import markdown as markdown_lib
from markupsafe import Markup

from onevoice.config.channels import Channel
from onevoice.content.model import Offer
from onevoice.errors import InputError, SourceError
from onevoice.folders import files_below
from onevoice.locations import Location
from onevoice.outputs.published import INTERNAL_TEMPLATES

from .data import as_data
from .environment import json_for_script
from .job import JOURNEYS_DIR, OFFERS_DIR, ChannelJob, landing_site, site_url
from .site_cache import cached_pages

# Offer pictures, by offer id or category, in the docs folder (and so on the site).
IMAGES_DIR = "images/aanbod"


@dataclass
class Page:
    """A generated Markdown page, by its path inside the docs folder."""

    src_uri: str
    markdown: str
    offer: Offer | None = None
    in_nav: bool = False
    title: str = ""
    section: str = ""
    """The navigation section the page goes under, if any."""
    internal: bool = False
    """For staff (channel map, rule reference): kept out of the site unless configured."""
    template: str = ""
    """The channel's template that made it (the manifest records it for the check)."""


def offer_src_uri(offer: Offer) -> str:
    return f"{OFFERS_DIR}/{offer.category}/{offer.id}.md"


def render_pages(job: ChannelJob) -> list[Page]:
    """Every generated page of the site: offers, category overviews, conditions."""
    settings = job.settings
    offers = sorted(job.offers(), key=lambda o: (o.category, o.id))
    pages = []
    for offer in offers:
        image = offer_image(job, offer)
        jsonld = job.formatter.jsonld(offer.in_locale(job.locale),
                                      job.context(offer)["url"], settings.name, image)
        text = job.render("offer.md.j2", offer, jsonld=json_for_script(jsonld), image=image,
                          snippet=False)
        pages.append(Page(offer_src_uri(offer), text, offer, template="offer.md.j2"))
    for category, members in groupby(offers, key=lambda o: o.category):
        title = settings.category_title(category)
        text = job.render("category.md.j2", category=category, title=title, offers=list(members))
        pages.append(Page(f"{OFFERS_DIR}/{category}/index.md", text, in_nav=True, title=title,
                          section=job.channel.sections["offers"], template="category.md.j2"))
    template = job.journey_template or ""
    for journey, steps in job.journeys() if template else ():
        text = job.render(template, journey=journey, steps=steps)
        pages.append(Page(f"{JOURNEYS_DIR}/{journey.id}.md", text, in_nav=True,
                          title=journey.title, section=job.channel.sections["journeys"],
                          template=template))
    if job.channel.internal == "site":
        pages.extend(internal_pages(job))
    used = sorted({c for o in offers for c in o.conditions})
    conditions = [job.condition(c) for c in used]
    text = job.render("conditions.md.j2", conditions=conditions)
    pages.append(Page("voorwaarden.md", text, in_nav=True,
                      title=job.channel.sections["conditions"], template="conditions.md.j2"))
    return pages


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


# A hand-written page places an offer's component with this line (see the README).
_SNIPPET = re.compile(r"^[ \t]*<!--\s*onevoice:\s*offer\s+(\S+)\s*-->[ \t]*$", re.MULTILINE)


def expand_snippets(job: ChannelJob, markdown: str, src_uri: str) -> str:
    """Replace each offer snippet on a hand-written page by the offer's component.

    An offer not valid on the build date shows nothing, like its page; an unknown offer
    or one not offered on this channel is a mistake in the page.
    """
    catalog = job.project.catalog

    def component(match: re.Match[str]) -> str:
        offer = catalog.offers.get(match[1])
        if offer is None or job.channel.name not in offer.channels:
            line = markdown.count("\n", 0, match.start()) + 1
            what = "unknown offer" if offer is None else "offer not on this channel:"
            raise InputError([SourceError(Location(f"docs/{src_uri}", line),
                                          f"{what} '{match[1]}' in an offer snippet",
                                          "use the id (file name) of an offer on the website")])
        if not offer.validity.contains(job.as_of):
            return ""
        return job.render("offer-box.html.j2", offer, snippet=True)

    return _SNIPPET.sub(component, markdown)


def offer_image(job: ChannelJob, offer: Offer, locale: str | None = None) -> str | None:
    """The offer's picture for search and share previews, by convention in the docs folder:
    the offer's `image`, else `images/aanbod/<offer>.png`, else
    `images/aanbod/<category>.png`, on the website the job's output links to (see
    `landing_site`)."""
    docs = job.project.root / "docs"
    base = site_url(job.project, landing_site(job.project, offer, job.channel, locale))
    if offer.image:  # the source's own: an https address, or a path under docs/
        return offer.image if "://" in offer.image else f"{base}/{offer.image.lstrip('/')}"
    for name in (offer.id, offer.category):
        if (docs / IMAGES_DIR / f"{name}.png").is_file():
            return f"{base}/{IMAGES_DIR}/{name}.png"
    return None


def generated_pages(job: ChannelJob, channel: Channel) -> set[str]:
    """The pages (`src_uri`) render_pages makes for the website `channel` on the job's date,
    without rendering them: its offers, their categories, its journeys and its conditions."""
    catalog = job.project.catalog
    offers = [o for o in catalog.offers_valid_on(job.as_of) if channel.name in o.channels]
    pages = {offer_src_uri(o) for o in offers} | {f"{OFFERS_DIR}/{o.category}/index.md"
                                                 for o in offers} | {"voorwaarden.md"}
    if (channel.folder / channel.spec.journey_template).is_file():
        pages |= {f"{JOURNEYS_DIR}/{journey.id}.md" for journey in catalog.journeys.values()
                  if any(channel.name in s.channels or s.sends == channel.name
                         for s in journey.steps)}
    return pages


def alternates(job: ChannelJob, page: str, generated: bool,
               made: dict[str, set[str]]) -> list[tuple[str, str]]:
    """The language versions of a page (`src_uri` of the page itself, `index.md` for
    `index.fr.md`) on the websites: (hreflang, address) for each website in another
    language that has it, and this one; none where no other language has it. `made` holds
    each website's generated_pages(), worked out once a build, not once a page."""
    from onevoice.config.channels import page_versions

    project = job.project
    default = project.catalog.settings.locale
    docs = project.root / "docs"
    found = []
    for channel in sorted(project.channels.values(), key=lambda c: c.name):
        if not channel.spec.website:
            continue
        locale = channel.locale or default
        has = page in made[channel.name] if generated else any(
            (docs / name).is_file() for name in page_versions(page, locale))
        if has:
            stem = page.removesuffix(".md").removesuffix("index").rstrip("/")
            found.append((locale.replace("_", "-"),
                          site_url(project, channel) + "/" + (f"{stem}/" if stem else "")))
    return found if len({tag for tag, _ in found}) > 1 else []


def internal_pages(job: ChannelJob) -> list[Page]:
    """The channel map with the offer × channel matrix, and the rule reference, from what
    the checker made of the source (`job.internal`, given to the build: check/internal.py)."""
    view = job.internal
    if view is None:
        if any(job.has_template(name) for name in INTERNAL_TEMPLATES):
            raise RuntimeError("the build was given nothing for the internal pages")
        return []
    pages = []
    if job.has_template("channel-map.md.j2"):
        text = job.render("channel-map.md.j2", journeys=view["journeys"],
                          matrix=view["matrix"], titles=view["titles"],
                          channels=sorted(job.project.channels), findings=view["findings"])
        pages.append(Page("kanaalkaart.md", text, in_nav=True, title="Kanaalkaart",
                          internal=True, template="channel-map.md.j2"))
    if job.has_template("rules.md.j2") and job.has_template("rule.md.j2"):
        # The rule texts are the project's own code, written in Markdown on purpose.
        rules = [as_data(rule, trusted=True) for rule in view["rules"]]
        pages.append(Page("regels/index.md", job.render("rules.md.j2", rules=rules),
                          in_nav=True, title="Regels", internal=True, template="rules.md.j2"))
        for rule in rules:
            pages.append(Page(f"regels/{rule.id}.md", job.render("rule.md.j2", rule=rule),
                              title=rule.id, internal=True, template="rule.md.j2"))
    return pages


@contextlib.contextmanager
def mkdocs_warnings() -> Iterator[_Collect]:
    """Collect MkDocs' warnings instead of letting them print."""
    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def write_web(job: ChannelJob) -> None:
    """Build the MkDocs site from the top-level mkdocs.yml into this channel's folder."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    from .mkdocs_config import vetted

    root = job.project.root
    config_file = root / "mkdocs.yml"
    where = Location.of(config_file, root=root)
    if not config_file.is_file():
        raise InputError([SourceError(where, "no mkdocs.yml for the web channel",
                                      "create mkdocs.yml; see the README")])
    pages = render_pages(job)
    with mkdocs_warnings() as warnings:
        try:
            # A website of its own address (the French one at …/fr) is built for it.
            own = {"site_url": job.channel.base_url + "/"} if job.channel.base_url else {}
            config = vetted(root, job.project.catalog.settings.trust_mkdocs_yml,
                            site_dir=str(job.out), **own)
            plugin = config.plugins.get("onevoice")
            if plugin is None:
                raise InputError([SourceError(where, "the onevoice plugin is not enabled",
                                              "add '- onevoice' under 'plugins:'")])
            plugin.prepare(job, pages)
            config.strict = True
            with cached_pages(job, config, warnings.messages):
                build(config)
        except MkDocsException as exc:
            messages = warnings.messages or [str(exc)]
            raise InputError(SourceError(where, f"MkDocs: {m}", "fix the page or mkdocs.yml")
                             for m in messages) from None
    record_site(job, pages)
    if job.channel.internal != "site":
        write_internal(job, internal_pages(job), where)


_MD_LINK = re.compile(r'href="([^":#]+)\.md(#[^"]*)?"')


def write_internal(job: ChannelJob, pages: list[Page], where: Location) -> None:
    """Internal pages as plain HTML in their own folder of the build, beside the site."""
    folder = job.channel.internal
    if not pages:
        return
    if folder in job.project.channels:
        raise InputError([SourceError(job.channel.where("internal"), f"the internal pages "
                                      f"would go into the '{folder}' channel's folder",
                                      "choose another folder, such as 'internal'")])
    if not job.has_template("internal.html.j2"):
        raise InputError([SourceError(where, "no template for the internal pages", "create "
                                      f"channels/{job.channel.name}/internal.html.j2")])
    for page in pages:
        body = markdown_lib.markdown(page.markdown, extensions=["tables", "attr_list",
                                                                "md_in_html"])
        body = _MD_LINK.sub(lambda m: f'href="{m[1]}.html{m[2] or ""}"', body)
        html = job.render("internal.html.j2", title=page.title, body=Markup(body),
                          depth=page.src_uri.count("/"))
        path = job.build_root / folder / Path(page.src_uri).with_suffix(".html")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        job.record(path, template=page.template)


def record_site(job: ChannelJob, pages: list[Page]) -> None:
    """Record every file MkDocs wrote; generated pages with their offer and template."""
    by_dest = {_dest(page.src_uri): page for page in pages}
    for path in sorted(files_below(job.out)):
        page = by_dest.get(path.relative_to(job.out).as_posix())
        job.record(path, page.offer if page else None,
                   template=page.template if page else None)


def _dest(src_uri: str) -> str:
    """Where MkDocs puts a page with directory URLs: `a/b.md` → `a/b/index.html`."""
    stem = Path(src_uri).with_suffix("")
    return f"{stem.parent.as_posix()}/index.html" if stem.name == "index" else (
        f"{stem.as_posix()}/index.html"
    )
