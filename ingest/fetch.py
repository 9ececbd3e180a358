"""`python -m ingest fetch`: download the official XML of the configured laws.

For each slug in settings.fetch_laws, ``<fetch_base_url>/<slug>/xml.zip`` is saved to
``<cache_dir>/fetched/<slug>/xml.zip`` together with ``fetch.json`` (URL, download date,
Stand line, sha256). To index a fetched law, point a manifest entry at it with
``format = "gii-xml"`` and ``path = "{cache}/fetched/<slug>/xml.zip"``.
"""

from __future__ import annotations

import hashlib
import io
import json
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import IngestError
from ingest.loaders import parse_gii_xml

if TYPE_CHECKING:  # pragma: no cover
    from core.settings import Settings


@dataclass
class Fetched:
    slug: str
    url: str
    path: Path
    stand: str
    downloaded: str
    sections: int


def fetch_law(settings: "Settings", slug: str, timeout: float = 20.0) -> Fetched:
    url = f"{settings.fetch_base_url.rstrip('/')}/{slug}/xml.zip"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - configured https URL
            data = response.read()
    except urllib.error.HTTPError as exc:
        raise IngestError(None, f"{url}: server answered HTTP {exc.code} ({exc.reason}); is '{slug}' a valid law slug?") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise IngestError(
            None,
            f"cannot download {url}: {reason}. This machine seems to be offline or the site is unreachable; "
            f"the index keeps using the local corpus (see corpus/sources.toml).",
        ) from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = [n for n in zf.namelist() if n.lower().endswith(".xml")]
            if not names:
                raise IngestError(None, f"{url}: the archive holds no .xml file")
            xml = zf.read(names[0])
    except zipfile.BadZipFile:
        raise IngestError(None, f"{url}: the download is not a zip archive") from None
    document = parse_gii_xml(xml, url)
    target = settings.cache_dir / "fetched" / slug
    target.mkdir(parents=True, exist_ok=True)
    (target / "xml.zip").write_bytes(data)
    fetched = Fetched(slug, url, target / "xml.zip", document.stand, date.today().isoformat(), len(document.sections))
    (target / "fetch.json").write_text(
        json.dumps(
            {
                "url": url,
                "downloaded": fetched.downloaded,
                "stand": fetched.stand,
                "sha256": hashlib.sha256(data).hexdigest(),
                "sections": fetched.sections,
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    return fetched


def fetch_all(settings: "Settings", timeout: float = 20.0) -> list[Fetched]:
    return [fetch_law(settings, slug, timeout) for slug in settings.fetch_laws]
