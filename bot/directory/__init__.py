"""The service directory: Open Referral HSDS 3.0 storage, import/export and search.

A plain library (no Rasa imports), used by the action server, the console and
the command line (``python -m bot.directory``).
"""

from bot.directory.directory import Directory, ImportReport
from bot.directory.importer import HSDSFileError
from bot.directory.places import PlaceError
from bot.directory.search import Relaxation, Result, ScoringPolicy, SearchQuery, SearchResponse
from bot.directory.taxonomy import Crosswalk

__all__ = [
    "Crosswalk",
    "Directory",
    "HSDSFileError",
    "ImportReport",
    "PlaceError",
    "Relaxation",
    "Result",
    "ScoringPolicy",
    "SearchQuery",
    "SearchResponse",
]
