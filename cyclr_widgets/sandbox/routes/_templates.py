"""Templates: the list with Cyclr's filters, one template, install, export and import."""

from __future__ import annotations

import json
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..seed import instantiate
from ._cycle_state import DEFAULTS, cycle_doc, cycle_out, guid, now_iso
from ._http import GUID, ApiError, Ctx, ctx, listed, paging, require
from ._query import filter_connectors, q_bool, q_order
from ._templates_io import check_import
from ._validate import MAX_NAME_LEN, body_json, opt_str

__all__ = ["routes", "save_instance"]

#: ``orderBy`` values of the templates list (R §6.1 saw ``Id``; D's example sends ``Name``).
ORDER = {"Id": lambda t: t["Id"], "Name": lambda t: t["Name"].lower()}


def template_doc(c: Ctx, raw: str) -> dict[str, Any]:
    """The stored template (internal ``_`` keys included); 400 malformed, 404 unknown."""
    row = c.store.one("SELECT data FROM templates WHERE id=?", guid(raw))
    if row is None:
        raise ApiError(404, f"Template '{raw}' not found.")
    return json.loads(row["data"])  # type: ignore[no-any-return]


def template_out(tpl: dict[str, Any], icons: bool) -> dict[str, Any]:
    out = {k: v for k, v in tpl.items() if not k.startswith("_")}
    out["Connectors"] = [{**c, "Icon": c.get("Icon") if icons else None} for c in tpl["Connectors"]]
    out["Tags"] = list(tpl.get("Tags") or [])
    return out


def list_icons(request: Request) -> bool:
    """``includeIcons`` of a list (templates, cycles).

    Cyclr documents the flag but not its default; D-tpl's sample
    item shows ``"Icon": null`` for MailChimp, which has an icon, so lists leave icons out
    unless asked (switch ``list_icons_default``); single objects and installs carry them.
    """
    return q_bool(request, "includeIcons", bool(ctx(request).switches.get("list_icons_default")))


async def templates_list(request: Request) -> Response:
    require(request)  # partner level; the account header is accepted but not needed
    page, size, asc = paging(request)
    key = q_order(request, ORDER)
    icons = list_icons(request)
    rows = ctx(request).store.all("SELECT data FROM templates ORDER BY seq")
    # Only published templates are listed (D-tpl); imported ones start as drafts.
    items = [t for t in (json.loads(r["data"]) for r in rows) if t.get("_Published", True)]
    items = filter_connectors(request, items)
    if key is not None:
        items.sort(key=key)
    if not asc:
        items.reverse()
    page_items = [template_out(t, icons) for t in items[(page - 1) * size : page * size]]
    return listed(page_items, len(items), size)


async def template_get(request: Request) -> Response:
    require(request)
    icons = q_bool(request, "includeIcons", True)
    return JSONResponse(
        template_out(template_doc(ctx(request), request.path_params["template_id"]), icons)
    )


def save_instance(
    db: Any, cycle_id: str, specs: list[dict[str, Any]], edges: list[Any], ac_for: Any
) -> None:
    """Write a cycle's steps, edges and step fields made from specs (new GUIDs)."""
    steps, edge_rows, fields = instantiate(
        specs, edges, cycle_id, ac_for, lambda: str(uuid.uuid4())
    )
    db.executemany(
        "INSERT INTO steps (id, cycle_id, data) VALUES (?, ?, ?)",
        [(s["Id"], cycle_id, json.dumps(s)) for s in steps],
    )
    db.executemany(
        "INSERT INTO edges (id, cycle_id, data) VALUES (?, ?, ?)",
        [(e["Id"], cycle_id, json.dumps(e)) for e in edge_rows],
    )
    db.executemany(
        "INSERT INTO step_fields (step_id, kind, id, data) VALUES (?, ?, ?, ?)",
        [(f["StepId"], f["Kind"], f["Id"], json.dumps(f["Data"])) for f in fields],
    )


async def template_install(request: Request) -> Response:
    acc_id = require(request, account=True)
    c = ctx(request)
    tpl = template_doc(c, request.path_params["template_id"])
    icons = q_bool(request, "includeIcons", True)  # D-tinst: "includeIcons=false" turns them off
    body = await body_json(request)
    name = opt_str(body, "Name", MAX_NAME_LEN)
    if name is not None and not name.strip():
        raise ApiError(400, "Name is required.")
    conns = [c.store.connector(tc["Id"]) for tc in tpl["Connectors"]]
    if any(conn is None for conn in conns):
        raise ApiError(400, "Failed to install template.")
    cycle_id = str(uuid.uuid4())
    with c.store.tx() as db:
        ac_by_conn: dict[int, int] = {}
        for conn in conns:
            assert conn is not None
            # Reuse an account connector of the same connector, as Cyclr does unless the
            # template asks for a fresh installation (D-tinst); else install it, unauthenticated.
            row = db.execute(
                "SELECT id FROM account_connectors WHERE account_id=? AND connector_id=? "
                "ORDER BY authenticated DESC, id LIMIT 1",
                (acc_id, conn["Id"]),
            ).fetchone()
            if row is None:
                cur = db.execute(
                    "INSERT INTO account_connectors (account_id, connector_id, name, "
                    "authentication_id, authenticated) VALUES (?, ?, ?, ?, ?)",
                    (
                        acc_id,
                        conn["Id"],
                        conn["Name"],
                        conn["Authentication"][0]["Id"] if conn["Authentication"] else None,
                        int(conn["AuthType"] == "None"),
                    ),
                )
                ac_by_conn[conn["Id"]] = int(cur.lastrowid or 0)
            else:
                ac_by_conn[conn["Id"]] = row["id"]
        data = {
            "Id": cycle_id,
            "AccountId": acc_id,
            "Name": name or tpl["Name"],
            "Description": tpl["Description"],
            "TemplateId": tpl["Id"],
            "CreatedOnUtc": now_iso(c),
            "Status": "Paused",
            "TasksUsed": 0,
            "Interval": 15,
            "AccountConnectorIds": list(dict.fromkeys(ac_by_conn.values())),
            "Tags": list(tpl.get("Tags") or []),
            **DEFAULTS,
            "_TemplateRelease": tpl.get("_Release", 1),
        }
        db.execute(
            "INSERT INTO cycles (id, account_id, status, data) VALUES (?, ?, 'Paused', ?)",
            (cycle_id, acc_id, json.dumps(data)),
        )
        save_instance(db, cycle_id, tpl.get("_Steps", []), tpl.get("_Edges", []), ac_by_conn.get)
        db.executemany(
            "INSERT INTO variables (cycle_id, name, data) VALUES (?, ?, ?)",
            [
                (cycle_id, v["SystemName"], json.dumps({**v, "CycleId": cycle_id}))
                for v in tpl.get("_Variables", [])
            ],
        )
    assert acc_id is not None
    doc, status = cycle_doc(c, acc_id, cycle_id)
    return JSONResponse(cycle_out(c, doc, status, icons=icons))


async def template_export(request: Request) -> Response:
    require(request)
    c = ctx(request)
    tpl = template_doc(c, request.path_params["template_id"])
    by_id = {x["Id"]: x for x in tpl["Connectors"]}
    steps = []
    for s in tpl.get("_Steps", []):
        conn = by_id.get(s.get("ConnectorId"))
        connector = None if conn is None else {"Name": conn["Name"], "Version": conn["Version"]}
        steps.append({**s, "Connector": connector})
    # The export carries the connector releases (D-rn 2022-05-03) but no account connector
    # properties or webhook keys (D-tie).
    return JSONResponse(
        {
            "Id": tpl["Id"],
            "Name": tpl["Name"],
            "Description": tpl["Description"],
            "Tags": list(tpl.get("Tags") or []),
            "ExportedOnUtc": now_iso(c),
            "Connectors": [
                {"Id": x["Id"], "Name": x["Name"], "Version": x["Version"]}
                for x in tpl["Connectors"]
            ],
            "Steps": steps,
            "Edges": [{"HeadStepKey": h, "TailStepKey": t} for h, t in tpl.get("_Edges", [])],
            "Variables": [
                {k: v for k, v in var.items() if k != "CycleId"}
                for var in tpl.get("_Variables", [])
            ],
        }
    )


async def template_import(request: Request) -> Response:
    require(request)
    c = ctx(request)
    folder = request.query_params.get("folderid")
    if folder is not None:  # R §6.1's two folder messages
        if not GUID.match(folder):
            raise ApiError(400, "Folder ID is invalid.")
        if c.store.one("SELECT 1 FROM template_folders WHERE id=?", folder.lower()) is None:
            raise ApiError(400, "Folder with provided ID could not be found.")
    body = await body_json(request, required=True)
    tpl = check_import(body, c.store.connectors())
    tpl.update(Id=str(uuid.uuid4()), _Published=False, _Folder=folder and folder.lower())
    with c.store.tx() as db:
        db.execute("INSERT INTO templates (id, data) VALUES (?, ?)", (tpl["Id"], json.dumps(tpl)))
    return JSONResponse(template_out(tpl, True))


def routes() -> list[Route]:
    """The template routes (``/templates/import`` is a route, never a template id)."""
    one = "/v1.0/templates/{template_id:id}"
    return [
        Route("/v1.0/templates", templates_list, methods=["GET"]),
        Route("/v1.0/templates/import", template_import, methods=["POST"]),
        Route(one, template_get, methods=["GET"]),
        Route(one + "/install", template_install, methods=["POST"]),
        Route(one + "/export", template_export, methods=["GET"]),
    ]
