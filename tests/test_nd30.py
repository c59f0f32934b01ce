"""The ND30 layout details, read from the XML of the rendered reports and measured with the installed
Liberation Serif (fontTools), on every sample, demo communes and a consolidated report."""

from __future__ import annotations

import itertools
import re
import subprocess
import zipfile
from functools import cache
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from tests.conftest import ROOT, run_cli

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}
NBSP = "\u00a0"
CELL_MARGINS = 2 * 57
TEXT_WIDTH = 11906 - 1701 - 850  # A4 less the report's margins, twips
SIGNATURE_SPACE = 1701  # 3 cm in twips


@cache
def face(bold: bool) -> tuple[dict[int, int], int]:
    """(code point → advance width, units per em) of the installed Liberation Serif."""
    style = "Bold" if bold else "Regular"
    path = subprocess.run(
        ["fc-match", "-f", "%{file}", f"Liberation Serif:style={style}"], capture_output=True, text=True, check=True
    ).stdout
    assert "LiberationSerif" in path, path
    font = TTFont(path)
    cmap, hmtx = font.getBestCmap(), font["hmtx"]
    return {c: hmtx[g][0] for c, g in cmap.items()}, font["head"].unitsPerEm


def width(text: str, size: float, bold: bool) -> float:
    """Width of one line in twips."""
    advances, units = face(bold)
    return sum(advances[ord(c)] for c in text) / units * size * 20


def wrapped(text: str, room: float, size: float, bold: bool) -> list[str]:
    """Lines of a paragraph as a renderer breaks them (greedy, at ordinary spaces)."""
    lines, line = [], ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if line and width(candidate, size, bold) > room:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line]


def lines_of(p: etree._Element) -> list[str]:
    """A paragraph's text cut at its line breaks."""
    out = [""]
    for node in p.iter(f"{W}t", f"{W}br"):
        if node.tag == f"{W}br":
            out.append("")
        else:
            out[-1] += node.text or ""
    return out


def text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(f"{W}t"))


def body(docx: Path) -> etree._Element:
    with zipfile.ZipFile(docx) as z:
        return etree.fromstring(z.read("word/document.xml")).find("w:body", NS)


def rule_length(p: etree._Element, room: float) -> float:
    """The length of the line a RuleLine paragraph draws (its bottom border) in a room of `room` twips."""
    assert p.find("w:pPr/w:pBdr/w:bottom", NS) is not None
    ind = p.find("w:pPr/w:ind", NS)
    return room - int(ind.get(f"{W}left")) - int(ind.get(f"{W}right"))


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    work = tmp_path_factory.mktemp("nd30")
    done = run_cli(*sorted((ROOT / "inputs").glob("*.xlsx")), "-o", work / "samples")
    assert done.returncode == 0, done.stdout + done.stderr
    done = run_cli("demo-data", "--communes", "5", "--province", "Hải Phòng", "-o", work / "demo")
    assert done.returncode == 0, done.stdout + done.stderr
    done = run_cli(work / "demo", "-o", work / "out", "--province", "Hải Phòng")
    assert done.returncode == 0, done.stdout + done.stderr
    reports = sorted((work / "samples").glob("*.docx")) + sorted((work / "out").glob("*_bao-cao-cchc_*.docx"))
    assert len(reports) == 8
    return {"reports": reports, "consolidated": sorted((work / "out").glob("tong-hop_*.docx"))}


def agency_paragraph(doc: etree._Element) -> tuple[etree._Element, etree._Element, float]:
    """(agency name paragraph, the paragraph after it, the text room of its cell)."""
    cell = doc.find("w:tbl/w:tr/w:tc", NS)
    room = int(cell.find("w:tcPr/w:tcW", NS).get(f"{W}w")) - CELL_MARGINS
    paragraphs = cell.findall("w:p", NS)
    i = next(i for i, p in enumerate(paragraphs) if p.find("w:r/w:rPr/w:b", NS) is not None)
    return paragraphs[i], paragraphs[i + 1], room


def test_agency_name_breaks_only_after_uy_ban_nhan_dan(documents) -> None:
    for docx in documents["reports"]:
        p, _, room = agency_paragraph(body(docx))
        lines = lines_of(p)
        assert lines[0].replace(NBSP, " ").startswith("ỦY BAN NHÂN DÂN"), docx.name
        if len(lines) == 1:  # fits: the only place it may break is after "ỦY BAN NHÂN DÂN"
            assert lines[0].count(" ") == 1 and lines[0].index(" ") == len("ỦY BAN NHÂN DÂN"), lines
        else:
            assert lines[0] == "ỦY BAN NHÂN DÂN" and len(lines) == 2, (docx.name, lines)
            assert " " not in lines[1] and NBSP in lines[1], lines  # the place name cannot break
        for line in lines:
            assert width(line, 13, bold=True) <= room, (docx.name, line)
    chi_lang_nam = next(d for d in documents["reports"] if d.name.startswith("chi-lang-nam"))
    assert lines_of(agency_paragraph(body(chi_lang_nam))[0]) == ["ỦY BAN NHÂN DÂN", f"XÃ{NBSP}CHI{NBSP}LĂNG{NBSP}NAM"]


def test_line_under_the_agency_name_is_a_third_to_a_half_of_it(documents) -> None:
    for docx in documents["reports"] + documents["consolidated"]:
        p, rule, room = agency_paragraph(body(docx))
        longest = max(width(line, 13, bold=True) for line in lines_of(p))
        ratio = rule_length(rule, room) / longest
        assert 1 / 3 <= ratio <= 1 / 2, (docx.name, lines_of(p), ratio)
    (consolidated,) = documents["consolidated"]
    p, rule, room = agency_paragraph(body(consolidated))
    assert lines_of(p) == ["SỞ NỘI VỤ"]
    assert rule_length(rule, room) <= width("SỞ NỘI VỤ", 13, bold=True)


def test_line_under_the_trich_yeu_is_a_third_to_a_half_of_it(documents) -> None:
    for docx in documents["reports"] + documents["consolidated"]:
        paragraphs = body(docx).findall("w:p", NS)
        title = next(i for i, p in enumerate(paragraphs) if text(p) == "BÁO CÁO")
        subject, rule = paragraphs[title + 1], paragraphs[title + 2]
        longest = max(width(line, 14, True) for line in wrapped(text(subject), TEXT_WIDTH, 14, True))
        ratio = rule_length(rule, TEXT_WIDTH) / longest
        assert 1 / 3 <= ratio <= 1 / 2, (docx.name, text(subject), ratio)


def test_phu_luc_is_its_own_section_numbered_from_1(documents) -> None:
    for docx in documents["reports"]:
        doc = body(docx)
        children = list(doc)
        breaks = [i for i, e in enumerate(children) if e.find("w:pPr/w:sectPr", NS) is not None]
        title = next(i for i, e in enumerate(children) if e.tag == f"{W}p" and text(e).lower().startswith("phụ lục"))
        assert len(breaks) == 1 and breaks[0] == title - 1, docx.name  # the report ends right before the Phụ lục
        assert children[breaks[0]].find("w:pPr/w:sectPr/w:pgNumType", NS) is None
        last = doc.find("w:sectPr", NS)
        assert last.find("w:pgNumType", NS).get(f"{W}start") == "1"
        assert last.find("w:titlePg", NS) is not None  # its first page unnumbered, as the report's


def test_names_in_the_kem_theo_line_never_split(documents) -> None:
    for docx in documents["reports"]:
        attached = next(p for p in body(docx).iter(f"{W}p") if text(p).startswith("(Kèm theo"))
        name = re.search(r"của (.+)\)$", text(attached)).group(1)
        assert name.startswith("UBND") and " " not in name and NBSP in name, (docx.name, name)


def appendix_tables(doc: etree._Element) -> list[etree._Element]:
    return [t for t in doc.findall("w:tbl", NS) if text(t.find("w:tr/w:tc", NS)) in ("STT", "TT")]


def is_bold(row: etree._Element) -> bool:
    return row.find("w:tc/w:p/w:r/w:rPr/w:b", NS) is not None


def test_group_rows_keep_with_the_next_row(documents) -> None:
    for docx in documents["reports"]:
        groups = 0
        for table in appendix_tables(body(docx)):
            rows = table.findall("w:tr", NS)[2:]
            for row, after in itertools.pairwise(rows):
                keep = [p.find("w:pPr/w:keepNext", NS) is not None for p in row.iter(f"{W}p")]
                assert row.find("w:trPr/w:cantSplit", NS) is not None
                if is_bold(row) and not is_bold(after):
                    assert all(keep), (docx.name, text(row))
                    groups += 1
            assert not any(p.find("w:pPr/w:keepNext", NS) is not None for p in rows[-1].iter(f"{W}p"))
        assert groups >= 5, docx.name


def test_coded_units_one_option_per_line_in_a_column_wide_enough(documents) -> None:
    coded = 0
    for docx in documents["reports"]:
        for table in appendix_tables(body(docx)):
            for row in table.findall("w:tr", NS)[2:]:
                cells = row.findall("w:tc", NS)
                (p,) = cells[2].findall("w:p", NS)
                lines = lines_of(p)
                if not any(re.search(r"= ?\d$", line.replace(NBSP, " ")) for line in lines):
                    continue
                coded += 1
                room = int(cells[2].find("w:tcPr/w:tcW", NS).get(f"{W}w")) - CELL_MARGINS
                for line in lines:
                    assert re.fullmatch(rf"[^ ]+(?:{NBSP}[^ ]+)*{NBSP}={NBSP}\d", line), (docx.name, lines)
                    assert width(line, 12, is_bold(row)) <= room, (docx.name, line, room)
    assert coded >= 8


def test_three_centimetres_for_the_signature_and_seal(documents) -> None:
    for docx in documents["reports"]:
        table = next(t for t in body(docx).findall("w:tbl", NS) if text(t).startswith("Nơi nhận"))
        signer = table.findall("w:tr/w:tc", NS)[1].findall("w:p", NS)
        name = max(i for i, p in enumerate(signer) if text(p).strip())
        title = max(i for i, p in enumerate(signer[:name]) if text(p).strip())
        space = 0
        for p in signer[title + 1 : name]:
            spacing = p.find("w:pPr/w:spacing", NS)
            assert spacing.get(f"{W}lineRule") == "exact", "a spacer of exact height"
            space += int(spacing.get(f"{W}line")) + int(spacing.get(f"{W}before", 0)) + int(spacing.get(f"{W}after", 0))
        assert space >= SIGNATURE_SPACE, (docx.name, space)
