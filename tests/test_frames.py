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
    assert dict(sparse.dtypes) == dict(empty.dtypes)


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


def test_extra_fields_dropped_and_unknown_kind() -> None:
    df = frames.to_frame("transactions", [{"Id": "t", "CycleId": "c", "Surprise": 1}])
    assert "Surprise" not in df.columns and df["Id"].tolist() == ["t"]
    with pytest.raises(ValueError, match="unknown listing"):
        frames.to_frame("nope", [])
