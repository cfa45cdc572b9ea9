"""#14 D1 and D17: one output writer. Regular files are replaced atomically; devices, FIFOs
and symlinks are written in place, never replaced by a regular file; a directory or a
missing directory as ``-o`` is a one-line error before any work."""

import os
import stat
import subprocess
import sys
import threading

import pytest

from kg.errors import KgError
from kg.files import check_output, output_file


def test_regular_file_is_replaced_atomically_and_kept_on_failure(tmp_path):
    target = tmp_path / "out.jsonl"
    target.write_text("old\n")
    with pytest.raises(RuntimeError):
        with output_file(target) as f:
            f.write("half")
            raise RuntimeError("boom")
    assert target.read_text() == "old\n" and not (tmp_path / "out.jsonl.part").exists()
    with output_file(target) as f:
        f.write("new\n")
    assert target.read_text() == "new\n" and sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]


def test_symlink_stays_a_symlink_and_its_target_gets_the_data(tmp_path):
    real, link = tmp_path / "real.ttl", tmp_path / "link.ttl"
    link.symlink_to(real)
    with output_file(link, "wb") as f:
        f.write(b"data")
    assert link.is_symlink() and real.read_bytes() == b"data"


def test_fifo_is_written_in_place(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    with output_file(fifo) as f:
        f.write("through the pipe\n")
    reader.join(10)
    assert got == ["through the pipe\n"] and stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.mark.skipif(os.geteuid() != 0, reason="mknod of a character device needs root")
def test_character_device_is_not_replaced(tmp_path):
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    with output_file(null) as f:
        f.write("discarded\n")
    assert stat.S_ISCHR(null.lstat().st_mode)


@pytest.mark.parametrize("case", ["dir", "missing_parent", "parent_is_file"])
def test_unwritable_outputs_fail_before_any_work(tmp_path, case):
    (tmp_path / "f").write_text("")
    path = {"dir": tmp_path, "missing_parent": tmp_path / "no" / "x.jsonl",
            "parent_is_file": tmp_path / "f" / "x.jsonl"}[case]
    with pytest.raises(KgError, match=str(path).replace("\\", "\\\\")):
        check_output(path)


def test_kg_extract_to_a_directory_is_one_line_exit_2_and_a_device_survives(tmp_path):
    paper = tmp_path / "p.jsonl"
    paper.write_text('{"id": "p1", "title": "FooNet", "abstract": "FooNet reaches 81.2% top-1 on ImageNet."}\n')
    code = "from kg.cli import app; app()"
    proc = subprocess.run([sys.executable, "-c", code, "extract", str(paper), "-o", str(tmp_path)],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.strip().count("\n") == 0
    assert "is a directory" in proc.stderr and "Traceback" not in proc.stderr
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    proc = subprocess.run([sys.executable, "-c", code, "extract", str(paper), "-o", str(fifo)],
                          capture_output=True, text=True, timeout=120)
    reader.join(30)
    assert proc.returncode == 0, proc.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and '"id":"p1"' in got[0].replace(" ", "")
