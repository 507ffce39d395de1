from __future__ import annotations

import pandas as pd
import pytest

from cyclr_widgets import frames
from tests.support.client import account_connector_item, connector_item

EXPECTED_COLUMNS = {
    "connectors": [
        "Id",
        "Name",
        "Description",
        "Status",
        "Version",
        "AuthType",
        "OAuth2Type",
        "AuthScheme",
        "AuthDescription",
        "Categories",
        "Authentication",
        "Parameters",
    ],
    "accounts": [
        "Id",
        "Name",
        "Description",
        "CreatedDate",
        "Timezone",
        "NextBillDateUtc",
        "AuditInfo",
        "TaskAuditInfo",
        "StepDataSuccessRetentionHours",
        "StepDataErroredRetentionHours",
        "TransactionErrorWebhookEnabled",
        "TransactionErrorWebhookUrl",
        "TransactionErrorWebhookIncludeWarnings",
    ],
    "account_connectors": [
        "Id",
        "Name",
        "Description",
        "Authenticated",
        "AuthValue",
        "IsPartnerIntegrationConnector",
        "Connector.Id",
        "Connector.Name",
        "Connector.Version",
        "Connector.Status",
        "Connector.AuthType",
        "Connector.OAuth2Type",
        "Properties",
    ],
    "account_connector_properties": ["Id", "Name", "Value", "AccountConnectorId"],
    "templates": ["Id", "Name", "Description", "Connectors", "Tags"],
    "cycles": [
        "Id",
        "Name",
        "Description",
        "TemplateId",
        "CreatedOnUtc",
        "Status",
        "LastSuccessfulRunDate",
        "TasksUsed",
        "ErrorCount",
        "WarningCount",
        "InProgressTransactionCount",
        "Connectors",
        "Shareable",
        "ContinueOnStepError",
        "LogStepDataRequests",
        "StepErrorAction",
        "CollectionSplitType",
        "Tags",
        "StepDataSuccessRetentionHours",
        "StepDataErroredRetentionHours",
    ],
    "transactions": [
        "Id",
        "CycleId",
        "CycleName",
        "Status",
        "StartedOnUtc",
        "CompletedOnUtc",
        "TasksUsed",
    ],
    "incidents": [
        "CycleId",
        "CycleName",
        "IncidentLevel",
        "ShortMessage",
        "FullMessage",
        "StepId",
        "StepName",
        "TransactionId",
        "CreatedOnUtc",
        "Id",
    ],
    "transaction_steps": [
        "StepId",
        "StepName",
        "Status",
        "StartedOnUtc",
        "CompletedOnUtc",
        "Request",
        "Response",
        "Message",
        "Id",
        "TransactionId",
    ],
    "cycle_steps": [
        "Id",
        "Name",
        "ActionType",
        "IsTrigger",
        "Method.Name",
        "Method.MethodUniqueIdentifier",
        "AccountConnectorId",
        "Description",
        "CycleId",
        "DisplayPositionLeft",
        "DisplayPositionTop",
    ],
    "cycle_edges": [
        "Id",
        "HeadStepId",
        "TailStepId",
        "EdgeType",
        "CycleId",
    ],
    "cycle_variables": [
        "SystemName",
        "DisplayName",
        "Value",
        "MappingType",
        "ValueType",
        "UserConfigurable",
        "Description",
        "CycleId",
    ],
    "step_fields_for_mapping": [
        "Id",
        "Name",
        "DataType",
        "Description",
        "IsOptional",
        "TriggerName",
        "Values",
        "DisplayOrder",
        "Triggers",
    ],
    "step_field_mappings": [
        "Field.Id",
        "Field.Name",
        "MappingType",
        "Value",
        "SourceStepId",
        "SourceFieldId",
        "TriggerValue",
        "TriggerValueDisplayName",
        "Field.IsOptional",
        "Field.DataType",
        "Field.Values",
        "IsLaunchVisible",
    ],
    "step_parameters": [
        "Parameter.Id",
        "Parameter.Name",
        "MappingType",
        "Value",
        "TriggerValue",
        "TriggerValueDisplayName",
        "SourceStepId",
        "SourceFieldId",
        "IsEntityIdentifier",
        "Parameter.IsOptional",
        "Parameter.DataType",
        "Parameter.TriggerName",
        "Parameter.Values",
        "Parameter.Triggers",
    ],
}
# Cycle objects: the cycles' columns.
EXPECTED_COLUMNS["upgradeable_cycles"] = EXPECTED_COLUMNS["cycles"]

DTYPES = {
    "int": "Int64",
    "str": "string",
    "bool": "boolean",
    "dt": "datetime64[ns, UTC]",
    "list": "object",
    "secret": "string",
    "icon": "string",
}


@pytest.mark.parametrize("kind", sorted(EXPECTED_COLUMNS))
def test_empty_listing_keeps_columns_and_dtypes(kind: str) -> None:
    df = frames.to_frame(kind, [])
    assert list(df.columns) == EXPECTED_COLUMNS[kind]
    assert len(df) == 0
    for name, col_kind in frames.SCHEMAS[kind]:
        if name in df.columns:
            assert str(df[name].dtype) == DTYPES[col_kind], name


@pytest.mark.parametrize("kind", sorted(EXPECTED_COLUMNS))
def test_dtypes_do_not_depend_on_content(kind: str) -> None:
    sparse = frames.to_frame(kind, [{"Id": 1}, {}])
    empty = frames.to_frame(kind, [])
    fixed = list(empty.columns)
    assert list(sparse.columns)[: len(fixed)] == fixed  # the fixed columns stay first
    assert dict(sparse[fixed].dtypes) == dict(empty.dtypes)


def test_connectors_full() -> None:
    df = frames.to_frame("connectors", [connector_item(1), connector_item(2)])
    assert list(df.columns) == EXPECTED_COLUMNS["connectors"]
    assert df["Id"].tolist() == [1, 2]
    assert df["Categories"][0] == ["CRMs"]
    assert isinstance(df["Authentication"][1], list)
    assert df["Authentication"][1][0]["Id"] == "g-1"
    assert df["AuthDescription"].isna().all()


def test_icons_only_when_asked() -> None:
    df = frames.to_frame("connectors", [connector_item(1)], include_icons=True)
    assert df["Icon"][0].startswith("data:image/png;base64,")
    assert frames.columns("connectors", include_icons=True)[-1] == "Icon"
    ac = frames.to_frame("account_connectors", [account_connector_item()], include_icons=True)
    assert "Connector.Icon" in ac.columns
    cycles = [{"Id": "c", "Connectors": [{"Id": 1, "Icon": "data:x"}]}]
    assert frames.to_frame("cycles", cycles)["Connectors"][0] == [{"Id": 1}]
    assert frames.to_frame("cycles", cycles, include_icons=True)["Connectors"][0][0]["Icon"]


def test_account_connectors_flattened_and_masked() -> None:
    items = [
        account_connector_item(),
        account_connector_item(2, AuthValue=None, Authenticated=False),
    ]
    df = frames.to_frame("account_connectors", items)
    assert df["Connector.Id"].tolist() == [2550, 2550]
    assert df["Connector.AuthType"][0] == "OAuth2"
    assert df["AuthValue"][0] == "***"
    assert pd.isna(df["AuthValue"][1])
    assert df["Authenticated"].tolist() == [True, False]
    props = df["Properties"][0]
    assert props[0]["Value"] == "acme"
    assert props[1]["Value"] == "***"
    assert "super-secret" not in df.to_string() and "prop-secret" not in df.to_string()


def test_timestamps() -> None:
    items = [
        {
            "Id": "a",
            "CreatedDate": "2017-12-06T15:54:06.6440352Z",
            "NextBillDateUtc": "0001-01-01T00:00:00",
        },
        {"Id": "b", "CreatedDate": "2020-01-02T03:04:05", "NextBillDateUtc": None},
        {"Id": "c", "CreatedDate": "2020-01-02T05:04:05+02:00", "NextBillDateUtc": "garbage"},
    ]
    df = frames.to_frame("accounts", items)
    created = df["CreatedDate"]
    assert str(created.dtype) == "datetime64[ns, UTC]"
    assert created[0] == pd.Timestamp("2017-12-06T15:54:06.6440352Z")
    assert created[0].nanosecond == 200  # all 7 fractional digits kept
    assert created[1] == pd.Timestamp("2020-01-02T03:04:05Z")  # no offset: UTC
    assert created[2] == pd.Timestamp("2020-01-02T03:04:05Z")
    assert df["NextBillDateUtc"].isna().all()


def test_nullable_ints_and_booleans() -> None:
    items = [
        {"Id": "a", "StepDataSuccessRetentionHours": 24, "TransactionErrorWebhookEnabled": True},
        {"Id": "b", "StepDataSuccessRetentionHours": None, "TransactionErrorWebhookEnabled": None},
    ]
    df = frames.to_frame("accounts", items)
    assert df["StepDataSuccessRetentionHours"].tolist()[0] == 24
    assert df["StepDataSuccessRetentionHours"].isna().tolist() == [False, True]
    assert df["TransactionErrorWebhookEnabled"].isna().tolist() == [False, True]


def test_missing_lists_become_empty_lists() -> None:
    df = frames.to_frame("templates", [{"Id": "t", "Tags": None}])
    assert df["Tags"][0] == [] and df["Connectors"][0] == []


def test_properties_frame_masks_secret_values() -> None:
    df = frames.to_frame("account_connector_properties", account_connector_item()["Properties"])
    assert df["Value"].tolist() == ["acme", "***"]


def test_unknown_kind() -> None:
    with pytest.raises(ValueError, match="unknown listing"):
        frames.to_frame("nope", [])


def test_fields_the_schema_does_not_know_appear_after_the_fixed_ones_secrets_masked() -> None:
    # What a live partner account may send beyond the documented fields: new scalars, nested
    # objects, lists, and secrets under names Cyclr never documented (top level and nested).
    items = [
        {
            "Id": "t1",
            "CycleId": "c",
            "Surprise": 1,
            "Flag": True,
            "Owner": {"Name": "Jane", "RefreshToken": "rt-SECRET-1", "Team": {"Id": 7}},
            "Labels": ["a", "b"],
            "ApiKey": "ak-SECRET-2",
            "ClientSecret": "cs-SECRET-3",
            "SessionToken": "st-SECRET-4",
            "TokenExpiresAtUtc": "2030-01-01T00:00:00Z",
            "Steps": [{"Name": "x", "Password": "pw-SECRET-5"}],
            "Settings": [{"Name": "ApiPassword", "Value": "pv-SECRET-6"}],
            "Dump": "HTTP/1.1 200 OK\r\nAuthorization: Bearer bt-SECRET-7\r\nAccept: */*",
        },
        {"Id": "t2", "CycleId": "c", "Later": "only on the second row"},
    ]
    df = frames.to_frame("transactions", items)
    fixed = frames.columns("transactions")
    assert list(df.columns)[: len(fixed)] == fixed
    extras = list(df.columns)[len(fixed) :]
    assert extras == [
        "Surprise",
        "Flag",
        "Owner.Name",
        "Owner.RefreshToken",
        "Owner.Team.Id",
        "Labels",
        "ApiKey",
        "ClientSecret",
        "SessionToken",
        "TokenExpiresAtUtc",
        "Steps",
        "Settings",
        "Dump",
        "Later",
    ]
    assert str(df["Surprise"].dtype) == "Int64" and str(df["Flag"].dtype) == "boolean"
    assert str(df["Owner.Name"].dtype) == "string" and df["Owner.Team.Id"].tolist() == [7, pd.NA]
    assert df["Labels"][0] == ["a", "b"]
    assert df["Later"].isna().tolist() == [True, False]
    for name in ("Owner.RefreshToken", "ApiKey", "ClientSecret", "SessionToken"):
        assert df[name][0] == "***", name
    assert df["TokenExpiresAtUtc"][0] == "2030-01-01T00:00:00Z"  # describes a token: kept
    assert df["Steps"][0] == [{"Name": "x", "Password": "***"}]
    assert df["Settings"][0] == [{"Name": "ApiPassword", "Value": "***"}]
    assert "Authorization: ***" in df["Dump"][0]
    shown = df.to_string() + df.to_json(date_format="iso") + repr(df.to_dict())
    assert "SECRET" not in shown
