import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")


@app.cell
def _():
    import marimo as mo

    return (mo,)


@app.cell
def _(mo):
    mo.md(r"""
    # Quickstart in marimo: connectors, accounts and the OAuth popup

    The marimo twin of `01_quickstart.ipynb`. It runs against the **embedded sandbox**, a local
    stand-in for Cyclr, unless the `CYCLR_*` environment variables point at a real Cyclr partner.
    Run it with `marimo edit notebooks/quickstart_marimo.py` (or `marimo run` for the app view).
    You will:

    1. list the connector library and the accounts as pandas DataFrames,
    2. install an API-key connector into a customer account,
    3. connect an OAuth connector with the sign-in popup (`mo.ui.anywidget`), and check
       `Authenticated`,
    4. browse and install connectors with a widget.
    """)
    return


@app.cell
def _(mo):
    import os

    from cyclr_widgets import CyclrClient, Sandbox

    if os.environ.get("CYCLR_CLIENT_ID"):
        # A real Cyclr partner (or a sandbox started elsewhere): credentials come from
        # CYCLR_CLIENT_ID, CYCLR_CLIENT_SECRET, CYCLR_API_URL and CYCLR_SERVICE_URL.
        sandbox = None
        client = CyclrClient.from_env()
    else:
        # No Cyclr account needed: a local, faithful stand-in for Cyclr on 127.0.0.1.
        sandbox = Sandbox().start()
        client = CyclrClient.from_env(sandbox.environ)

    # The customer account to work in: CYCLR_ACCOUNT_ID, else the sandbox's seeded demo account.
    ACCOUNT_ID = os.environ.get("CYCLR_ACCOUNT_ID") or (sandbox.account_id if sandbox else None)
    if ACCOUNT_ID is None:
        ACCOUNT_ID = client.accounts(limit=1)["Id"].iloc[0]
    mo.md(
        f"API: `{client.api_url}` | service domain: `{client.service_url}` | "
        f"account: `{ACCOUNT_ID}`"
    )
    return ACCOUNT_ID, client


@app.cell
def _(mo):
    mo.md(r"""
    ## 1. Listings are DataFrames

    Every listing fetches all pages and has stable columns and dtypes, even when empty; marimo
    shows a DataFrame as an interactive table.
    """)
    return


@app.cell
def _(client):
    accounts = client.accounts()
    accounts[["Id", "Name", "Timezone", "CreatedDate"]]
    return


@app.cell
def _(ACCOUNT_ID, client, mo):
    connectors = client.connectors(ACCOUNT_ID)
    mo.vstack(
        [
            mo.md(f"{len(connectors)} connectors in the library this account sees"),
            connectors[["Id", "Name", "Version", "AuthType", "Categories"]],
        ]
    )
    return (connectors,)


@app.cell
def _(connectors):
    connectors["AuthType"].value_counts()
    return


@app.cell
def _(mo):
    mo.md(r"""
    ## 2. Install an API-key connector

    `AuthValue` builds the credential in the form Cyclr expects; its repr never shows the
    secret, and neither do the records and DataFrames the client returns.
    """)
    return


@app.cell
def _(ACCOUNT_ID, client, connectors, mo):
    from cyclr_widgets import AuthValue

    def needs_properties(parameters):
        """True when a connector has account-connector properties that must be set at install."""
        return any(
            p.get("IsAccountConnectorProperty") and not p.get("IsOptional") for p in parameters
        )

    # Keep the tutorial short: connectors that need no extra properties at install.
    ready = connectors[~connectors["Parameters"].apply(needs_properties)]
    api_key_connector = ready[ready["AuthType"] == "ApiKey"].iloc[0]
    installed = client.install_connector(
        ACCOUNT_ID,
        int(api_key_connector["Id"]),
        name=f"{api_key_connector['Name']} (marimo quickstart)",
        auth_value=AuthValue.api_key("demo-api-key-123"),
    )
    mo.md(f"Installed **{installed.name}** | authenticated: **{installed.authenticated}**")
    return installed, ready


@app.cell
def _(ACCOUNT_ID, client, installed):
    # `installed` as an argument: this cell runs after the install. AuthValue is masked.
    client.account_connectors(ACCOUNT_ID)[
        ["Id", "Name", "Connector.Name", "Authenticated", "AuthValue"]
    ].tail()
    return


@app.cell
def _(mo):
    mo.md(r"""
    ## 3. Connect an OAuth connector

    An OAuth 2 connector is installed without credentials; the customer then signs in with the
    third party in a popup. `OAuthPopup` is a pure anywidget, so marimo shows it with
    `mo.ui.anywidget`. Click **Connect**: the popup opens at once, Python mints a single-use
    sign-in token, and when Cyclr's page reports back the widget confirms with the API that the
    connector is authenticated. If your browser blocks the popup, the widget offers a link.
    """)
    return


@app.cell
def _(ACCOUNT_ID, client, mo, ready):
    oauth_connector = ready[
        (ready["AuthType"] == "OAuth2") & (ready["OAuth2Type"] == "AuthorisationCode")
    ].iloc[0]
    oauth_method = next(
        a for a in oauth_connector["Authentication"] if a["AuthType"] == "OAuth2"
    )
    oauth_ac = client.install_connector(
        ACCOUNT_ID,
        int(oauth_connector["Id"]),
        name=f"{oauth_connector['Name']} (marimo quickstart)",
        authentication_id=oauth_method["Id"],
    )
    mo.md(f"Installed **{oauth_ac.name}** | authenticated: **{oauth_ac.authenticated}**")
    return (oauth_ac,)


@app.cell
def _(ACCOUNT_ID, client, mo, oauth_ac):
    from cyclr_widgets import OAuthPopup

    get_result, set_result = mo.state(None)
    popup = OAuthPopup(client, ACCOUNT_ID, oauth_ac.id)
    # Runs in Python when the flow ends; setting the state re-runs the cell below.
    popup.on_complete(set_result)
    connect = mo.ui.anywidget(popup)
    connect
    return (get_result,)


@app.cell
def _(ACCOUNT_ID, client, get_result, mo, oauth_ac):
    _result = get_result()
    if _result is None:
        _text = "Click **Connect** above and sign in: this cell updates when the flow ends."
    else:
        _authenticated = client.account_connector(ACCOUNT_ID, oauth_ac.id).authenticated
        _text = (
            f"The flow ended: **{_result.status}**. "
            f"Cyclr says authenticated: **{_authenticated}**."
        )
    mo.md(_text)
    return


@app.cell
def _(mo):
    mo.md(r"""
    ## 4. Browse and install with a widget

    Search the library, pick a connector, fill in the form that fits its authentication, and
    press **Install**; an OAuth connector then shows **Connect** for the sign-in. Typed
    credentials go straight to Python and are cleared from the form; they are never saved in
    the notebook. `AccountExplorer(client, account_id)` is shown the same way (an account's
    connectors with Connect, its cycles and incidents).
    """)
    return


@app.cell
def _(ACCOUNT_ID, client, mo):
    from cyclr_widgets import ConnectorBrowser

    browser = ConnectorBrowser(client, ACCOUNT_ID)
    get_installed, set_installed = mo.state(None)
    # Runs in Python after each install with the widget; the state re-runs the cell below.
    browser.on_install(set_installed)
    mo.ui.anywidget(browser)
    return browser, get_installed


@app.cell
def _(browser, get_installed, mo):
    # What you picked and what you installed are readable from Python.
    _installed = get_installed()
    if _installed is None:
        _text = "Nothing installed with the widget yet: this cell updates when you do."
    else:
        _text = (
            f"Selected: **{browser.selected['Name']}** | installed with the widget: "
            f"**{_installed.name}** (account connector {_installed.id}, "
            f"authenticated: {_installed.authenticated})"
        )
    mo.md(_text)
    return


if __name__ == "__main__":
    app.run()
