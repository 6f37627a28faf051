"""The site search: one entry point, `search_bundle`, from rendered pages to the files of pagefind/."""

from .bundle import BUNDLE, SearchBundle, search_bundle
from .pagefind import SearchUnavailable

__all__ = ["BUNDLE", "SearchBundle", "SearchUnavailable", "search_bundle"]
