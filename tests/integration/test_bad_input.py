"""Bad input, through the command line: nothing lost, nothing let in.

Every case is run through both ``kg extract`` and ``kg build`` (subprocesses, against the
test server) and checked the same way:

* the exit code: 0 when every record was used, 1 when some were rejected, 2 when nothing
  was usable;
* one ``rejected <file>:<line> [(id)]: <reason>`` line on stderr per bad record, and
  the same rejects (source, id, reason) in the ``--rejects`` JSONL file;
* every good record of the same input is extracted (``-o`` file) and stored (the Paper
  ids in Neo4j after ``kg build`` are exactly the good ones);
* no traceback, ever.

A table of the campaign (input kind, records in, stored, rejected, crashes) is written to
``test-artifacts/bad-input.md``.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from kgrun import REPO, run_kg

from kg.ingest.papers import paper_id

# --------------------------------------------------------------------------- fixture text

_TEMPLATE = ("{name} is a new backbone for image classification. {name} reaches {v}% top-1 accuracy on "
             "ImageNet, outperforming ResNet-50 by 2.1 points, and it also improves COCO detection.")


def abstract(i: int) -> str:
    """A good abstract (long enough for a listing entry) naming method ``Net<i>``."""
    return _TEMPLATE.format(name=f"Net{i}", v=70 + i % 20 + 0.5)


def rec(pid: str, i: int, **extra) -> dict:
    return {"id": pid, "title": f"Net{i}: A Study of Case {pid}", "abstract": abstract(i), **extra}


def jsonl(*objs) -> bytes:
    """JSON Lines of ``objs``; a ``bytes`` item is written as that raw line."""
    return b"".join((o if isinstance(o, bytes) else json.dumps(o).encode()) + b"\n" for o in objs)


def listing(*entries: tuple[str, str], chrome: str = "Daily Papers\nby AK and the research community\n") -> bytes:
    body = chrome + "\n"
    for title, abstr in entries:
        body += f"{title}\n\n{abstr}\n\n• 3 authors\n·\nMar 4, 2024\n\n"
    return body.encode()


BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8


@dataclass
class Case:
    """Input files, the arguments naming them, and what must come out."""

    files: dict[str, bytes]
    args: list[str]
    stored: set[str]  # Paper ids that must be extracted and stored, and no other
    rejects: list[tuple[str, str]]  # (source, reason fragment), one per bad record
    code: int
    records_in: int  # records (or whole files) in the input, for the table
    max_seconds: float = 120
    check: object = None  # optional extra check(tmp_path, driver, extract_out)
    notes: str = ""
    ids_of_rejects: dict[str, str] = field(default_factory=dict)  # source → id printed with it


def _cases() -> dict[str, Case]:
    c: dict[str, Case] = {}
    c["empty file"] = Case(
        {"empty.jsonl": b"", "blank.txt": b"\n  \n\n"}, ["empty.jsonl", "blank.txt"], set(),
        [("empty.jsonl", "empty file"), ("blank.txt", "empty file")], 2, 2)
    c["empty abstract"] = Case(
        {"a.jsonl": jsonl(rec("ea-good", 1), {"id": "ea-title-only", "title": "A Title Only Paper", "abstract": ""},
                          {"id": "ea-nothing", "title": "  ", "abstract": " \t "})},
        ["a.jsonl"], {"ea-good", "ea-title-only"}, [("a.jsonl:3", "neither a title nor an abstract")], 1, 3,
        notes="title-only record kept; no title and no abstract rejected",
        ids_of_rejects={"a.jsonl:3": "ea-nothing"})
    c["binary file"] = Case(
        {"image.jsonl": BINARY, "scan.txt": BINARY, "photo.png": BINARY, "ok.jsonl": jsonl(rec("bin-good", 2))},
        ["image.jsonl", "scan.txt", "photo.png", "ok.jsonl"], {"bin-good"},
        [("image.jsonl", "binary file"), ("scan.txt", "binary file"), ("photo.png", "binary file")], 1, 4)
    c["binary file only"] = Case({"image.jsonl": BINARY}, ["image.jsonl"], set(), [("image.jsonl", "binary file")], 2, 1)
    t_utf8 = "Utf8Net: Listings with a Bad Byte"
    c["invalid UTF-8"] = Case(
        {"u.jsonl": jsonl(rec("u8-good", 3), b'{"id": "u8-bad", "title": "Bad \xff\xfe byte", "abstract": "x"}',
                          rec("u8-good2", 4)),
         "u.txt": listing((t_utf8, abstract(5))) + b"\xc3\x28 stray bytes \xff here\n"},
        ["u.jsonl", "u.txt"], {"u8-good", "u8-good2", paper_id(t_utf8)},
        [("u.jsonl:2", "not valid UTF-8"), ("u.txt:12", "not valid UTF-8")], 1, 4)
    t_bom = "BomNet: A Listing That Starts with a Byte Order Mark"
    c["UTF-8 BOM"] = Case(
        {"b.jsonl": b"\xef\xbb\xbf" + jsonl(rec("bom-1", 6), rec("bom-2", 7)),
         "b.txt": b"\xef\xbb\xbf" + listing((t_bom, abstract(8)), chrome="")},
        ["b.jsonl", "b.txt"], {"bom-1", "bom-2", paper_id(t_bom)}, [], 0, 3,
        check=lambda d: _assert_titles(d, {paper_id(t_bom): t_bom, "bom-1": rec("bom-1", 6)["title"]}))
    t_crlf = "CrlfNet: Windows Line Ends Everywhere"
    c["CRLF line ends"] = Case(
        {"c.jsonl": jsonl(rec("crlf-1", 9), rec("crlf-2", 10)).replace(b"\n", b"\r\n"),
         "c.txt": listing((t_crlf, abstract(11))).replace(b"\n", b"\r\n")},
        ["c.jsonl", "c.txt"], {"crlf-1", "crlf-2", paper_id(t_crlf)}, [], 0, 3,
        check=lambda d: _assert_titles(d, {paper_id(t_crlf): t_crlf, "crlf-2": rec("crlf-2", 10)["title"]}))
    good_line = json.dumps(rec("tr-cut", 12)).encode()
    c["truncated JSON line"] = Case(
        {"t.jsonl": jsonl(rec("tr-1", 13), good_line[: len(good_line) // 2], rec("tr-3", 14)) + good_line[:-7]},
        ["t.jsonl"], {"tr-1", "tr-3"}, [("t.jsonl:2", "invalid JSON"), ("t.jsonl:4", "invalid JSON")], 1, 4)
    c["wrong field types"] = Case(
        {"w.jsonl": jsonl(rec("wt-ok", 15), {**rec("wt-int", 16), "abstract": 42}, {**rec("wt-null", 17), "abstract": None},
                          {**rec("wt-list", 18), "abstract": ["a", "b"]}, {**rec("wt-title", 19), "title": {"t": 1}},
                          {**rec("x", 20), "id": 1.5}, {**rec("x", 21), "id": True}, ["not", "an", "object"],
                          {**rec("wt-auth", 22), "n_authors": "three"})},
        ["w.jsonl"], {"wt-ok"},
        [("w.jsonl:2", "field 'abstract' must be a string, got int"), ("w.jsonl:3", "field 'abstract' must be a string, got null"),
         ("w.jsonl:4", "field 'abstract' must be a string, got list"), ("w.jsonl:5", "field 'title' must be a string, got dict"),
         ("w.jsonl:6", "field 'id' must be a string or an integer, got float"),
         ("w.jsonl:7", "field 'id' must be a string or an integer, got bool"), ("w.jsonl:8", "expected a JSON object, got list"),
         ("w.jsonl:9", "field 'n_authors' must be a non-negative integer")], 1, 9,
        ids_of_rejects={"w.jsonl:2": "wt-int", "w.jsonl:3": "wt-null", "w.jsonl:4": "wt-list", "w.jsonl:9": "wt-auth"})
    c["missing title"] = Case(
        {"m.jsonl": jsonl({"id": "mt-has-id", "abstract": abstract(23)}, {"abstract": abstract(24)}, rec("mt-ok", 25))},
        ["m.jsonl"], {"mt-has-id", "mt-ok"}, [("m.jsonl:2", "no id and no title")], 1, 3,
        notes="kept when it has an id; no id and no title rejected")
    mega = (abstract(26) + " ") * (1_000_000 // (len(abstract(26)) + 1) + 1)
    t_mega = "MegaNet: An Abstract of One Megabyte"
    c["abstract of 1 MB"] = Case(
        {"h.jsonl": jsonl({"id": "mb-huge", "title": "Huge", "abstract": mega}, rec("mb-ok", 27)),
         "h.txt": listing((t_mega, mega.strip()), ("MegaNet Two: The Good Entry After It", abstract(28)))},
        ["h.jsonl", "h.txt"], {"mb-ok", paper_id("MegaNet Two: The Good Entry After It")},
        [("h.jsonl:1", "abstract too long"), ("h.txt:6", "abstract too long")], 1, 4, max_seconds=60,
        notes="rejected: abstracts over 200,000 characters", ids_of_rejects={"h.jsonl:1": "mb-huge"})
    c["single 100 kB token"] = Case(
        {"k.jsonl": jsonl({"id": "tok-lower", "title": "Tok", "abstract": "We study " + "a" * 100_000 + " on ImageNet."},
                          {"id": "tok-caps", "title": "Tok2", "abstract": "Datasets such as " + "A1-" * 33_334 + " and benchmarks."},
                          {"id": "tok-mixed", "title": "Tok3", "abstract": "xA" * 50_000},
                          rec("tok-ok", 29))},
        ["k.jsonl"], {"tok-lower", "tok-caps", "tok-mixed", "tok-ok"}, [], 0, 4, max_seconds=60,
        notes="accepted and extracted in seconds")
    html = ("<p>HtmlNet <b>reaches</b> 80.1% top-1 accuracy on <i>ImageNet</i> &amp; beats ResNet-50 &lt;by 1.2&gt;.</p>"
            "<script>alert('x')</script> <a href=\"https://github.com/x/htmlnet\">code</a>")
    latex = (r"We propose \textbf{TexNet}, which reaches $81.5\%$ top-1 accuracy on ImageNet with $2\times$ fewer "
             r"FLOPs than ResNet-50 \cite{he2016}; $\mathcal{L}_{\text{ce}} = -\sum_i y_i \log p_i$ \\ \[ x^2 \] {}}{")
    t_tex = r"TexNet: $\mathbf{x}$ and \emph{markup} in a listing title"
    c["HTML and LaTeX markup"] = Case(
        {"x.jsonl": jsonl({"id": "mk-html", "title": "<h1>HtmlNet</h1>", "abstract": html},
                          {"id": "mk-tex", "title": r"TexNet: \LaTeX{} everywhere", "abstract": latex}),
         "x.txt": listing((t_tex, latex))},
        ["x.jsonl", "x.txt"], {"mk-html", "mk-tex", paper_id(t_tex)}, [], 0, 3,
        check=lambda d: _assert_abstracts(d, {"mk-html": html, "mk-tex": latex}))
    c["same id twice, different text"] = Case(
        {"d1.jsonl": jsonl(rec("dup-a", 30), {**rec("dup-a", 31)}, rec("dup-same", 32), rec("dup-same", 32)),
         "d2.jsonl": jsonl({**rec("dup-a", 33), "title": "Another Title"}, rec("dup-b", 34))},
        ["d1.jsonl", "d2.jsonl"], {"dup-a", "dup-same", "dup-b"},
        [("d1.jsonl:2", "duplicate id with different text"), ("d2.jsonl:1", "duplicate id with different text")], 1, 6,
        notes="first occurrence kept, later different texts rejected; identical repeats merged",
        ids_of_rejects={"d1.jsonl:2": "dup-a", "d2.jsonl:1": "dup-a"},
        check=lambda d: _assert_abstracts(d, {"dup-a": abstract(30)}))
    t_zh = "中文网络：一种新的图像分类方法"
    intl = {
        "ne-zh": "我们提出了中文网络，在ImageNet上达到了81.2%的top-1准确率，比ResNet-50高2.1个百分点。",
        "ne-ru": "Мы предлагаем РусНет, который достигает 81,2% точности top-1 на ImageNet и превосходит ResNet-50.",
        "ne-ar": "نقترح شبكة جديدة تحقق دقة 81.2% على ImageNet وتتفوق على ResNet-50 بفارق 2.1 نقطة.",
        "ne-mix": "Wir schlagen NetÄ vor 🚀: 81,2 % Genauigkeit auf ImageNet; Ünïcödé ﬁ ligatures, ‮RTL override‬, e\u0301.",
    }
    c["non-English text"] = Case(
        {"n.jsonl": jsonl(*({"id": k, "title": v[:20], "abstract": v} for k, v in intl.items())),
         "n.txt": listing((t_zh, "我们提出了中文网络，" * 12 + " It reaches 81.2% top-1 accuracy on ImageNet, with many more words in English here."))},
        ["n.jsonl", "n.txt"], set(intl) | {paper_id(t_zh)}, [], 0, 5,
        check=lambda d: _assert_abstracts(d, intl))
    numbers = ("NumNet has 1e9 parameters and 1,234.5 GFLOPs, reaches NaN loss early, an ∞ speed-up, -0.0 error, "
               "1e309 FPS, 1.5e-3 learning rate and 81.2% top-1 accuracy on ImageNet (±0.3); ½ of 10⁹ tokens.")
    c["numbers 1e9, ∞, NaN, 1,234.5"] = Case(
        {"num.jsonl": jsonl({"id": "num-text", "title": "NumNet: 1e9 ∞ NaN 1,234.5", "abstract": numbers},
                            b'{"id": "num-nan", "title": "T", "abstract": NaN}',
                            b'{"id": "num-inf", "title": "T", "abstract": "x", "n_authors": Infinity}',
                            b'{"id": 1e9, "title": "T", "abstract": "x"}',
                            {"id": 1234, "title": "Integer id", "abstract": abstract(35)})},
        ["num.jsonl"], {"num-text", "1234"},
        [("num.jsonl:2", "field 'abstract' must be a string, got float"),
         ("num.jsonl:3", "field 'n_authors' must be a non-negative integer"),
         ("num.jsonl:4", "field 'id' must be a string or an integer, got float")], 1, 5,
        ids_of_rejects={"num.jsonl:2": "num-nan", "num.jsonl:3": "num-inf"})
    t_dir = "DirNet: A Listing in a Directory"
    c["directory, mixed good and bad"] = Case(
        {"in/good.jsonl": jsonl(rec("dir-1", 36), rec("dir-2", 37)),
         "in/day.txt": listing((t_dir, abstract(38))) + b"A stray line that belongs to no entry\n",
         "in/bad.jsonl": jsonl(rec("dir-3", 39), b"{not json", {**rec("dir-4", 40), "abstract": 42}),
         "in/binary.jsonl": BINARY, "in/empty.txt": b"", "in/sub/more.ndjson": jsonl(rec("dir-5", 41)),
         "in/sub/zipped.jsonl.gz": gzip.compress(jsonl(rec("dir-6", 42))), "in/sub/broken.jsonl.gz": b"\x1f\x8b\x08garbage",
         "in/notes.md": b"# not an input: other suffixes are skipped\n", "in/.hidden/skip.jsonl": jsonl(rec("dir-hidden", 43))},
        ["in"], {"dir-1", "dir-2", paper_id(t_dir), "dir-3", "dir-5", "dir-6"},
        [("bad.jsonl:2", "invalid JSON"), ("bad.jsonl:3", "field 'abstract' must be a string"),
         ("binary.jsonl", "binary file"), ("day.txt:", "belongs to no paper entry"), ("empty.txt", "empty file"),
         ("broken.jsonl.gz", "gzip")], 1, 13,
        notes="other suffixes and hidden files are skipped, not read",
        ids_of_rejects={"bad.jsonl:3": "dir-4"})
    c["directory, nothing usable"] = Case(
        {"bad/a.jsonl": jsonl(b'{"id": "cut", "title": "x', {"title": "", "abstract": ""}), "bad/b.txt": b"only chrome\n\nno entries\n",
         "bad/c.json": b"[]"},
        ["bad"], set(), [("a.jsonl:1", "invalid JSON"), ("a.jsonl:2", "neither a title nor an abstract"),
                         ("b.txt", "no paper entries"), ("c.json", "no records")], 2, 4)
    return c


CASES = _cases()


def _assert_titles(driver, titles: dict[str, str]) -> None:
    got = {r["id"]: r["t"] for r in driver.execute_query("MATCH (p:Paper) RETURN p.id AS id, p.title AS t")[0]}
    for pid, title in titles.items():
        assert got[pid] == title, (pid, got[pid])


def _assert_abstracts(driver, abstracts: dict[str, str]) -> None:
    got = {r["id"]: r["a"] for r in driver.execute_query("MATCH (p:Paper) RETURN p.id AS id, p.abstract AS a")[0]}
    for pid, text in abstracts.items():
        assert got[pid] == text.strip(), pid


# --------------------------------------------------------------------------- the campaign

TABLE: dict[str, list] = {}


@pytest.fixture(scope="module", autouse=True)
def campaign_table():
    yield
    if not TABLE:
        return
    out = REPO / "test-artifacts" / "bad-input.md"
    out.parent.mkdir(exist_ok=True)
    lines = ["| input kind | records in | stored | rejected | exit | crashes | notes |", "|---|---|---|---|---|---|---|"]
    for name, row in TABLE.items():
        lines.append("| " + " | ".join(str(v) for v in [name, *row]) + " |")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_files(root: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _reject_lines(stderr: str) -> list[str]:
    """The ``rejected <source>[ (id)]: <reason>`` lines (not a wrapped summary line)."""
    return [ln for ln in stderr.splitlines() if re.match(r"rejected \S+(?: \([^)]*\))?: \S", ln)]


def _check_rejects(case: Case, stderr: str, rejects_file: Path) -> None:
    lines = _reject_lines(stderr)
    assert len(lines) == len(case.rejects), lines
    for source, reason in case.rejects:
        hits = [ln for ln in lines if ln.startswith(f"rejected {source}") and reason in ln]
        assert len(hits) == 1, (source, reason, lines)
        rid = case.ids_of_rejects.get(source)
        if rid:
            assert f"({rid})" in hits[0], hits[0]
    rows = [json.loads(ln) for ln in rejects_file.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(case.rejects), rows
    for row in rows:
        assert set(row) == {"source", "id", "reason"} and row["reason"], row
        assert any(row["source"].startswith(s) and r in row["reason"] for s, r in case.rejects), row
        # the stderr line says the same
        assert any(ln.startswith(f"rejected {row['source']}") and ln.endswith(row["reason"]) for ln in lines), row
        if row["source"] in case.ids_of_rejects:
            assert row["id"] == case.ids_of_rejects[row["source"]], row


def _strict_json(line: str):
    def no_constants(name):
        raise ValueError(f"non-standard JSON constant {name}")

    return json.loads(line, parse_constant=no_constants)


@pytest.mark.parametrize("kind", list(CASES))
def test_bad_input_through_extract_and_build(kind, tmp_path, neo4j_settings, clean_db):
    case = CASES[kind]
    _write_files(tmp_path, case.files)
    args = [str(tmp_path / a) for a in case.args]
    crashes = 0

    # kg extract
    out, rej_x = tmp_path / "out.jsonl", tmp_path / "rejects-extract.jsonl"
    t0 = time.perf_counter()
    res = run_kg(neo4j_settings, "extract", *args, "-o", str(out), "--rejects", str(rej_x), timeout=case.max_seconds * 3)
    seconds = time.perf_counter() - t0
    crashes += "Traceback" in res.stderr or res.returncode not in (0, 1, 2)
    assert "Traceback" not in res.stderr, res.stderr[-3000:]
    assert res.returncode == case.code, res.stderr[-3000:]
    assert seconds < case.max_seconds, f"kg extract took {seconds:.0f}s"
    _check_rejects(case, res.stderr, rej_x)
    if case.code == 2:
        assert "no usable paper" in res.stderr and not out.exists()
    else:
        records = [_strict_json(ln) for ln in out.read_text(encoding="utf-8").splitlines()]
        assert {r["id"] for r in records} == case.stored
        assert len(records) == len(case.stored)

    # kg build
    rej_b = tmp_path / "rejects-build.jsonl"
    res = run_kg(neo4j_settings, "build", *args, "--rejects", str(rej_b), timeout=case.max_seconds * 3)
    crashes += "Traceback" in res.stderr or res.returncode not in (0, 1, 2)
    assert "Traceback" not in res.stderr, res.stderr[-3000:]
    assert res.returncode == case.code, res.stderr[-3000:]
    _check_rejects(case, res.stderr, rej_b)
    stored = {r["id"] for r in clean_db.execute_query("MATCH (p:Paper) RETURN p.id AS id")[0]}
    assert stored == case.stored
    if case.code == 2:
        assert "no usable paper" in res.stderr
    if case.check:
        case.check(clean_db)
    TABLE[kind] = [case.records_in, len(stored), len(case.rejects), case.code, crashes, case.notes]


def test_reject_reasons_are_one_line_each(tmp_path, neo4j_settings):
    """A reason never spans lines, even when the bad text does (a pretty-printed fragment)."""
    (tmp_path / "p.jsonl").write_bytes(jsonl(rec("ol-1", 44)) + b'{"id": "ol-2",\n "title": 5}\n')
    res = run_kg(neo4j_settings, "extract", str(tmp_path / "p.jsonl"), "-o", str(tmp_path / "o.jsonl"))
    assert res.returncode == 1 and "Traceback" not in res.stderr
    lines = _reject_lines(res.stderr)
    assert [ln.split(":")[0:2] for ln in lines] == [["rejected p.jsonl", "2"], ["rejected p.jsonl", "3"]], lines
    assert all("invalid JSON" in ln for ln in lines), lines


def test_markup_in_a_rejected_line_is_printed_not_interpreted(tmp_path, neo4j_settings):
    (tmp_path / "m.txt").write_bytes(listing(("MarkNet: Brackets in Listings", abstract(45)))
                                     + b"stray [/] line with [bold]rich[/bold] markup\n")
    res = run_kg(neo4j_settings, "extract", str(tmp_path / "m.txt"), "-o", str(tmp_path / "o.jsonl"),
                 "--rejects", str(tmp_path / "r.jsonl"))
    assert "Traceback" not in res.stderr
    assert res.returncode == 1
    (line,) = _reject_lines(res.stderr)
    assert "[/]" in line and "[bold]rich[/bold]" in line
    assert len((tmp_path / "r.jsonl").read_text().splitlines()) == 1
