#!/usr/bin/env python3
"""Every figure of issue 8 ("Speed at 10,000 facts") from one command, on the shared corpus.

    .venv/bin/python benchmarks/speed.py [--facts 10000] [--pages 1000] [--repeat 3] [--edits 20]
                                         [--hugo] [--scale [--big] [--scale-repeat N]] [--no-serve]
                                         [--serve-only] [--in-process N [--profile]] [--cold-stages N]
                                         [--cache DIR]

Corpus: ../shared/bench's gen_corpus.py + to_ours.py, made once per size in CACHE/N-P. Builds:
its timing.py, a fresh process per run (wall, cpu, peak RSS of the largest process); cold runs
rename the output away first (as run_peers.sh) and pass --no-cache when the CLI has it; ours
serial (FACTSHEET_WORKERS=1), ours and Hugo (--hugo) alternate, and Hugo followed by the Pagefind
ours runs, on Hugo's site (Hugo with the search index ours builds); medians are quoted. Memory: the
largest process's peak RSS (timing.py) and the whole process tree's peak PSS (sampled every 0.1 s:
build, render workers, Pagefind), with the processes that peaked. Then a warm
build compared byte for byte with the cold one, -v stage timings, `serve` (first page, K fact and
K page edits timed from the save to the new text in the written page, their log lines and
serve's CPU time per edit, idle CPU once its background work is done)
and with --scale the growth per 10x. --serve-only: the serve figures alone; --in-process N: the
CPU time of each stage of a rebuild after N fact and N page edits, in this process (in_process);
--cold-stages N: the wall and CPU time and the process tree's peak PSS of each stage of a cold
build (cold_stages).
Prints figures and targets; asserts nothing about time.
"""

import argparse, contextlib, hashlib, json, os, platform, re, shlex, shutil, statistics  # noqa: E401
import subprocess, sys, threading, time, urllib.request  # noqa: E401
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(os.environ.get("FACTSHEET_BENCH", ROOT.parent / "shared" / "bench"))
PY, BUILD = sys.executable, str(ROOT / "build.py")


def run(*cmd, check=True, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], check=check, text=True, capture_output=True, **kw)


def corpus(cache: Path, n: int, p: int) -> Path:
    """CACHE/N-P: neutral/ from gen_corpus.py and content/ from to_ours.py, made once."""
    base = cache / f"{n}-{p}"
    if not (base / "ready").exists():
        shutil.rmtree(base, ignore_errors=True)
        print(run(PY, BENCH / "gen_corpus.py", "--facts", n, "--pages", p, "--out",
                  base / "neutral").stdout, end="", flush=True)
        run(PY, BENCH / "to_ours.py", base / "neutral", base / "content")
        (base / "ready").touch()
    return base


def ours(base: Path, out: Path, *flags: str) -> str:
    return "exec " + shlex.join([PY, BUILD, "build", "-q", *flags,
                                 "--content", str(base / "content"), "--output", str(out)])


def pagefind_binary() -> str:  # the indexer ours runs (search.executable)
    return run(PY, "-c", "from factsheet.search import executable; print(executable())",
               cwd=ROOT).stdout.strip()


def fresh(out: Path) -> str:  # run_peers.sh's cold start: the old output renamed away (O(1))
    return f"mv {shlex.quote(str(out))} {shlex.quote(str(out.parent / 'trash'))}/run-$$ " \
        "2>/dev/null; "


def descendants(root: int) -> list[int]:
    """Every live process below `root` (one scan of /proc: about a millisecond of CPU)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                with open(f"/proc/{entry.name}/stat", "rb") as stat:
                    ppid = int(stat.read().rpartition(b")")[2].split()[1])
                children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        found += (more := children.get(todo.pop(), []))
        todo += more
    return found


def _same_memory(one: int, other: int) -> bool:
    """Whether two processes share one address space: a child made by vfork (as subprocess
    starts Pagefind) until it executes, whose smaps are its parent's. Linux's kcmp(KCMP_VM)."""
    try:
        import ctypes
        return ctypes.CDLL(None, use_errno=True).syscall(312, one, other, 1, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def pss_mib(pids: list[int]) -> dict[str, float]:
    """Each process's proportional set size in MiB, by "name pid" (memory shared by forked
    render workers counted once between them, unlike RSS; a vfork child not yet replaced by
    its program, sharing its parent's memory, not counted a second time)."""
    found, counted = {}, []
    for pid in pids:
        if platform.machine() == "x86_64" and any(_same_memory(pid, o) for o in counted):
            continue
        counted.append(pid)
        with contextlib.suppress(OSError, ValueError, StopIteration):
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                kib = int(next(x for x in rollup if x.startswith("Pss:")).split()[1])
            found[f"{Path(f'/proc/{pid}/comm').read_text().strip()} {pid}"] = kib / 1024
    return found


PEAKS: dict[str, float] = {}  # the last timed run's peak PSS of each process, by "name pid"


def sample(proc: subprocess.Popen, samples: list, itself: bool = False) -> threading.Thread:
    """A thread appending (time.monotonic(), pss_mib of each process) to `samples` every 0.1 s
    until `proc` ends: the processes below it (with `itself`, it too)."""
    def run() -> None:
        while proc.poll() is None:
            samples.append((time.monotonic(),
                            pss_mib([proc.pid] * itself + descendants(proc.pid))))
            time.sleep(0.1)
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def timed(shell: str, env: dict | None = None) -> tuple[float, float, float, float]:
    """One run of `sh -c SHELL` under the shared timing.py: (wall s, cpu s, peak MiB of the
    largest process, peak MiB of the whole process tree). The tree's peak is sampled every 0.1 s
    (the summed PSS of every process below timing.py: the build, its render workers, Pagefind):
    a peak shorter than that can be missed."""
    env = {**os.environ, **(env or {})}
    proc = subprocess.Popen([PY, str(BENCH / "timing.py"), "-n", "1", "--warmup", "0", "--",
                             "sh", "-c", shell], env=env, text=True, stdout=subprocess.PIPE)
    samples: list = []
    sampler = sample(proc, samples)
    text = proc.communicate()[0]
    sampler.join()
    PEAKS.clear()
    for _, each in samples:
        for name, mib in each.items():
            PEAKS[name] = max(PEAKS.get(name, 0.0), mib)
    if proc.returncode or "exit codes=[0]" not in text:
        sys.exit(f"failed: {shell}\n" + run("sh", "-c", shell, check=False, env=env).stderr[-3000:])
    return tuple(float(re.search(rf"{k}\s+min\s+\S+\s+median\s+(\S+)", text).group(1))
                 for k in ("wall", "cpu", "peak")) + (
        max((sum(each.values()) for _, each in samples), default=0.0),)


def biggest(count: int = 4) -> str:
    """The processes of the last timed run with the largest peak PSS."""
    return ", ".join(f"{name} {mib:.0f} MiB" for name, mib in
                     sorted(PEAKS.items(), key=lambda item: -item[1])[:count])


def empty_trash(base: Path) -> None:  # outside the timing, as run_peers.sh does
    shutil.rmtree(base / "out" / "trash", ignore_errors=True)
    (base / "out" / "trash").mkdir(parents=True)
    os.sync()


def med(rows: list, i: int) -> float:  # the median of figure i (0 wall, 1 cpu, 2 peak, 3 tree)
    return statistics.median(r[i] for r in rows)


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).digest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def compare(a: dict, b: dict) -> str:
    diff = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    return f"identical ({len(a):,} files)" if not diff else \
        f"{len(diff)} paths differ: " + ", ".join(diff[:6]) + (" …" if len(diff) > 6 else "")


def verify(base: Path, out: Path, name: str) -> str:
    done = run(PY, BENCH / "verify.py", base / "neutral", out, "--name", name, check=False)
    said = (done.stdout + done.stderr).strip()
    return said.splitlines()[-1] if done.returncode == 0 else f"FAILED: {said[-600:]}"


def builds(base: Path, a, no_cache: list[str]) -> dict:
    """-v stages; cold runs (serial, parallel, Hugo alternating); warm runs; byte comparisons."""
    out, serial_out, hugo_out = (base / "out" / x for x in ("site", "serial", "hugo"))
    r = {"cold": [], "serial": [], "hugo": [], "hugo_pagefind": []}
    shutil.rmtree(out, ignore_errors=True)  # untimed -v run: stage timings, inputs into page cache
    v = run(PY, BUILD, "build", "-v", *no_cache, "--content", base / "content", "--output", out,
            check=False)
    if v.returncode:
        sys.exit(f"build failed:\n{v.stdout[-1500:]}{v.stderr[-1500:]}")
    r["stages"] = re.findall(r"^\s+(\w+)\s+([\d.]+) s", v.stderr.partition("Stages:")[2], re.M)
    print("verify (ours):", verify(base, out, "ours"))
    if a.hugo:
        if not (base / "hugo-site" / "ready").exists():
            run(PY, BENCH / "make_sites.py", base / "neutral", base / "hugo-site",
                "--peers", "hugo")
            (base / "hugo-site" / "ready").touch()
        hugo = "exec " + shlex.join(["hugo", "--quiet", "-s", str(base / "hugo-site" / "hugo"),
                                     "-d", str(hugo_out)])  # as run_peers.sh
        print("hugo:", run("sh", "-c", fresh(hugo_out) + hugo).args[2])  # untimed, as run_peers
        print("verify (hugo):", verify(base, hugo_out, "hugo"))
        # Hugo's site indexed by the Pagefind ours runs, with ours' options: Hugo with a search
        # index, the job ours does (search.py); a site without data-pagefind-body is indexed whole
        hugo_pagefind = fresh(hugo_out) + hugo.removeprefix("exec ") + " && exec " + shlex.join(
            [pagefind_binary(), "--site", str(hugo_out), "--keep-index-url", "--silent"])
    for i in range(a.repeat):
        empty_trash(base)
        r["serial"].append(timed(fresh(serial_out) + ours(base, serial_out, *no_cache),
                                 {"FACTSHEET_WORKERS": "1"}))
        r["cold"].append(timed(fresh(out) + ours(base, out, *no_cache)))
        peaks = biggest()  # before Hugo's run replaces them
        if a.hugo:
            r["hugo"].append(timed(fresh(hugo_out) + hugo))
            r["hugo_pagefind"].append(timed(hugo_pagefind))
        print(f"round {i + 1}: ours {r['cold'][-1][0]:.2f} s, serial {r['serial'][-1][0]:.2f} s"
              + (f", hugo {r['hugo'][-1][0]:.2f} s, hugo + pagefind "
                 f"{r['hugo_pagefind'][-1][0]:.2f} s" if a.hugo else "")
              + f"; ours' peak PSS by process: {peaks}", flush=True)
    empty_trash(base)
    cold = tree(out)
    r["serial_cmp"] = compare(cold, tree(serial_out))
    cache = out.parent / ".factsheet-cache" / out.name  # cache.folder_for
    if no_cache:  # the CLI has a cache: one build writes it, then the warm runs read it
        # timed too: it is what `build` does on a new checkout (or after a template edit)
        shutil.rmtree(cache, ignore_errors=True)
        r["first"] = timed(ours(base, out))
    state = cache / "state.pickle"
    r["state_mib"] = state.stat().st_size / 2**20 if state.exists() else 0.0
    r["warm"] = [timed(ours(base, out)) for _ in range(a.repeat)]
    r["warm_cmp"] = compare(cold, tree(out))
    return r


def wait_for(path: Path, needle: str, limit: float = 180) -> float | None:  # polled every 5 ms
    started = time.perf_counter()
    while (took := time.perf_counter() - started) < limit:
        with contextlib.suppress(OSError):  # site/ is replaced as a whole: gone for a moment
            if needle in path.read_text(encoding="utf-8", errors="replace"):
                return took
        time.sleep(0.005)
    return None


def serve(base: Path, a, no_cache: list[str]) -> dict:
    """`serve --port 0` on a copy of the content: first page, edits, their log lines, idle CPU."""
    work = base / "serve"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(base / "content", work / "content")
    content, out, r, log = work / "content", work / "site", {"cached": bool(no_cache)}, []
    arrived: list[float] = []  # when each line of the log came (its time first, then the line)
    if no_cache:  # the first page is timed "with a cache from an earlier build"
        run(PY, BUILD, "build", "-q", "--content", content, "--output", out)
    started = time.perf_counter()
    proc = subprocess.Popen([PY, BUILD, "serve", "--port", "0", "--content", str(content),
                             "--output", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    threading.Thread(target=lambda: [(arrived.append(time.perf_counter()), log.append(line))
                                     for line in proc.stdout], daemon=True).start()
    stat = Path(f"/proc/{proc.pid}/stat")  # utime + stime, the 14th and 15th fields
    ticks = lambda: sum(map(int, stat.read_text().rpartition(")")[2].split()[11:13]))  # noqa
    try:
        url = None
        while "first" not in r:  # the URL (with the port chosen) is printed once it serves
            if proc.poll() is not None:
                sys.exit("serve exited:\n" + "".join(log[-30:]))
            url = url or next((m[1] for x in list(log) if (m := re.search(r" on (http\S+/)", x))),
                              None)
            with contextlib.suppress(OSError):  # not yet
                if url and urllib.request.urlopen(url + "index.html", timeout=2).status == 200:
                    r["first"] = time.perf_counter() - started
            time.sleep(0.005)
        facts = sorted((content / "facts").glob("*.yaml"))
        fact_file, page_file = facts[len(facts) // 2], sorted((content / "pages").glob("*.md"))[0]
        fact_text, page_text = fact_file.read_text(), page_file.read_text()
        m = re.search(r"^- id: (\S+)\n  claim: ", fact_text, re.M)

        def edit(path: Path, text: str, page: Path, marker: str) -> tuple:
            """(save → the edited page shows it, the build's log line, serve's CPU, save →
            that log line: printed once every file of the build is written, the others that
            show the edit too, such as the timeline and the data files)."""
            seen, cpu = len(log), ticks()
            saved = time.perf_counter()
            path.write_text(text)
            took = wait_for(page, marker)
            for _ in range(18000):  # then the log line of that build (up to 3 minutes)
                if lines := [at for at in range(seen, len(log)) if " changed:" in log[at]]:
                    break
                time.sleep(0.01)
            time.sleep(0.3)  # the next edit lands on an idle server
            cpu = (ticks() - cpu) / os.sysconf("SC_CLK_TCK")  # serve's CPU s, all its threads
            if not lines:
                return took, "(no log line)", cpu, None
            return took, log[lines[-1]].strip(), cpu, arrived[lines[-1]] - saved

        fact_edit = lambda i: edit(  # noqa: E731 - the claim gets a marker word in front
            fact_file, fact_text[:m.end()] + f"Edited{i}marker " + fact_text[m.end():],
            out / "facts" / f"{m[1]}.html", f"Edited{i}marker")
        r["first_edit"] = fact_edit("first")  # right after the first page: is the watcher on?
        r["fact"] = [fact_edit(i) for i in range(a.edits)]
        r["page"] = [edit(page_file, page_text.rstrip("\n") + f"\n\nPageedit{i}marker\n",
                          out / "pages" / f"{page_file.stem}.html", f"Pageedit{i}marker")
                     for i in range(a.edits)]
        # After the edits serve indexes the site for search in the background (a Pagefind run
        # of the changed shards, then its own linking of the rest), from 1.5 s after the last
        # build (serve.SearchIndexer), and collects garbage (serve.Heap): idle is timed from
        # 3 s on, once a second passes with at most one tick of its CPU (up to a minute).
        after, hz = time.perf_counter(), os.sysconf("SC_CLK_TCK")
        time.sleep(3)
        while time.perf_counter() - after < 60:
            before = ticks()
            time.sleep(1)
            if ticks() - before <= 1:
                break
        r["background"] = time.perf_counter() - after
        before = ticks()
        time.sleep(5)
        r["idle"] = (ticks() - before) / hz / 5 * 100
    finally:
        proc.send_signal(2)  # SIGINT: serve's own Ctrl-C
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(15)
        proc.kill()  # nothing, once it has stopped
    shutil.rmtree(work, ignore_errors=True)
    return r


def in_process(base: Path, a) -> None:
    """A rebuild after one edit, in this process as serve makes it (one Memo, the search index
    left to the background, the collector as serve.Heap runs it: what is left collected and
    frozen before each rebuild, and off during it; --collector-on: on, at the pipeline's
    thresholds, as before serve turned it off): the median time of each
    stage over a.in_process fact edits, then page edits, as the progress hook marks them
    ("render" includes the exports and the feed), in CPU milliseconds of this process (steadier
    than wall time on a shared machine), and the wall time of the whole. With --profile, the last edit of each kind
    under cProfile (its times left out of the medians)."""
    import cProfile, gc, pstats  # noqa: E401 - this mode's alone
    sys.path.insert(0, str(ROOT))
    from factsheet.memo import Memo
    from factsheet.pipeline import Paths, build
    work = base / "in-process"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(base / "content", work / "content")
    paths, memo, marks = Paths(work / "content", output=work / "site"), Memo(), []

    def rebuild(profile: cProfile.Profile | None = None, edit: bool = True) -> dict[str, float]:
        gc.collect()
        gc.freeze()
        if edit and not a.collector_on:  # (serve's first build runs with it on)
            gc.disable()
        marks.clear()
        started = time.perf_counter()
        if profile:
            profile.enable()
        result = build(paths, memo=memo, search_index=False, drafts=True,
                       progress=lambda stage, _: marks.append((stage, time.process_time())))
        if profile:
            profile.disable()
        gc.enable()
        if not result.ok:
            sys.exit("in-process build failed:\n" + "\n".join(
                d.format() for d in result.diagnostics.sorted()[:5]))
        stages = {stage: (end - start) * 1000 for (stage, start), (_, end) in zip(marks, marks[1:])}
        return {**stages, "cpu": sum(stages.values()),
                "wall": (time.perf_counter() - started) * 1000}
    first = rebuild(edit=False)["wall"]
    print(f"in-process: first build {first / 1000:.1f} s; medians of {a.in_process} edits (CPU ms by stage, "
          "then their sum and the wall time), the garbage collector "
          + ("on during each rebuild (--collector-on)" if a.collector_on
             else "off during each rebuild (as serve runs them)") + ":",
          flush=True)
    facts = sorted((work / "content" / "facts").glob("*.yaml"))
    fact_file, page_file = facts[len(facts) // 2], sorted((work / "content" / "pages").glob("*.md"))[0]
    fact_text, page_text = fact_file.read_text(), page_file.read_text()
    claim = re.search(r"^- id: (\S+)\n  claim: ", fact_text, re.M).end()
    edits = {"fact": lambda i: fact_file.write_text(
                 fact_text[:claim] + f"Edited{i}marker " + fact_text[claim:]),
             "page": lambda i: page_file.write_text(page_text.rstrip("\n") + f"\n\nEdit{i}\n")}
    for kind, edit in edits.items():
        rows = []
        for i in range(a.in_process):
            edit(i)
            rows.append(rebuild())
        line = "  ".join(f"{stage} {statistics.median(r[stage] for r in rows):.0f}"
                         for stage in rows[0])
        print(f"  {kind} edit: {line}", flush=True)
        if a.profile:
            edit(a.in_process)
            profile = cProfile.Profile()
            rebuild(profile)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    gc.unfreeze()
    shutil.rmtree(work, ignore_errors=True)


COLD_STAGES = """
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from factsheet.pipeline import Paths, build
def now():
    own, reaped = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return time.monotonic(), own.ru_utime + own.ru_stime, reaped.ru_utime + reaped.ru_stime
marks = [("start", now())]
result = build(Paths(Path(sys.argv[2]), output=Path(sys.argv[3])),
               progress=lambda stage, _: marks.append((stage, now())))
assert result.ok, "the build failed"
print(json.dumps({stage: [start[0], *(b - a for a, b in zip(start, end))]
                  for (stage, start), (_, end) in zip(marks, marks[1:])}))
"""


def cold_stages(base: Path, a) -> None:
    """a.cold_stages cold builds (no cache, a fresh process each, into a new folder): the median
    wall time and CPU time of each stage, the CPU of the build process and of the processes it
    waited for (render workers, Pagefind) apart, and the peak PSS of the process tree (the build,
    its workers, Pagefind; sampled every 0.1 s, as `timed`) while the stage ran: where a large
    build peaks. "render" includes the exports and the feed. A large briefing's stages run in a
    forked process (factsheet/apart.py) whose CPU is counted when it ends: their CPU is all
    under "render" (in the second column, with the render workers'), their wall time apart."""
    import tempfile  # this mode's alone
    runs = []
    for _ in range(a.cold_stages):
        with tempfile.TemporaryDirectory(prefix="factsheet-cold-") as work:
            samples: list = []
            proc = subprocess.Popen([PY, "-c", COLD_STAGES, str(ROOT), str(base / "content"),
                                     str(Path(work) / "site")], text=True, stdout=subprocess.PIPE)
            sampler = sample(proc, samples, itself=True)
            stages = json.loads(proc.communicate()[0])
            sampler.join()
            starts = [start for start, *_ in stages.values()]
            for (stage, figures), end in zip(stages.items(), [*starts[1:], float("inf")]):
                figures[0] = max((sum(each.values()) for at, each in samples
                                  if figures[0] <= at < end), default=0.0)  # its peak, MiB
            runs.append(stages)
    print(f"cold build by stage, medians of {a.cold_stages} (seconds: wall; CPU of the build "
          "process + CPU of its workers and Pagefind = total CPU; the process tree's peak PSS "
          "during the stage):")
    for stage in [*runs[0], "total"]:
        wall, own, reaped, peak = (statistics.median(
            (max if i == 0 else sum)(r[s][i] for s in r) if stage == "total" else r[stage][i]
            for r in runs) for i in (1, 2, 3, 0))
        print(f"  {stage:9} {wall:7.2f}  {own:6.2f} + {reaped:6.2f} = {own + reaped:6.2f}"
              f"  {peak:6.0f} MiB")


def edit_figures(edits: list) -> tuple[str, str, str]:
    """(save → every file written: median / worst, save → the edited page: median / worst,
    what the log lines say)."""
    def spread(index: int) -> str:
        times = [edit[index] * 1000 if edit[index] is not None else float("inf")
                 for edit in edits]
        return f"{statistics.median(times):.0f} / {max(times):.0f} ms"

    counts = [re.search(r"(\d[\d,]*) (?:pages? )?(?:changed|rewritten|written)\b",
                        line.partition(" changed:")[2]) for _, line, *_ in edits]
    example = f" (e.g. '{counts[0][0]}')" if counts[0] else ""
    # the build's own time, as the log line gives it: the rest is the watcher and the write
    built = [int(m[1]) for _, line, *_ in edits if (m := re.search(r"\((\d+) ms\)", line))]
    # serve's CPU from the save to the next (a tick is 10 ms): the build, the collector, and
    # what its other threads did meanwhile (the search indexer, the watcher)
    cpu = statistics.median(edit[2] * 1000 for edit in edits)
    return (spread(3), spread(0),
            f"{sum(c is not None for c in counts)}/{len(edits)} say it{example}; the build "
            f"itself {statistics.median(built) if built else '?'} ms (median of the log lines); "
            f"serve's CPU {cpu:.0f} ms (median)")


def table(a, b: dict | None, s: dict | None, scale: dict, no_cache: list[str]) -> list[tuple]:
    """(figure, ours, Hugo, target) rows; without `b` (--serve-only), serve's alone."""
    rows = [] if b is None else build_rows(a, b, no_cache)
    if s:
        (fact, fact_page, fact_log), (page, page_page, page_log) = (
            edit_figures(s["fact"]), edit_figures(s["page"]))
        first, first_cpu = s["first_edit"][0], s["first_edit"][2]
        rows += [(f"serve: first page served ({'cache' if s['cached'] else 'no cache'})",
                  f"{s['first']:.2f} s", "", "≤ 3 s with a cache"),
                 ("serve: first edit, right after it",
                  "lost" if first is None else f"{first * 1000:.0f} ms (serve's CPU "
                                               f"{first_cpu * 1000:.0f} ms)", "", ""),
                 (f"serve: fact edit → every page written, median / worst of {a.edits}", fact,
                  "", "≤ 100 ms median"),
                 ("  → its fact page shows it", fact_page, "", ""),
                 ("  log line says pages changed", fact_log, "", ""),
                 (f"serve: page edit → every page written, median / worst of {a.edits}", page,
                  "", "≤ 100 ms median"),
                 ("  → the page shows it", page_page, "", ""),
                 ("  log line says pages changed", page_log, "", ""),
                 ("serve: idle CPU over 5 s", f"{s['idle']:.1f} % of a core (after its "
                  f"background work, done {s['background']:.0f} s after the last edit)", "",
                  "≈ 0")]
    previous = None
    for (n, p), runs in scale.items():
        wall, cpu, peak, tree = (med(runs, i) for i in range(4))
        growth = previous and (f"×{wall / previous[0]:.1f} time, ×{peak / previous[1]:.1f} "
                               f"memory, ×{tree / previous[2]:.1f} tree")
        rows.append((f"scale {n:,}/{p:,}: wall (cpu), peak largest / tree",
                     f"{wall:.2f} s ({cpu:.1f}), {peak:.0f} / {tree:.0f} MiB", "",
                     "; ".join(filter(None, [growth and growth + " per 10×",
                                             "≤ 2 GB (1907 MiB)" if n >= 100000 else ""]))))
        previous = (wall, peak, tree)
    return rows


def build_rows(a, b: dict, no_cache: list[str]) -> list[tuple]:
    cold, hugo, serial = b["cold"], b["hugo"], b["serial"]
    theirs = (lambda i, f: f.format(med(hugo, i))) if hugo else (lambda i, f: "-")
    ratio = (lambda i: f"{med(cold, i) / med(hugo, i):.2f}× Hugo") if hugo else (lambda i: "-")
    rows = [(f"cold build wall (median of {a.repeat})", f"{med(cold, 0):.2f} s",
             theirs(0, "{:.2f} s"), f"≤ {'1.0' if a.facts >= 10000 else '2'}× Hugo: {ratio(0)}"),
            ("cold build cpu", f"{med(cold, 1):.2f} s", theirs(1, "{:.2f} s"), ""),
            ("  Hugo, then Pagefind on its site: wall, cpu", "",
             f"{med(b['hugo_pagefind'], 0):.2f} s, {med(b['hugo_pagefind'], 1):.2f} s"
             if hugo else "-",
             f"ours ÷ this: {med(cold, 0) / med(b['hugo_pagefind'], 0):.2f}× wall, "
             f"{med(cold, 1) / med(b['hugo_pagefind'], 1):.2f}× cpu" if hugo else ""),
            ("cold build peak RSS (largest process)", f"{med(cold, 2):.0f} MiB",
             theirs(2, "{:.0f} MiB"), f"≤ 300 MB (286 MiB) at 10k: {ratio(2)}"),
            ("cold build peak of the process tree (PSS)", f"{med(cold, 3):.0f} MiB",
             theirs(3, "{:.0f} MiB"), f"{ratio(3)}"),
            ("cold build serial (FACTSHEET_WORKERS=1)", f"{med(serial, 0):.2f} s", "",
             f"parallel speed-up {med(serial, 0) / med(cold, 0):.2f}×"),
            ("  serial output vs parallel", b["serial_cmp"], "", "byte-identical"),
            ("warm build wall, peak" + ("" if no_cache else " (no cache: a full build)"),
             f"{med(b['warm'], 0):.2f} s, {med(b['warm'], 2):.0f} MiB", "", "≤ 1.5 s at 10k"),
            ("  warm output vs cold", b["warm_cmp"], "", "byte-identical"),
            ("  cache state on disk (state.pickle)", f"{b.get('state_mib', 0):.0f} MiB", "", "")]
    if "first" in b:  # one run
        first = b["first"]
        rows += [("first `build` (writes the cache; 1 run): wall (cpu), peak largest / tree",
                  f"{first[0]:.2f} s ({first[1]:.1f}), {first[2]:.0f} / {first[3]:.0f} MiB", "",
                  "")]
    rows += [(f"  stage {name} (-v, one cold run)", f"{float(t):.2f} s", "", "")
             for name, t in b["stages"]]
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--facts", type=int, default=10000)
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per figure (median)")
    ap.add_argument("--edits", type=int, default=20, help="serve: edits of each kind")
    ap.add_argument("--hugo", action="store_true", help="also time Hugo (if on PATH)")
    ap.add_argument("--scale", action="store_true", help="cold builds at 1k/100 and 10k/1k")
    ap.add_argument("--big", action="store_true", help="--scale with 100k/10k too")
    ap.add_argument("--scale-repeat", type=int, help="timed runs per scale size other than "
                    "--facts/--pages (default: --repeat; 1 keeps --big affordable)")
    ap.add_argument("--no-serve", action="store_true")
    ap.add_argument("--serve-only", action="store_true", help="only the serve figures (no builds "
                    "timed, nothing compared)")
    ap.add_argument("--in-process", type=int, metavar="N", help="only the stages of a rebuild "
                    "in this process after each of N fact and N page edits (median; no serve)")
    ap.add_argument("--collector-on", action="store_true", help="--in-process: the garbage "
                    "collector left on during each rebuild (serve turns it off)")
    ap.add_argument("--profile", action="store_true", help="--in-process: cProfile one more "
                    "edit of each kind")
    ap.add_argument("--cold-stages", type=int, metavar="N", help="only the wall and CPU time "
                    "and the process tree's peak PSS of each stage of a cold build, median of N")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/factsheet-bench"))
    a = ap.parse_args()
    a.scale = a.scale or a.big
    os.environ.pop("FACTSHEET_WORKERS", None)
    if a.hugo and not shutil.which("hugo"):  # said, not installed from here
        print("hugo is not on PATH: no Hugo figures (../shared/bench/install_peers.sh has it)")
        a.hugo = False
    no_cache = ["--no-cache"] if "--no-cache" in run(PY, BUILD, "build", "--help").stdout else []
    load = os.getloadavg()[0]
    print(f"{a.facts:,} facts / {a.pages:,} pages; {os.cpu_count()} CPUs, load average {load:.1f};"
          f" cache option: {no_cache[0] if no_cache else 'none (every build is cold)'}"
          + (f"; {run('hugo', 'version').stdout.split('+')[0]}" if a.hugo else ""), flush=True)
    base = corpus(a.cache, a.facts, a.pages)
    if a.in_process:
        return in_process(base, a)
    if a.cold_stages:
        return cold_stages(base, a)
    print("cold:", fresh(base / "out" / "site") + ours(base, base / "out" / "site", *no_cache))
    if a.serve_only:
        s = serve(base, a, no_cache)
        b, scale = None, {}
    else:
        b = builds(base, a, no_cache)
        s = None if a.no_serve else serve(base, a, no_cache)
        scale = {}
    first_scale: dict = {}  # (facts, pages) → the first default `build`'s figures (100k)
    for n, p in [(1000, 100), (10000, 1000), (100000, 10000)][:2 + a.big] if a.scale else []:
        if (n, p) == (a.facts, a.pages):
            scale[n, p] = b["cold"]
            continue
        sb = corpus(a.cache, n, p)
        empty_trash(sb)
        scale[n, p] = [timed(fresh(sb / "out" / "site") + ours(sb, sb / "out" / "site", *no_cache))
                       for _ in range(a.scale_repeat or a.repeat)]
        empty_trash(sb)
        print(f"scale {n:,}/{p:,}: {med(scale[n, p], 0):.2f} s, {med(scale[n, p], 2):.0f} MiB "
              f"largest process, {med(scale[n, p], 3):.0f} MiB tree; last run's peak PSS by "
              f"process: {biggest()}", flush=True)
        if no_cache and n >= 100000:  # `build` as a new checkout runs it: the cache written
            shutil.rmtree(sb / "out" / ".factsheet-cache", ignore_errors=True)
            first_scale[n, p] = timed(fresh(sb / "out" / "site") + ours(sb, sb / "out" / "site"))
            empty_trash(sb)
            print(f"scale {n:,}/{p:,}, first default build: {first_scale[n, p][0]:.2f} s, "
                  f"{first_scale[n, p][3]:.0f} MiB tree", flush=True)
    rows = [("figure", "ours", "Hugo", "target")] + table(a, b, s, scale, no_cache)
    rows += [(f"scale {n:,}/{p:,}: first default `build` (1 run): wall (cpu), tree",
              f"{wall:.2f} s ({cpu:.1f}), {tree:.0f} MiB", "", "≤ 2 GB (1907 MiB)")
             for (n, p), (wall, cpu, _, tree) in first_scale.items()]
    print(f"\n== {a.facts:,} facts / {a.pages:,} pages; {os.cpu_count()} CPUs; load average "
          f"{load:.1f} at start, {os.getloadavg()[0]:.1f} at end (a shared machine: other jobs "
          "compete; compare ratios from the same run)")
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for row in rows:
        print("  ".join(f"{c:{w}}" for c, w in zip(row, widths + [0])).rstrip())


if __name__ == "__main__":
    main()
