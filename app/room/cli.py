"""``waymark room FILE``: serve a room from the command line (no editor)."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.room.settings import Mode


def add_room_arguments(p: argparse.ArgumentParser) -> None:
    """Arguments of ``waymark room``."""
    p.add_argument("file", type=Path)
    p.add_argument("--address", help="the IP address (network interface) to serve on; "
                   "needed when the computer is on more than one network")
    p.add_argument("--port", type=int, help="the port (default: 8765 or the next free one)")
    p.add_argument("--mode", choices=[m.value for m in Mode], help="ideas go straight onto "
                   "the map (direct) or to the facilitator's inbox")
    p.add_argument("--budget", type=int, help="dots each participant may place")
    p.add_argument("--limit", type=int, help="ideas each participant may add (0: no limit)")
    p.add_argument("--no-anonymous", action="store_true", help="participants must give a name")
    p.add_argument("--silent", action="store_true", help="silent brainstorming (ideas held)")
    p.add_argument("--language", help="the participants' page language (en, de)")
    p.add_argument("--json", action="store_true", help="print the addresses as one JSON line")
    p.add_argument("--seconds", type=float, help=argparse.SUPPRESS)


def run_room(args: argparse.Namespace) -> int:
    """Serve the room until Ctrl+C."""
    from app.errors import WaymarkError
    from app.room import headless

    if args.port is not None and not 1 <= args.port <= 65535:
        raise WaymarkError("--port must be between 1 and 65535")
    changes: dict[str, object] = {}
    for key, value in (("mode", args.mode), ("budget", args.budget),
                       ("idea_limit", args.limit), ("language", args.language)):
        if value is not None:
            changes[key] = value
    if args.no_anonymous:
        changes["allow_anonymous"] = False
    if args.silent:
        changes["silent"] = True
    try:
        from app.room.settings import RoomSettings

        RoomSettings(**changes)  # type: ignore[arg-type]
    except ValueError as err:
        raise WaymarkError(f"room settings refused: {str(err).splitlines()[-1]}") from None
    return headless.run(args.file, args.address, port=args.port, changes=changes,
                        machine=args.json, seconds=args.seconds)
