"""Tables that read like a product (issue #14), kernel-free: labels, chips, times, icons, actions.

The front end is played by messages (``hello``, ``icons``, ``row_action``) into the widgets; what
they send back is captured. The DataFrames keep Cyclr's field names: only the display changes.
Icons travel only by message, for the rows a view asks about, and never enter the saved state:
the state per connector stays under 300 bytes at 1,000 connectors with icons shown.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone
from typing import Any

import ipywidgets
import pytest

from cyclr_widgets.core import CyclrError
from cyclr_widgets.widgets import AccountExplorer, ConnectorBrowser
from cyclr_widgets.widgets._actions import READ_ONLY
from cyclr_widgets.widgets._columns import Column, auth_status, specs
from cyclr_widgets.widgets._explorer_partner import HealthTablePart
from cyclr_widgets.widgets._flow_types import OAuthResult
from cyclr_widgets.widgets._icons import PENDING, IconSource, safe_icon
from cyclr_widgets.widgets._popup_state import OAuthPopupPart
from cyclr_widgets.widgets._table import DataTable
from cyclr_widgets.widgets.connector_browser import track_sign_in
from tests.support.explorer import ACCOUNT, NOW
from tests.support.explorer import FakeClient as ExplorerFake
from tests.widgets.test_connector_browser import CONNECTORS
from tests.widgets.test_connector_browser import FakeClient as BrowserFake

HANG_GUARD_S = 60.0  # background icon reads are waited for until done; this bounds a hang only

PNG = "data:image/png;base64," + base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 40).decode()
SVG = "data:image/svg+xml;base64," + base64.b64encode(b"<svg xmlns='x'/>").decode()


def capture(widget: Any) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []
    widget.send = lambda content, buffers=None: sent.append(json.loads(json.dumps(content)))
    return sent


def hello(table: Any) -> dict[str, Any]:
    sent = capture(table)
    table._handle_custom_msg({"kind": "hello"}, [])
    return sent[-1]


def front(widget: Any, part: str, **content: Any) -> None:
    widget._handle_custom_msg({"part": part, **content}, [])


def cells(msg: dict[str, Any], field: str) -> list[Any]:
    at = msg["columns"].index(field)
    return [row[at] for row in msg["rows"]]


# -- labels, kinds, chips, times ---------------------------------------------------------------


def test_explorer_tables_have_human_labels_chips_and_the_clients_now():
    e = AccountExplorer(ExplorerFake(), ACCOUNT)
    msg = hello(e.connectors_table)
    labels = {s["field"]: s["label"] for s in msg["specs"]}
    assert labels["Connector.AuthType"] == "Auth" and labels["Connector.Name"] == "Connector"
    assert labels["Connector.Version"] == "Version" and labels["Authenticated"] == "Status"
    kinds = {s["field"]: s["kind"] for s in msg["specs"]}
    assert kinds == {**kinds, "@icon": "icon", "Authenticated": "chip", "@actions": "actions"}
    # Authentication as words on a chip with a tone, never Yes/No.
    assert cells(msg, "Authenticated") == [
        "Not authenticated",
        "Authenticated",
        "Not authenticated",
    ]
    tones = next(s["tones"] for s in msg["specs"] if s["field"] == "Authenticated")
    assert tones["Authenticated"] == "ok" and tones["Not authenticated"] == "warn"
    assert msg["now"] == NOW.isoformat() and msg["label"] == "Connectors"
    # The DataFrame keeps Cyclr's field names and values.
    assert e.account_connectors_df["Authenticated"].tolist() == [False, True, False]

    cycles = hello(e.cycles_table)
    assert [s["label"] for s in cycles["specs"]] == [
        "Name", "Status", "Errors", "Warnings", "Last success", "ID"]  # fmt: skip
    assert cycles["specs"][1]["kind"] == "chip" and cycles["specs"][4]["kind"] == "time"
    assert cells(cycles, "LastSuccessfulRunDate") == ["2024-01-02T03:04:05+00:00", None]
    incidents = hello(e.incidents_table)
    assert [s["label"] for s in incidents["specs"]] == ["When", "Level", "Cycle", "Step", "Message"]
    assert incidents["zone"] == "America/New_York" and incidents["filter_label"] == "Level"


def test_status_words_and_the_failed_sign_in_chip():
    assert auth_status({"Authenticated": True}) == "Authenticated"
    assert auth_status({"Authenticated": False}) == "Not authenticated"
    assert auth_status({"Authenticated": False}, failed=True) == "Sign-in failed"
    t = DataTable([{"Id": 1, "Status": "CompletedWithWarnings"}], columns=["Status"])
    assert cells(hello(t), "Status") == ["Completed with warnings"]
    assert t.data["Status"].tolist() == ["CompletedWithWarnings"]  # the frame keeps Cyclr's
    failed: set[str] = set()
    track_sign_in(failed, 51)(OAuthResult("denied", False, 51, "no"))
    assert failed == {"51"}
    track_sign_in(failed, 51)(OAuthResult("authenticated", True, 51, "ok"))
    assert failed == set()
    with pytest.raises(ValueError):
        Column("x", kind="sparkline")


def test_times_are_sent_as_utc_with_the_injected_clock():
    when = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
    t = DataTable(
        [{"Id": "a", "CreatedOnUtc": "2026-12-01T09:00:00.0000000Z"}],
        kind="incidents", columns=["CreatedOnUtc"], clock=lambda: NOW,
    )  # fmt: skip
    msg = hello(t)
    assert msg["rows"] == [[when.isoformat()]] and msg["now"] == "2026-12-01T12:00:00+00:00"
    assert msg["specs"] == [{"field": "CreatedOnUtc", "label": "When", "kind": "time"}]


# -- filters that fit their tables -----------------------------------------------------------


def test_each_table_filters_by_what_it_holds():
    e = AccountExplorer(ExplorerFake(), ACCOUNT)
    assert e.connectors_table.categories == ["Authenticated", "Not authenticated"]
    e.connectors_table.category = "Not authenticated"
    assert e.connectors_table.visible_df["Name"].tolist() == ["Salesforce", "Mailchimp"]
    assert hello(e.connectors_table)["filter_label"] == "Status"
    assert e.incidents_table.categories[:3] == ["Error", "Warning", "Info"]
    assert hello(e.cycles_table)["filter_label"] == "Status"
    assert e.accounts_table.categories == [] and e.accounts_table.category_column == ""
    b = ConnectorBrowser(BrowserFake(), "acct-1")
    assert hello(b.library)["filter_label"] == "Category"
    assert b.installed_table.category_column == "Authenticated"


def test_search_reads_chip_text_but_never_icons_or_buttons():
    e = AccountExplorer(ExplorerFake(), ACCOUNT)
    e.connectors_table.query = "not authenticated"
    assert e.connectors_table.visible_count == 2
    e.connectors_table.query = "connect"  # only the buttons say "Connect"
    assert e.connectors_table.visible_count == 0


# -- icons ----------------------------------------------------------------------------------


def test_safe_icon_takes_data_uris_urls_and_bare_base64_images_only():
    assert safe_icon(PNG) == PNG and safe_icon(SVG) == SVG
    assert safe_icon("https://cdn.example.com/i.png") == "https://cdn.example.com/i.png"
    bare = PNG.split(",", 1)[1]
    assert safe_icon(bare) == PNG  # Cyclr's bare base64: typed by its first bytes
    for bad in ("javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", "ftp://x/i.png",
                "https://x/\"onerror=alert(1)", base64.b64encode(b"plain text").decode(), "", None,
                42, "data:image/png;base64,<script>"):  # fmt: skip
        assert safe_icon(bad) is None, bad


def test_icons_are_sent_by_message_for_the_rows_asked_only():
    b = ConnectorBrowser(BrowserFake(), "acct-1")
    b.library.set_rows([{**c, "Icon": PNG if c["Id"] != 2 else "javascript:x"} for c in CONNECTORS])
    msg = hello(b.library)
    assert "Icon" not in json.dumps(msg) and PNG not in json.dumps(msg)
    sent = capture(b.library)
    b.library._handle_custom_msg({"kind": "icons", "ids": ["1", "2", "nope", 3, {"x": 1}, "1"]}, [])
    # 1's icon is in its record: at once. 2's is refused, so its connector is read from Cyclr,
    # in the background; its answer follows (the fake library has no icon for it either).
    assert sent == [{"kind": "icons", "icons": {"1": PNG}}]
    assert b._icons.wait(HANG_GUARD_S)
    assert sent[1:] == [{"kind": "icons", "icons": {"2": None}}]


def test_a_listing_without_icons_reads_each_connector_once():
    client = BrowserFake()
    calls: list[int] = []
    library = {c["Id"]: {**c, "Icon": SVG} for c in CONNECTORS}

    def connector(cid: int, *, account_id: str) -> dict[str, Any]:
        calls.append(cid)
        return library[cid]

    client.connector = connector  # type: ignore[method-assign]
    b = ConnectorBrowser(client, "acct-1")
    calls.clear()
    sent = capture(b.library)
    b.library._handle_custom_msg({"kind": "icons", "ids": ["1", "3"]}, [])
    assert sent == []  # being read: nothing to answer yet, and the kernel is not held up
    assert b._icons.wait(HANG_GUARD_S)
    # Sent as each read ends (one message per read here).
    assert {k: v for m in sent for k, v in m["icons"].items()} == {"1": SVG, "3": SVG}
    b.library._handle_custom_msg({"kind": "icons", "ids": ["1", "3"]}, [])  # a second view
    assert calls == [1, 3] and sent[-1]["icons"] == {"1": SVG, "3": SVG}  # cached: read once


def test_a_refused_icon_read_answers_none_once_then_reads_again():
    calls: list[int] = []

    def refuse(cid: int) -> dict[str, Any]:
        calls.append(cid)
        raise CyclrError("Too many requests")

    source = IconSource(refuse)
    ready: list[int] = []
    source.on_ready(lambda: ready.append(1))
    assert source.icon(7) is PENDING
    assert source.wait(HANG_GUARD_S) and ready == [1]
    assert source.icon(7) is None and len(source) == 0  # refused: no icon this time, not kept
    assert source.icon(7) is PENDING  # asked again later: read again (perhaps it was a 429)
    assert source.wait(HANG_GUARD_S) and calls == [7, 7]


def test_the_explorer_reads_installed_connectors_icons_from_the_library():
    e = AccountExplorer(ExplorerFake(), ACCOUNT)
    sent = capture(e.connectors_table)
    e.connectors_table._handle_custom_msg({"kind": "icons", "ids": ["51", "52"]}, [])
    assert e._icons.wait(HANG_GUARD_S)
    # Neither record has an icon; the library's records neither: none, and no failure.
    assert [m["icons"] for m in sent] in (
        [{"51": None, "52": None}],  # both read before the answer went out ...
        [{"51": None}, {"52": None}],  # ... or one after the other
    )


def sync_state(widget: Any) -> int:
    """Bytes of the widget's saved state: its sync=True traits, without the ES module and CSS
    (the same for any number of rows)."""
    state = widget.get_state()
    return len(json.dumps({k: v for k, v in state.items() if k not in ("_esm", "_css")}))


def test_saved_state_per_connector_stays_small_with_icons_shown(monkeypatch):
    def browser(n: int) -> tuple[ConnectorBrowser, int]:
        client = BrowserFake()
        many = [{**CONNECTORS[i % 5], "Id": 1000 + i, "Name": f"Connector {i}",
                 "Icon": PNG + "A" * 2000} for i in range(n)]  # fmt: skip
        monkeypatch.setattr(client, "iter_connectors", lambda *a, **k: iter(many))
        b = ConnectorBrowser(client, "acct-1")
        capture(b.library)
        ids = [str(1000 + i) for i in range(min(n, 200))]
        b.library._handle_custom_msg({"kind": "icons", "ids": ids}, [])  # icons shown
        b.select(1003)
        return b, sync_state(b)

    small, ten = browser(10)
    big, thousand = browser(1000)
    assert (thousand - ten) / 990 < 300, (ten, thousand)
    assert thousand / 1000 < 300, thousand
    full = json.dumps(ipywidgets.Widget.get_manager_state(widgets=[big]), default=str)
    assert "A" * 2000 not in full and "Connector 999" not in full
    small.close()
    big.close()


# -- row actions ------------------------------------------------------------------------------


def test_install_on_a_library_row_selects_it_for_the_form():
    b = ConnectorBrowser(BrowserFake(), "acct-1")
    assert cells(hello(b.library), "@actions")[0] == [["install", "Install"]]
    b.library._handle_custom_msg({"kind": "row_action", "id": "3", "action": "install"}, [])
    assert b.selected is not None and b.selected["Id"] == 3 and b.form.schema


def test_connect_and_reauthenticate_on_installed_rows_of_the_browser():
    client = BrowserFake()
    oauth, key = {"Id": 1, "AuthType": "OAuth2"}, {"Id": 2, "AuthType": "ApiKey"}
    client.installed = [
        {"Id": 9001, "Name": "SF", "Authenticated": False, "Connector": oauth},
        {"Id": 9002, "Name": "HS", "Authenticated": True, "Connector": oauth},
        {"Id": 9003, "Name": "Key", "Authenticated": False, "Connector": key},
    ]
    b = ConnectorBrowser(client, "acct-1")
    assert cells(hello(b.installed_table), "@actions") == [
        [["connect", "Connect"]], [["reauthenticate", "Re-authenticate"]], []]  # fmt: skip
    table = b.installed_table
    table._handle_custom_msg({"kind": "row_action", "id": "9003", "action": "connect"}, [])
    assert b.popup is None  # not offered on that row: refused
    table._handle_custom_msg({"kind": "row_action", "id": "9001", "action": "connect"}, [])
    assert isinstance(b.popup, OAuthPopupPart) and b.popup._ac_id == 9001
    b.popup = None
    table._handle_custom_msg({"kind": "row_action", "id": "9002", "action": "reauthenticate"}, [])
    assert b.popup is None and b.installed_actions.pending["question"].startswith(
        "Re-authenticate HS"
    )
    front(b, "installed_actions", kind="confirm", token=b.installed_actions.pending["token"])
    assert b.popup is not None and b.popup._ac_id == 9002


def test_explorer_row_connect_opens_the_popup_and_reauthenticate_asks_first():
    e = AccountExplorer(ExplorerFake(), ACCOUNT)
    msg = hello(e.connectors_table)
    connect, reauth = [["connect", "Connect"]], [["reauthenticate", "Re-authenticate"]]
    assert cells(msg, "@actions") == [connect, reauth, connect]
    front(e, "connectors_table", kind="row_action", id="51", action="connect")
    assert e.connectors_table.selected_id == "51" and e.popup is not None and e.popup._ac_id == 51
    e.popup = None
    front(e, "connectors_table", kind="row_action", id="52", action="reauthenticate")
    assert e.popup is None and e.connector_actions.pending["question"].startswith("Re-authenticate")
    front(e, "connector_actions", kind="confirm", token=e.connector_actions.pending["token"])
    assert e.popup is not None and e.popup._ac_id == 52
    # An API-key connector: its row selects it, and the credentials form is the way on.
    e.popup = None
    front(e, "connectors_table", kind="row_action", id="53", action="connect")
    assert e.popup is None and e.credentials_form.schema


def test_read_only_shows_no_row_action_and_refuses_the_message():
    e = AccountExplorer(ExplorerFake(), ACCOUNT, read_only=True)
    assert "@actions" not in hello(e.connectors_table)["columns"]
    sent = capture(e)
    front(e, "connectors_table", kind="row_action", id="51", action="connect")
    assert e.popup is None and e.connectors_table.selected_id == ""
    assert [m["kind"] for m in sent] == ["refused"] and sent[0]["message"] == READ_ONLY


def test_specs_default_by_field_name():
    by = {c.field: c for c in specs(["Connector.AuthType", "IncidentLevel", "StartedOnUtc", "X"])}
    assert (by["Connector.AuthType"].label, by["Connector.AuthType"].kind) == ("Auth", "text")
    assert (by["IncidentLevel"].label, by["IncidentLevel"].kind) == ("Level", "chip")
    assert (by["StartedOnUtc"].label, by["StartedOnUtc"].kind) == ("Started", "time")
    assert (by["X"].label, by["X"].kind) == ("X", "text")


def test_the_health_table_sends_labels_and_the_clients_now():
    table = HealthTablePart(clock=lambda: NOW)
    msg = hello(table)
    labels = [s["label"] for s in msg["specs"]]
    assert labels[:2] == ["Health", "Name"] and "Last success" in labels
    kinds = {s["field"]: s["kind"] for s in msg["specs"]}
    assert kinds["LastSuccessfulRun"] == "time" and msg["now"] == NOW.isoformat()
    assert msg["columns"][0] == "Score"  # the view draws it as a chip by its band


def test_row_buttons_by_auth_kind():
    from cyclr_widgets.widgets.connector_browser import connect_actions

    def row(auth_type, authenticated=False):
        return {"Authenticated": authenticated, "Connector": {"AuthType": auth_type}}

    # The explorer offers every connector that authenticates a button; OAuth or credentials.
    assert connect_actions(row("OAuth2"), oauth_only=False) == [["connect", "Connect"]]
    assert connect_actions(row("ApiKey", True), oauth_only=False) == [
        ["reauthenticate", "Re-authenticate"]
    ]
    # ConnectorBrowser's installed table: OAuth only.
    assert connect_actions(row("ApiKey")) == []
    # Nothing to connect on a connector without authentication, authenticated or not.
    assert connect_actions(row("None", True), oauth_only=False) == []
    assert connect_actions({"Authenticated": True, "Connector": {}}, oauth_only=False) == []
