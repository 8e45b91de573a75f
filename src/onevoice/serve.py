"""`onevoice serve`: the website with live reload, through MkDocs and the onevoice plugin.

MkDocs serves and rebuilds; the plugin watches content/, channels/ and the check's
configuration besides docs/ and mkdocs.yml, checks every rebuild and puts each page's
findings in a banner on the page (see mkdocs_plugin.py).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

from onevoice.errors import InputError, SourceError
from onevoice.locations import Location
from onevoice.mkdocs_plugin import AS_OF_VARIABLE
from onevoice.render.mkdocs_config import vet_project_config


def serve(project: Path, as_of: dt.date | None, dev_addr: str) -> None:
    """Serve the project's site at `dev_addr` (HOST:PORT) until interrupted."""
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import MkDocsException

    config = project / "mkdocs.yml"
    if not config.is_file():
        raise InputError([SourceError(Location(str(config)), "no mkdocs.yml",
                                      "run in a project folder, or give --project")])
    vet_project_config(project)
    if as_of is not None:
        os.environ[AS_OF_VARIABLE] = as_of.isoformat()
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        mkdocs_serve(config_file=str(config), dev_addr=dev_addr, livereload=True)
    except MkDocsException as exc:
        raise InputError([SourceError(Location(str(config)), str(exc),
                                      "fix mkdocs.yml or the options")]) from None
    finally:
        logger.removeHandler(handler)
