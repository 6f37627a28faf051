"""SVG drawings: their size, and a refusal of anything in them that could run or fetch.

A site serves an SVG from its own origin, where a reader may open it as a page of its own: a
script in it would run as the site. So an SVG is published only when it is a drawing and
nothing else: no script, event handler, foreign content, link out of the file, external style
or DOCTYPE (whose entities expand). It is refused, not cleaned: the writer fixes the file once.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

from .images import ImageProblem, Probe

FORBIDDEN_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "audio", "video", "handler", "listener", "animate",
                      "set", "animatemotion", "animatetransform"}
OUTSIDE_RE = re.compile(r"@import|url\(\s*['\"]?\s*(?!#)|javascript:|expression\(", re.IGNORECASE)
LENGTH_RE = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")


def probe_svg(data: bytes) -> Probe:
    """The size of a safe SVG; ImageProblem naming what makes it unsafe or unreadable."""
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise ImageProblem("has a DOCTYPE or entities, which SVG images here may not have; remove the <!DOCTYPE …> line")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise ImageProblem(f"is not well-formed SVG ({exc})") from None
    if _local(root.tag) != "svg":
        raise ImageProblem(f"is not an SVG drawing (its root element is <{_local(root.tag)}>)")
    for element in root.iter():
        name = _local(element.tag).lower()
        if name in FORBIDDEN_ELEMENTS:
            raise ImageProblem(f"holds a <{_local(element.tag)}> element, which could run or change as the page is read; "
                               "export the drawing without it")
        for attribute, value in element.attrib.items():
            key = _local(attribute).lower()
            if key.startswith("on"):
                raise ImageProblem(f"has an event handler ({_local(attribute)}=…) on <{_local(element.tag)}>; remove it")
            if key == "href" and not value.strip().startswith("#"):
                raise ImageProblem(f"links outside itself ({_local(attribute)}=\"{value[:60]}\"); embed what it needs instead")
            if key == "style" and OUTSIDE_RE.search(value):
                raise ImageProblem("has a style that fetches from elsewhere (@import or url()); remove it")
        if name == "style" and OUTSIDE_RE.search(element.text or ""):
            raise ImageProblem("has a <style> that fetches from elsewhere (@import or url()); remove it")
    width, height = _length(root.get("width")), _length(root.get("height"))
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if (not width or not height) and len(box) == 4:
        try:
            box_width, box_height = float(box[2]), float(box[3])
        except ValueError:
            box_width = box_height = 0.0
        if box_width > 0 and box_height > 0:
            width = width or round(box_width if not height else height * box_width / box_height)
            height = height or round(box_height if not width else width * box_height / box_width)
    if not width or not height:
        raise ImageProblem("gives no size: add a viewBox (or width and height) to its <svg> element")
    return Probe("SVG", width, height, True, False)


def _local(name: str) -> str:
    """An XML name without its namespace: {http://www.w3.org/2000/svg}svg -> svg."""
    return name.rsplit("}", 1)[-1]


def _length(value: str | None) -> int:
    """A width or height in pixels (a plain number or px); 0 for none or another unit (%, em)."""
    match = LENGTH_RE.match(value or "")
    return max(1, round(float(match.group(1)))) if match else 0
