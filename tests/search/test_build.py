"""The rebuild's direct segment writer gives the index Whoosh's own writer would."""
import json

import pytest
import sqlalchemy as sa
from whoosh import index as whoosh_index

from portal.extensions import db
from portal.search import service
from portal.search.analysis import SEGMENT_BREAK, text_forms
from portal.search.build import BulkWriter
from portal.search.documents import KINDS, build_document
from portal.search.store import SCHEMA_VERSION, make_schema
from portal.search.query import SearchRequest
from tests.factories import create, warning_data


def index_contents(ix):
    """Every field's terms with their documents (by key), and every document's stored fields."""
    with ix.searcher() as searcher:
        reader = searcher.reader()
        keys = {docnum: fields["key"] for docnum, fields in reader.iter_docs()}
        terms = {}
        for fieldname, text in reader.all_terms():
            docs = frozenset(keys[d] for d in reader.postings(fieldname, text).all_ids())
            terms[(fieldname, text)] = (docs, reader.doc_frequency(fieldname, text))
        stored = {fields["key"]: fields for _, fields in reader.iter_docs()}
        return terms, stored


@pytest.fixture
def documents(app, corpus):
    create(warning_data(slug="nhieu-lan", title="Sữa sữa SỮA bột; bột trẻ em", body="nhiễm chì " * 300,
                        product={"name": "Sữa", "barcodes": ["8930000000024", "0036000291452"]}))
    out = []
    for model in KINDS.values():
        for row in db.session.execute(sa.select(model).order_by(model.id)).scalars():
            document = build_document(row)
            if document is not None:
                out.append(document)
    # Copies, so that common terms have posting lists longer than one block (128).
    copies = [dict(document, key=f"{document['key']}-{n}") for n in range(30) for document in out]
    return out + copies


def test_bulk_writer_matches_whoosh_writer(tmp_path, documents):
    (tmp_path / "bulk").mkdir()
    (tmp_path / "plain").mkdir()
    bulk_ix = whoosh_index.create_in(str(tmp_path / "bulk"), make_schema())
    bulk = BulkWriter(bulk_ix)
    for document in documents:
        bulk.add_document(document)
    bulk.commit()
    plain_ix = whoosh_index.create_in(str(tmp_path / "plain"), make_schema())
    with plain_ix.writer() as writer:
        for document in documents:
            writer.add_document(**document)
    bulk_terms, bulk_stored = index_contents(whoosh_index.open_dir(str(tmp_path / "bulk")))
    plain_terms, plain_stored = index_contents(plain_ix)
    assert bulk_terms == plain_terms
    assert bulk_stored == plain_stored
    assert len(whoosh_index.open_dir(str(tmp_path / "bulk")).reader().leaf_readers()) == 1
    # Long and short posting lists alike (blocks of 128, terms inlined in the term table).
    assert max(df for _, df in bulk_terms.values()) == len(documents)
    assert any(df == 1 for _, df in bulk_terms.values())


@pytest.mark.parametrize("text", [
    "Sữa bột trẻ em nhiễm chì", f"Đồ chơi{SEGMENT_BREAK}nam châm", "Kem\u0301 chống nắng",
    "KELVIN \u212a ĐẠI PHÁT 125/QĐ-XPHC", "", "   ", "tiếng Việt_và_English words",
])
def test_text_forms_are_the_tokenizers_terms(text):
    schema = make_schema()
    expected = tuple({t.text for t in schema[name].analyzer(text)} for name in ("text", "pairs", "exact"))
    assert text_forms(text) == expected


def test_index_of_an_older_schema_is_rebuilt(app, corpus):
    store = service.state().store
    old = store.current()
    position = json.loads((old / "position.json").read_text())
    position["schema"] = SCHEMA_VERSION - 1
    (old / "position.json").write_text(json.dumps(position))
    service.apply_pending()
    assert store.current() != old and store.schema_version(store.current()) == SCHEMA_VERSION
    assert service.run_search(SearchRequest(q="sua bot tre em")).total == 1
