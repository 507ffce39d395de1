"""Parts of a widget hosted on the widget's one anywidget model.

A composed widget (``ConnectorBrowser``, ``AccountExplorer``) is one anywidget with one ES
module, so it shows wherever anywidget does (JupyterLab, Notebook, VS Code, marimo...). Its
tables, form, buttons and popup are :class:`Part` objects: plain ``traitlets`` objects with the
small part of a widget's API the widgets use (``send``, ``on_msg``, ``hold_sync``,
``get_state``, ``set_state``), hosted by a :class:`PartRegistry` on the widget:

* a part's synced traits (those tagged ``sync=True``) are mirrored into the host's ``parts``
  trait, ``{name: {trait: value, ..., "_id": n}}`` (``_id`` tells a new part from an older one
  under the same name);
* a part's messages travel on the host's channel tagged with its name (``{"part": name, ...}``),
  both ways; ``{"kind": "state", "part": name, "state": {...}}`` from the front end sets the
  traits the part lets the front end set (``_front_end_keys``: a search query, a selection).

Rows, credentials and sign-in URLs stay in custom messages, never in ``parts``.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Iterator
from typing import Any, ClassVar, Protocol

import traitlets as t

__all__ = ["ButtonPart", "HtmlPart", "Part", "PartHost", "PartRegistry", "Slot"]

MsgCallback = Callable[[Any, Any, Any], None]
_ids = itertools.count(1)


class PartHost(Protocol):
    """What a registry needs of its widget (an ``anywidget.AnyWidget`` with a ``parts`` trait)."""

    parts: dict[str, Any]

    def send(self, content: dict[str, Any], buffers: Any = None) -> None: ...

    def on_msg(self, callback: MsgCallback, remove: bool = False) -> None: ...

    def hold_sync(self) -> contextlib.AbstractContextManager[Any]: ...


class Part(t.HasTraits):
    """One part of a widget: synced traits, and custom messages, through its host's model."""

    _front_end_keys: ClassVar[tuple[str, ...]] = ()

    def __init__(self, **kwargs: Any) -> None:
        self._registry: PartRegistry | None = None
        self._name = ""
        self._id = next(_ids)
        self._msg_callbacks: list[MsgCallback] = []
        super().__init__(**kwargs)
        self.observe(self._changed)

    # -- the widget-like surface ----------------------------------------------------------

    def send(self, content: dict[str, Any], buffers: Any = None) -> None:
        """Send a custom message to this part's views (nothing when not hosted)."""
        if self._registry is not None:
            self._registry.send(self._name, content)

    def on_msg(self, callback: MsgCallback, remove: bool = False) -> None:
        """Call ``callback(part, content, buffers)`` for each message of this part's views."""
        if remove:
            self._msg_callbacks = [c for c in self._msg_callbacks if c is not callback]
        else:
            self._msg_callbacks.append(callback)

    def _handle_custom_msg(self, content: Any, buffers: Any) -> None:
        for callback in list(self._msg_callbacks):
            callback(self, content, buffers)

    def hold_sync(self) -> contextlib.AbstractContextManager[Any]:
        """Batch trait changes into one update of the host's state."""
        if self._registry is None:
            return contextlib.nullcontext()
        return self._registry.hold(self._name)

    def get_state(self, key: str | None = None) -> dict[str, Any]:
        """The synced traits (what the views see), as a dict."""
        names = [key] if key is not None else self.trait_names(sync=True)
        return {name: getattr(self, name) for name in names}

    def set_state(self, sync_data: dict[str, Any]) -> None:
        """Set traits as the front end reports them."""
        with self.hold_trait_notifications():
            for name, value in sync_data.items():
                if self.has_trait(name):
                    setattr(self, name, value)

    def _changed(self, change: dict[str, Any]) -> None:
        trait = self.traits().get(change["name"])
        if self._registry is not None and trait is not None and trait.metadata.get("sync"):
            self._registry.changed(self._name)


class HtmlPart(Part):
    """Escaped HTML shown as it is (load errors, an incident's text)."""

    value = t.Unicode("", help="HTML, escaped by the widget that sets it.").tag(sync=True)


class ButtonPart(Part):
    """A button: ``description``, ``disabled``, ``tooltip``; ``on_click`` and ``click()``."""

    description = t.Unicode("").tag(sync=True)
    disabled = t.Bool(False).tag(sync=True)
    tooltip = t.Unicode("").tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._clicks: list[Callable[[ButtonPart], Any]] = []
        self.on_msg(self._on_msg)

    def on_click(self, callback: Callable[[ButtonPart], Any], remove: bool = False) -> None:
        """Call ``callback(button)`` on each click."""
        if remove:
            self._clicks = [c for c in self._clicks if c is not callback]
        else:
            self._clicks.append(callback)

    def click(self) -> None:
        """Click the button (as the front end does); nothing when disabled."""
        if not self.disabled:
            for callback in list(self._clicks):
                callback(self)

    def _on_msg(self, _part: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("kind") == "click":
            self.click()


class PartRegistry:
    """The parts of one host widget: their state in its ``parts`` trait, their messages routed."""

    def __init__(self, host: PartHost) -> None:
        self._host = host
        self._parts: dict[str, Part] = {}
        self._held: set[str] | None = None
        host.on_msg(self._on_msg)

    def add(self, name: str, part: Part) -> Part:
        """Host ``part`` under ``name`` (replacing the part there before)."""
        old = self._parts.get(name)
        if old is not None and old is not part:
            old._registry = None
        part._registry, part._name = self, name
        self._parts[name] = part
        self.changed(name)
        return part

    def remove(self, name: str) -> None:
        """Drop the part under ``name``; its views go away."""
        part = self._parts.pop(name, None)
        if part is not None:
            part._registry = None
            self._host.parts = {k: v for k, v in self._host.parts.items() if k != name}

    def get(self, name: str) -> Part | None:
        """The part under ``name``, or None."""
        return self._parts.get(name)

    def send(self, name: str, content: dict[str, Any]) -> None:
        """Send ``content`` to the views of the part ``name``."""
        self._host.send({**content, "part": name})

    @contextlib.contextmanager
    def hold(self, name: str) -> Iterator[None]:
        """Collect the part's changes into one update of ``parts``."""
        if self._held is not None:
            yield
            return
        self._held = set()
        try:
            yield
        finally:
            held, self._held = self._held, None
            self._publish(held | {name})

    def changed(self, name: str) -> None:
        """Mirror the part ``name``'s synced traits into the host's ``parts``."""
        if self._held is not None:
            self._held.add(name)
        else:
            self._publish({name})

    def _publish(self, names: set[str]) -> None:
        state = dict(self._host.parts)
        for name in names:
            part = self._parts.get(name)
            if part is not None:
                state[name] = {**part.get_state(), "_id": part._id}
        self._host.parts = state

    def _on_msg(self, _widget: Any, content: Any, buffers: Any) -> None:
        if not isinstance(content, dict) or not isinstance(content.get("part"), str):
            return
        part = self._parts.get(content["part"])
        if part is None:
            return  # a view of a part replaced meanwhile
        body = {k: v for k, v in content.items() if k != "part"}
        if body.get("kind") == "state":
            state = body.get("state")
            if isinstance(state, dict):
                allowed = part._front_end_keys
                part.set_state({k: v for k, v in state.items() if k in allowed})
            return
        part._handle_custom_msg(body, buffers)


class Slot:
    """A place in a widget for at most one part (the OAuth popup), as ``children``."""

    def __init__(self, registry: PartRegistry, name: str) -> None:
        self._registry = registry
        self._name = name
        self._child: Part | None = None

    @property
    def children(self) -> tuple[Part, ...]:
        """The part shown there, if any."""
        return () if self._child is None else (self._child,)

    @children.setter
    def children(self, value: tuple[Part, ...] | list[Part]) -> None:
        parts = tuple(value)
        if len(parts) > 1:
            raise ValueError("a slot holds at most one part")
        self._child = parts[0] if parts else None
        if self._child is None:
            self._registry.remove(self._name)
        else:
            self._registry.add(self._name, self._child)
