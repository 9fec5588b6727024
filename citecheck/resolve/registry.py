"""The outlet registry: YAML data files in citecheck/data/registry/, validated and loaded once.

Load order sets precedence: the derived state-media file first, then the hand-written files
(alphabetical), then files and inline entries named in config.yaml. A later entry with the same id
replaces an earlier one. A derived entry that claims a name or domain a hand-written entry also
claims is dropped, since the hand-written entry carries owner, funder and notes. An entry that names
no controller takes its parent's.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import marshal
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..config import RegistrySettings
from ..datafiles import cache_dir, lasting, replace_older_copies
from ..errors import RegistryError
from ..models import Affiliation, Outlet, OutletType
from .domains import host_and_path, registered_domain

__all__ = ["DATA_DIR", "NameForm", "Registry", "load_registry", "registry_cache_dir", "replace_older_copies"]

# libyaml's loader reads the registry about ten times faster than the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "registry"
DERIVED_FILES = ("state_media_profiles.yaml", "cite_unseen.yaml")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_BAD_CONTROLLER = re.compile(r"^(?::|[A-Z]{2}:(?:\s|$))")  # no body after the country code, or no name


class OutletEntry(BaseModel):
    # Its validator is built on first use: a start that reads the merged copy validates nothing.
    model_config = ConfigDict(extra="forbid", defer_build=True)

    id: str
    name: str
    type: OutletType
    country: str | None = None
    aliases: list[str] = Field(default_factory=list)
    abbreviations: list[str] = Field(default_factory=list)
    cue_aliases: list[str] = Field(default_factory=list)
    short_names: list[str] = Field(default_factory=list)
    domains: list[str] = Field(default_factory=list)
    owner: str | None = None
    funder: str | None = None
    state_affiliation: Affiliation = Affiliation.NONE
    controller: str | None = None
    parent: str | None = None
    hints: list[str] = Field(default_factory=list)
    note: str | None = None
    sources: list[str] = Field(default_factory=list)
    prominence: int = Field(default=1, ge=0, le=3)
    match_names: bool = True
    same_as: str | None = None

    @field_validator("id")
    @classmethod
    def _valid_id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("ids are lowercase letters, digits and '-'")
        return value

    @field_validator("country")
    @classmethod
    def _valid_country(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[A-Z]{2}", value):
            raise ValueError("country is an ISO 3166-1 alpha-2 code such as 'FR'")
        return value

    @field_validator("controller")
    @classmethod
    def _valid_controller(cls, value: str | None) -> str | None:
        if value is not None and (value != value.strip() or not value or _BAD_CONTROLLER.match(value)):
            raise ValueError("controller is 'CC:body' for a state or ruling body ('CN:CCP'), or a name")
        return value

    @field_validator("domains")
    @classmethod
    def _clean_domains(cls, values: list[str]) -> list[str]:
        cleaned = []
        for value in values:
            value = value.strip().lower().rstrip("/")
            if "://" in value:
                value = re.sub(r"^https?://", "", value)
            value = value.removeprefix("www.")
            if not value or " " in value:
                raise ValueError(f"bad domain {value!r}")
            cleaned.append(value)
        return cleaned

    def _aliases(self) -> tuple[str, ...]:
        """The name is matched as an alias too, unless the entry lists it among its risky short names:
        "Iran" (the daily) or "Time" (the magazine) alone are far more often the country or the word."""
        names = (
            self.aliases
            if self.name in self.cue_aliases or not self.match_names
            else [self.name, *self.aliases]
        )
        return tuple(dict.fromkeys(names))

    def to_outlet(self) -> Outlet:
        return Outlet(
            id=self.id,
            name=self.name,
            type=self.type,
            country=self.country,
            owner=self.owner,
            funder=self.funder,
            state_affiliation=self.state_affiliation,
            controller=self.controller,
            note=self.note,
            parent=self.parent,
            sources=tuple(self.sources),
            aliases=self._aliases(),
            abbreviations=tuple(self.abbreviations),
            cue_aliases=tuple(self.cue_aliases),
            short_names=tuple(self.short_names),
            domains=tuple(self.domains),
            hints=tuple(self.hints),
            prominence=self.prominence,
        )


@dataclass(frozen=True, slots=True)
class NameForm:
    """One way a document may name an outlet."""

    text: str
    outlet_id: str
    kind: str  # "alias" | "abbreviation" | "cue_alias" | "short_name"


def _fold(name: str) -> str:
    return " ".join(name.replace("\u2019", "'").casefold().split())


class Registry:
    def __init__(self, outlets: Iterable[Outlet], cache_key: str | None = None) -> None:
        self.outlets: dict[str, Outlet] = {outlet.id: outlet for outlet in outlets}
        # Names everything the registry was made from, when it came from files: "<family>-<digest>" (see
        # _copy_family and _merged_key), what the name matcher keeps its own prepared tables under.
        self.cache_key = cache_key
        self._scopes: dict[str, list[tuple[str, str]]] = {}  # host -> [(path prefix, outlet id)]
        self._by_name: dict[str, list[str]] = {}
        for outlet in self.outlets.values():
            for scope in outlet.domains:
                host, _, path = scope.partition("/")
                self._scopes.setdefault(host, []).append(("/" + path if path else "", outlet.id))
            for name in (*outlet.aliases, *outlet.abbreviations, *outlet.cue_aliases):
                self._by_name.setdefault(_fold(name), []).append(outlet.id)
        for scopes in self._scopes.values():
            scopes.sort(key=lambda item: len(item[0]), reverse=True)

    def __len__(self) -> int:
        return len(self.outlets)

    def get(self, outlet_id: str) -> Outlet | None:
        return self.outlets.get(outlet_id)

    def name_forms(self) -> Iterator[NameForm]:
        for outlet in self.outlets.values():
            for alias in outlet.aliases:
                yield NameForm(alias, outlet.id, "alias")
            for abbreviation in outlet.abbreviations:
                yield NameForm(abbreviation, outlet.id, "abbreviation")
            for alias in outlet.cue_aliases:
                yield NameForm(alias, outlet.id, "cue_alias")
            for short in outlet.short_names:
                yield NameForm(short, outlet.id, "short_name")

    def by_name(self, name: str) -> list[Outlet]:
        """Outlets whose id, name, alias or abbreviation is `name` (case- and apostrophe-insensitive)."""
        if name in self.outlets:
            return [self.outlets[name]]
        return [self.outlets[i] for i in dict.fromkeys(self._by_name.get(_fold(name), []))]

    def by_url(self, url: str) -> Outlet | None:
        """The outlet whose domain scope matches: longest host first, then longest path prefix."""
        parsed = host_and_path(url)
        if parsed is None:
            return None
        host, path = parsed
        path = path.lower()  # scopes are stored lower-case
        labels = host.split(".")
        floor: str | None = None  # the registered domain, asked for only when a parent name has scopes
        for index in range(len(labels)):
            candidate = ".".join(labels[index:])
            scopes = self._scopes.get(candidate)
            if not scopes:
                continue
            if index:  # never above the registered domain: "gov.uk" is a public suffix, not a site
                floor = floor if floor is not None else registered_domain(host) or ""
                if len(candidate) < len(floor):
                    return None
            for prefix, outlet_id in scopes:
                if not prefix or path == prefix or path.startswith(prefix.rstrip("/") + "/"):
                    return self.outlets[outlet_id]
        return None

    def search(self, text: str, limit: int = 20) -> list[Outlet]:
        needle = _fold(text)
        exact = self.by_name(text)
        hits = [
            o for o in self.outlets.values() if needle in _fold(o.name) or any(needle in d for d in o.domains)
        ]
        hits += [
            o
            for o in self.outlets.values()
            if o not in hits and any(needle in _fold(a) for a in (*o.aliases, *o.abbreviations))
        ]
        return list(dict.fromkeys([*exact, *hits]))[:limit]


def _outlet_items(raw: bytes, path: Path) -> list[Any]:
    try:
        data = _parsed(raw, path)
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise RegistryError(f"{path}: cannot read registry file ({exc.__class__.__name__})") from None
    if not isinstance(data, dict) or not isinstance(data.get("outlets"), list):
        raise RegistryError(f"{path}: a registry file holds one key, `outlets`, with a list of entries")
    return list(data["outlets"])


def _parsed(raw: bytes, path: Path) -> Any:
    """A registry file's YAML as plain data, through a JSON copy in the user's cache directory.

    Parsing the bundled 1.4 MB of YAML was most of citecheck's start-up (0.6 s); the JSON copy, named by
    the file's SHA-256, loads in a tenth of that and can never be stale. A new copy replaces the copies
    of the file's earlier contents, so the folder does not grow with every edit or upgrade. The cache
    is only a speed-up: when it cannot be read or written, the YAML is parsed as before.
    """
    family = "registry-" + hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:12]
    cached = cache_dir() / f"{family}-{hashlib.sha256(raw).hexdigest()}.json"
    with contextlib.suppress(OSError, ValueError):
        return json.loads(cached.read_bytes())
    data = yaml.load(raw.decode("utf-8"), Loader=_LOADER)  # noqa: S506 - a safe loader
    with contextlib.suppress(OSError, TypeError, ValueError):  # TypeError: a value JSON cannot hold
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(data), encoding="utf-8")
        os.replace(partial, cached)  # readers see the whole file or none
        for outdated in cached.parent.glob(f"{family}-*.json"):
            if outdated != cached:
                outdated.unlink(missing_ok=True)
    return data


def registry_cache_dir() -> Path:
    """Where the registry's parsed and merged copies (and the name matcher's tables) are kept."""
    return cache_dir()


def _validate(items: Iterable[Any], source: str) -> list[OutletEntry]:
    entries = []
    for index, item in enumerate(items):
        try:
            entries.append(OutletEntry.model_validate(item))
        except ValidationError as exc:
            error = exc.errors()[0]
            key = ".".join(str(part) for part in error["loc"])
            ident = item.get("id") if isinstance(item, dict) else None
            raise RegistryError(f"{source}: entry {index} ({ident}): {key}: {error['msg']}") from None
    return entries


def _merge(layers: list[tuple[bool, list[OutletEntry]]]) -> list[Outlet]:
    """One entry per outlet. A derived entry gives way to the entry its `same_as` names, and to a
    hand-written one that claims one of its domains (or the site a domain is part of), or its name in
    the same country (a namesake abroad is another outlet). Its domains that no
    hand-written entry claims go to the entry that stays."""
    owner_of_name: dict[tuple[str, str | None], str] = {}
    owner_of_domain: dict[str, str] = {}
    for derived, entries in layers:
        if not derived:
            for entry in entries:
                for name in (entry.name, *entry.aliases):
                    folded = _fold(name)
                    owner_of_name.setdefault((folded, entry.country), entry.id)
                    owner_of_name.setdefault((folded, _ANYWHERE), entry.id)
                for domain in entry.domains:
                    owner_of_domain.setdefault(domain, entry.id)
    merged: dict[str, OutletEntry] = {}
    replaced_by: dict[str, str] = {}  # dropped derived id -> the entry that covers it
    for derived, entries in layers:
        for entry in entries:
            claimant = _claimant(entry, owner_of_name, owner_of_domain) if derived else None
            if claimant is None:
                merged[entry.id] = entry
            else:
                replaced_by[entry.id] = claimant
    extra_domains: dict[str, list[str]] = {}
    for derived, entries in layers:
        for entry in entries if derived else ():
            target = replaced_by.get(entry.id)
            while target in replaced_by:  # a same_as pointing at a dropped entry
                target = replaced_by[target]
            if target in merged:
                unclaimed = [d for d in entry.domains if d not in owner_of_domain]
                extra_domains.setdefault(target, []).extend(unclaimed)
    parents: dict[str, str] = {}
    for entry in merged.values():
        parent = replaced_by.get(entry.parent, entry.parent) if entry.parent else None
        if parent is not None and parent in merged and parent != entry.id:
            parents[entry.id] = parent
    return [
        entry.model_copy(
            update={
                "parent": parents.get(entry.id),
                "controller": _controller(entry.id, merged, parents),
                "domains": list(dict.fromkeys([*entry.domains, *extra_domains.get(entry.id, ())])),
            }
        ).to_outlet()
        for entry in merged.values()
    ]


_ANYWHERE = "*"  # owner_of_name's key for a name claimed in any country (for an entry with none)


def _claimant(
    entry: OutletEntry, owner_of_name: dict[tuple[str, str | None], str], owner_of_domain: dict[str, str]
) -> str | None:
    if entry.same_as is not None:
        return entry.same_as
    if entry.match_names:
        for name in (entry.name,):  # not its abbreviations: CNS News and the CNS of Middlebury are two
            folded = _fold(name)
            by_name = owner_of_name.get((folded, entry.country or _ANYWHERE))
            if by_name is not None:
                return by_name
    for domain in entry.domains:  # the domain itself, or a site it is part of (radio.x.hr of x.hr)
        host, slash, path = domain.partition("/")
        labels = host.split(".")
        scopes = [domain] if slash else []
        scopes += [".".join(labels[i:]) for i in range(len(labels) - 1)]
        claimant = next((owner_of_domain[scope] for scope in scopes if scope in owner_of_domain), None)
        if claimant is not None:
            return claimant
    return None


def _controller(outlet_id: str, entries: dict[str, OutletEntry], parents: dict[str, str]) -> str | None:
    """The entry's controller, or the nearest ancestor's when the entry names none (a language service)."""
    seen = set()
    while outlet_id not in seen:
        seen.add(outlet_id)
        if entries[outlet_id].controller is not None or outlet_id not in parents:
            return entries[outlet_id].controller
        outlet_id = parents[outlet_id]
    return None


def load_registry(settings: RegistrySettings | None = None) -> Registry:
    settings = settings or RegistrySettings()
    return _load_cached(settings.extra_files, _freeze(settings.outlets))


def _freeze(items: tuple[dict[str, Any], ...]) -> str:
    return yaml.safe_dump(list(items), sort_keys=True)


@lru_cache(maxsize=4)
def _load_cached(extra_files: tuple[str, ...], inline_yaml: str) -> Registry:
    with lasting():
        return _load(extra_files, inline_yaml)


def _load(extra_files: tuple[str, ...], inline_yaml: str) -> Registry:
    bundled = sorted(DATA_DIR.glob("*.yaml"), key=lambda p: (p.name not in DERIVED_FILES, p.name))
    sources: list[tuple[bool, Path, bytes]] = [(p.name in DERIVED_FILES, p, _read(p)) for p in bundled]
    for extra in extra_files:
        path = Path(extra).expanduser()
        if not path.is_file():
            raise RegistryError(f"{path}: registry file named in config.yaml does not exist")
        sources.append((False, path, _read(path)))
    key = f"{_copy_family(extra_files)}-{_merged_key(sources, inline_yaml)}"
    merged = cache_dir() / f"merged-registry-{key}.marshal"
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError, EOFError):
        return Registry(_outlets_from_copy(merged.read_bytes()), key)
    layers = [(derived, _validate(_outlet_items(raw, path), str(path))) for derived, path, raw in sources]
    inline = yaml.safe_load(inline_yaml) or []
    if inline:
        layers.append((False, _validate(inline, "config.yaml registry.outlets")))
    outlets = _merge(layers)
    _write_merged(merged, outlets)
    return Registry(outlets, key)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise RegistryError(f"{path}: cannot read registry file ({exc.__class__.__name__})") from None


def _copy_family(extra_files: tuple[str, ...]) -> str:
    """Names the install and the registry files a config adds, not their contents. A new copy replaces
    only the older copies of its own family: two installs sharing a cache folder (a project's virtual
    environment and a tool install, or two checkouts) used to delete each other's copies, so each start
    of one rebuilt what the other had just written."""
    places = [str(DATA_DIR)] + [str(Path(extra).expanduser().resolve()) for extra in extra_files]
    return hashlib.sha256("\n".join(places).encode()).hexdigest()[:12]


def _merged_key(sources: list[tuple[bool, Path, bytes]], inline_yaml: str) -> str:
    """Names the merged registry by everything it is made from: each file's name, place in the load
    order and content, the inline entries, and the code that merges them and the fields it keeps."""
    digest = hashlib.sha256()
    for code in (Path(__file__), Path(__file__).resolve().parent.parent / "models.py"):
        digest.update(hashlib.sha256(code.read_bytes()).digest())
    for derived, path, raw in sources:
        digest.update(f"{derived}:{path.resolve()}:".encode())
        digest.update(hashlib.sha256(raw).digest())
    digest.update(inline_yaml.encode())
    return digest.hexdigest()


_FIELDS = tuple(f.name for f in fields(Outlet))
_ENUMS = {"type": OutletType, "state_affiliation": Affiliation}
_COPY_FORMAT = 1  # bump when the rows change shape


def _outlets_from_copy(raw: bytes) -> list[Outlet]:
    """The merged registry from its cached copy: the validated, merged entries, ready to use, which
    spares a start-up the validation and merging of every file (most of the cost of loading it).

    The copy is marshal data (tuples, strings, numbers: nothing in it can run code), one row of field
    values per outlet in the dataclass's field order: it loads in a third of the time the same entries
    took as JSON objects (0.025 against 0.07 s for 5,400 outlets), most of which went into turning
    each object into keyword arguments, lists into tuples and strings into enums."""
    version, names, rows = marshal.loads(raw)
    if version != _COPY_FORMAT or tuple(names) != _FIELDS:
        raise ValueError("a copy written by another version")
    # Each enum's members by value: a dictionary look-up, where calling the enum class took a fifth of
    # the load. An unknown value is a KeyError, and the copy is made again.
    enums = [
        (_FIELDS.index(name), {member.value: member for member in kind}) for name, kind in _ENUMS.items()
    ]
    outlets = []
    for row in rows:
        values = list(row)
        for index, members in enums:
            values[index] = members[values[index]]
        outlets.append(Outlet(*values))
    return outlets


def _row(outlet: Outlet) -> tuple[Any, ...]:
    """The outlet's field values in field order, enums as their strings."""
    return tuple(getattr(outlet, name).value if name in _ENUMS else getattr(outlet, name) for name in _FIELDS)


def _write_merged(path: Path, outlets: list[Outlet]) -> None:
    """Keep the merged registry for the next start; replace the copies of earlier contents (and of
    earlier formats)."""
    rows = [_row(outlet) for outlet in outlets]
    with contextlib.suppress(OSError, TypeError, ValueError):
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(marshal.dumps((_COPY_FORMAT, _FIELDS, rows)))
        os.replace(partial, path)  # readers see the whole file or none
        replace_older_copies(path, path.name.rpartition("-")[0] + "-")  # merged-registry-<family>-
