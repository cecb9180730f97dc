"""Building a whole index in one segment, fast: the rebuild's writer.

Whoosh's own writer sends every posting through a sorting pool (a Python tuple per posting,
sorted runs spilled to disk, merged back) and analyses each text field separately; at
100,000 warnings that took most of an hour. Here the documents' postings are gathered in
memory as arrays of document numbers per term (documents arrive in order, so each array is
already sorted), the Vietnamese analysis runs once per document for its three text fields,
and at the end each term's postings are written to the segment a block at a time through
Whoosh's own codec (same files, same format, read by the ordinary Whoosh reader).

Stored fields and field lengths go through Whoosh's per-document writer as usual. The
schema's text fields use the Existence format (weight = the field's boost, no payload), so a
posting is just a document number; fields of other formats (``hazards``) are handled too,
with their postings kept whole.
"""
from __future__ import annotations

from array import array

from whoosh.formats import Existence
from whoosh.system import pack_ushort

from .analysis import text_forms

# Fields filled from ``text_forms`` of the document's "text" value, in this order.
TEXT_FIELDS = ("text", "pairs", "exact")


class BulkWriter:
    """Writes every added document into one new segment of ``ix`` (an empty index)."""

    def __init__(self, ix):
        self.writer = ix.writer(procs=1)
        self.schema = ix.schema
        self.docnum = 0
        # fieldname -> term -> docnum (one document) or array of docnums; terms are str for
        # the text fields, bytes for the others.
        self.plain: dict[str, dict] = {}
        # fieldname -> term bytes -> [(docnum, weight, vbytes)] for fields of other formats.
        self.rich: dict[str, dict[bytes, list]] = {}
        self._names = sorted(self.schema.names())

    def add_document(self, document: dict) -> None:
        docnum = self.docnum
        schema = self.schema
        perdoc = self.writer.perdocwriter
        forms, analysed = None, None
        perdoc.start_doc(docnum)
        try:
            for name in self._names:
                value = document.get(name)
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    if name in TEXT_FIELDS and self._plain_format(field):
                        if forms is None or (analysed is not value and analysed != value):
                            forms, analysed = text_forms(value), value
                        terms = forms[TEXT_FIELDS.index(name)]
                        self._add_plain(name, terms, docnum)
                        if field.scorable:
                            length = len(terms)
                    else:
                        length = self._add_generic(name, field, value, docnum)
                perdoc.add_field(name, field, value if field.stored else None, length)
                column = field.column_type
                if column:
                    perdoc.add_column_value(name, column, field.to_column_value(value))
        except BaseException:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self.docnum += 1

    @staticmethod
    def _plain_format(field) -> bool:
        return type(field.format) is Existence

    def _add_plain(self, name: str, terms, docnum: int) -> None:
        postings = self.plain.get(name)
        if postings is None:
            postings = self.plain[name] = {}
        get = postings.get
        for term in terms:
            found = get(term)
            if found is None:
                postings[term] = docnum
            elif found.__class__ is int:
                postings[term] = array("I", (found, docnum))
            else:
                found.append(docnum)

    def _add_generic(self, name: str, field, value, docnum: int) -> int:
        length = 0
        if self._plain_format(field):
            terms = [tbytes for tbytes, _, _, _ in field.index(value)]
            self._add_plain(name, terms, docnum)
            return len(terms) if field.scorable else 0
        postings = self.rich.setdefault(name, {})
        for tbytes, freq, weight, vbytes in field.index(value):
            postings.setdefault(tbytes, []).append((docnum, weight, vbytes))
            if field.scorable:
                length += freq
        return length

    def commit(self) -> None:
        """Write the postings and make the segment the index's only one."""
        writer = self.writer
        writer.docnum = self.docnum
        writer._added = self.docnum > 0
        writer._flush_segment = self._flush
        writer.commit(merge=False)

    def cancel(self) -> None:
        if not self.writer.is_closed:
            self.writer.cancel()

    def _flush(self) -> None:
        writer = self.writer
        writer.perdocwriter.close()
        fieldwriter = writer.fieldwriter
        lengths = writer.per_document_reader() if writer.codec.length_stats else None
        try:
            for name in sorted(set(self.plain) | set(self.rich)):
                field = self.schema[name]
                fieldwriter.start_field(name, field)
                if name in self.plain:
                    self._write_plain(fieldwriter, name, field, lengths)
                else:
                    self._write_rich(fieldwriter, name, lengths)
                fieldwriter.finish_field()
        finally:
            fieldwriter.close()
            if lengths is not None:
                lengths.close()

    def _write_plain(self, fieldwriter, name: str, field, lengths) -> None:
        postings = self.plain.pop(name)
        weight = float(field.format.field_boost)
        scorable = field.scorable and lengths is not None
        # Code point order is UTF-8 byte order: str terms sort as their bytes will.
        for key in sorted(postings):
            tbytes = key.encode("utf-8") if isinstance(key, str) else key
            docnums = postings.pop(key)
            if type(docnums) is int:
                docnums = array("I", (docnums,))
            fieldwriter.start_term(tbytes)
            if scorable or not _write_blocks(fieldwriter, docnums, weight):
                for docnum in docnums:
                    length = lengths.doc_field_length(docnum, name) if scorable else 0
                    fieldwriter.add(docnum, weight, b"", length)
            elif len(docnums) <= INLINE_LIMIT and _inline(fieldwriter, tbytes):
                continue
            fieldwriter.finish_term()

    def _write_rich(self, fieldwriter, name: str, lengths) -> None:
        postings = self.rich.pop(name)
        for tbytes in sorted(postings):
            fieldwriter.start_term(tbytes)
            for docnum, weight, vbytes in postings[tbytes]:
                length = lengths.doc_field_length(docnum, name) if lengths is not None else 0
                fieldwriter.add(docnum, weight, vbytes, length)
            fieldwriter.finish_term()


# Terms in at most this many documents keep their postings in the term table (no block of
# their own: most terms are identifiers found in one document).
INLINE_LIMIT = 8

_BLOCK_ATTRIBUTES = ("_blocklimit", "_ids", "_weights", "_values", "_maxweight", "_minlength",
                     "_maxlength", "_write_block")


def _inline(fieldwriter, tbytes: bytes) -> bool:
    """Finish the current term with its (single, buffered) block stored in its term info,
    as Whoosh's codec does for terms under its inline limit (its own inlining path calls a
    method its term info does not have, so it cannot be switched on)."""
    postwriter = fieldwriter._postwriter
    terminfo = getattr(postwriter, "_terminfo", None)
    if not (hasattr(terminfo, "set_inlined") and hasattr(fieldwriter, "_tindex")
            and hasattr(fieldwriter, "_fieldid") and postwriter._blockcount == 0):
        return False
    terminfo.add_block(postwriter)
    terminfo.set_inlined(postwriter._ids, postwriter._weights, postwriter._values)
    postwriter._terminfo = None
    fieldwriter._tindex.add(pack_ushort(fieldwriter._fieldid) + tbytes, terminfo.to_bytes())
    return True


def _write_blocks(fieldwriter, docnums: array, weight: float) -> bool:
    """Hand the postings writer whole blocks of document numbers (False: not this codec,
    then the caller adds them one by one). Equivalent to ``add_posting`` per document with
    the same weight, no payload and no length, without a Python call per posting."""
    postwriter = getattr(fieldwriter, "_postwriter", None)
    if postwriter is None or getattr(postwriter, "_byteids", True) \
            or not all(hasattr(postwriter, a) for a in _BLOCK_ATTRIBUTES):
        return False
    limit = postwriter._blocklimit
    total = len(docnums)
    for start in range(0, total, limit):
        chunk = docnums[start:start + limit]
        postwriter._ids = chunk
        postwriter._weights = array("f", (weight,)) * len(chunk)
        postwriter._values = []
        postwriter._maxweight = weight
        postwriter._minlength = None
        postwriter._maxlength = 0
        if start + limit < total:
            postwriter._write_block()
    return True
