"""The site search, from rendered pages to the files of pagefind/.

`search_bundle` does it all; `start_search`, then its `finish`, lets a build do more while Pagefind runs.
"""

from .bundle import BUNDLE, PendingBundle, SearchBundle, search_bundle, start_search
from .pagefind import SearchUnavailable

__all__ = ["BUNDLE", "PendingBundle", "SearchBundle", "SearchUnavailable", "search_bundle", "start_search"]
