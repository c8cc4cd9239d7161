"""The world map: countries by alpha-2 code with their class's fill and a title, the legend, the title,
right-to-left layout, keys without a shape, and the geometry in its place."""

from __future__ import annotations

import csv
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from wikibot import worldmap
from wikibot.countries import lookup, split_countries
from wikibot.worldmap import LADDER, NO_SHUTDOWN, PALETTE, class_breaks, class_labels, fill, shapes, svg

NS = {"svg": "http://www.w3.org/2000/svg"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
COUNTS = {"IN": 84, "MM": 85, "PK": 21, "RU": 19, "UA": 7, "IR": 5, "BD": 2, "BH": 1, "Somaliland": 3}
NAMES = {"IN": "Inde", "MM": "Birmanie", "PK": "Pakistan", "RU": "Russie", "UA": "Ukraine", "DE": "Allemagne"}
DEFAULT = (1, 2, 6, 11, 26)
# countries in the STOP data 2016–2025 and in the list, tiny ones (Vatican, Monaco) included
SHUTDOWN_COUNTRIES = (
    *("IN", "MM", "PK", "BD", "AF", "LK", "NP", "CN", "VN", "TH", "PH", "ID", "MY", "PG", "SB", "KP", "KR"),
    *("LA", "KH", "RU", "UA", "BY", "KZ", "TJ", "TM", "UZ", "KG", "AZ", "AM", "TR", "IR", "IQ", "SY", "JO"),
    *("OM", "PS", "LB", "IL", "SA", "YE", "AE", "QA", "BH", "ET", "SD", "SS", "SO", "ER", "DZ", "EG", "LY"),
    *("MA", "TN", "MR", "SN", "GM", "GW", "GN", "SL", "LR", "CI", "GH", "TG", "BJ", "NG", "NE", "BF", "ML"),
    *("TD", "CF", "CM", "GA", "GQ", "CG", "CD", "BI", "RW", "UG", "KE", "TZ", "MZ", "MW", "ZM", "ZW", "AO"),
    *("SZ", "KM", "MU", "CU", "VE", "BR", "CO", "EC", "NI", "PE", "PA", "SV", "SR", "US", "GB", "FR", "NO"),
    *("XK", "LV", "LT", "ME", "AL", "NC", "VA", "MC"),
)


def draw(counts: Mapping[str, int] = COUNTS, **kw: object) -> bytes:
    words: dict[str, object] = {
        "names": NAMES,
        "title": "Coupures d'Internet en 2024",
        "legend_title": "Coupures",
        "no_data_label": "Aucune coupure",
    }
    return svg(counts, **(words | kw))  # type: ignore[arg-type]


def parse(data: bytes) -> ET.Element:
    return ET.fromstring(data)


def countries(root: ET.Element) -> dict[str, ET.Element]:
    return {path.get("id", ""): path for path in root.findall("svg:g[@id='countries']/svg:path", NS)}


def title_of(element: ET.Element) -> str:
    title = element.find("svg:title", NS)
    assert title is not None
    return title.text or ""


def legend(root: ET.Element) -> ET.Element:
    group = root.find("svg:g[@id='legend']", NS)
    assert group is not None
    return group


def points(d: str) -> list[tuple[float, float]]:
    """The absolute points of the path data the map writes (M, l, h, v, a, z)."""
    tokens = re.findall(r"[MlhvazA-Za-z]|-?(?:\d+\.?\d*|\.\d+)", d)
    out: list[tuple[float, float]] = []
    x = y = 0.0
    command, index = "", 0
    while index < len(tokens):
        if tokens[index].isalpha():
            command, index = tokens[index], index + 1
            if command == "z":
                continue
        numbers = {"M": 2, "l": 2, "h": 1, "v": 1, "a": 7}[command]
        args = [float(token) for token in tokens[index : index + numbers]]
        index += numbers
        if command == "M":
            x, y = args
        elif command == "l":
            x, y = x + args[0], y + args[1]
        elif command == "h":
            x += args[0]
        elif command == "v":
            y += args[0]
        else:
            x, y = x + args[5], y + args[6]
        out.append((round(x, 6), round(y, 6)))
    return out


def centre(path: ET.Element) -> tuple[float, float]:
    xs, ys = zip(*points(path.get("d", "")), strict=True)
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


@pytest.fixture(scope="module")
def drawing() -> ET.Element:
    return parse(draw())


@pytest.mark.parametrize(
    ("counts", "breaks"),
    [
        ([], DEFAULT),
        ([0, -2], DEFAULT),
        ([1], DEFAULT),
        ([3, 1, 25], DEFAULT),
        ([50], DEFAULT),
        ([51], (1, 6, 11, 26, 51)),
        ([85, 84, 21, 19, 7], (1, 6, 11, 26, 51)),
        ([100], (1, 6, 11, 26, 51)),
        ([101], (1, 11, 26, 51, 101)),
        ([920], (1, 51, 101, 251, 501)),
        ([10_001, 4], (1, 1001, 2501, 5001, 10_001)),
        ([10**9], (1, 1001, 2501, 5001, 10_001)),
    ],
)
def test_class_breaks(counts: list[int], breaks: tuple[int, ...]) -> None:
    assert class_breaks(counts) == breaks
    assert set(breaks[1:]) <= set(LADDER)


@pytest.mark.parametrize(
    ("breaks", "format_number", "labels"),
    [
        (DEFAULT, str, ("1", "2–5", "6–10", "11–25", "26+")),
        ((1, 6, 11, 26, 51), str, ("1–5", "6–10", "11–25", "26–50", "51+")),
        (
            (1, 1001, 2501, 5001, 10_001),
            lambda n: f"{n:,}".replace(",", "\u202f"),
            (
                "1–1\u202f000",
                "1\u202f001–2\u202f500",
                "2\u202f501–5\u202f000",
                "5\u202f001–10\u202f000",
                "10\u202f001+",
            ),
        ),
    ],
)
def test_class_labels(
    breaks: tuple[int, ...], format_number: Callable[[int], str], labels: tuple[str, ...]
) -> None:
    assert class_labels(breaks, format_number) == labels


@pytest.mark.parametrize(
    ("count", "breaks", "colour"),
    [
        (0, DEFAULT, NO_SHUTDOWN),
        (-1, DEFAULT, NO_SHUTDOWN),
        (1, DEFAULT, PALETTE[0]),
        (2, DEFAULT, PALETTE[1]),
        (5, DEFAULT, PALETTE[1]),
        (6, DEFAULT, PALETTE[2]),
        (25, DEFAULT, PALETTE[3]),
        (26, DEFAULT, PALETTE[4]),
        (5000, DEFAULT, PALETTE[4]),
        (5, (1, 6, 11, 26, 51), PALETTE[0]),
        (85, (1, 6, 11, 26, 51), PALETTE[4]),
    ],
)
def test_fill(count: int, breaks: tuple[int, ...], colour: str) -> None:
    assert fill(count, breaks) == colour


def test_a_standalone_svg_document(drawing: ET.Element) -> None:
    assert drawing.tag == "{http://www.w3.org/2000/svg}svg"
    assert drawing.get("version") == "1.1"
    width, height = int(drawing.get("width", "")), int(drawing.get("height", ""))
    assert drawing.get("viewBox") == f"0 0 {width} {height}"
    assert drawing.get(XML_LANG) == "en"
    assert 400 < height < width


def test_every_shape_is_a_country_path_with_its_code_fill_and_title(drawing: ET.Element) -> None:
    paths = drawing.findall("svg:g[@id='countries']/svg:path", NS)
    ids = [path.get("id", "") for path in paths]
    assert all(re.fullmatch(r"[A-Z]{2}", code) for code in ids)
    assert len(ids) == len(set(ids)) and set(ids) == shapes()
    for path in paths:
        assert re.fullmatch(r"#[0-9a-f]{6}", path.get("fill", ""))
        assert title_of(path).endswith(": 0") or path.get("id") in COUNTS
        assert path.get("class") is None and path.get("style") is None


@pytest.mark.parametrize(
    ("code", "fill", "title"),
    [
        ("MM", PALETTE[4], "Birmanie: 85"),
        ("IN", PALETTE[4], "Inde: 84"),
        ("PK", PALETTE[2], "Pakistan: 21"),
        ("RU", PALETTE[2], "Russie: 19"),
        ("UA", PALETTE[1], "Ukraine: 7"),
        ("IR", PALETTE[0], "IR: 5"),  # no name given: the code
        ("BD", PALETTE[0], "BD: 2"),
        ("BH", PALETTE[0], "BH: 1"),
        ("DE", NO_SHUTDOWN, "Allemagne: 0"),
        ("FR", NO_SHUTDOWN, "FR: 0"),
        ("US", NO_SHUTDOWN, "US: 0"),
    ],
)
def test_country_fill_and_title(drawing: ET.Element, code: str, fill: str, title: str) -> None:
    path = countries(drawing)[code]
    assert (path.get("fill"), title_of(path)) == (fill, title)


def test_counts_are_formatted_by_the_caller() -> None:
    root = parse(draw({"IN": 1234, "PK": 3}, format_number=lambda n: f"{n:,}".replace(",", "\u202f")))
    assert title_of(countries(root)["IN"]) == "Inde: 1\u202f234"
    labels = [text.text for text in legend(root).findall("svg:text", NS)]
    assert labels[1:6] == ["1–100", "101–250", "251–500", "501–1\u202f000", "1\u202f001+"]


def test_the_legend_lists_the_classes_then_no_shutdown(drawing: ET.Element) -> None:
    group = legend(drawing)
    texts = [text.text for text in group.findall("svg:text", NS)]
    assert texts == ["Coupures", "1–5", "6–10", "11–25", "26–50", "51+", "Aucune coupure"]
    assert [rect.get("fill") for rect in group.findall("svg:rect", NS)] == [*PALETTE, NO_SHUTDOWN]


def test_the_title_is_there_and_stays_text() -> None:
    data = draw(title="Shutdowns <b>&amp; </svg> \x00", names={"IN": "India & <Bharat>"})
    root = parse(data)
    assert b"<b>" not in data and b"</svg> " not in data
    heading = root.find("svg:text", NS)
    assert heading is not None and heading.text == "Shutdowns <b>&amp; </svg> "
    assert title_of(root) == "Shutdowns <b>&amp; </svg> "
    assert title_of(countries(root)["IN"]) == "India & <Bharat>: 84"


def test_the_order_of_the_counts_changes_nothing() -> None:
    shuffled = dict(sorted(COUNTS.items(), key=lambda item: (item[1] * 7919) % 13))
    assert list(shuffled) != list(COUNTS)
    assert draw(shuffled, names=dict(reversed(NAMES.items()))) == draw()


@pytest.mark.parametrize(
    ("rtl", "lang", "direction", "right"), [(False, "en", "ltr", False), (True, "ar", "rtl", True)]
)
def test_right_to_left_layout(rtl: bool, lang: str, direction: str, right: bool) -> None:
    root = parse(draw(rtl=rtl, lang=lang))
    width = int(root.get("width", ""))
    assert (root.get("direction"), root.get(XML_LANG)) == (direction, lang)
    # In a right-to-left document text-anchor="start" is the right end of a text (SVG 1.1; librsvg and
    # browsers agree), so the title and the legend's words are anchored at "start" in both directions.
    heading = root.find("svg:text", NS)
    assert heading is not None
    texts = [heading, *(t for t in legend(root).findall("svg:text", NS) if t.get("text-anchor") != "middle")]
    assert [t.text for t in texts] == ["Coupures d'Internet en 2024", "Coupures", "Aucune coupure"]
    assert {t.get("text-anchor") for t in texts} == {"start"}
    assert all((float(t.get("x", "")) > width / 2) == right for t in texts)
    boxes = [float(rect.get("x", "")) for rect in legend(root).findall("svg:rect", NS)]
    assert boxes == sorted(boxes, reverse=right)  # the fewest shutdowns first, the grey box last


def test_the_map_itself_is_not_mirrored(drawing: ET.Element) -> None:
    assert countries(parse(draw(rtl=True)))["IN"].attrib == countries(drawing)["IN"].attrib


@pytest.mark.parametrize("key", ["Somaliland", "ZZ", "in", "", "EU"])
def test_keys_without_a_shape_are_left_out(key: str) -> None:
    assert key not in shapes()
    root = parse(draw({key: 500, "IN": 1}))
    assert key not in countries(root)
    assert [t.text for t in legend(root).findall("svg:text", NS)][1:6] == ["1", "2–5", "6–10", "11–25", "26+"]


@pytest.mark.parametrize("code", SHUTDOWN_COUNTRIES)
def test_shutdown_countries_have_a_shape(code: str) -> None:
    assert code in shapes()


def test_antarctica_is_left_out() -> None:
    assert "AQ" not in shapes()


def test_small_affected_countries_get_a_dot(drawing: ET.Element) -> None:
    paths = countries(drawing)
    assert "a" in paths["BH"].get("d", "")  # Bahrain: one shutdown, smaller than a dot
    assert "a" not in paths["MT"].get("d", "")  # Malta: none
    assert "a" not in paths["IN"].get("d", "")
    ids = list(paths)
    assert ids.index("BH") > ids.index("SA")  # drawn over its neighbours


def test_countries_are_in_their_place(drawing: ET.Element) -> None:
    paths = countries(drawing)
    x = {code: centre(paths[code])[0] for code in ("BR", "EG", "IN", "AU", "MX", "PG")}
    y = {code: centre(paths[code])[1] for code in ("CA", "DE", "EG", "CD", "ZA", "AR")}
    assert sorted(x, key=x.__getitem__) == ["MX", "BR", "EG", "IN", "AU", "PG"]
    assert sorted(y, key=y.__getitem__) == ["CA", "DE", "EG", "CD", "ZA", "AR"]
    width = int(drawing.get("width", ""))
    allxy = [point for path in paths.values() for point in points(path.get("d", ""))]
    assert min(px for px, _ in allxy) >= 0 and max(px for px, _ in allxy) <= width
    assert min(py for _, py in allxy) >= 0


def test_size_and_time() -> None:
    worldmap.shapes()  # the geometry is read once per process
    every = dict.fromkeys(shapes(), 3)
    started = time.perf_counter()
    data = draw(every, names=dict.fromkeys(shapes(), "Some country name"))
    assert time.perf_counter() - started < 0.3
    assert len(data) < 400_000


@pytest.mark.realdata
def test_every_country_of_the_real_data_has_a_shape(shared_data: Path) -> None:
    path = shared_data / "keepiton_stop" / "keepiton_stop_combined_2016-2025.derived.csv"
    with path.open(encoding="utf-8", newline="") as file:
        names = {name for row in csv.DictReader(file) for name in split_countries(row["country"])}
    codes = {country.code for country in map(lookup, names) if country is not None}
    assert len(codes) > 90
    assert codes - shapes() == {None}  # Somaliland, which has no code
