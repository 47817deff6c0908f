#!/usr/bin/python3
"""PyTorch peer of the benchmark's cell rows (dev/bench, io.recur.bench.PeerTorch).

The same configuration as recur's compute rows: 96-symbol one-hot input, two recurrent layers
(nn.RNN with tanh, nn.LSTM or nn.GRU), a softmax over the symbols at each of 100 steps
(cross-entropy on the next symbol), Adam (lr 1e-3), gradient clipping at L2 norm 1.0 per layer
(recur's ClipL2PerLayer), float32, 2 threads. Random symbol sequences, one fixed batch.

Protocol, one command per line on stdin, one answer per line on stdout:
  first line out:  "ready torch <version> threads <n>"  or  "unavailable: <reason>" (then exit 0)
  in:  "<cell> <hidden> <batch> <seconds>"   out: "<tokens per second>"
A command warms its network up on first use, then trains it until at least <seconds> have passed.
Run with Debian's python3-torch: /usr/bin/python3 (not a pyenv python without torch), and
OMP_WAIT_POLICY=PASSIVE on a shared machine (PeerTorch sets it): spinning OpenMP threads slow
PyTorch down 20-30x when other processes want the cores.
"""
import sys
import time

SYMBOLS, LAYERS, STEPS, THREADS = 96, 2, 100, 2

try:
    import torch
    from torch import nn
except ImportError as e:
    print(f"unavailable: PyTorch is not importable by {sys.executable} ({e}); apt-get install python3-torch",
          flush=True)
    sys.exit(0)


class Net(nn.Module):
    def __init__(self, cell, hidden):
        super().__init__()
        kind = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cell]
        self.layers = nn.ModuleList(kind(SYMBOLS if i == 0 else hidden, hidden, batch_first=True)
                                    for i in range(LAYERS))
        self.out = nn.Linear(hidden, SYMBOLS)

    def forward(self, x):
        for layer in self.layers:
            x, _ = layer(x)
        return self.out(x)


class Trainer:
    def __init__(self, cell, hidden, batch):
        torch.manual_seed(1)
        g = torch.Generator().manual_seed(2024)
        ids = torch.randint(SYMBOLS, (batch, STEPS + 1), generator=g)
        self.x = nn.functional.one_hot(ids[:, :-1], SYMBOLS).float()
        self.y = ids[:, 1:].reshape(-1)
        self.net = Net(cell, hidden)
        self.groups = [list(m.parameters()) for m in list(self.net.layers) + [self.net.out]]
        self.opt = torch.optim.Adam(self.net.parameters(), lr=1e-3)
        self.tokens = batch * STEPS
        for _ in range(2):  # as recur's rows: allocate, then let the code paths settle
            self.fit()

    def fit(self):
        self.opt.zero_grad(set_to_none=True)
        logits = self.net(self.x)
        loss = nn.functional.cross_entropy(logits.reshape(-1, SYMBOLS), self.y)
        loss.backward()
        for group in self.groups:
            nn.utils.clip_grad_norm_(group, 1.0)
        self.opt.step()

    def tokens_per_second(self, seconds):
        fits, start = 0, time.perf_counter()
        while True:
            self.fit()
            fits += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                return fits * self.tokens / elapsed


def blas():
    """The BLAS library PyTorch runs on: Debian's build takes the system's (libblas3's reference
    BLAS is ~5x slower than OpenBLAS: install libopenblas0-pthread for a fair peer)."""
    torch.rand(8, 8) @ torch.rand(8, 8)
    with open("/proc/self/maps") as maps:
        libs = {line.split()[-1] for line in maps if "blas" in line.split()[-1]}
    names = {path.rsplit("/", 1)[-1] for path in libs}
    return ",".join(sorted(n for n in names if n.startswith(("libblas", "libopenblas", "libmkl")))) or "unknown"


def main():
    torch.set_num_threads(THREADS)
    print(f"ready torch {torch.__version__} threads {torch.get_num_threads()} blas {blas()}", flush=True)
    trainers = {}
    for line in sys.stdin:
        if not line.strip():
            continue
        cell, hidden, batch, seconds = line.split()
        key = (cell, int(hidden), int(batch))
        if key not in trainers:
            trainers[key] = Trainer(*key)
        print(f"{trainers[key].tokens_per_second(float(seconds)):.1f}", flush=True)


if __name__ == "__main__":
    main()
