"""A world map of Internet shutdowns per country as SVG: each country a ``<path>`` whose ``id`` is its
ISO 3166-1 alpha-2 code, its ``fill`` the colour of its class and its ``<title>`` "name: count".

Pure: counts and localized words in, bytes out, the same bytes for the same counts whatever their
order. The geometry is ``data/worldmap/countries.topojson`` (Natural Earth, public domain; its README
says how it was made), drawn in the Natural Earth projection with plain math; nothing is downloaded.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any
from xml.sax.saxutils import escape

PALETTE = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
"""ColorBrewer YlOrRd, 5 classes (colour-blind safe), from fewest to most shutdowns."""
NO_SHUTDOWN = "#d9d9d9"
"""The fill of a country with no shutdown counted."""
SEA = "#eaf2f8"
LADDER = (1, 2, 6, 11, 26, 51, 101, 251, 501, 1001, 2501, 5001, 10001)
"""The lower bounds the classes are chosen from: 1, 2–5, 6–10, 11–25, 26–50, 51–100 …"""

WIDTH = 1000
_MARGIN = 10
_TITLE_BAND = 44
_LEGEND_BAND = 66
_BOX = 56  # width of one class box in the legend
_DOT_AREA = 4.0  # px²: an affected country smaller than this also gets a dot, to be seen
_DOT_RADIUS = 30  # tenths of a px
_TOPOLOGY = "data/worldmap/countries.topojson"
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class _Shape:
    path: str  # the path data, in tenths of a pixel written as decimals
    area: float  # px²
    centre: tuple[int, int]  # tenths of a pixel: the middle of its largest ring's box


@dataclass(frozen=True)
class _Geometry:
    shapes: Mapping[str, _Shape]
    height: int  # px of the map itself
    sea: str  # path data of the projection's outline between the northmost and southmost land


def _project(lon: float, lat: float) -> tuple[float, float]:
    """The Natural Earth projection (Šavrič, Jenny, Patterson, Petrovič, Hurni 2011), y up."""
    lam, phi = math.radians(lon), math.radians(lat)
    p2 = phi * phi
    p4 = p2 * p2
    x = lam * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4)))
    y = phi * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4)))
    return x, y


def _signed_area(ring: Sequence[tuple[int, int]]) -> int:
    """Twice the area in tenths², positive when clockwise on screen (y down)."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True))


def _numbers(tenths: Iterable[int]) -> str:
    """Tenths of a pixel as path numbers: "12.3-4 5"; a minus sign needs no space before it."""
    out: list[str] = []
    for value in tenths:
        whole, tenth = divmod(abs(value), 10)
        text = f"{'-' if value < 0 else ''}{whole}{f'.{tenth}' if tenth else ''}"
        out.append(text if not out or value < 0 else f" {text}")
    return "".join(out)


def _ring_path(ring: Sequence[tuple[int, int]]) -> str:
    deltas = [d for (xa, ya), (xb, yb) in itertools.pairwise(ring) for d in (xb - xa, yb - ya)]
    return f"M{_numbers(ring[0])}l{_numbers(deltas)}z"


def _dot_path(centre: tuple[int, int]) -> str:
    x, y, r = centre[0], centre[1], _DOT_RADIUS
    half = f"a{_numbers((r, r))} 0 1 1 "  # sweep 1: clockwise on screen, like the outer rings
    return f"M{_numbers((x - r, y))}{half}{_numbers((2 * r, 0))}{half}{_numbers((-2 * r, 0))}z"


def _arcs(topology: Mapping[str, Any]) -> list[list[tuple[float, float]]]:
    """The TopoJSON arcs as (longitude, latitude): quantized and delta-encoded in the file."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for encoded in topology["arcs"]:
        qx = qy = 0
        points = []
        for dx, dy in encoded:
            qx, qy = qx + dx, qy + dy
            points.append((qx * sx + tx, qy * sy + ty))
        arcs.append(points)
    return arcs


def _shape(polygons: Sequence[Sequence[Sequence[int]]], arcs: Sequence[Sequence[tuple[int, int]]]) -> _Shape:
    """A country from its polygons (each an outer ring and its holes, each ring a list of arc indices);
    one too small for any ring to survive rounding is a square of a tenth of a pixel at its middle."""
    parts, area, largest, centre = [], 0, -1, (0, 0)
    for polygon in polygons:
        for position, indices in enumerate(polygon):
            points: list[tuple[int, int]] = []
            for index in indices:  # ~index: the arc backwards; rings share the arcs of their borders
                arc = arcs[index] if index >= 0 else arcs[~index][::-1]
                points += arc[1:] if points else arc
            ring = [point for before, point in itertools.pairwise(points) if point != before]
            signed = _signed_area(ring) if len(ring) >= 3 else 0
            if (signed < 0) == (position == 0):  # outer rings clockwise, holes anticlockwise
                ring, signed = ring[::-1], -signed
            if signed > largest:
                xs, ys = [x for x, _ in points], [y for _, y in points]
                largest, centre = signed, ((min(xs) + max(xs)) // 2, (min(ys) + max(ys)) // 2)
            if signed:
                area += signed
                parts.append(_ring_path(ring))
    return _Shape("".join(parts) or f"M{_numbers(centre)}h.1v.1h-.1z", area / 200, centre)


@functools.cache
def _geometry() -> _Geometry:
    topology = json.loads(resources.files("wikibot").joinpath(_TOPOLOGY).read_text(encoding="utf-8"))
    degrees = _arcs(topology)
    north = max(lat for arc in degrees for _, lat in arc)
    south = min(lat for arc in degrees for _, lat in arc)
    east = _project(180, 0)[0]
    scale = (WIDTH - 2 * _MARGIN) / (2 * east)
    top, bottom = _project(0, north)[1], _project(0, south)[1]

    def pixel(lon: float, lat: float) -> tuple[int, int]:  # in tenths
        x, y = _project(lon, lat)
        return round((_MARGIN + (x + east) * scale) * 10), round((top - y) * scale * 10)

    arcs = [[pixel(lon, lat) for lon, lat in arc] for arc in degrees]
    shapes = {
        str(country["id"]): _shape(country["arcs"], arcs)
        for country in topology["objects"]["countries"]["geometries"]
    }
    east_edge = [(180.0, south + (north - south) * step / 36) for step in range(37)]
    outline = [pixel(lon, lat) for lon, lat in east_edge + [(-lon, lat) for lon, lat in reversed(east_edge)]]
    return _Geometry(shapes, math.ceil((top - bottom) * scale), _ring_path(outline))


def shapes() -> frozenset[str]:
    """The alpha-2 codes the map has a shape for (a count under another key is not drawn)."""
    return frozenset(_geometry().shapes)


def class_breaks(counts: Iterable[int]) -> tuple[int, ...]:
    """The lower bounds of the five classes: five steps of LADDER, the last one the highest step the
    largest count reaches (at least 26), the first one lowered to 1: 1, 2–5, 6–10, 11–25, 26+ up to
    a largest count of 50; 1–5, 6–10, 11–25, 26–50, 51+ up to 100 …"""
    largest = max((count for count in counts if count > 0), default=0)
    top = max(bisect.bisect_right(LADDER, largest) - 1, len(PALETTE) - 1)
    return (1, *LADDER[top - len(PALETTE) + 2 : top + 1])


def class_labels(breaks: Sequence[int], format_number: Callable[[int], str] = str) -> tuple[str, ...]:
    """The legend's label of each class: "1", "2–5", …, "26+"."""
    labels = []
    for low, following in zip(breaks, [*breaks[1:], None], strict=True):
        if following is None:
            labels.append(f"{format_number(low)}+")
        elif following - 1 == low:
            labels.append(format_number(low))
        else:
            labels.append(f"{format_number(low)}–{format_number(following - 1)}")
    return tuple(labels)


def fill(count: int, breaks: Sequence[int]) -> str:
    """The colour of a country with this many shutdowns."""
    return PALETTE[bisect.bisect_right(breaks, count) - 1] if count >= 1 else NO_SHUTDOWN


def _text(value: str) -> str:
    return escape(_XML_INVALID.sub("", value), {'"': "&quot;"})


def svg(
    counts: Mapping[str, int],
    names: Mapping[str, str],
    title: str,
    legend_title: str,
    no_data_label: str,
    lang: str = "en",
    rtl: bool = False,
    format_number: Callable[[int], str] = str,
) -> bytes:
    """The map as a standalone SVG 1.1 document; counts and names are keyed by alpha-2 code, a key
    without a shape is left out (see shapes()), a country absent or at 0 is grey.

    In RTL the whole document has direction="rtl", so text-anchor="start" is the right end of a text
    (librsvg and browsers agree): the title and the legend then start at the right edge.
    """
    geometry = _geometry()
    drawn = {code: count for code, count in counts.items() if code in geometry.shapes and count > 0}
    breaks = class_breaks(drawn.values())
    legend_top = _TITLE_BAND + geometry.height + 8
    height = legend_top + _LEGEND_BAND
    start = WIDTH - _MARGIN if rtl else _MARGIN
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" xml:lang="{_text(lang)}" direction="{"rtl" if rtl else "ltr"}" '
        'font-family="sans-serif">',
        f"<title>{_text(title)}</title>",
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="{start}" y="30" font-size="20" font-weight="bold" text-anchor="start">'
        f"{_text(title)}</text>",
        f'<path transform="translate(0 {_TITLE_BAND})" fill="{SEA}" d="{geometry.sea}"/>',
        f'<g id="countries" transform="translate(0 {_TITLE_BAND})" stroke="#ffffff" stroke-width="0.4" '
        'stroke-linejoin="round">',
    ]
    dotted = {code for code in drawn if geometry.shapes[code].area < _DOT_AREA}
    for code in sorted(geometry.shapes, key=lambda code: (code in dotted, code)):  # dots on top
        shape, count = geometry.shapes[code], drawn.get(code, 0)
        path = shape.path + (_dot_path(shape.centre) if code in dotted else "")
        label = _text(f"{names.get(code, code)}: {format_number(count)}")
        out.append(f'<path id="{code}" fill="{fill(count, breaks)}" d="{path}"><title>{label}</title></path>')
    out.append("</g>")
    out += _legend(breaks, legend_title, no_data_label, format_number, legend_top, rtl)
    out += ["</svg>", ""]
    return "\n".join(out).encode("utf-8")


def _legend(
    breaks: Sequence[int],
    legend_title: str,
    no_data_label: str,
    format_number: Callable[[int], str],
    top: int,
    rtl: bool,
) -> list[str]:
    """The legend's title, a bar of the classes with their labels under it, and the grey box."""

    def left(offset: int, width: int) -> int:  # the left x of a box offset from the starting side
        return WIDTH - offset - width if rtl else offset

    box = 'y="22" height="14" stroke="#737373" stroke-width="0.5"'
    out = [
        f'<g id="legend" font-size="12" transform="translate(0 {top})">',
        f'<text x="{left(_MARGIN, 0)}" y="14" font-weight="bold" text-anchor="start">'
        f"{_text(legend_title)}</text>",
    ]
    for index, (colour, label) in enumerate(zip(PALETTE, class_labels(breaks, format_number), strict=True)):
        x = left(_MARGIN + index * _BOX, _BOX)
        out.append(f'<rect x="{x}" width="{_BOX}" {box} fill="{colour}"/>')
        out.append(f'<text x="{x + _BOX // 2}" y="52" text-anchor="middle">{_text(label)}</text>')
    offset = _MARGIN + len(PALETTE) * _BOX + 20
    out.append(f'<rect x="{left(offset, 14)}" width="14" {box} fill="{NO_SHUTDOWN}"/>')
    out.append(f'<text x="{left(offset + 20, 0)}" y="34" text-anchor="start">{_text(no_data_label)}</text>')
    out.append("</g>")
    return out
