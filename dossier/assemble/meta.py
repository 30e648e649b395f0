"""Document metadata, XMP, viewer settings and a file identifier derived from the inputs."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from xml.sax.saxutils import escape

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    FloatObject,
    NameObject,
    NullObject,
    TextStringObject,
)

from .internals import add_object, set_file_id


@dataclass(frozen=True)
class Metadata:
    """What the document says about itself."""

    title: str
    author: str
    subject: str
    keywords: str
    language: str
    date: dt.date | None
    creator: str

    def pdf_date(self) -> str | None:
        return f"D:{self.date:%Y%m%d}000000Z" if self.date else None

    def iso_date(self) -> str | None:
        return f"{self.date:%Y-%m-%d}T00:00:00Z" if self.date else None


def _xmp(meta: Metadata, producer: str) -> bytes:
    e = escape
    date = meta.iso_date()
    dates = (
        f"<xmp:CreateDate>{date}</xmp:CreateDate><xmp:ModifyDate>{date}</xmp:ModifyDate>"
        if date
        else ""
    )
    lang = e(meta.language)
    xml = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{e(meta.title)}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{e(meta.author)}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{e(meta.subject)}</rdf:li></rdf:Alt>\
</dc:description>
<dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
<pdf:Keywords>{e(meta.keywords)}</pdf:Keywords>
<pdf:Producer>{e(producer)}</pdf:Producer>
<xmp:CreatorTool>{e(meta.creator)}</xmp:CreatorTool>{dates}
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return xml.encode("utf-8")


def apply_metadata(writer: PdfWriter, meta: Metadata, identity: bytes) -> None:
    """Info dictionary, XMP, /Lang, viewer settings and a /ID that depends only on the inputs."""
    producer = "dossier (pypdf)"
    info: dict[str, str] = {
        "/Title": meta.title,
        "/Author": meta.author,
        "/Subject": meta.subject,
        "/Keywords": meta.keywords,
        "/Creator": meta.creator,
        "/Producer": producer,
    }
    date = meta.pdf_date()
    if date:
        info["/CreationDate"] = date
        info["/ModDate"] = date
    writer.add_metadata(info)
    xmp = DecodedStreamObject()
    xmp.set_data(_xmp(meta, producer))
    xmp[NameObject("/Type")] = NameObject("/Metadata")
    xmp[NameObject("/Subtype")] = NameObject("/XML")
    root = writer.root_object
    root[NameObject("/Metadata")] = add_object(writer, xmp)
    root[NameObject("/Lang")] = TextStringObject(meta.language)
    writer.page_mode = "/UseOutlines"
    if writer.pages:
        first = writer.pages[0].indirect_reference
        root[NameObject("/OpenAction")] = ArrayObject(
            [first, NameObject("/XYZ"), NullObject(), NullObject(), FloatObject(1)]
        )
    digest = hashlib.sha256(identity).digest()[:16]
    set_file_id(writer, digest)
