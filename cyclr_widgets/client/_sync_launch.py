# Generated from _async_launch.py by scripts/unasync.py: edit the async source, then rerun.
"""``CyclrClient``'s methods for LAUNCH, ORBIT and Marketplace links.

A mixin of :class:`~._sync.CyclrClient`; its twin (source) is :mod:`._async_launch`.
"""

from __future__ import annotations

from typing import Any

from ..core import AuthValue, LaunchLink
from . import _endpoints as ops
from ._sync_io import SyncIO

__all__ = ["LaunchMethods"]


class LaunchMethods(SyncIO):
    """LAUNCH, ORBIT and Marketplace: partner-level calls that give a single-use browser link."""

    def launch(
        self,
        account_id: str,
        *,
        username: str | None = None,
        password: AuthValue | str | None = None,
        **options: Any,
    ) -> LaunchLink:
        """A LAUNCH link: the account's user installs integrations in Cyclr's pages.

        Partner level (use an unrestricted token). Cyclr creates the account when the API ID is
        new. The link (``.url``) holds a sign-in token: single use, 5 minutes, a secret.

        Parameters
        ----------
        account_id
            The account API ID.
        username, password
            Launch as this user (``POST /v1.0/users/launch``) instead of as an API user of the
            account. The password is sealed at once: never in reprs, errors or logs.
        **options
            Cyclr's LAUNCH options in snake_case: ``account_name``, ``account_description``,
            ``start``, ``run_once``, ``connector_authentications``, ``partner_connector``,
            ``tags``, ``inline_oauth``, ``auto_install``, ``single_install``,
            ``complete_parameter``, ``wizard``, ``display_descriptions``. An unknown one is a
            ``TypeError``; ``None`` leaves Cyclr's default. Secret values inside
            (``AuthValue``, secret-looking property values) are sealed like the password.

        Returns
        -------
        LaunchLink
            ``url`` and ``token`` masked in its ``repr``.
        """
        password = None if password is None else ops.seal_password(password)
        return self._call(ops.launch_link("launch", account_id, username, password, options))

    def orbit(
        self,
        account_id: str,
        *,
        username: str | None = None,
        password: AuthValue | str | None = None,
    ) -> LaunchLink:
        """An ORBIT link (manage the account's installed integrations); see ``launch``."""
        password = None if password is None else ops.seal_password(password)
        return self._call(ops.launch_link("orbit", account_id, username, password, {}))

    def marketplace(
        self,
        account_id: str,
        marketplace_id: int,
        *,
        username: str | None = None,
        password: AuthValue | str | None = None,
        **options: Any,
    ) -> LaunchLink:
        """A Marketplace link for one marketplace (its integer ``MarketplaceId``).

        ``options`` in snake_case: ``account_name``, ``account_description``,
        ``connector_authentications``, ``partner_connector``, ``inline_oauth``,
        ``complete_parameter``; an unknown one is a ``TypeError``. See ``launch`` for the rest.
        """
        password = None if password is None else ops.seal_password(password)
        return self._call(
            ops.launch_link("marketplace", account_id, username, password, options, marketplace_id)
        )
