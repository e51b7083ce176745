#!/usr/bin/python3
"""PyTorch eager peer of dev.midas.bench.training.TrainBench: the same model, batch and optimizer.

Pre-norm decoder-only transformer with learned positions, layernorm (eps 1e-5), separate q/k/v/o
projections with biases, gelu (exact erf form) MLP of 4 * d_model, final layernorm, untied head
without bias. Causal attention written out (scores, additive -inf mask, softmax) by default on a
CPU; `--attention sdpa` (the default on CUDA) uses scaled_dot_product_attention, as a PyTorch user
on a GPU would. AdamW (lr 1e-3, betas 0.9/0.95, eps 1e-8, weight decay 0.1 on matrices only;
fused=True on CUDA), global grad-norm clip 1.0, mean next-token cross-entropy in float32.
Precision: fp32 (TF32 off), tf32 (TF32 matrix products), bf16-mixed (torch.autocast bfloat16 around
the forward pass, TF32 off: what TrainBench --precision bf16-mixed computes). On CUDA it also
measures the GEMM rate of the model's own forward shapes in the precision's matrix type in the same
run, and MFU against it and against --peak-tflops. Prints one RESULT line in TrainBench's format.

Usage: peer_train.py --size small|large|gpu|gpt2 [--steps 20] [--warmup 3] [--threads 2]
                     [--device cpu|cuda] [--precision fp32|tf32|bf16-mixed]
                     [--attention manual|sdpa] [--peak-tflops 790]
"""
import argparse
import math
import os
import resource
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

SIZES = {  # layers, d_model, heads, seq, batch, vocab: BenchSizes.java
    "tiny": (2, 64, 4, 64, 8, 256),
    "small": (4, 128, 4, 128, 16, 256),
    "large": (8, 256, 4, 256, 8, 256),
    "gpu": (12, 512, 8, 512, 32, 8192),  # 46M parameters
    "gpt2": (12, 768, 12, 1024, 16, 32768),  # 136M parameters
}


class Layer(nn.Module):
    def __init__(self, d, heads, std, out_std, sdpa):
        super().__init__()
        self.heads = heads
        self.sdpa = sdpa
        self.ln1 = nn.LayerNorm(d, eps=1e-5)
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))
        self.ln2 = nn.LayerNorm(d, eps=1e-5)
        self.fc1 = nn.Linear(d, 4 * d)
        self.fc2 = nn.Linear(4 * d, d)
        for lin, s in ((self.q, std), (self.k, std), (self.v, std), (self.o, out_std),
                       (self.fc1, std), (self.fc2, out_std)):
            nn.init.normal_(lin.weight, 0.0, s)
            nn.init.zeros_(lin.bias)

    def attention(self, x, mask):
        b, t, d = x.shape
        h = self.heads
        q = self.q(x).view(b, t, h, d // h).transpose(1, 2)
        k = self.k(x).view(b, t, h, d // h).transpose(1, 2)
        v = self.v(x).view(b, t, h, d // h).transpose(1, 2)
        if self.sdpa:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            scores = (q * (1.0 / math.sqrt(d // h))) @ k.transpose(-2, -1)
            y = (scores + mask[:t, :t]).softmax(-1) @ v
        y = y.transpose(1, 2).reshape(b, t, d)
        return self.o(y)

    def forward(self, x, mask):
        x = x + self.attention(self.ln1(x), mask)
        return x + self.fc2(F.gelu(self.fc1(self.ln2(x))))


class Model(nn.Module):
    def __init__(self, layers, d, heads, seq, vocab, sdpa):
        super().__init__()
        std, out_std = 0.02, 0.02 / math.sqrt(2 * layers)
        self.embed = nn.Embedding(vocab, d)
        self.pos = nn.Parameter(torch.randn(seq, d) * std)
        nn.init.normal_(self.embed.weight, 0.0, std)
        self.layers = nn.ModuleList(Layer(d, heads, std, out_std, sdpa) for _ in range(layers))
        self.final_norm = nn.LayerNorm(d, eps=1e-5)
        self.head = nn.Linear(d, vocab, bias=False)
        nn.init.normal_(self.head.weight, 0.0, std)
        self.register_buffer(
            "mask", torch.full((seq, seq), float("-inf")).triu(1), persistent=False)

    def forward(self, tokens):
        t = tokens.shape[1]
        h = self.embed(tokens) + self.pos[:t]
        for layer in self.layers:
            h = layer(h, self.mask)
        return self.head(self.final_norm(h))


def model_flops(layers, d, seq, batch, vocab):
    """StepFlops.transformer in dev.midas.plan.flops: 6N per token plus attention, plus the head."""
    per_layer = 6 * (4 * d * d + 2 * d * 4 * d) + 12 * d * seq
    return batch * seq * (layers * per_layer + 6 * d * vocab)


def gemm_gflops(m, k, n, dtype, device, repeats=5):
    """Best GFLOP/s of [m, k] x [k, n] over timed repetitions of ~5 ms of products each."""
    a = torch.randn(m, k, device=device).to(dtype)
    b = torch.randn(k, n, device=device).to(dtype)
    flops = 2.0 * m * k * n
    inner = max(1, math.ceil(2e12 / flops))
    best = 0.0
    for r in range(repeats + 1):
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        for _ in range(inner):
            a @ b
        torch.cuda.synchronize()
        if r > 0:
            best = max(best, inner * flops / (time.perf_counter() - t0) / 1e9)
    return best


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--size", default="small", choices=SIZES)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    p.add_argument("--precision", default="fp32", choices=("fp32", "tf32", "bf16-mixed"))
    p.add_argument("--attention", choices=("manual", "sdpa"))
    p.add_argument("--peak-tflops", type=float)
    p.add_argument("--no-gemm", action="store_true")
    a = p.parse_args()
    cuda = a.device == "cuda"
    sdpa = (a.attention or ("sdpa" if cuda else "manual")) == "sdpa"
    torch.backends.cuda.matmul.allow_tf32 = a.precision == "tf32"
    torch.backends.cudnn.allow_tf32 = a.precision == "tf32"
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(1)
    layers, d, heads, seq, batch, vocab = SIZES[a.size]
    model = Model(layers, d, heads, seq, vocab, sdpa).to(a.device)
    decay = [q for q in model.parameters() if q.dim() >= 2]
    rest = [q for q in model.parameters() if q.dim() < 2]
    opt = torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.1}, {"params": rest, "weight_decay": 0.0}],
        lr=1e-3, betas=(0.9, 0.95), eps=1e-8, **({"fused": True} if cuda else {}))
    g = torch.Generator().manual_seed(7)
    data = torch.randint(0, vocab, (batch * 8, seq + 1), generator=g).to(a.device)
    bf16 = a.precision == "bf16-mixed"
    times, cpu = [], []
    for step in range(a.warmup + a.steps):
        rows = data[(step % 8) * batch:(step % 8 + 1) * batch]
        t0, c0 = time.perf_counter(), time.process_time()
        with torch.autocast(a.device, dtype=torch.bfloat16, enabled=bf16):
            logits = model(rows[:, :-1])
        loss = F.cross_entropy(logits.float().reshape(-1, vocab), rows[:, 1:].reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        loss.item()  # the step's read back, as ours reads its loss: the step has finished
        if step >= a.warmup:
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
    med = statistics.median(times)
    params = sum(q.numel() for q in model.parameters())
    gflops = model_flops(layers, d, seq, batch, vocab) / med / 1e9
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    extra = ""
    if cuda:
        extra += f" mem_gb={torch.cuda.max_memory_allocated() / 1e9:.1f}"
        if not a.no_gemm:
            dtype = torch.bfloat16 if bf16 else torch.float32
            m = batch * seq
            gemm = max(gemm_gflops(m, d, d, dtype, a.device),
                       gemm_gflops(m, d, 4 * d, dtype, a.device),
                       gemm_gflops(m, 4 * d, d, dtype, a.device))
            extra += (f" gemm_type={'bf16' if bf16 else 'fp32'} gemm_gflops={gemm:.1f}"
                      f" mfu={gflops / gemm:.3f}")
    if a.peak_tflops:
        extra += f" peak_gflops={a.peak_tflops * 1e3:.0f} mfu_peak={gflops / (a.peak_tflops * 1e3):.3f}"
    print(f"# torch {torch.__version__}, step times (s): {[round(x, 3) for x in times]}")
    print(f"RESULT impl=pytorch size={a.size} precision={a.precision} device={a.device}"
          f" attention={'sdpa' if sdpa else 'manual'} threads={a.threads} steps={a.steps} "
          f"ms_per_step={med * 1e3:.1f} tokens_per_s={batch * seq / med:.0f} "
          f"model_gflops={gflops:.1f} cpu_ms_per_step={statistics.median(cpu) * 1e3:.1f} "
          f"params={params} peak_rss_mb={rss:.0f} final_loss={loss.item():.4f}{extra}")


if __name__ == "__main__":
    main()
