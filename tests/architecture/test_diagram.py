"""Diagrams are drawn by Graphviz from DOT we write ourselves, every label escaped."""

import xml.etree.ElementTree as ET

import pytest

from architecture import diagram
from architecture.models import Component, Connection, Kind, Layer
from architecture.versions import freeze

pytestmark = pytest.mark.django_db
NASTY = 'Hệ thống "A" <script>alert(1)</script> & \\N'


def test_quote_escapes_quotes_backslashes_and_line_breaks():
    assert diagram.quote('a"b') == '"a\\"b"'
    assert diagram.quote("a\\Nb") == '"a\\\\Nb"'
    assert diagram.quote("a\nb") == '"a\\nb"'
    assert diagram.quote("<b>") == '"<b>"'  # a quoted string is never an HTML label


def test_labels_with_quotes_and_angle_brackets_are_escaped_in_dot_and_svg(db, dot):
    one = Component.objects.create(name=NASTY, layer=Layer.APPLICATION, kind=Kind.AGENCY_SYSTEM)
    two = Component.objects.create(name="Kho <dữ liệu>", layer=Layer.DATA, kind=Kind.DATA_STORE)
    Connection.objects.create(source=one, target=two, protocol='HTTP "x" <y>')
    source = diagram.source(freeze(), edge_labels=True)
    assert '"Hệ thống \\"A\\" <script>alert(1)</script> & \\\\N"' in source
    svg = diagram.svg(source)
    assert "<script" not in svg and "&lt;script&gt;" in svg
    root = ET.fromstring(svg)  # noqa: S314 - our own diagram
    texts = [element.text for element in root.iter("{http://www.w3.org/2000/svg}text")]
    assert NASTY in texts and "Kho <dữ liệu>" in texts and 'HTTP "x" <y>' in texts
    assert not svg.startswith("<?xml") and "<!--" not in svg


def test_the_checked_svg_refuses_scripts_and_outside_links():
    with pytest.raises(diagram.DiagramError):
        diagram._check('<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>')
    with pytest.raises(diagram.DiagramError):
        diagram._check('<svg xmlns="http://www.w3.org/2000/svg"><g onclick="x"/></svg>')
    with pytest.raises(diagram.DiagramError):
        diagram._check('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
                       '<a xlink:href="javascript:x"/></svg>')


def test_retired_components_are_left_out_of_the_overview(db, dot):
    Component.objects.create(name="Hệ thống cũ", layer=Layer.APPLICATION, kind=Kind.MODULE, status="retired")
    Component.objects.create(name="Hệ thống mới", layer=Layer.APPLICATION, kind=Kind.MODULE)
    svg = diagram.svg(diagram.source(freeze()))
    assert "Hệ thống mới" in svg and "Hệ thống cũ" not in svg
