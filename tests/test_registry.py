"""The bundled registry: size, validity, coverage and resolution rules."""

from __future__ import annotations

import hashlib
import json
import marshal
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from citecheck.config import RegistrySettings
from citecheck.errors import RegistryError
from citecheck.models import Affiliation, OutletType
from citecheck.resolve.registry import DATA_DIR, OutletEntry, _fold, _load_cached, _merge, load_registry

REGISTRY = load_registry()


def test_at_least_500_outlets_with_sources_and_types() -> None:
    assert len(REGISTRY) >= 500
    for outlet in REGISTRY.outlets.values():
        assert outlet.sources, f"{outlet.id} says nowhere where its facts come from"
        assert isinstance(outlet.type, OutletType)


def test_every_parent_exists() -> None:
    missing = [o.id for o in REGISTRY.outlets.values() if o.parent and o.parent not in REGISTRY.outlets]
    assert missing == []


def test_coverage_is_broad() -> None:
    types = Counter(outlet.type for outlet in REGISTRY.outlets.values())
    for kind in (
        OutletType.STATE_MEDIA,
        OutletType.PUBLIC_BROADCASTER,
        OutletType.WIRE_SERVICE,
        OutletType.NEWSPAPER,
        OutletType.THINK_TANK,
        OutletType.ADVOCACY,
        OutletType.GOVERNMENT,
        OutletType.INTERGOVERNMENTAL,
        OutletType.ACADEMIC,
        OutletType.CORPORATE,
        OutletType.LEAK,
        OutletType.PLATFORM,
        OutletType.DIGITAL_NATIVE,
        OutletType.BROADCASTER,
    ):
        assert types[kind] >= 3, kind
    countries = {outlet.country for outlet in REGISTRY.outlets.values()}
    assert {
        "CN",
        "RU",
        "IR",
        "TR",
        "KP",
        "VE",
        "CU",
        "QA",
        "SA",
        "US",
        "GB",
        "FR",
        "DE",
        "IN",
        "JP",
        "KR",
        "HK",
        "TW",
        "AU",
    } <= countries


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://www.bbc.com/zhongwen/simp/56348346", "BBC Chinese"),
        ("https://www.bbc.com/news/world-1", "BBC"),
        ("https://china.kyodonews.net/news/2021/03/x.html", "Kyodo News"),
        ("http://paper.people.com.cn/rmrb/html/2021-03/18/nw.htm", "People's Daily"),
        ("https://www.rfa.org/mandarin/x.html", "Radio Free Asia"),
    ],
)
def test_url_resolution_by_domain_and_longest_path_scope(url: str, name: str) -> None:
    outlet = REGISTRY.by_url(url)
    assert outlet is not None and (outlet.name == name or name in outlet.aliases), (url, outlet)


def test_unknown_domain_stays_unknown() -> None:
    assert REGISTRY.by_url("https://no-such-outlet.example/a") is None


@pytest.mark.parametrize(
    ("url", "outlet_id"),
    [
        ("https://www.gov.uk/guidance/x", "uk-government"),
        ("https://www.gov.uk/government/organisations/cabinet-office/x", "uk-cabinet-office"),
        ("https://mycouncil.gov.uk/news", None),  # gov.uk is a public suffix: a council's site is its own
        ("https://news.bbc.co.uk/x", "bbc"),
        ("http://10.0.0.1/a", None),
    ],
)
def test_a_host_resolves_up_to_its_registered_domain_and_no_further(url: str, outlet_id: str | None) -> None:
    outlet = REGISTRY.by_url(url)
    assert (outlet.id if outlet else None) == outlet_id


@pytest.mark.parametrize("name", ["新华社", "人民日报", "央视", "Xinhua", "AP", "Reuters", "WikiLeaks"])
def test_names_in_several_scripts_resolve(name: str) -> None:
    assert REGISTRY.by_name(name), name


def test_radio_free_asia_funder_is_shown() -> None:
    [rfa] = [o for o in REGISTRY.by_name("Radio Free Asia")]
    assert rfa.state_affiliation is Affiliation.FUNDED and rfa.funder and rfa.note


def test_state_media_profiles_are_credited_and_licensed() -> None:
    derived = [o for o in REGISTRY.outlets.values() if o.id.startswith("smp-")]
    assert len(derived) > 500
    assert all(any("state-media-profiles" in s for s in o.sources) for o in derived)
    assert "MIT License" in (DATA_DIR / "LICENSE.state-media-profiles.txt").read_text()


def test_config_extends_and_overrides(tmp_path: Path) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        yaml.safe_dump(
            {
                "outlets": [
                    {
                        "id": "my-blog",
                        "name": "My Local Blog",
                        "type": "digital_native",
                        "domains": ["myblog.example"],
                        "sources": ["me"],
                    }
                ]
            }
        )
    )
    registry = load_registry(
        RegistrySettings(
            extra_files=(str(extra),),
            outlets=(
                {"id": "xinhua", "name": "Xinhua", "type": "wire_service", "sources": ["test override"]},
            ),
        )
    )
    assert registry.by_url("https://myblog.example/post").name == "My Local Blog"
    assert registry.get("xinhua").type is OutletType.WIRE_SERVICE


def test_invalid_registry_entry_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({"outlets": [{"id": "x", "name": "X", "type": "tabloid"}]}))
    with pytest.raises(RegistryError, match="bad.yaml: entry 0 \\(x\\): type"):
        load_registry(RegistrySettings(extra_files=(str(bad),)))


def _one_outlet_file(folder: Path, name: str) -> Path:
    path = folder / "extra.yaml"
    ident = "fixture-other" if "Other" in name else "fixture-daily"  # files in one test must not clash
    entry = {"id": ident, "name": name, "type": "newspaper", "country": "NL", "sources": ["test"]}
    path.write_text(yaml.safe_dump({"outlets": [entry]}))
    return path


def test_parsed_registry_files_are_cached_by_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("CITECHECK_CACHE_DIR", str(cache))
    extra = _one_outlet_file(tmp_path, "Fixture Daily")
    settings = RegistrySettings(extra_files=(str(extra),))
    assert load_registry(settings).by_name("Fixture Daily")
    [copy] = cache.glob(f"registry-*-{hashlib.sha256(extra.read_bytes()).hexdigest()}.json")
    assert json.loads(copy.read_text())["outlets"][0]["name"] == "Fixture Daily"

    # the copy is what a later start reads (when the merged registry must be made again): change it and
    # the change shows
    copy.write_text(copy.read_text().replace("Fixture Daily", "Cached Daily"))
    _forget_merged(cache)
    assert load_registry(settings).by_name("Cached Daily")

    # a damaged copy falls back to the YAML, and is rewritten
    copy.write_text("{not json")
    _forget_merged(cache)
    assert load_registry(settings).by_name("Fixture Daily")
    assert json.loads(copy.read_text())["outlets"][0]["name"] == "Fixture Daily"


def _forget_merged(cache: Path) -> None:
    _load_cached.cache_clear()
    for merged in cache.glob("merged-registry-*"):
        merged.unlink()


def _renamed_in_copy(copy: Path, old: str, new: str) -> None:
    """Edit the merged registry's cached copy (marshal rows) as a later start would find it."""

    def renamed(value: object) -> object:
        if isinstance(value, tuple):
            return tuple(renamed(part) for part in value)
        return new if value == old else value

    version, names, rows = marshal.loads(copy.read_bytes())
    rows = [tuple(renamed(value) for value in row) for row in rows]
    copy.write_bytes(marshal.dumps((version, names, rows)))


def test_the_merged_registry_is_kept_and_is_what_a_start_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("CITECHECK_CACHE_DIR", str(cache))
    settings = RegistrySettings(extra_files=(str(_one_outlet_file(tmp_path, "Fixture Daily")),))
    _load_cached.cache_clear()
    first = load_registry(settings)
    [merged] = cache.glob("merged-registry-*")
    _renamed_in_copy(merged, "Fixture Daily", "Merged Daily")
    _load_cached.cache_clear()
    again = load_registry(settings)
    assert again.by_name("Merged Daily") and len(again) == len(first)
    assert again.outlets == {**first.outlets, "fixture-daily": again.get("fixture-daily")}
    assert again.get("xinhua") == first.get("xinhua")  # every field survives the round trip
    # editing a file makes a new merged registry and drops the old one
    _one_outlet_file(tmp_path, "Edited Daily")
    _load_cached.cache_clear()
    assert load_registry(settings).by_name("Edited Daily")
    assert len(list(cache.glob("merged-registry-*"))) == 1
    # a damaged copy, or one another version wrote, is made again
    [merged] = cache.glob("merged-registry-*")
    for damage in (b"\x00not marshal", marshal.dumps((0, ("id",), [("x",)]))):
        merged.write_bytes(damage)
        _load_cached.cache_clear()
        assert load_registry(settings).by_name("Edited Daily")


def test_copies_made_from_other_registry_files_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two configs (or two installs) sharing one cache folder: a new copy replaces only the older copies
    made from the same files, so neither start rebuilds what the other has just written."""
    from citecheck.extract.outlets import OutletMatcher

    cache = tmp_path / "cache"
    monkeypatch.setenv("CITECHECK_CACHE_DIR", str(cache))
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    first_settings = RegistrySettings(extra_files=(str(_one_outlet_file(first, "First Daily")),))
    second_settings = RegistrySettings(extra_files=(str(_one_outlet_file(second, "Second Daily")),))
    for settings in (first_settings, second_settings):
        _load_cached.cache_clear()
        OutletMatcher(load_registry(settings))
    assert len(list(cache.glob("merged-registry-*"))) == len(list(cache.glob("matcher-*"))) == 2
    _one_outlet_file(first, "Edited Daily")  # an edit replaces its own file's copies, not the other's
    _load_cached.cache_clear()
    OutletMatcher(load_registry(first_settings))
    assert len(list(cache.glob("merged-registry-*"))) == len(list(cache.glob("matcher-*"))) == 2
    _load_cached.cache_clear()
    kept = [copy for copy in cache.glob("merged-registry-*") if b"Second Daily" in copy.read_bytes()]
    _renamed_in_copy(kept[0], "Second Daily", "Kept Daily")
    assert load_registry(second_settings).by_name("Kept Daily")  # read from the copy, not rebuilt


def test_an_edited_registry_file_replaces_its_cached_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("CITECHECK_CACHE_DIR", str(cache))
    other = tmp_path / "other"
    other.mkdir()
    kept = _one_outlet_file(other, "Other Daily")  # another file's copy must survive
    settings = RegistrySettings(extra_files=(str(_one_outlet_file(tmp_path, "First Daily")), str(kept)))
    _load_cached.cache_clear()
    load_registry(settings)
    _one_outlet_file(tmp_path, "Second Daily")  # the same file, edited
    _load_cached.cache_clear()
    assert load_registry(settings).by_name("Second Daily")
    names = {json.loads(copy.read_text())["outlets"][0]["name"] for copy in cache.glob("registry-*.json")}
    assert "First Daily" not in names and {"Second Daily", "Other Daily"} <= names


def test_registry_loads_when_the_cache_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("CITECHECK_CACHE_DIR", str(blocker / "cache"))
    extra = _one_outlet_file(tmp_path, "Uncached Daily")
    _load_cached.cache_clear()
    assert load_registry(RegistrySettings(extra_files=(str(extra),))).by_name("Uncached Daily")


# -- controller -------------------------------------------------------------------------------------


def _controller_of(name: str) -> str | None:
    return REGISTRY.by_name(name)[0].controller


@pytest.mark.parametrize(
    ("names", "controller"),
    [
        (["Xinhua", "CCTV", "People's Daily", "Global Times", "China Daily"], "CN:CCP"),
        (["RT", "Sputnik", "TASS", "RIA Novosti"], "RU:state"),
        (["Al Jazeera", "Al Jazeera English"], "QA:state"),
        (["KCNA", "Rodong Sinmun"], "KP:WPK"),
        (["Voice of America", "Radio Free Asia"], "USAGM"),
    ],
)
def test_outlets_under_one_control_share_a_controller(names: list[str], controller: str) -> None:
    assert {_controller_of(name) for name in names} == {controller}


def test_a_language_service_takes_its_parents_controller() -> None:
    assert _controller_of("BBC Chinese") == _controller_of("BBC") == "BBC"


def test_every_state_controlled_entry_names_its_state() -> None:
    nameless = [
        o.id
        for o in REGISTRY.outlets.values()
        if o.state_affiliation is Affiliation.CONTROLLED
        and o.type is not OutletType.INTERGOVERNMENTAL
        and not re.match(r"[A-Z]{2}:\S", o.controller or "")
    ]
    assert nameless == []


def test_a_government_body_and_its_state_media_share_the_controller() -> None:
    [ministry] = [
        o for o in REGISTRY.outlets.values() if o.type is OutletType.GOVERNMENT and o.country == "RU"
    ][:1]
    assert ministry.controller == _controller_of("TASS")


def test_a_controller_given_in_config_is_kept_and_inherited(tmp_path: Path) -> None:
    registry = load_registry(
        RegistrySettings(
            outlets=(
                {
                    "id": "group-daily",
                    "name": "Group Daily",
                    "type": "newspaper",
                    "controller": "Fixture Group",
                    "sources": ["test"],
                },
                {
                    "id": "group-daily-en",
                    "name": "Group Daily English",
                    "type": "newspaper",
                    "parent": "group-daily",
                    "sources": ["test"],
                },
            )
        )
    )
    assert registry.get("group-daily-en").controller == "Fixture Group"


@pytest.mark.parametrize("bad", ["CN: CCP", "CN:", ":state", " ", ""])
def test_a_malformed_controller_is_a_clear_error(bad: str) -> None:
    with pytest.raises(RegistryError, match="controller"):
        load_registry(
            RegistrySettings(
                outlets=({"id": "x", "name": "X", "type": "newspaper", "controller": bad, "sources": ["t"]},)
            )
        )


# -- derived data: Cite Unseen, merging, contradictions ---------------------------------------------


def test_cite_unseen_entries_are_credited_and_licensed() -> None:
    derived = [o for o in REGISTRY.outlets.values() if o.id.startswith("cu-")]
    assert len(derived) > 2000
    assert all(any("Cite Unseen" in s and "CC BY-SA 4.0" in s for s in o.sources) for o in derived)
    notice = (DATA_DIR / "LICENSE.cite-unseen.txt").read_text()
    assert "Attribution-ShareAlike 4.0" in notice and "KevinPayravi/cite-unseen" in notice


def test_an_entry_named_after_its_domain_is_never_matched_in_prose() -> None:
    nameless = [o for o in REGISTRY.outlets.values() if o.id.startswith("cu-") and o.name in o.domains]
    assert len(nameless) > 1000
    forms = {form.outlet_id for form in REGISTRY.name_forms()}
    assert not forms & {o.id for o in nameless}


@pytest.mark.parametrize(
    ("url", "outlet_id"),
    [
        ("https://www.huffingtonpost.fr/politique/article", "huffpost"),  # a Cite Unseen domain, merged
        ("https://radio.hrt.hr/vijesti", "hrt"),  # a derived sub-site of a hand-written outlet
        ("https://linkedin.co.uk/in/someone", "linkedin"),
    ],
)
def test_derived_domains_of_a_known_outlet_join_its_entry(url: str, outlet_id: str) -> None:
    outlet = REGISTRY.by_url(url)
    assert outlet is not None and outlet.id == outlet_id


def _entry(**fields: object) -> OutletEntry:
    return OutletEntry.model_validate({"type": "newspaper", "sources": ["test"], **fields})


def test_a_derived_namesake_abroad_is_kept_and_one_at_home_gives_way() -> None:
    hand = _entry(id="the-herald-here", name="The Herald", country="GB", domains=["herald.example"])
    abroad = _entry(id="smp-the-herald-zw", name="The Herald", country="ZW", prominence=0)
    home = _entry(id="smp-the-herald-gb", name="The Herald", country="GB", domains=["herald2.example"])
    merged = {o.id: o for o in _merge([(True, [abroad, home]), (False, [hand])])}
    assert set(merged) == {"the-herald-here", "smp-the-herald-zw"}
    assert merged["the-herald-here"].domains == ("herald.example", "herald2.example")


def test_no_two_entries_contradict_each_other() -> None:
    """The same domain, the same name in one country (or with no country), the same abbreviation in one
    country: one outlet, which two entries must not give two types. (An acronym with no country is
    shared by bodies abroad: BIS, ICJ; one shared at home is told apart by hint words: CNS.)"""
    holders: dict[tuple[str, str], list[str]] = {}
    for outlet in REGISTRY.outlets.values():
        for name in outlet.aliases:  # cue aliases are short names known to be shared ("Iran", the daily)
            holders.setdefault(("name", _fold(name)), []).append(outlet.id)
        for abbreviation in outlet.abbreviations:
            holders.setdefault(("abbreviation", abbreviation), []).append(outlet.id)
        for domain in outlet.domains:
            holders.setdefault(("domain", domain), []).append(outlet.id)
    contradictions = []
    for key, ids in holders.items():
        outlets = [REGISTRY.outlets[i] for i in ids]
        for first in outlets:
            for second in outlets:
                same_place = key[0] == "domain" or first.country == second.country
                same_place = same_place or (key[0] == "name" and None in (first.country, second.country))
                told_apart = key[0] == "abbreviation" and bool(first.hints or second.hints)  # see SCHEMA.md
                if first.id < second.id and same_place and not told_apart and first.type is not second.type:
                    contradictions.append((key[1], first.id, first.type.value, second.id, second.type.value))
    assert contradictions == []


@pytest.mark.parametrize(
    ("outlet_id", "kind", "affiliation"),
    [
        ("al-jazeera", OutletType.STATE_MEDIA, Affiliation.CONTROLLED),  # Qatari state-owned, no charter
        ("smp-demokrata", OutletType.NEWSPAPER, Affiliation.CONTROLLED),  # a private weekly, captured
        ("smp-life-ru", OutletType.DIGITAL_NATIVE, Affiliation.CONTROLLED),
        ("smp-tv-slovenija-1", OutletType.PUBLIC_BROADCASTER, Affiliation.FUNDED),  # coded CaPr, but public
        ("smp-radio-belgrade", OutletType.STATE_MEDIA, Affiliation.CONTROLLED),  # its company's own code
    ],
)
def test_types_the_review_found_wrong(outlet_id: str, kind: OutletType, affiliation: Affiliation) -> None:
    outlet = REGISTRY.get(outlet_id)
    assert outlet is not None and (outlet.type, outlet.state_affiliation) == (kind, affiliation)
