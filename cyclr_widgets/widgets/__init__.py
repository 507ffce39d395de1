"""Notebook widgets: the OAuth popup, the connector browser and the account explorer."""

from .account_explorer import AccountExplorer
from .connector_browser import ConnectorBrowser
from .oauth_popup import OAuthPopup, OAuthResult

__all__ = ["AccountExplorer", "ConnectorBrowser", "OAuthPopup", "OAuthResult"]
