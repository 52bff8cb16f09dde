"""A static build, step by step: collect the hashed static files, render every page the
crawl finds, copy the uploads they show, write 404.html, and swap the folder in."""

import time
from collections import deque
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.management import call_command
from django.http import Http404
from django.test import Client

from core.http import media

from .base_url import STATIC_FOLDER, build_settings, media_is_local, parse_base_url
from .crawl import seed_urls
from .publish import FolderError, Staging
from .render import RenderError, render, render_not_found


class BuildError(Exception):
    """A build that could not be made; the published folder is as it was."""


@dataclass
class BuildResult:
    pages: int  # URLs rendered: pages, feeds, exports, redirect pages, 404.html
    written: int  # files new or changed since the previous build
    unchanged: int  # files kept from the previous build as they were
    deleted: int  # files of the previous build that are gone
    seconds: float
    warning: str = ""

    def as_json(self):
        figures = asdict(self)
        figures.pop("warning")
        return figures


def _uploads(staging, paths, media_prefix):
    """Copy the uploaded files the pages show (only those: a draft's photo stays out)."""
    for path in sorted(paths):
        if not path.startswith(media_prefix):
            continue
        try:
            full, _ = media.resolve(path[len(media_prefix) :])
        except Http404:  # not an upload this site serves: the page links it as it is
            continue
        staging.add(path.lstrip("/"), full.read_bytes())


def crawl(client, base, staging, progress=None):
    """Render ``/``, the seeds and every page they link to into ``staging``; return the
    number of URLs rendered and the site paths of the files the pages use."""
    start = ["/", *(base.strip(url) for url in seed_urls())]
    queue = deque(dict.fromkeys(path for path in start if path))
    seen, used, pages = set(queue), set(), 0
    while queue:
        output = render(client, base, queue.popleft())
        if output is None:
            continue
        pages += 1
        staging.add(output.file, output.content)
        used.update(output.files)
        for link in output.pages:
            if link not in seen:
                seen.add(link)
                queue.append(link)
        if progress:
            progress(pages, pages + len(queue))
    return pages, used


def build_site(directory, *, base_url=None, progress=None):
    """Build the public site into ``directory`` as it is served at ``base_url``; return a
    ``BuildResult``. Raises ``BuildError`` (and leaves ``directory`` as it was) when a page
    fails to render or the folder is not one to build into."""
    started = time.perf_counter()
    try:
        base = parse_base_url(base_url)
        staging = Staging(directory)
    except (ValueError, FolderError) as error:
        raise BuildError(str(error)) from error
    except OSError as error:  # a folder that cannot be made
        raise BuildError(f"Cannot build into {directory}: {error}") from error
    try:
        with build_settings(base, staging.root / STATIC_FOLDER):
            call_command("collectstatic", interactive=False, verbosity=0)
            staging.adopt(STATIC_FOLDER)
            client = Client()
            pages, used = crawl(client, base, staging, progress)
            staging.add("404.html", render_not_found(client))
            staging.add(".nojekyll", b"")  # GitHub Pages: serve every file as it is
            if media_is_local():
                _uploads(staging, used, "/" + settings.MEDIA_URL[len(base.prefix) :])
        counts = staging.publish()
    except RenderError as error:
        staging.discard()
        raise BuildError(f"A page failed to render, nothing was published: {error}") from error
    except BaseException:
        staging.discard()
        raise
    return BuildResult(
        pages=pages + 1,
        written=counts.written,
        unchanged=counts.unchanged,
        deleted=counts.deleted,
        seconds=round(time.perf_counter() - started, 3),
        warning=staging.warning or "",
    )
