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

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
# What drawing programs write beside the drawing (Inkscape, Sodipodi, their RDF metadata): elements a browser knows
# nothing of, so they neither show nor fetch anything. Any other namespace may (XHTML's <img>, <meta>; XSLT).
EDITOR_NAMESPACES = frozenset({
    "http://www.inkscape.org/namespaces/inkscape", "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://creativecommons.org/ns#", "http://purl.org/dc/elements/1.1/",
    "http://purl.org/dc/terms/", "http://ns.adobe.com/AdobeIllustrator/10.0/", "http://ns.adobe.com/Extensibility/1.0/",
    "http://ns.adobe.com/Graphs/1.0/", "http://ns.adobe.com/AdobeSVGViewerExtensions/3.0/", "http://www.bohemiancoding.com/sketch/ns",
    "http://www.serif.com/", "http://www.figma.com/figma/ns", "http://www.vectornator.io",
})
# The SVG elements of a drawing; anything else (script, foreignObject, animation, <set>, <handler> …) is refused.
DRAWING = frozenset({
    "svg", "g", "defs", "symbol", "use", "title", "desc", "metadata", "switch", "view", "a", "style", "image",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan", "textpath",
    "lineargradient", "radialgradient", "stop", "pattern", "clippath", "mask", "marker", "filter",
    "feblend", "fecolormatrix", "fecomponenttransfer", "fecomposite", "feconvolvematrix", "fediffuselighting",
    "fedisplacementmap", "fedistantlight", "fedropshadow", "feflood", "fefunca", "fefuncb", "fefuncg", "fefuncr",
    "fegaussianblur", "feimage", "femerge", "femergenode", "femorphology", "feoffset", "fepointlight",
    "fespecularlighting", "fespotlight", "fetile", "feturbulence",
    # drawn by no browser, written by Inkscape: flowed text (0.92), mesh gradients, hatches
    "flowroot", "flowregion", "flowpara", "flowspan", "flowdiv", "flowtext", "meshgradient", "meshrow", "meshpatch", "hatch",
    "hatchpath", "solidcolor",
})
# What may reach outside the file in a value: @import, url() of anything but #id, script and expression URLs, and a
# backslash (a CSS escape spells url( or @import without their letters: u\72l(…)).
OUTSIDE_RE = re.compile(r"@import|url\((?!\s*['\"]?\s*#)|javascript:|expression\(|\\", re.IGNORECASE)
EMBEDDED_IMAGE_RE = re.compile(r"^\s*data:image/(?:png|jpeg|gif|webp)[;,]", re.IGNORECASE)  # a picture carried inside
# A DOCTYPE with declarations of its own, whose entities expand (a plain one naming SVG 1.1's DTD, as Illustrator
# writes, is kept: nothing reads that DTD)
INTERNAL_SUBSET_RE = re.compile(rb"<!DOCTYPE[^>\[]*\[", re.IGNORECASE)
INSTRUCTION_RE = re.compile(rb"<\?(?!xml[\s?])", re.IGNORECASE)  # any processing instruction but the XML declaration
LENGTH_RE = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")


def probe_svg(data: bytes) -> Probe:
    """The size of a safe SVG; ImageProblem naming what makes it unsafe or unreadable.

    Safe is listed, not guessed: elements of a drawing in SVG's namespace (or a drawing program's,
    which browsers ignore), no processing instruction (<?xml-stylesheet?> runs XSLT, which can
    write a script), no attribute or style reaching outside the file, links only to #ids within it.
    """
    if b"<!entity" in data.lower() or INTERNAL_SUBSET_RE.search(data[:4096]):
        raise ImageProblem("declares entities (a DOCTYPE with [ … ]), which SVG images here may not have; remove the <!DOCTYPE …> "
                           "line")
    if INSTRUCTION_RE.search(data) or data.lstrip(b"\xef\xbb\xbf \t\r\n").lower().find(b"<?xml") > 0:
        raise ImageProblem("holds a processing instruction (<?…?>, such as <?xml-stylesheet?>), which could change the drawing "
                           "into a page that runs; export the drawing without it")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise ImageProblem(f"is not well-formed SVG ({exc})") from None
    if _local(root.tag) != "svg" or _namespace(root.tag) != SVG:
        raise ImageProblem(f"is not an SVG drawing (its root element is <{_local(root.tag)}>, not <svg xmlns=\"{SVG}\">)")
    for element in root.iter():
        _check_element(element)
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


def _check_element(element: ElementTree.Element) -> None:
    """Refuse an element that is not part of a drawing, or whose attributes or style reach outside the file."""
    name, space = _local(element.tag), _namespace(element.tag)
    if space in EDITOR_NAMESPACES:
        return  # ignored by browsers, attributes and all
    if space != SVG or name.lower() not in DRAWING:
        raise ImageProblem(f"holds a <{name}> element{f' of {space}' if space != SVG else ''}, which is no part of a drawing "
                           "and could run, fetch or change as the page is read; export the drawing without it")
    for attribute, value in element.attrib.items():
        key, where = _local(attribute), _namespace(attribute)
        if where not in ("", XLINK, XML):  # another namespace's attribute means nothing to a browser (inkscape:export-…)
            if key.lower().startswith("on") or key.lower() in ("href", "style", "src"):
                raise ImageProblem(f"has an attribute of {where} ({key}=…) on <{name}>; remove it")
            continue
        if key.lower().startswith("on"):
            raise ImageProblem(f"has an event handler ({key}=…) on <{name}>; remove it")
        if key == "href" and not (value.strip().startswith("#") or (name.lower() == "image" and EMBEDDED_IMAGE_RE.match(value))):
            raise ImageProblem(f"links outside itself ({key}=\"{value[:60]}\"); embed what it needs instead")
        if key != "href" and OUTSIDE_RE.search(value):
            raise ImageProblem(f"has an attribute that could fetch from elsewhere ({key}=\"{value[:60]}\" on <{name}>: @import, "
                               "url() of anything but #id, or a CSS escape); remove it")
    if name.lower() == "style":
        if len(element):
            raise ImageProblem("has elements inside its <style>, where only a style sheet belongs; remove them")
        if OUTSIDE_RE.search("".join(element.itertext())):
            raise ImageProblem("has a <style> that could fetch from elsewhere (@import, url() of anything but #id, or a CSS "
                               "escape); remove it")


def _namespace(name: str) -> str:
    """An XML name's namespace: {http://www.w3.org/2000/svg}svg -> http://www.w3.org/2000/svg ('' for none)."""
    return name[1:].split("}", 1)[0] if name.startswith("{") else ""


def _local(name: str) -> str:
    """An XML name without its namespace: {http://www.w3.org/2000/svg}svg -> svg."""
    return name.rsplit("}", 1)[-1]


def _length(value: str | None) -> int:
    """A width or height in pixels (a plain number or px); 0 for none or another unit (%, em)."""
    match = LENGTH_RE.match(value or "")
    return max(1, round(float(match.group(1)))) if match else 0
