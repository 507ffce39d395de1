"""The sandbox half of the catalogue, rows #2-#55: each route exists and the seeded ids resolve.

Raw HTTP, one request per row with the row's verb and path (ids from ``sb.ids``) and a small
valid body where the route needs one; each row runs on a fresh seed (the ``sb`` fixture resets).
The client half (``tests/test_catalogue.py``) calls the same rows through the client.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from cyclr_widgets.sandbox import Sandbox
from tests.support.catalogue import CATALOGUE, Endpoint, Ref, resolve
from tests.support.sandbox import *  # noqa: F403  (fixtures)

ACC, SUB, USER = Ref("account_id"), Ref("sub_account_id"), Ref("username")
CONN, CNAME, CVER = Ref("first_connector_id"), Ref("connector_name"), Ref("connector_version")
AC, PROP, FIELD = Ref("first_account_connector_id"), Ref("property_id"), Ref("custom_field_id")
DOD, METHOD = Ref("dod_account_connector_id"), Ref("method_uid")
PW = "Password123!"
INSTALL = {"Name": "Catalogue install"}
USER_BODY = {"AccountId": ACC, "Username": USER, "Password": PW}


def _dod_body(ids: dict[str, Any]) -> dict[str, Any]:
    return {"Parameters": {str(ids["dod_parameter_id"]): "2"}}


Body = dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]] | None
# n -> (the path's parameters in order, the JSON body or None)
ROWS: dict[str, tuple[list[Any], Body]] = {
    "2": ([], None),
    "3": ([], {"Name": "Catalogue Co", "Id": "catalogue-co"}),
    "4": ([ACC], None),
    "5": ([ACC], {"Description": "x"}),
    "6": ([SUB], None),
    "7": ([ACC], None),
    "8": ([ACC], None),
    "9": ([ACC], None),
    "10": ([ACC], {"UserName": "new.user", "Password": PW}),
    "11": ([ACC], {"UserName": USER}),
    "12": ([], {"UserName": USER, "Password": "NewPassword123!"}),
    "13": ([ACC], {"Username": USER}),
    "14": ([], None),
    "15": ([ACC], {}),
    "16": ([], USER_BODY),
    "17": ([ACC], {}),
    "18": ([], USER_BODY),
    "19": ([ACC], {"MarketplaceId": Ref("marketplace_id")}),
    "20": ([], {**USER_BODY, "MarketplaceId": Ref("marketplace_id")}),
    "21": ([], None),
    "22": ([CONN], None),
    "23": ([CNAME], None),
    "24": ([CNAME, CVER], None),
    "25": ([CONN], None),
    "26": ([CNAME], None),
    "27": ([CNAME, CVER], None),
    "28": ([Ref("method_id")], None),
    "29": ([CONN], INSTALL),
    "30": (["Slack"], INSTALL),
    "31": ([CNAME, CVER], INSTALL),
    "32": ([], None),
    "33": ([AC], None),
    "34": ([AC], {"Description": "updated"}),
    "35": ([AC], None),
    "36": ([AC], {}),
    "37": ([AC], None),
    "38": ([AC], {"Name": "subdomain", "Value": "acme"}),
    "39": ([AC, PROP], None),
    "40": ([AC, PROP], {"Value": "acme-2"}),
    "41": ([AC, PROP], None),
    "42": ([AC], None),
    "43": (
        [AC],
        {"ConnectorField": "custom_field_1", "DisplayName": "Custom 1", "DataType": "Text"},
    ),
    "44": ([AC, FIELD], None),
    "45": ([AC, FIELD], {"DisplayName": "Renamed"}),
    "46": ([AC, FIELD], None),
    "47": ([AC, Ref("trigger_id")], {}),
    "48": ([DOD, METHOD], None),
    "49": ([DOD, METHOD], _dod_body),
    "50": ([DOD, METHOD], None),
    "51": ([DOD, METHOD], _dod_body),
    "52": ([], None),
    "53": ([], {"Name": "Catalogue Custom", "Description": "made by the catalogue test"}),
    "54": ([Ref("custom_connector_id")], None),
    "55": ([Ref("custom_connector_id")], None),
}
MINE = [e for e in CATALOGUE if e.n.isdigit() and 2 <= int(e.n) <= 55]


def test_every_row_of_the_range_is_described() -> None:
    assert sorted(e.n for e in MINE) == sorted(ROWS)


def _path(row: Endpoint, ids: dict[str, Any]) -> str:
    values = iter(resolve(ROWS[row.n][0], ids))
    path = re.sub(r"\{[^}]+\}", lambda _: quote(str(next(values)), safe=""), row.path)
    assert row.pattern().match(path), (row.path, path)
    return path


@pytest.mark.parametrize("row", MINE, ids=lambda e: f"{e.n}-{e.verb}-{e.path}")
def test_catalogue_row_is_served(sb: Sandbox, api: httpx.Client, row: Endpoint) -> None:
    ids = sb.ids
    body = ROWS[row.n][1]
    body = body(ids) if callable(body) else resolve(body, ids)
    r = api.request(row.verb, _path(row, ids), json=body)
    assert 200 <= r.status_code < 300, (row.n, r.status_code, r.text[:300])


def test_the_ids_the_catalogue_names_exist(sb: Sandbox) -> None:
    names = {v.key for e in CATALOGUE for v in _refs([e.args, e.kwargs])}
    mine = {"custom_connector_id", "dod_account_connector_id", "method_uid", "method_id"}
    assert mine <= names
    missing = {n for n in names if n not in sb.ids}
    # The cycles side (templates, steps, history) is seeded by the other half of the sandbox.
    others = {"template_id", "cycle_id", "step_id", "edge_id", "variable_name", "field_id"}
    others |= {"parameter_id", "transaction_id"}
    assert missing <= others, missing - others


def _refs(value: Any) -> list[Ref]:
    if isinstance(value, Ref):
        return [value]
    if isinstance(value, (list, tuple)):
        return [r for v in value for r in _refs(v)]
    if isinstance(value, dict):
        return [r for v in value.values() for r in _refs(v)]
    return []
