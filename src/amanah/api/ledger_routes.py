"""The ledger and the occurrence book over HTTP.

The ledger's formats are the specs' own: a checkpoint is a C2SP signed note
(``text/plain``), a receipt a C2SP tlog-proof file, an entry its RFC 8785 bytes, and the
tiles export a zip of a C2SP tlog-tiles tree that any compatible verifier reads.
"""

from __future__ import annotations

import base64
import io
import zipfile
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from amanah.api.context import Caller, api_caller
from amanah.api.errors import COMMON_RESPONSES, Responses, documented
from amanah.api.schemas import (
    AuditOut,
    CheckpointOut,
    CosignatureOut,
    CosignIn,
    CosignOut,
    OccurrenceImportIn,
    OccurrenceIn,
    OccurrenceOut,
    RecordedOut,
    WitnessRequestIn,
)
from amanah.services.guarded import Guarded
from amanah.services.occurrence import Recorded
from amanah.services.presenters import occurrence_json

router = APIRouter(responses=COMMON_RESPONSES)
Authenticated = Annotated[Caller, Depends(api_caller)]
MAX_INDEX = 2**62
NOT_FOUND = documented(404, "No such entry or checkpoint")
JSON_ENTRY: Responses = {
    200: {
        "content": {"application/json": {"schema": {"type": "object"}}},
        "description": "The entry's RFC 8785 bytes (canonical JSON)",
    }
}


def text_response(description: str) -> Responses:
    return {
        200: {"content": {"text/plain": {"schema": {"type": "string"}}}, "description": description}
    }


def binary_response(media: str, description: str) -> Responses:
    return {
        200: {
            "content": {media: {"schema": {"type": "string", "format": "binary"}}},
            "description": description,
        }
    }


def recorded(done: Recorded) -> RecordedOut:
    return RecordedOut(first_seq=done.first_seq, count=done.count, size=done.checkpoint.size)


def receipt_response(guarded: Guarded, index: int, size: int | None = None) -> Response:
    """A C2SP tlog-proof receipt for entry ``index``, as a file to keep."""
    return Response(
        guarded.prove(index, size),
        media_type="text/plain; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="entry-{index}.tlog-proof"'},
    )


def tiles_response(guarded: Guarded) -> Response:
    """The whole log as a C2SP tlog-tiles tree in a zip (the export is logged first)."""
    latest, files = guarded.export_tiles()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for rel, data in files:
            archive.writestr(rel, data)
    return Response(
        buffer.getvalue(),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="ledger-{latest.size}-tiles.zip"'},
    )


# -- ledger -----------------------------------------------------------------------------------


@router.get("/ledger/checkpoint", response_model=CheckpointOut, tags=["ledger"])
def checkpoint(caller: Authenticated) -> CheckpointOut:
    """The latest signed checkpoint, with every witness cosignature stored for it."""
    found = caller.guarded.published()
    return CheckpointOut(
        origin=found.origin,
        size=found.size,
        root=base64.b64encode(found.root).decode("ascii"),
        note=found.note.decode("utf-8"),
        cosignatures=[
            CosignatureOut(witness=c.witness, key_id=c.key_id, time=c.time)
            for c in found.cosignatures
        ],
    )


@router.get(
    "/ledger/checkpoint.txt",
    response_class=Response,
    tags=["ledger"],
    responses=text_response("The checkpoint note, as a C2SP verifier reads it"),
)
def checkpoint_note(caller: Authenticated) -> Response:
    """The latest checkpoint as its signed note (C2SP tlog-checkpoint)."""
    return Response(caller.guarded.checkpoint(), media_type="text/plain; charset=utf-8")


@router.get(
    "/ledger/entries/{index}",
    response_class=Response,
    tags=["ledger"],
    responses=JSON_ENTRY | NOT_FOUND,
)
def entry(index: Annotated[int, Path(ge=0, le=MAX_INDEX)], caller: Authenticated) -> Response:
    """One entry, byte for byte as it is hashed into the tree."""
    return Response(caller.guarded.entry(index), media_type="application/json")


@router.get(
    "/ledger/entries/{index}/receipt",
    response_class=Response,
    tags=["ledger"],
    responses=binary_response("text/plain", "A C2SP tlog-proof file") | NOT_FOUND,
)
def receipt(
    index: Annotated[int, Path(ge=0, le=MAX_INDEX)],
    caller: Authenticated,
    size: Annotated[int | None, Query(ge=1, le=MAX_INDEX)] = None,
) -> Response:
    """A receipt for the entry (C2SP tlog-proof: its inclusion proof and the checkpoint with
    its cosignatures), verifiable offline with ``amanah ledger verify-receipt``."""
    return receipt_response(caller.guarded, index, size)


@router.get("/ledger/consistency", response_model=list[str], tags=["ledger"])
def consistency(
    caller: Authenticated,
    old: Annotated[int, Query(ge=0, le=MAX_INDEX)],
    new: Annotated[int | None, Query(ge=0, le=MAX_INDEX)] = None,
) -> list[str]:
    """An RFC 6962 consistency proof from size ``old`` to ``new`` (default: now), base64."""
    return [base64.b64encode(h).decode("ascii") for h in caller.guarded.consistency(old, new)]


@router.get("/ledger/audit", response_model=AuditOut, tags=["ledger"])
def audit(caller: Authenticated) -> dict[str, object]:
    """Re-hash every entry, rebuild the tree and check every checkpoint's signature."""
    return caller.guarded.audit().to_json()


@router.get(
    "/ledger/tiles.zip",
    response_class=Response,
    tags=["ledger"],
    responses=binary_response("application/zip", "A C2SP tlog-tiles tree, zipped"),
)
def tiles(caller: Authenticated) -> Response:
    """The whole log as a C2SP tlog-tiles tree in a zip, for a USB stick and any
    compatible verifier (``amanah ledger verify-tiles``). Logged as an export."""
    return tiles_response(caller.guarded)


@router.post(
    "/ledger/witness-request",
    response_class=Response,
    tags=["ledger"],
    responses=text_response("A C2SP tlog-witness add-checkpoint request body"),
)
def witness_request(body: WitnessRequestIn, caller: Authenticated) -> Response:
    """The add-checkpoint request for a witness that last cosigned size ``old``."""
    return Response(caller.guarded.witness_request(body.old), media_type="text/plain")


@router.post("/ledger/cosignatures", response_model=CosignOut, tags=["ledger"])
def add_cosignatures(body: CosignIn, caller: Authenticated) -> CosignOut:
    """Store a witness's cosignature lines (each verified first) so that checkpoints and
    receipts carry them."""
    size, added = caller.guarded.add_cosignatures(
        body.cosignature.encode("utf-8", "surrogatepass"), body.witness, body.size
    )
    return CosignOut(size=size, stored=added)


# -- occurrence book --------------------------------------------------------------------------


@router.get("/occurrences", response_model=list[OccurrenceOut], tags=["occurrence book"])
def occurrences(
    caller: Authenticated,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> list[dict[str, Any]]:
    """The newest entries of the daily occurrence book first (times in UTC, as recorded)."""
    return [occurrence_json(r) for r in caller.guarded.occurrence_page(limit, offset)]


@router.post("/occurrences", response_model=RecordedOut, status_code=201, tags=["occurrence book"])
def add_occurrence(body: OccurrenceIn, caller: Authenticated) -> RecordedOut:
    """Write one entry in the occurrence book (``at``: when it happened; default now)."""
    return recorded(caller.guarded.add_occurrence(body.text, body.by, body.at))


@router.post(
    "/occurrences/import", response_model=RecordedOut, status_code=201, tags=["occurrence book"]
)
def import_occurrences(body: OccurrenceImportIn, caller: Authenticated) -> RecordedOut:
    """Import a transcribed paper book: every entry, or none (the first bad one is named)."""
    service = caller.server.app.occurrences
    commands = service.parse_entries(e.model_dump() for e in body.entries)
    return recorded(caller.guarded.import_occurrences(commands))
