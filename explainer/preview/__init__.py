"""The preview server: one entry point, `serve`, and the events it reports to the command line."""

from .events import Building, Event, Failed, LinksChecked, Rebuilt, Said, Started, Stopped
from .handler import is_loopback
from .server import PortInUse, serve

__all__ = ["Building", "Event", "Failed", "LinksChecked", "PortInUse", "Rebuilt", "Said", "Started", "Stopped", "is_loopback", "serve"]
