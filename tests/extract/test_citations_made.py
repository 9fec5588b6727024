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
