#!/usr/bin/python3
"""Neurite against PyTorch on W2-W5, turn by turn in one session (docs/PERFORMANCE.md).

On the shared 2-core machines both frameworks' speed drifts by up to 1.5x within minutes, so two
separate benchmark runs a minute apart can put either ahead. This script keeps one warm JVM
(org.neurite.models.bench.StepServer) and PyTorch in this process, and alternates short turns:
PyTorch, Neurite, PyTorch, ... Each Neurite turn is compared with the mean of the PyTorch turns
either side of it; the median of those ratios (and its quartiles) is the figure.

    ./build -q -DskipTests install          # cli/target/neurite.jar
    WORKLOADS=W4 ../shared/peers/pytorch/run.sh   # once: installs python3-torch and OpenBLAS
    scripts/paired-pytorch.py W2|W3 [rounds] [steps per turn]  (default 20 rounds of 10 steps)
    scripts/paired-pytorch.py W4 [rounds] [steps per turn]     (default 30 rounds of 3 steps)
    scripts/paired-pytorch.py W5 [rounds] [n] [threads]        (default 20 rounds, n 1024, 1 thread)

For one thread pin both processes to one core (taskset -c 1 scripts/paired-pytorch.py W5 ...):
unpinned, they can run on cores that are in different phases.

PyTorch's models come from the peer script (shared/peers/pytorch/bench.py; --peers DIR elsewhere);
W2 and W3 read shared/data/text/fortunes-corpus.txt (--text FILE elsewhere), on both sides.
It sets OpenBLAS's OpenMP build on the loader path as run.sh does, restarting itself if needed.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OPENBLAS = os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")),
                        "neurite-peers/local/usr/lib/x86_64-linux-gnu/openblas-openmp")


def args_parsed():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("workload", choices=["W2", "W3", "W4", "W5"])
    ap.add_argument("rounds", type=int, nargs="?", help="turns of each (default 30 for W4, 20 otherwise)")
    ap.add_argument("size", type=int, nargs="?", help="W2-W4: steps per turn (10, 10, 3); W5: n (1024)")
    ap.add_argument("threads", type=int, nargs="?", help="W5: threads (1); W4 always uses 2")
    ap.add_argument("--peers", default=os.path.join(ROOT, "..", "shared", "peers", "pytorch"),
                    help="folder of the PyTorch peer script bench.py")
    ap.add_argument("--jar", default=os.path.join(ROOT, "cli", "target", "neurite.jar"))
    ap.add_argument("--text", default=os.path.join(ROOT, "..", "shared", "data", "text", "fortunes-corpus.txt"),
                    help="W2/W3 corpus")
    return ap.parse_args()


def with_openblas():
    """Restarts this script once with OpenBLAS on the loader path (it is read at process start)."""
    if os.path.exists(os.path.join(OPENBLAS, "libblas.so.3")) and OPENBLAS not in os.environ.get("LD_LIBRARY_PATH", ""):
        env = dict(os.environ, LD_LIBRARY_PATH=OPENBLAS + ":" + os.environ.get("LD_LIBRARY_PATH", ""))
        os.execve(sys.executable, [sys.executable] + sys.argv, env)


class Neurite:
    """The JVM side: one StepServer, one command per turn."""

    def __init__(self, jar, text):
        if not os.path.exists(jar):
            sys.exit(f"paired-pytorch: {jar} not found: build first (./build -q -DskipTests install)")
        java = os.path.join(subprocess.check_output([os.path.join(ROOT, "scripts", "find-jdk.sh")], text=True).strip(), "bin", "java")
        self.p = subprocess.Popen([java, "--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC", "-cp", jar,
                                   "org.neurite.models.bench.StepServer", text],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.p.stdout.readline().strip()
        if line != "ready":
            sys.exit(f"paired-pytorch: the StepServer did not start (said {line!r})")

    def ask(self, command):
        self.p.stdin.write(command + "\n")
        self.p.stdin.flush()
        answer = self.p.stdout.readline().strip()
        if answer.startswith("error"):
            sys.exit("paired-pytorch: " + answer)
        return float(answer)

    def close(self):
        self.p.stdin.close()
        self.p.wait()


def main():
    a = args_parsed()
    with_openblas()
    sys.path.insert(0, os.path.abspath(a.peers))
    try:
        import torch
        import torch.nn.functional as F
        import bench                                   # the peer script's models
    except ImportError as e:
        sys.exit(f"paired-pytorch: {e}: run {a.peers}/run.sh once, or pass --peers DIR")
    if not os.path.exists(a.text):
        sys.exit(f"paired-pytorch: no such text file: {a.text} (pass --text)")
    neurite = Neurite(a.jar, a.text)
    if a.workload in ("W2", "W3"):
        rounds, k = a.rounds or 20, a.size or 10
        torch.set_num_threads(2)
        torch.manual_seed(0)
        with open(a.text, encoding="utf-8") as f:
            text = f.read()
        chars = sorted(set(text))
        stoi = {ch: i for i, ch in enumerate(chars)}
        data = torch.tensor([stoi[ch] for ch in text], dtype=torch.long)
        V, B, T = len(chars), 32, 64
        model = bench.CharRNN(V, 256, "lstm" if a.workload == "W2" else "gru")
        opt = torch.optim.Adam(model.parameters(), lr=0.002)
        offs = torch.arange(T + 1)

        def torch_turn():                                       # as bench.py's run_rnn
            t0 = time.perf_counter()
            for _ in range(k):
                starts = torch.randint(0, data.numel() - (T + 1), (B,))
                seq = data[starts[:, None] + offs]
                x, y = seq[:, :T].t().contiguous(), seq[:, 1:].t().contiguous()
                opt.zero_grad()
                F.cross_entropy(model(x).reshape(-1, V), y.reshape(-1)).backward()
                opt.step()
            return B * T * k / (time.perf_counter() - t0)      # chars/s

        def neurite_turn():
            return B * T * k / neurite.ask(f"{a.workload} {k}")
        unit, what = "chars/s", f"{a.workload}, {rounds} rounds of {k} steps, 2 threads"
        for _ in range(5):
            torch_turn()
    elif a.workload == "W4":
        rounds, k = a.rounds or 30, a.size or 3
        torch.set_num_threads(2)
        torch.manual_seed(0)
        model = bench.ResNet20()
        model.train()
        opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
        x, y = torch.randn(64, 3, 32, 32), torch.randint(0, 10, (64,))

        def torch_turn():
            t0 = time.perf_counter()
            for _ in range(k):
                opt.zero_grad()
                F.cross_entropy(model(x), y).backward()
                opt.step()
            return 64 * k / (time.perf_counter() - t0)          # images/s

        def neurite_turn():
            return 64 * k / neurite.ask(f"W4 {k}")
        unit, what = "images/s", f"W4, {rounds} rounds of {k} steps, 2 threads"
        for _ in range(5):
            torch_turn()
    else:
        rounds, n, threads = a.rounds or 20, a.size or 1024, a.threads or 1
        torch.set_num_threads(threads)
        am, bm, cm = torch.rand(n, n), torch.rand(n, n), torch.empty(n, n)

        def torch_turn():                                       # as bench.py: median of 10
            g = []
            for _ in range(10):
                t0 = time.perf_counter()
                torch.mm(am, bm, out=cm)
                g.append(2 * n ** 3 / (time.perf_counter() - t0) / 1e9)
            return statistics.median(g)

        def neurite_turn():
            return neurite.ask(f"W5 {n} {threads}")
        unit, what = "GFLOP/s", f"W5 n={n}, {threads} thread(s), {rounds} rounds"
        for _ in range(3):
            torch.mm(am, bm, out=cm)
    ratios, ours, theirs = [], [], []
    before = torch_turn()
    for _ in range(rounds):
        mine = neurite_turn()
        after = torch_turn()
        ratios.append(mine / ((before + after) / 2))
        ours.append(mine)
        theirs.append(after)
        before = after
    neurite.close()
    q = sorted(ratios)
    m = len(q)
    print(f"{what}")
    print(f"Neurite {unit}: median {statistics.median(ours):.1f} (range {min(ours):.1f}-{max(ours):.1f})")
    print(f"PyTorch {unit}: median {statistics.median(theirs):.1f} (range {min(theirs):.1f}-{max(theirs):.1f})")
    print(f"Neurite/PyTorch, turn by turn: median {q[m // 2]:.3f} (quartiles {q[m // 4]:.3f}-{q[3 * m // 4]:.3f}, "
          f"range {q[0]:.3f}-{q[-1]:.3f})")


if __name__ == "__main__":
    main()
