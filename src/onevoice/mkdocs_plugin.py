"""The MkDocs plugin: adds the generated onevoice pages to the site, then checks the site.

Thin adapter: the pages come from `onevoice.render.web` and the findings from
`onevoice.check`; this module hands the pages to MkDocs, builds a small
navigation when mkdocs.yml has none, and logs every finding with its source
`path:line`. Findings that fail the check (by `fail_on` and the waivers in
onevoice.yml and waivers.yml, as `onevoice check` decides) are warnings, so that
`mkdocs build --strict` gives the same verdict as `onevoice check`; the others are
info. Under `mkdocs serve` it watches content/ and channels/ too, and shows the findings
of the files changed since serve started in a banner on the page they were seen on.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.config import config_options
from mkdocs.config.base import Config, ValidationError
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from onevoice.common import iso_date
from onevoice.errors import InputError
from onevoice.project import CHECK_SETTINGS, Project, load_project

log = logging.getLogger("mkdocs.plugins.onevoice")

# What else `mkdocs serve` watches: the source and the channels (docs/ and mkdocs.yml it
# watches itself), and the check's configuration.
WATCHED = ("content", "channels", *CHECK_SETTINGS)
AS_OF_VARIABLE = "ONEVOICE_AS_OF"


class IsoDate(config_options.BaseConfigOption[dt.date | None]):
    """A date written YYYY-MM-DD (YAML reads it as a date already)."""

    def run_validation(self, value: object) -> dt.date | None:
        try:
            return None if value is None else iso_date(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


class OnevoiceConfig(Config):
    channel = config_options.Type(str, default="web")
    """The web channel (a folder in channels/) whose templates make the pages."""
    check = config_options.Type(bool, default=True)
    """Check the built site against the source after the build."""
    as_of = config_options.Optional(IsoDate())
    """Build and check for this date [default: $ONEVOICE_AS_OF, else today]."""
    banner = config_options.Type(bool, default=True)
    """Under `mkdocs serve`, show the findings of the files changed since serve started in a
    banner on the page they were seen on."""


def _names_fonts(config: Any) -> bool:
    """Whether the project's mkdocs.yml names the theme's fonts (`theme.font`): read from
    the file, as the loaded config holds the theme's defaults too."""
    import yaml

    try:
        with open(config.config_file_path, encoding="utf-8") as file:
            top = yaml.compose(file, Loader=yaml.SafeLoader)  # tags are not constructed
    except (OSError, TypeError, yaml.YAMLError):
        return False
    if not isinstance(top, yaml.MappingNode):
        return False
    theme = next((v for k, v in top.value if k.value == "theme"), None)
    return isinstance(theme, yaml.MappingNode) and any(k.value == "font" for k, _ in theme.value)


class OnevoicePlugin(BasePlugin[OnevoiceConfig]):
    def __init__(self) -> None:
        self.pages: list[Any] | None = None
        self.project: Project | None = None
        self.checking = True
        self.job: Any = None
        self.serving = False
        self.alternates: dict[str, str] = {}
        """The `<link rel="alternate" hreflang>` tags of each page, by its file."""
        self.sources: dict[str, str] | None = None
        """The project's source files as they were when serve started (for the banner)."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Having this method keeps one plugin object across the rebuilds of `mkdocs serve`.
        self.serving = command == "serve"

    def prepare(self, job: Any, pages: list[Any]) -> None:
        """Called by `onevoice build`, which has rendered the pages (and checks separately)."""
        self.pages = pages
        self.project = job.project
        self.job = job
        self.checking = False
        self.config.channel = job.channel.name

    def on_config(self, config: Any) -> Any:
        """The web channel's theme folder (share previews, offer component) goes first."""
        theme = Path(config.config_file_path).parent / "channels" / self.config.channel / "theme"
        if theme.is_dir():
            config.theme.dirs.insert(0, str(theme))
        locale = self.job.channel.locale if self.job is not None else ""
        if locale:  # a channel in its own language: the pages say so (`<html lang="fr">`)
            config.theme["language"] = locale.split("_")[0]
        if not _names_fonts(config):
            # Material's default fonts come from Google Fonts: every visit would tell a
            # third party the customer's address (courts in Germany have held this against
            # site owners under the GDPR). Without fonts named, the site uses the visitor's
            # own, and loads nothing from another host.
            config.theme["font"] = False
        return config

    def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
        """The theme's `striptags` gives escaped text: Jinja's unescapes entities, and
        Material prints it unescaped into `<title>`, so an offer titled
        `</title><script>…` would be live markup there."""
        env.filters["striptags"] = stripped_text
        return env

    def on_page_markdown(self, markdown: str, *, page: Any, config: Any, files: Any) -> str:
        """Offer snippets on hand-written pages become the offer's component."""
        from onevoice.render.web import expand_snippets

        if self.job is None or page.file.generated_by:
            return markdown
        try:
            return expand_snippets(self.job, markdown, page.file.src_uri)
        except InputError as exc:
            if not self.checking:
                raise  # `onevoice build` reports it as a mistake in the page
            raise PluginError(f"onevoice:\n{exc}") from None

    @property
    def as_of(self) -> dt.date:
        if self.config.as_of is not None:
            return self.config.as_of
        from_env = os.environ.get(AS_OF_VARIABLE)
        if from_env:
            try:
                return iso_date(from_env)
            except ValueError as exc:
                raise PluginError(f"onevoice: {AS_OF_VARIABLE}: {exc}") from None
        from onevoice.outputs.manifest import resolve_as_of

        return resolve_as_of(None)

    def _render(self, config: Any) -> list[Any]:
        from onevoice.check.internal import internal_view
        from onevoice.render.build import make_job
        from onevoice.render.web import render_pages

        root = Path(config.config_file_path).parent
        try:
            project = self.project = load_project(root)
            self.job = make_job(project, self.config.channel, self.as_of, root / "build")
            self.job.internal = internal_view(project, self.as_of)
            return render_pages(self.job)
        except InputError as exc:
            raise PluginError(f"onevoice:\n{exc}") from None

    def on_post_page(self, output: str, *, page: Any, config: Any) -> str:
        """Each page names its language versions on the other websites (and itself), as
        search engines read them: `<link rel="alternate" hreflang="fr-BE" href="…">`."""
        links = self.alternates.get(page.file.src_uri)
        if not links or "</head>" not in output:
            return output
        return output.replace("</head>", links + "</head>", 1)

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        root = Path(config.config_file_path).parent
        for name in WATCHED:
            if (root / name).exists():
                server.watch(str(root / name))
        return server

    def on_post_build(self, *, config: Any) -> None:
        if not (self.config.check and self.checking and self.project):
            return
        from onevoice.check.request import CheckRequest
        from onevoice.check.run import check
        from onevoice.report.text import log_line

        request = CheckRequest(self.project.root, self.as_of, channel=self.config.channel,
                               project=self.project)
        try:
            result = check(request, config.site_dir)
        except InputError as exc:
            raise PluginError(f"onevoice:\n{exc}") from None
        for finding in result.findings:
            # Only what fails `onevoice check` is a warning, so --strict fails exactly then.
            log.log(logging.WARNING if result.fails(finding) else logging.INFO,
                    log_line(finding))
        if self.serving and self.config.banner:
            from onevoice.report import banner

            now = banner.source_state(self.project.root)
            if self.sources is None:
                self.sources = now  # serve's first build: nothing changed yet
            changed = banner.changed_files(self.sources, now)
            banner.add_banners(Path(config.site_dir),
                               banner.of_changed_files(result.active, changed, self.project),
                               self.project.root)

    def on_files(self, files: Files, *, config: Any) -> Files:
        pages = self.pages if self.pages is not None else self._render(config)
        self.pages = None
        if self.project is not None and self.job is not None:
            language_versions(files, config, self.project, self.job.channel)
        hand = [f.src_uri for f in files.documentation_pages() if f.inclusion.is_in_nav()]
        for page in pages:
            if files.get_file_from_path(page.src_uri) is not None:
                raise PluginError(f"onevoice: docs/{page.src_uri} is written by hand but "
                                  "onevoice generates this page; rename the hand-written page")
            inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, page.src_uri, content=page.markdown,
                                        inclusion=inclusion))
        if self.project is not None and self.job is not None:
            self.alternates = alternate_links(files, pages, self.job, self.project)
        if config.nav is None:
            hand.sort(key=lambda uri: (uri != "index.md", uri))
            config.nav = [*hand, *navigation(pages)]
        return files


def language_versions(files: Files, config: Any, project: Project, channel: Any) -> None:
    """A hand-written page's language versions (`about.fr.md`, `about.fr-BE.md`): on the
    website in that language the page `about.md` is read from it; every other website
    leaves it out. (The page itself is every other language's.)"""
    from onevoice.config.channels import language_suffix, page_versions

    locales = {project.catalog.settings.locale, *(c.locale for c in project.channels.values()
                                                  if c.locale)}
    locale = channel.locale or project.catalog.settings.locale
    versions: dict[str, list[File]] = {}
    for file in list(files.documentation_pages()):
        found = language_suffix(file.src_uri, locales)
        if found is not None:
            files.remove(file)
            versions.setdefault(found[0], []).append(file)
    for page, written in versions.items():
        own = {f.src_uri: f for f in written}
        chosen = next((own[name] for name in page_versions(page, locale) if name in own), None)
        if chosen is None:
            continue
        shared = files.get_file_from_path(page)
        if shared is not None:
            files.remove(shared)
        dest = File(page, config.docs_dir, config.site_dir, config.use_directory_urls).dest_uri
        files.append(File(chosen.src_uri, config.docs_dir, config.site_dir,
                          config.use_directory_urls, dest_uri=dest))


def alternate_links(files: Files, pages: list[Any], job: Any, project: Project
                    ) -> dict[str, str]:
    """The hreflang links of every page of the site with versions in other languages, by
    the page's file (`src_uri`); the internal pages have none."""
    from onevoice.config.channels import language_suffix
    from onevoice.render.web import alternates, generated_pages

    if sum(1 for c in project.channels.values() if c.spec.website) < 2:
        return {}
    made = {page.src_uri: page for page in pages}
    made_by_site = {c.name: generated_pages(job, c) for c in project.channels.values()
                    if c.spec.website}
    locales = {project.catalog.settings.locale, *(c.locale for c in project.channels.values()
                                                  if c.locale)}
    links = {}
    for file in files.documentation_pages():
        page = made.get(file.src_uri)
        if page is not None and page.internal:
            continue
        name = file.src_uri if page else (language_suffix(file.src_uri, locales)
                                          or (file.src_uri, ""))[0]
        found = alternates(job, name, page is not None, made_by_site)
        if found:
            links[file.src_uri] = "".join(
                f'<link rel="alternate" hreflang="{Markup.escape(tag)}" '
                f'href="{Markup.escape(href)}">' for tag, href in found)
    return links


def stripped_text(value: Any) -> Markup:
    """The text of an HTML fragment without its tags, still escaped (Jinja's `striptags`
    unescapes it)."""
    return Markup.escape(Markup(str(value)).striptags())


def navigation(pages: list[Any]) -> list[Any]:
    """Generated pages in the navigation: by section in order of appearance, then the rest.
    The theme prints a navigation title as HTML, so the titles (category names from the
    settings, journey titles) go in escaped."""
    sections: dict[str, list[Any]] = {}
    loose: list[Any] = []
    for page in (p for p in pages if p.in_nav):
        entry = {str(Markup.escape(page.title)): page.src_uri}
        if page.section:
            sections.setdefault(page.section, []).append(entry)
        else:
            loose.append(entry)
    return [*({name: entries} for name, entries in sections.items()), *loose]
