"""The build with its cache on disk: nothing to do when nothing changed, as make and ninja know.

A build records (store.py, `record`) the hash of every input it read (inputs.py) and of every file the
output folder holds after it wrote: the content folder (every file, quotes.lock as the build
left it), the site's own templates/, explainer itself (its code, default theme and locales, the
Python and the versions of every installed package), the options that decide the output, the
archive files the quotes were checked against (or their absence), the facts.json compared
against (as it is after the write), and on a site with social cards the machine's fonts and
which of them fontconfig chooses. The next build hashes the same things again: when every input
and every file of the output folder is the same (a file deleted, added or edited there counts;
see `record_output` for how an edit is seen without reading every file), it writes nothing,
reports the warnings the build reported and says the site is up to date; otherwise it runs in
full, with the stage caches (`stages`) of the last one warm. Only `--jobs` (the same bytes either way) and what is printed (-q, -v) are not inputs.
"""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import Cache
from .errors import Problem
from .inputs import first_inputs, hash_explainer, hash_file, hash_input, later_inputs
from .limits import CACHE_BYTES, shown, size
from .model import Options, Output
from .output.lock import OutputLock
from .output.swap import finish_removals
from .output.write import check_out_dir, tidy
from .store import Sealing, Unusable, cache_folder, forget_gone_outputs, make_cache_root, read_sealed, refused, write_sealed, write_sealed_stream

if TYPE_CHECKING:
    from .pipeline import Built

RECORD, STAGES = "record", "stages"
# compiled templates hold functions: each process compiles its own; the load stage's results (the model objects of
# every file) take longer to pickle and unpickle than to parse again (1,000 pages: 3.6 s to pickle, 2.8 s to parse)
UNPICKLED = ("templates", "load")
Note = Callable[[str], None]
CHILD_SAYS = 4096  # the most bytes the process writing the caches says why it could not (it fits a pipe at once)
RECENT_NS = 200_000_000  # 0.2 s: far more than one tick of the clock the system stamps files with (1 to 10 ms)


@dataclass(frozen=True, slots=True)
class Record:
    """What one build read and wrote, hashed, with what it reported: enough to say the next one has nothing to do."""

    inputs: tuple[tuple[str, str], ...]  # (what, hash): "options", "explainer", "tree:<folder>", "file:<path>", "fonts"
    outputs: tuple[tuple[str, str], ...]  # (path inside the output folder, signature[|hash]) of every file it holds
    warnings: tuple[Problem, ...]
    pages: int
    search: int  # the search index's bytes, or -1 without one


def is_current(record: Record, options: Options, search: bool, note: Note) -> bool:
    """Whether every input hashes as recorded and the output folder holds exactly the files recorded."""
    assert options.out_dir is not None
    for name, value in record.inputs:
        if hash_input(name, options, search) != value:
            note(f"changed since the last build: {name}")
            return False
    if not output_unchanged(options.out_dir, record.outputs):
        note(f"the files in {options.out_dir}/ are not those the last build wrote")
        return False
    return True


def output_files(out_dir: Path) -> dict[str, os.stat_result]:
    """Every file in the output folder, by its path inside it, with what the system says of it."""
    found: dict[str, os.stat_result] = {}
    for folder, _, names in os.walk(out_dir):
        for name in names:
            path = os.path.join(folder, name)
            found[os.path.relpath(path, out_dir).replace(os.sep, "/")] = os.lstat(path)
    return found


def signature(st: os.stat_result) -> str:
    """A file's size, inode, modification and change times: the change time no program can set back."""
    return f"{st.st_size}:{st.st_ino}:{st.st_mtime_ns}:{st.st_ctime_ns}"


def record_output(out_dir: Path) -> tuple[tuple[str, str], ...]:
    """The output folder as written: each file's signature, and its content hash too when its change time is recent.

    A file changed after this moment gets a change time after it (the system sets it, from a clock
    at most one tick behind): so a file whose change time is older than RECENT_NS shows any later
    edit by its signature. One changed within RECENT_NS of now could be edited again within the
    same tick, unseen: it is known by its content (as git treats the "racily clean" ones).
    """
    files = output_files(out_dir)
    now = time.time_ns()
    return tuple((path, signature(st) + ("|" + hash_file(out_dir / path) if st.st_ctime_ns >= now - RECENT_NS else ""))
                 for path, st in sorted(files.items()))


def output_unchanged(out_dir: Path, recorded: tuple[tuple[str, str], ...]) -> bool:
    """Whether the output folder holds exactly the recorded files, each unchanged (by signature, or by content when recent)."""
    files = output_files(out_dir)
    if files.keys() != {path for path, _ in recorded}:
        return False
    for path, value in recorded:
        kept, _, content = value.partition("|")
        if content:
            if hash_file(out_dir / path) != content:
                return False
        elif signature(files[path]) != kept:
            return False
    return True


def encode_record(record: Record) -> bytes:
    """A record as JSON (no code runs to read it back)."""
    return json.dumps({"inputs": record.inputs, "outputs": record.outputs, "pages": record.pages, "search": record.search,
                       "warnings": [dataclasses.astuple(p) for p in record.warnings]}, ensure_ascii=False).encode()


def decode_record(data: bytes | memoryview) -> Record:
    """A record from its JSON; Unusable when it is not one."""
    try:
        raw = json.loads(bytes(data))
        return Record(tuple((str(a), str(b)) for a, b in raw["inputs"]), tuple((str(a), str(b)) for a, b in raw["outputs"]),
                      tuple(Problem(str(p[0]), int(p[1]), str(p[2]), str(p[3]), p[4]) for p in raw["warnings"]),
                      int(raw["pages"]), int(raw["search"]))
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise Unusable(f"not a record ({exc})") from None


def load_record(folder: Path, note: Note) -> Record | None:
    """The last build's record, when there is one this user's key sealed."""
    try:
        return decode_record(read_sealed(folder / RECORD, RECORD))
    except Unusable as why:
        note(f"build record {folder / RECORD} not used: {why}")
        return None


def load_stages(folder: Path, note: Note) -> Cache:
    """The stage caches the last build left, when this user's key sealed them for this very explainer; else empty."""
    path = folder / STAGES
    if (why := refused(folder)) is not None:
        note(f"stage cache {path} not used: {why}")
        return Cache()
    try:
        payload = read_sealed(path, STAGES)
        made_by = hash_explainer().encode()
        if bytes(payload[:len(made_by)]) != made_by:
            raise Unusable("made by another explainer (its code or libraries changed)")
        cache = pickle.loads(payload[len(made_by):])  # authenticated above: sealed by this user's key
        if not isinstance(cache, Cache):
            raise Unusable("not a cache")
        return cache
    except Unusable as why:
        note(f"stage cache {path} not used: {why}")
    except Exception as exc:  # sealed by us, yet unreadable by this code (a class changed shape): start afresh
        note(f"stage cache {path} not used: {type(exc).__name__}: {exc}")
    return Cache()


def save_stages(folder: Path, cache: Cache) -> str | None:
    """Keep the stage caches for the next build; return why they could not be written, or None."""
    if (failed := make_cache_root(folder.parent)) is not None:
        return failed
    kept = pickled(cache)

    def dump(sink: Sealing) -> None:
        sink.write(hash_explainer().encode())
        pickle.dump(kept, sink, protocol=pickle.HIGHEST_PROTOCOL)

    return write_sealed_stream(folder / STAGES, STAGES, dump)


def pickled(cache: Cache) -> Cache:
    """The part of the caches `save_stages` keeps: every section but those of UNPICKLED."""
    kept = Cache()
    kept.sections = {name: section for name, section in cache.sections.items() if name not in UNPICKLED}
    return kept


def least_size(cache: Cache) -> int:
    """A floor of the bytes `save_stages` writes for `cache`: the bytes and text its results hold whole, as a value or at
    the first level of one (a rendered page's Output, a card's PNG); pickle writes each of them in full, once (an
    object met twice is counted once: pickle writes it once), and text in UTF-8, at least a byte a character.

    Counted in a walk of the entries, without pickling: on a site whose caches pass the limit (10,000 pages: the
    rendered pages alone take over 800 MiB) a copy of the build pickled 512 MiB only to throw it away.
    """
    held: dict[int, int] = {}  # id -> length of each bytes or text object met
    for section in pickled(cache).sections.values():
        for entry in section.entries.values():
            for part in entry.value if type(entry.value) is tuple else (entry.value,):
                whole = part.content if isinstance(part, Output) else part
                if isinstance(whole, (bytes, str)):
                    held[id(whole)] = len(whole)
    return sum(held.values())


def save_stages_aside(folder: Path, cache: Cache) -> Callable[[], str | None]:
    """Start `save_stages` in a forked process while this one writes the site; return the wait for what it says.

    Pickling the caches keeps a core busy for seconds on a large site (1,000 pages: about 1.1 s)
    while writing the site mostly waits on the disk: side by side they take the longer of the two.
    The child is a copy of this process at this moment, so it writes the caches exactly as they
    are. Where processes do not start as forks (Windows), or none can be started (out of memory,
    a process limit), the caches are written here and now. Caches that cannot fit the limit (`least_size`) are not
    written at all, and the file the last build left is removed, as when writing them passes the limit.
    """
    least = least_size(cache)
    if least > CACHE_BYTES.value:
        said = f"larger than the limit: not kept (at least {size(least, down=True)}, the limit {shown(CACHE_BYTES)})"
        try:
            (folder / STAGES).unlink(missing_ok=True)
        except OSError as exc:  # a read-only folder, say: the build is done all the same
            said += f"; the last build's cannot be removed ({exc.strerror or exc})"
        return lambda: said
    import multiprocessing

    if "fork" in multiprocessing.get_all_start_methods():
        try:
            return save_forked(folder, cache)
        except OSError:
            pass
    failed = save_stages(folder, cache)
    return lambda: failed


def save_forked(folder: Path, cache: Cache) -> Callable[[], str | None]:
    """`save_stages` in a forked copy of this process; return the wait for what it says (OSError when no copy starts)."""
    reading, writing = os.pipe()
    try:
        child = os.fork()
    except OSError:
        os.close(reading)
        os.close(writing)
        raise
    if child == 0:  # the copy: write the caches, say why not if so, and leave without running anything of the build's
        status = 1
        try:
            os.close(reading)
            os.write(writing, (save_stages(folder, cache) or "").encode("utf-8")[:CHILD_SAYS])
            status = 0
        finally:
            os._exit(status)
    os.close(writing)

    def wait() -> str | None:
        with os.fdopen(reading, "rb") as said:
            told = said.read().decode("utf-8", "replace")
        _, status = os.waitpid(child, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            return "not written: the process writing it stopped before the end"
        return told or None

    return wait


def build_cached(options: Options, *, search: bool, note: Note) -> Built | Record:
    """Build into options.out_dir with the cache on disk: the last build's record when nothing changed, else the build."""
    assert options.out_dir is not None, "build needs an output folder"
    check_out_dir(options.out_dir, options.content_dir)
    folder = cache_folder(options.content_dir, options.out_dir)
    with OutputLock.take(options.out_dir) as lock:
        try:
            why = refused(folder)
            if why is not None:  # built as with --no-cache: nothing of the cache read, nothing written where a link leads
                note(f"build cache not used: {why}")
                from .pipeline import build

                return build(options, search=search, lock=lock)  # the old site removed (below) before the lock goes
            tidy(options.out_dir)
            record = load_record(folder, note)
            if record is not None and is_current(record, options, search, note):
                return record
            from .pipeline import make_pending, write_made  # the build's code loads only when there is something to build

            inputs = first_inputs(options, search)  # hashed before they are read: an edit during the build is seen next time
            cache = load_stages(folder, note)
            made, pending = make_pending(options, cache, search=search)
            try:
                saved = save_stages_aside(folder, cache)  # the caches are written while the site is, and Pagefind indexes
            except BaseException:
                if pending is not None:
                    pending.abandon()
                raise
            try:
                built = write_made(made, pending, options, search=search)
            finally:
                failed = saved()
            if failed is not None:
                note(f"stage cache {folder / STAGES} {failed}")
            inputs |= later_inputs(built, options)
            search_size = built.made.search.size if built.made.search is not None else -1
            record = Record(tuple(sorted(inputs.items())), record_output(options.out_dir),
                            built.made.warnings, built.made.pages, search_size)
            failed = write_sealed(folder / RECORD, RECORD, encode_record(record))
            if failed is not None:
                note(f"build record {folder / RECORD} {failed}")
            forget_gone_outputs(folder, options.out_dir, note)
        finally:
            finish_removals()  # the old site and the search step's documents, removed while the site was written
    return built
