"""The public site as static files (``manage.py build_site DIR``).

One function per step, each in its own module:

- ``base_url``: the settings a build renders under (``--base-url``: script prefix,
  ``STATIC_URL``, ``MEDIA_URL``, ``SITE_URL``; DEBUG and the page cache off);
- ``crawl``: which URLs the build holds (links from ``/``, the sitemap, and the feeds,
  exports, permalinks and old slugs that no link reaches);
- ``render``: one URL through Django's test client, as the file a static host serves
  (a page, a feed, an export, or a small redirect page);
- ``publish``: the files written into a sibling folder, unchanged ones linked from the
  previous build, then swapped in with renames;
- ``build``: the steps in order, and the figures ``--json`` prints.
"""

from .build import BuildError, BuildResult, build_site

__all__ = ["BuildError", "BuildResult", "build_site"]
