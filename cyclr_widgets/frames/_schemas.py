"""The fixed columns of each listing's DataFrame: Cyclr's field names and their kinds.

A kind is one of ``int``, ``str``, ``bool``, ``dt``, ``list``, ``secret``, ``icon`` (see the
package docstring for their dtypes). The most useful columns come first; every field Cyclr sends
beyond these follows them in the DataFrame (nothing is dropped).
"""

from __future__ import annotations

__all__ = ["SCHEMAS"]

SCHEMAS: dict[str, tuple[tuple[str, str], ...]] = {
    "connectors": (
        ("Id", "int"),
        ("Name", "str"),
        ("Description", "str"),
        ("Status", "str"),
        ("Version", "str"),
        ("AuthType", "str"),
        ("OAuth2Type", "str"),
        ("AuthScheme", "str"),
        ("AuthDescription", "str"),
        ("Categories", "list"),
        ("Authentication", "list"),
        ("Parameters", "list"),
        ("Icon", "icon"),
    ),
    "accounts": (
        ("Id", "str"),
        ("Name", "str"),
        ("Description", "str"),
        ("CreatedDate", "dt"),
        ("Timezone", "str"),
        ("NextBillDateUtc", "dt"),
        ("AuditInfo", "str"),
        ("TaskAuditInfo", "str"),
        ("StepDataSuccessRetentionHours", "int"),
        ("StepDataErroredRetentionHours", "int"),
        ("TransactionErrorWebhookEnabled", "bool"),
        ("TransactionErrorWebhookUrl", "str"),
        ("TransactionErrorWebhookIncludeWarnings", "bool"),
    ),
    "account_connectors": (
        ("Id", "int"),
        ("Name", "str"),
        ("Description", "str"),
        ("Authenticated", "bool"),
        ("AuthValue", "secret"),
        ("IsPartnerIntegrationConnector", "bool"),
        ("Connector.Id", "int"),
        ("Connector.Name", "str"),
        ("Connector.Version", "str"),
        ("Connector.Status", "str"),
        ("Connector.AuthType", "str"),
        ("Connector.OAuth2Type", "str"),
        ("Properties", "list"),
        ("Connector.Icon", "icon"),
    ),
    "account_connector_properties": (
        ("Id", "int"),
        ("Name", "str"),
        ("Value", "str"),
        ("AccountConnectorId", "int"),
    ),
    "templates": (
        ("Id", "str"),
        ("Name", "str"),
        ("Description", "str"),
        ("Connectors", "list"),
        ("Tags", "list"),
    ),
    "cycles": (
        ("Id", "str"),
        ("Name", "str"),
        ("Description", "str"),
        ("TemplateId", "str"),
        ("CreatedOnUtc", "dt"),
        ("Status", "str"),
        ("LastSuccessfulRunDate", "dt"),
        ("TasksUsed", "int"),
        ("ErrorCount", "int"),
        ("WarningCount", "int"),
        ("InProgressTransactionCount", "int"),
        ("Connectors", "list"),
        ("Shareable", "bool"),
        ("ContinueOnStepError", "bool"),
        ("LogStepDataRequests", "bool"),
        ("StepErrorAction", "str"),
        ("CollectionSplitType", "str"),
        ("Tags", "list"),
        ("StepDataSuccessRetentionHours", "int"),
        ("StepDataErroredRetentionHours", "int"),
    ),
    # The sources show only Id and CycleId of a transaction; Status is implied by the `status`
    # filter, and the run times and task count are what Cyclr's Console shows for each run (our
    # best guess at the field names, as the sandbox serves them).
    "transactions": (
        ("Id", "str"),
        ("CycleId", "str"),
        ("CycleName", "str"),
        ("Status", "str"),
        ("StartedOnUtc", "dt"),
        ("CompletedOnUtc", "dt"),
        ("TasksUsed", "int"),
    ),
    "incidents": (
        ("CycleId", "str"),
        ("CycleName", "str"),
        ("IncidentLevel", "str"),
        ("ShortMessage", "str"),
        ("FullMessage", "str"),
        ("StepId", "str"),
        ("StepName", "str"),
        ("TransactionId", "str"),
        # The incident's time: Cyclr's docs show no field for it (Q26); the sandbox serves it
        # as CreatedOnUtc, the name Cyclr gives a cycle's creation time.
        ("CreatedOnUtc", "dt"),
        ("Id", "str"),
    ),
    # One transaction's step records (#87, R §6.6): what ran, how it ended, and the raw request
    # and response dumps (secrets scrubbed by Cyclr). The field names are the sandbox's (Q25).
    "transaction_steps": (
        ("StepId", "str"),
        ("StepName", "str"),
        ("Status", "str"),
        ("StartedOnUtc", "dt"),
        ("CompletedOnUtc", "dt"),
        ("Request", "str"),
        ("Response", "str"),
        ("Message", "str"),
        ("Id", "str"),
        ("TransactionId", "str"),
    ),
    # A cycle's steps (#70; R §6.5, Q20): the step, what kind, and which method it calls.
    "cycle_steps": (
        ("Id", "str"),
        ("Name", "str"),
        ("ActionType", "str"),
        ("IsTrigger", "bool"),
        ("Method.Name", "str"),
        ("Method.MethodUniqueIdentifier", "str"),
        ("AccountConnectorId", "int"),
        ("Description", "str"),
        ("CycleId", "str"),
        ("DisplayPositionLeft", "int"),
        ("DisplayPositionTop", "int"),
    ),
    "cycle_edges": (
        ("Id", "str"),
        ("HeadStepId", "str"),
        ("TailStepId", "str"),
        ("EdgeType", "str"),
        ("CycleId", "str"),
    ),
    # R §6.5 names the first four; the others are the Console's attributes (surface §8.8).
    "cycle_variables": (
        ("SystemName", "str"),
        ("DisplayName", "str"),
        ("Value", "str"),
        ("MappingType", "str"),
        ("ValueType", "str"),
        ("UserConfigurable", "bool"),
        ("Description", "str"),
        ("CycleId", "str"),
    ),
    # The candidate source fields of a step's mappings (#93, surface §8.7).
    "step_fields_for_mapping": (
        ("Id", "int"),
        ("Name", "str"),
        ("DataType", "str"),
        ("Description", "str"),
        ("IsOptional", "bool"),
        ("TriggerName", "str"),
        ("Values", "list"),
        ("DisplayOrder", "int"),
        ("Triggers", "list"),
    ),
    # How each field of a step is mapped (#94/#95, D-fmap): the field, then its mapping.
    "step_field_mappings": (
        ("Field.Id", "int"),
        ("Field.Name", "str"),
        ("MappingType", "str"),
        ("Value", "str"),
        ("SourceStepId", "str"),
        ("SourceFieldId", "int"),
        ("TriggerValue", "str"),
        ("TriggerValueDisplayName", "str"),
        ("Field.IsOptional", "bool"),
        ("Field.DataType", "str"),
        ("Field.Values", "list"),
        ("IsLaunchVisible", "bool"),
    ),
    # A step's parameters (#99/#100, D-param): the parameter, then how it is set.
    "step_parameters": (
        ("Parameter.Id", "int"),
        ("Parameter.Name", "str"),
        ("MappingType", "str"),
        ("Value", "str"),
        ("TriggerValue", "str"),
        ("TriggerValueDisplayName", "str"),
        ("SourceStepId", "str"),
        ("SourceFieldId", "int"),
        ("IsEntityIdentifier", "bool"),
        ("Parameter.IsOptional", "bool"),
        ("Parameter.DataType", "str"),
        ("Parameter.TriggerName", "str"),
        ("Parameter.Values", "list"),
        ("Parameter.Triggers", "list"),
    ),
    "account_users": (
        ("Id", "str"),
        ("UserName", "str"),
        ("Email", "str"),
    ),
    "connector_methods": (
        ("Id", "int"),
        ("Name", "str"),
        ("Description", "str"),
        ("MethodUniqueIdentifier", "str"),
        ("EndPoint", "str"),
        ("Category", "str"),
        ("MethodType", "str"),
        ("Parameters", "list"),
    ),
    "account_connector_fields": (
        ("Id", "int"),
        ("ConnectorField", "str"),
        ("SystemField", "str"),
        ("DisplayName", "str"),
        ("Description", "str"),
        ("DataType", "str"),
        ("MethodUniqueIdentifier", "str"),
        ("DataTypeFormat", "str"),
        ("EntityIdentifier", "str"),
        ("ForRequestFormat", "str"),
    ),
    "custom_connectors": (
        ("Id", "int"),
        ("Name", "str"),
        ("Description", "str"),
        ("Version", "str"),
        ("Status", "str"),
        ("AuthType", "str"),
        ("Icon", "icon"),
    ),
}
# Cycles whose template has a newer release (#69): cycle objects, so the cycles' columns.
SCHEMAS["upgradeable_cycles"] = SCHEMAS["cycles"]
# A sub-account is an account: the same columns.
SCHEMAS["subaccounts"] = SCHEMAS["accounts"]
# A cycle's incidents grouped by step and message (core.group_incidents, client.cycle_diagnosis).
SCHEMAS["incident_groups"] = (
    ("CycleId", "str"),
    ("CycleName", "str"),
    ("StepId", "str"),
    ("StepName", "str"),
    ("IncidentLevel", "str"),
    ("ShortMessage", "str"),
    ("Count", "int"),
    ("FirstOccurredUtc", "dt"),
    ("LastOccurredUtc", "dt"),
    ("LastTransactionId", "str"),
    ("LastFullMessage", "str"),
)
# One row per installed connector in a support bundle: its diagnosis (core.Diagnosis).
SCHEMAS["connector_diagnoses"] = (
    ("AccountConnectorId", "int"),
    ("Name", "str"),
    ("Authenticated", "bool"),
    ("Reasons", "str"),
    ("Summary", "str"),
)
