#!/usr/bin/env python3
"""Times upstream F5-TTS's DiT forward at F5TTS_v1_Base size, the counterpart of `F5Parity.Bench forward`.

    python3 scripts/bench_upstream.py --upstream <F5-TTS checkout>/src [--n 256] [--runs 1] [--threads 2]

Imports upstream's model/modules.py and model/backbones/dit.py from the given folder (nothing is installed or built)
and needs torch and `x_transformers` importable (PYTHONPATH). Builds
DiT(dim=1024, depth=22, heads=16, ff_mult=2, text_dim=512, conv_layers=4, text_mask_padding=True, qk_norm=None,
pe_attn_head=None, attn_mask_enabled=False), text_num_embeds 2545, with torch.manual_seed(0) random weights, and times
forward(x, cond, text, time=0.5, cfg_infer=True) (packed CFG: the blocks run on batch 2), x and cond (1, n, 100),
50 token ids (the inputs of tests/F5Parity.Bench/ForwardBench.cs), under torch.no_grad(), after one warm-up.
Prints the seconds of each timed run on one line.

Only what the DiT does not use is stood in for when missing: the audio/text packages modules.py and utils.py import
at the top (torchaudio, librosa, rjieba, pypinyin) become empty modules, and on torch < 2.0, which has no
F.scaled_dot_product_attention, that function is given its definition softmax(q·kᵀ/√d)·v (dropout 0, not causal).
"""
import argparse
import importlib
import importlib.util
import math
import os
import sys
import time
import types

TEXT_TOKENS = 50
V1_BASE = dict(dim=1024, depth=22, heads=16, ff_mult=2, text_dim=512, conv_layers=4, text_mask_padding=True,
               qk_norm=None, pe_attn_head=None, attn_mask_enabled=False, text_num_embeds=2545, mel_dim=100)


class _Absent(types.ModuleType):
    """A module that imports but is never called by the DiT; any attribute is a placeholder."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Absent(f"{self.__name__}.{name}")

    def __call__(self, *args, **kwargs):
        raise RuntimeError(f"{self.__name__} is not available in this timing run")


def _stand_in_if_missing(*names):
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError:
            parts = name.split(".")
            for i in range(1, len(parts) + 1):
                sys.modules.setdefault(".".join(parts[:i]), _Absent(".".join(parts[:i])))


def _package(name, folder):
    """Registers a package without running its __init__.py (f5_tts.model's pulls in the trainer and datasets)."""
    pkg = types.ModuleType(name)
    pkg.__path__ = [folder]
    sys.modules[name] = pkg


def load_dit_class(src):
    import torch.nn.functional as F

    if not hasattr(F, "scaled_dot_product_attention"):
        def scaled_dot_product_attention(q, k, v, attn_mask=None, dropout_p=0.0, is_causal=False):
            assert dropout_p == 0.0 and not is_causal
            scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
            if attn_mask is not None:
                scores = scores.masked_fill(~attn_mask, float("-inf"))
            return scores.softmax(-1) @ v

        F.scaled_dot_product_attention = scaled_dot_product_attention
    _stand_in_if_missing("torchaudio", "librosa.filters", "rjieba", "pypinyin")
    root = os.path.join(os.path.abspath(src), "f5_tts")
    _package("f5_tts", root)
    _package("f5_tts.model", os.path.join(root, "model"))
    _package("f5_tts.model.backbones", os.path.join(root, "model", "backbones"))
    return importlib.import_module("f5_tts.model.backbones.dit").DiT


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--upstream", required=True, help="folder holding upstream's f5_tts package (<checkout>/src)")
    ap.add_argument("--n", type=int, default=256, help="frames")
    ap.add_argument("--runs", type=int, default=1, help="timed runs after the warm-up")
    ap.add_argument("--threads", type=int, default=2, help="torch.set_num_threads")
    args = ap.parse_args()

    import torch

    torch.set_num_threads(args.threads)
    DiT = load_dit_class(args.upstream)
    kw = dict(V1_BASE)
    mel_dim = kw["mel_dim"]
    torch.manual_seed(0)
    model = DiT(**kw).eval()
    x = torch.randn(1, args.n, mel_dim)
    cond = torch.randn(1, args.n, mel_dim)
    text = torch.randint(0, kw["text_num_embeds"], (1, TEXT_TOKENS))
    t = torch.tensor([0.5])

    def forward():
        with torch.no_grad():
            start = time.perf_counter()
            model(x, cond, text, t, mask=None, cfg_infer=True)
            return time.perf_counter() - start

    forward()
    print(" ".join(f"{forward():.3f}" for _ in range(args.runs)))


if __name__ == "__main__":
    main()
