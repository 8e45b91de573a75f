"""The MkDocs plugin: adds the generated onevoice pages to the site.

Thin adapter: the pages come from `onevoice.render.web`; this module only hands
them to MkDocs and builds a small navigation when mkdocs.yml has none.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from onevoice.errors import InputError
from onevoice.project import Project, load_project


class OnevoiceConfig(Config):
    channel = config_options.Type(str, default="web")
    """The web channel (a folder in channels/) whose templates make the pages."""


class OnevoicePlugin(BasePlugin[OnevoiceConfig]):
    def __init__(self) -> None:
        self.pages: list[Any] | None = None

    def prepare(self, project: Project, channel: str, pages: list[Any]) -> None:
        """Called by `onevoice build`, which has already rendered the pages."""
        self.pages = pages
        self.config.channel = channel

    def _render(self, config: Any) -> list[Any]:
        from onevoice.render.build import make_job
        from onevoice.render.web import render_pages

        root = Path(config.config_file_path).parent
        try:
            project = load_project(root)
            job = make_job(project, self.config.channel, dt.date.today(), root / "build")
            return render_pages(job)
        except InputError as exc:
            raise PluginError(f"onevoice:\n{exc}") from None

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
            generated = [p for p in pages if p.in_nav]
            config.nav = [
                *hand,
                {"Aanbod": [{p.title: p.src_uri} for p in generated
                            if p.src_uri != "voorwaarden.md"]},
                *[{p.title: p.src_uri} for p in generated if p.src_uri == "voorwaarden.md"],
            ]
        return files
