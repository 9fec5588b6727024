"""extract_citations() makes its Citation and Span objects without the dataclasses' __init__ (see
_citation() in citecheck/extract/citations.py); they must be the very objects the classes make."""

from __future__ import annotations

import dataclasses
import inspect
import pickle

import pytest

from citecheck.extract.citations import _citation, _span
from citecheck.models import Citation, CitationKind, CitedDate, Outlet, OutletType, Role, Span


def test_span_is_what_the_class_makes() -> None:
    made, expected = _span(3, 17), Span(3, 17)
    assert type(made) is Span
    assert made == expected and hash(made) == hash(expected) and repr(made) == repr(expected)


def test_citation_takes_the_fields_and_defaults_of_the_class() -> None:
    parameters = inspect.signature(_citation).parameters
    fields = dataclasses.fields(Citation)
    assert list(parameters) == [field.name for field in fields]
    for field in fields:
        default = parameters[field.name].default
        assert default == (inspect.Parameter.empty if field.default is dataclasses.MISSING else field.default)


def test_citation_is_what_the_class_makes() -> None:
    outlet = Outlet(id="x", name="X", type=OutletType.NEWSPAPER)
    values = {
        "kind": CitationKind.OUTLET,
        "role": Role.CITED,
        "text": "X",
        "span": Span(1, 2),
        "line": 4,
        "url": "https://x.example/",
        "malformed": "truncated",
        "date": CitedDate(2024, 11, 15),
        "outlet": outlet,
        "cue": "according to",
        "context": "According to X, it rained.",
    }
    for given in (values, {name: values[name] for name in ("kind", "role", "text", "span", "line")}):
        made, expected = _citation(**given), Citation(**given)  # type: ignore[arg-type]
        assert type(made) is Citation
        assert made == expected and hash(made) == hash(expected) and repr(made) == repr(expected)
        assert dataclasses.asdict(made) == dataclasses.asdict(expected)
        assert dataclasses.replace(made, line=5) == dataclasses.replace(expected, line=5)
        assert pickle.loads(pickle.dumps(made)) == expected
        with pytest.raises(dataclasses.FrozenInstanceError):
            made.line = 5  # type: ignore[misc]


def test_outlet_hits_and_cues_are_what_their_classes_make() -> None:
    """OutletHit comes from tuple.__new__ (outlets._hit()), and Cue has an __init__ of its own."""
    from citecheck.extract.cues import Cue
    from citecheck.extract.outlets import OutletHit, _hit

    outlet = Outlet(id="x", name="X", type=OutletType.NEWSPAPER)
    made, expected = _hit(3, 9, outlet, "alias"), OutletHit(3, 9, outlet, "alias")
    assert type(made) is OutletHit and made == expected and repr(made) == repr(expected)
    assert (made.start, made.end, made.outlet, made.form) == (3, 9, outlet, "alias")
    cue = Cue(Role.CITED, "according to", CitedDate(2024, 11, 15))
    assert (cue.role, cue.cue, cue.date) == (Role.CITED, "according to", CitedDate(2024, 11, 15))
    assert cue == Cue(Role.CITED, "according to", CitedDate(2024, 11, 15)) != Cue(Role.SELF, None, None)
    assert [field.name for field in dataclasses.fields(Cue)] == ["role", "cue", "date"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        cue.cue = "x"  # type: ignore[misc]
