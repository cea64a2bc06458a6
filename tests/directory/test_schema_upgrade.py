"""A directory made by an older Wayfinder keeps working: the derived search index is rebuilt."""

from __future__ import annotations

import sqlalchemy as sa

from bot.directory import Directory, SearchQuery
from bot.run import SAMPLE_DIRECTORY


def test_an_old_search_index_is_rebuilt_and_the_hsds_records_are_kept(database_url):
    directory = Directory(database_url)
    directory.import_path(SAMPLE_DIRECTORY)
    before = directory.stats()["records"]
    directory.close()
    engine = sa.create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE wf_search_row DROP COLUMN located_by"))
    engine.dispose()

    upgraded = Directory(database_url)
    try:
        assert upgraded.stats()["records"] == before
        found = upgraded.search(SearchQuery(need="food", zip_code="19134"), record_unmet=False)
        assert len(found.results) >= 3
    finally:
        upgraded.close()
