"""The official list of provinces and communes (PyPI package vietnam-provinces, after 1/7/2025).

Names are matched through the package's ASCII code names ("phuong_hoa_binh"), so "Hòa Bình"
and "Hoà Bình", "Thành phố Hải Phòng" and "Hải Phòng" are the same place.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from vietnam_provinces import Province, Ward

from baocao.errors import BaocaoError
from baocao.problems import ERROR, WARNING, Severity
from baocao.write import slugify

UNIT_TYPES = {"PHUONG": "Phường", "XA": "Xã", "DAC_KHU": "Đặc khu"}


@dataclass(frozen=True, order=True)
class Commune:
    """One commune-level unit: 'Xã' + 'Nam Thanh Miện' in 'Thành phố Hải Phòng'."""

    sort_key: str
    code: int
    unit_type: str
    name: str
    province: str

    def __reduce__(self) -> tuple[Any, ...]:
        """Unpickled as the registry's own object where it is one (a batch's parent receives a commune
        from every worker: thousands of copies otherwise)."""
        return (_registered, (self.sort_key, self.code, self.unit_type, self.name, self.province))

    @property
    def full(self) -> str:
        return f"{self.unit_type.lower()} {self.name}"

    @property
    def slug(self) -> str:
        return commune_slug(self.unit_type, self.name)

    @property
    def key(self) -> str:
        return name_key(f"{self.unit_type} {self.name}")

    @property
    def file_stem(self) -> str:
        """ASCII file name, with the official code where two communes of a province share the slug."""
        return f"{self.slug}-{self.code}" if self.slug in _ambiguous_slugs(self.province) else self.slug


def _registered(sort_key: str, code: int, unit_type: str, name: str, province: str) -> Commune:
    commune = Commune(sort_key, code, unit_type, name, province)
    known = _communes_by_code().get(code)
    return known if known == commune else commune


TONE_MARKS = {"\u0300": "2", "\u0301": "1", "\u0303": "4", "\u0309": "3", "\u0323": "5"}


def name_key(text: str) -> str:
    """Identity of a Vietnamese name: the same for 'Hoà Bình' and 'Hòa Bình' (tone mark placed on
    another vowel), different for 'Cẩm Giang' and 'Cẩm Giàng' (two communes of Hải Phòng)."""
    words = []
    for word in unicodedata.normalize("NFD", text.casefold()).split():
        tone = "".join(TONE_MARKS[c] for c in word if c in TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in word if c not in TONE_MARKS))
        words.append("".join(ch for ch in base if ch.isalnum()) + tone)
    return " ".join(w for w in words if w)


def commune_slug(unit_type: str, name: str) -> str:
    """ASCII 'xa-cam-giang' (shared by 'Cẩm Giang' and 'Cẩm Giàng': see Commune.file_stem)."""
    return slugify(f"{unit_type} {name}")


def province_slug(name: str) -> str:
    """'hai-phong' for 'Thành phố Hải Phòng', 'TP. Hải Phòng' and 'Hải Phòng'."""
    slug = slugify(name)
    for prefix in ("thanh-pho-", "tp-", "tinh-"):
        if slug.startswith(prefix):
            return slug[len(prefix) :]
    return slug


@cache
def provinces() -> dict[str, str]:
    """Province slug → official name, for all 34 provinces and cities."""
    return {province_slug(p.name): p.name for p in Province.iter_all()}


@cache
def _communes_by_province() -> dict[str, tuple[Commune, ...]]:
    names = {p.code: p.name for p in Province.iter_all()}
    grouped: dict[str, list[Commune]] = {}
    for ward in Ward.iter_all():
        unit_type = UNIT_TYPES[ward.division_type.name]
        name = ward.name[len(unit_type) + 1 :] if ward.name.startswith(unit_type + " ") else ward.name
        province = names[ward.province_code]
        commune = Commune(
            sort_key=commune_sort_key(name, unit_type),
            code=int(ward.code),
            unit_type=unit_type,
            name=name,
            province=province,
        )
        grouped.setdefault(province_slug(province), []).append(commune)
    return {key: tuple(sorted(items)) for key, items in grouped.items()}


def commune_sort_key(name: str, unit_type: str = "") -> str:
    """Sort by name as a person would (accents ignored first), then by type."""
    return f"{slugify(name)}|{name}|{unit_type}"


def find_province(name: str) -> str:
    """Official province name for what a person typed; BaocaoError listing the names otherwise."""
    found = provinces().get(province_slug(name))
    if found is None:
        raise BaocaoError(
            f"Không có tỉnh/thành phố “{name}”. Các tên hợp lệ: {', '.join(sorted(provinces().values()))}."
        )
    return found


@cache
def _communes_by_code() -> dict[int, Commune]:
    return {c.code: c for communes in _communes_by_province().values() for c in communes}


def communes_of(province: str) -> tuple[Commune, ...]:
    """Every commune of the province, sorted by name."""
    return _communes_by_province().get(province_slug(find_province(province)), ())


def all_communes() -> tuple[Commune, ...]:
    """The 3,321 communes of the country, grouped by province, each group sorted by name."""
    return tuple(c for key in sorted(_communes_by_province()) for c in _communes_by_province()[key])


def find_commune(province: str, unit_type: str, name: str) -> Commune | None:
    """The official commune for a workbook's province, type and name, or None."""
    return _communes_by_key(province_slug(province)).get(name_key(f"{unit_type} {name}"))


@cache
def _communes_by_key(province: str) -> dict[str, Commune]:
    return {c.key: c for c in _communes_by_province().get(province, ())}


@cache
def _ambiguous_slugs(province: str) -> frozenset[str]:
    counts = Counter(c.slug for c in _communes_by_province().get(province_slug(province), ()))
    return frozenset(slug for slug, n in counts.items() if n > 1)


@dataclass(frozen=True)
class Match:
    """How a workbook's unit name matched the official list: the commune (or None), and what to say."""

    commune: Commune | None
    severity: Severity | None = None  # None (exact), WARNING (matched without accents) or ERROR (no unique match)
    code: str = ""  # the problem to report (baocao.messages), with its parameters
    params: dict[str, Any] = field(default_factory=dict, compare=False)


def loose_key(text: str) -> str:
    """A name with every accent and mark removed: 'Cẩm Giàng', 'Cẩm Giang', 'cam giang' → 'cam giang'."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join("".join(ch for ch in word if ch.isalnum()) for word in plain.split()).strip()


def has_accents(text: str) -> bool:
    """True when the text carries any Vietnamese mark (a tone, a hat, a horn, đ)."""
    decomposed = unicodedata.normalize("NFD", text)
    return any(unicodedata.combining(c) for c in decomposed) or "đ" in text.casefold()


def match_commune(province: str, unit_type: str, name: str) -> Match | None:
    """The official commune a workbook names; None where the province has no official list
    (a form of before 2025, a district). A name typed without accents matches with a warning
    when exactly one commune has it; any other name that is not official is an error that
    suggests the closest official names."""
    communes = _communes_by_province().get(province_slug(province))
    if not communes or unit_type.casefold() not in {t.casefold() for t in UNIT_TYPES.values()}:
        return None
    typed = f"{unit_type} {name}".strip()
    exact = find_commune(province, unit_type, name)
    if exact is not None:
        return Match(exact)
    official = communes[0].province
    in_text = (
        official[:1].lower() + official[1:] if official.startswith(("Thành phố ", "Tỉnh ")) else f"tỉnh {official}"
    )
    loose = [c for c in communes if loose_key(f"{c.unit_type} {c.name}") == loose_key(typed)]
    if loose and not has_accents(name):
        if len(loose) == 1:
            official = f"{loose[0].unit_type} {loose[0].name}"
            params = {"typed": typed, "official": official, "name": loose[0].name}
            return Match(loose[0], WARNING, "commune-unaccented", params)
        names = " và ".join(f"{c.unit_type} {c.name}" for c in loose)
        return Match(None, ERROR, "commune-ambiguous", {"typed": typed, "names": names})
    params = {"typed": typed, "province": in_text, "suggestions": closest(communes, typed)}
    return Match(None, ERROR, "commune-unknown", params)


def closest(communes: tuple[Commune, ...], typed: str, n: int = 3) -> list[str]:
    """The official names nearest to what was typed: the same letters with other accents first
    ('Phường Nhị Chiễu' → 'Phường Nhị Chiểu'), then the same name of another type, then names
    that differ by a letter or two."""
    same = [c for c in communes if loose_key(f"{c.unit_type} {c.name}") == loose_key(typed)]
    if same:
        return [f"{c.unit_type} {c.name}" for c in same]
    name = typed.split(" ", 1)[-1]
    by_name: dict[str, list[str]] = {}
    for c in communes:
        by_name.setdefault(loose_key(c.name), []).append(f"{c.unit_type} {c.name}")
    found = difflib.get_close_matches(loose_key(name), list(by_name), n=n, cutoff=0.75)
    return [full for key in found for full in by_name[key]][:n]
