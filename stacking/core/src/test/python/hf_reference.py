"""Reference forward pass of an exported Hugging Face folder, written from the Hugging Face
GPT2LMHeadModel and LlamaForCausalLM definitions (eval mode, no cache) with plain torch ops.

It shares no code with midas: it reads config.json, reads model.safetensors by the published
safetensors format (8-byte little-endian header length, a JSON header of dtype, shape and
[begin, end) data offsets per tensor, then the raw little-endian data), and computes logits for
a batch of token ids.

usage: hf_reference.py FOLDER TOKENS_JSON OUT_BIN
  TOKENS_JSON: [[id, ...], ...] (rows of equal length)
  OUT_BIN: the logits [B, T, V] as little-endian float32
"""
import json
import math
import struct
import sys

import torch

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (header_len,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + header_len].decode("utf-8"))
    data = raw[8 + header_len :]
    tensors = {}
    covered = 0
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        dtype = DTYPES[info["dtype"]]
        t = torch.frombuffer(bytearray(data[begin:end]), dtype=dtype)
        tensors[name] = t.reshape(info["shape"]).to(torch.float32)
        covered += end - begin
    if covered != len(data):
        raise ValueError(f"data section is {len(data)} bytes, tensors cover {covered}")
    return tensors


def activation(name):
    # transformers' ACT2FN: "gelu" is the exact erf GELU, "gelu_new" the tanh approximation.
    if name == "gelu":
        return lambda x: torch.nn.functional.gelu(x)
    if name in ("gelu_new", "gelu_pytorch_tanh"):
        return lambda x: torch.nn.functional.gelu(x, approximate="tanh")
    if name == "relu":
        return torch.relu
    raise ValueError(f"activation {name} not in this reference")


def causal_attention(q, k, v):
    # q, k, v: [B, H, T, d]; GPT2Attention._attn / eager_attention_forward.
    t = q.shape[-2]
    scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])
    mask = torch.ones(t, t, dtype=torch.bool).tril()
    scores = scores.masked_fill(~mask, torch.finfo(scores.dtype).min)
    return torch.softmax(scores, dim=-1) @ v


def split_heads(x, heads):
    b, t, d = x.shape
    return x.view(b, t, heads, d // heads).permute(0, 2, 1, 3)


def merge_heads(x):
    b, h, t, d = x.shape
    return x.permute(0, 2, 1, 3).reshape(b, t, h * d)


def gpt2(cfg, w, ids):
    # GPT2LMHeadModel: Conv1D weights are [in, out] (y = x @ W + b); c_attn splits into q, k, v.
    eps = cfg["layer_norm_epsilon"]
    heads = cfg["n_head"]
    d = cfg["n_embd"]
    act = activation(cfg["activation_function"])
    p = "transformer."
    t = ids.shape[1]
    x = w[p + "wte.weight"][ids] + w[p + "wpe.weight"][torch.arange(t)]
    ln = lambda x, n: torch.nn.functional.layer_norm(x, (d,), w[n + ".weight"], w[n + ".bias"], eps)
    conv1d = lambda x, n: x @ w[n + ".weight"] + w[n + ".bias"]
    for i in range(cfg["n_layer"]):
        h = f"{p}h.{i}."
        a = conv1d(ln(x, h + "ln_1"), h + "attn.c_attn")
        q, k, v = a.split(d, dim=2)
        o = merge_heads(causal_attention(split_heads(q, heads), split_heads(k, heads), split_heads(v, heads)))
        x = x + conv1d(o, h + "attn.c_proj")
        m = conv1d(act(conv1d(ln(x, h + "ln_2"), h + "mlp.c_fc")), h + "mlp.c_proj")
        x = x + m
    x = ln(x, p + "ln_f")
    head = w[p + "wte.weight"] if cfg.get("tie_word_embeddings", True) else w["lm_head.weight"]
    return x @ head.T


def rotate_half(x):
    x1 = x[..., : x.shape[-1] // 2]
    x2 = x[..., x.shape[-1] // 2 :]
    return torch.cat((-x2, x1), dim=-1)


def llama(cfg, w, ids):
    # LlamaForCausalLM: RMSNorm, rotary (rotate-half) on q and k, gated MLP down(act(gate) * up).
    eps = cfg["rms_norm_eps"]
    heads = cfg["num_attention_heads"]
    kv_heads = cfg.get("num_key_value_heads", heads)
    if kv_heads != heads:
        raise ValueError("grouped key/value heads not in this reference")
    head_dim = cfg.get("head_dim") or cfg["hidden_size"] // heads
    act = activation(cfg["hidden_act"])
    attn_bias = cfg.get("attention_bias", False)
    mlp_bias = cfg.get("mlp_bias", False)
    if cfg.get("rope_scaling") is not None:
        raise ValueError("rope scaling not in this reference")
    t = ids.shape[1]
    inv_freq = 1.0 / (cfg["rope_theta"] ** (torch.arange(0, head_dim, 2, dtype=torch.int64).float() / head_dim))
    freqs = torch.arange(t).float()[:, None] * inv_freq[None, :]
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos(), emb.sin()

    def rms(x, n):
        var = x.pow(2).mean(-1, keepdim=True)
        return w[n + ".weight"] * (x * torch.rsqrt(var + eps))

    def linear(x, n, bias):
        y = x @ w[n + ".weight"].T
        return y + w[n + ".bias"] if bias else y

    x = w["model.embed_tokens.weight"][ids]
    for i in range(cfg["num_hidden_layers"]):
        h = f"model.layers.{i}."
        hs = rms(x, h + "input_layernorm")
        q = split_heads(linear(hs, h + "self_attn.q_proj", attn_bias), heads)
        k = split_heads(linear(hs, h + "self_attn.k_proj", attn_bias), heads)
        v = split_heads(linear(hs, h + "self_attn.v_proj", attn_bias), heads)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        x = x + linear(merge_heads(causal_attention(q, k, v)), h + "self_attn.o_proj", attn_bias)
        hs = rms(x, h + "post_attention_layernorm")
        gated = act(linear(hs, h + "mlp.gate_proj", mlp_bias)) * linear(hs, h + "mlp.up_proj", mlp_bias)
        x = x + linear(gated, h + "mlp.down_proj", mlp_bias)
    x = rms(x, "model.norm")
    head = w["model.embed_tokens.weight"] if cfg.get("tie_word_embeddings", False) else w["lm_head.weight"]
    return x @ head.T


def main():
    folder, tokens_json, out = sys.argv[1:4]
    with open(folder + "/config.json") as f:
        cfg = json.load(f)
    w = read_safetensors(folder + "/model.safetensors")
    with open(tokens_json) as f:
        ids = torch.tensor(json.load(f), dtype=torch.long)
    arch = cfg["architectures"][0]
    with torch.no_grad():
        if arch == "GPT2LMHeadModel":
            logits = gpt2(cfg, w, ids)
        elif arch == "LlamaForCausalLM":
            logits = llama(cfg, w, ids)
        else:
            raise ValueError(f"architecture {arch} not in this reference")
    with open(out, "wb") as f:
        f.write(logits.contiguous().to(torch.float32).numpy().astype("<f4").tobytes())


if __name__ == "__main__":
    main()
