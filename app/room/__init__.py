"""Room mode: participants add ideas, dots and feelings from their own browsers.

The facilitator's Waymark serves the room over the local network (aiohttp, imported only
when a room opens). Nothing here imports Qt: the server thread validates what arrives and
hands each contribution to the document's one owner (the GUI thread, or the headless
``waymark room`` loop) through a :class:`~app.room.bridge.Bridge`; the owner runs it as a
normal command, durably, before the participant hears it landed.

Modules: ``tokens`` (secrets and codes), ``settings`` (what the facilitator controls),
``protocol`` (the messages and their validation), ``store`` (the room's rows outside the
undo history), ``commands`` (the room's document commands), ``host`` (the single writer's
logic), ``view`` (what participants see), ``limits`` (rate limits), ``server`` (HTTP and
WebSocket), ``net`` (network interfaces), ``headless`` and ``cli`` (``waymark room``).
"""
