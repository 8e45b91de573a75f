"""The MkDocs plugin: adds the generated onevoice pages to the site, then checks the site.

Thin adapter: the pages come from `onevoice.render.web` and the findings from
`onevoice.check`; this module hands the pages to MkDocs, builds a small
navigation when mkdocs.yml has none, and logs every finding as a warning with
its location, so that `mkdocs build --strict` fails on an inconsistent site.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from onevoice.errors import InputError
from onevoice.project import Project, load_project

log = logging.getLogger("mkdocs.plugins.onevoice")


class OnevoiceConfig(Config):
    channel = config_options.Type(str, default="web")
    """The web channel (a folder in channels/) whose templates make the pages."""
    check = config_options.Type(bool, default=True)
    """Check the built site against the source after the build."""


class OnevoicePlugin(BasePlugin[OnevoiceConfig]):
    def __init__(self) -> None:
        self.pages: list[Any] | None = None
        self.project: Project | None = None
        self.checking = True

    def prepare(self, project: Project, channel: str, pages: list[Any]) -> None:
        """Called by `onevoice build`, which has rendered the pages (and checks separately)."""
        self.pages = pages
        self.project = project
        self.checking = False
        self.config.channel = channel

    def _render(self, config: Any) -> list[Any]:
        from onevoice.render.build import make_job
        from onevoice.render.web import render_pages

        root = Path(config.config_file_path).parent
        try:
            project = self.project = load_project(root)
            job = make_job(project, self.config.channel, dt.date.today(), root / "build")
            return render_pages(job)
        except InputError as exc:
            raise PluginError(f"onevoice:\n{exc}") from None

    def on_post_build(self, *, config: Any) -> None:
        if not (self.config.check and self.checking and self.project):
            return
        from onevoice.check.run import check

        try:
            result = check(self.project.root, config.site_dir, dt.date.today(),
                           channel=self.config.channel, project=self.project)
        except InputError as exc:
            raise PluginError(f"onevoice:\n{exc}") from None
        for finding in result.active:
            where = finding.source or finding.output
            seen = f" (in {finding.output})" if finding.source and finding.output else ""
            text = f"{where}: [{finding.rule}] {finding.message}{seen}"
            if finding.severity == "info":
                log.info(text)
            else:
                log.warning(text)

    def on_files(self, files: Files, *, config: Any) -> Files:
        pages = self.pages if self.pages is not None else self._render(config)
        self.pages = None
        hand = [f.src_uri for f in files.documentation_pages() if f.inclusion.is_in_nav()]
        for page in pages:
            if files.get_file_from_path(page.src_uri) is not None:
                raise PluginError(f"onevoice: docs/{page.src_uri} is written by hand but "
                                  "onevoice generates this page; rename the hand-written page")
            inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, page.src_uri, content=page.markdown,
                                        inclusion=inclusion))
        if config.nav is None:
            hand.sort(key=lambda uri: (uri != "index.md", uri))
            config.nav = [*hand, *navigation(pages)]
        return files


def navigation(pages: list[Any]) -> list[Any]:
    """Generated pages in the navigation: by section in order of appearance, then the rest."""
    sections: dict[str, list[Any]] = {}
    loose: list[Any] = []
    for page in (p for p in pages if p.in_nav):
        entry = {page.title: page.src_uri}
        if page.section:
            sections.setdefault(page.section, []).append(entry)
        else:
            loose.append(entry)
    return [*({name: entries} for name, entries in sections.items()), *loose]
