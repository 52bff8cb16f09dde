"""Production settings plus SQLite pragmas from ``FAULT_SQLITE_PRAGMAS``, for the import
fault tests: ``PRAGMA query_only=ON`` makes a read-only database and ``PRAGMA
max_page_count=N`` a full one, each with SQLite's real error (SQLITE_READONLY,
SQLITE_FULL). Running as root, a read-only file mode would not stop the writes."""

import os

from config.settings import *  # noqa: F403
from config.settings import DATABASES

if os.environ.get("FAULT_SQLITE_PRAGMAS"):
    DATABASES["default"]["OPTIONS"]["init_command"] += os.environ["FAULT_SQLITE_PRAGMAS"]
