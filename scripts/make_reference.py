#!/usr/bin/env python3
"""Write an F5Parity reference folder for YOUR checkpoint with upstream F5-TTS's own functions.

F5Parity's parity tests read a folder laid out like golden/upstream/ (see golden/upstream/MANIFEST.md). Point them
at the folder this script writes and they check the TorchSharp port against upstream on your model, your vocab,
your reference audio and your sentence:

    pip install f5-tts            # the upstream package, the version you train/infer with
    python3 scripts/make_reference.py --ckpt model_25400.pt --vocab vocab.txt --config v1 \
        --ref-audio ref.wav --ref-text "Olá, como você está?" --out my_reference
    F5PARITY_REFERENCE_DIR=my_reference dotnet test F5Parity.Tests.sln --filter "FullyQualifiedName~Parity"

What it writes (same names as golden/upstream/): reference.json, vocab.txt, audio/, common/ (rng, mel, t_grids,
text ids, a tiny random Vocos), and one case folder with model_config.json, the EMA-only model_<N>.safetensors, the
trainer checkpoint (copied), checkpoint_layout.json, loader_checks.json, dit_forward, cfm_sample_fixed and the
trainer-style / infer-style samples with their first-step captures. It runs on the CPU in float32 with 8 NFE steps.
The trainer's own log-sample capture (trainer_run/logsample_capture.safetensors) needs a real training run and is
not written; the tests that use it skip with that reason.

Honesty note: F5Parity's own CI cannot run this script (its machines reach no Python package index), so it has
been read against upstream but not executed by the project. Report problems with the upstream version you used.
"""
import argparse, json, os, shutil, sys

import torch
import torchaudio
from safetensors.torch import save_file

from f5_tts.model import CFM, DiT
from f5_tts.model.modules import MelSpec
from f5_tts.model.utils import convert_char_to_pinyin, get_tokenizer, list_str_to_idx
import f5_tts.model.cfm as cfm_module
from f5_tts.infer import utils_infer

STEPS, CFG, SWAY, SEED = 8, 2.0, -1.0, 42
CONFIGS = {  # the two DiT configurations upstream ships; tensors are identical, arithmetic is not
    "v1": dict(dim=1024, depth=22, heads=16, ff_mult=2, text_dim=512, conv_layers=4,
               text_mask_padding=True, qk_norm=None, pe_attn_head=None),
    "v0": dict(dim=1024, depth=22, heads=16, ff_mult=2, text_dim=512, conv_layers=4,
               text_mask_padding=False, pe_attn_head=1),
}
SENTENCES = {
    "accents": "açúcar ótimo Ônibus à às avó avô pão põe",
    "punct": "Olá! Tudo bem? Sim: “claro”; ‘talvez’... (não) [sim] {x} <y> a|b ^ ` ~",
    "spaces": "  dois  espaços\tTAB\nlinha  ",
}


class Capture:
    """Wraps the transformer to keep its first call's inputs/outputs, and odeint to keep y0 and t."""

    def __init__(self, model):
        self.model, self.first = model, None
        self.orig_forward, self.orig_odeint = model.transformer.forward, cfm_module.odeint

    def __enter__(self):
        def forward(*a, **k):
            out = self.orig_forward(*a, **k)
            if self.first is None:
                self.first = dict(cond=k["cond"].detach().float().clone(), out=out.detach().float().clone())
            return out

        def odeint(fn, y0, t, **kw):
            self.y0, self.t = y0.detach().float().clone(), t.detach().float().clone()
            return self.orig_odeint(fn, y0, t, **kw)

        self.model.transformer.forward, cfm_module.odeint = forward, odeint
        return self

    def __exit__(self, *exc):
        self.model.transformer.forward, cfm_module.odeint = self.orig_forward, self.orig_odeint


def build(cfg_name, vocab_size):
    return CFM(transformer=DiT(**CONFIGS[cfg_name], text_num_embeds=vocab_size, mel_dim=100),
               mel_spec_kwargs=dict(n_fft=1024, hop_length=256, win_length=1024, n_mel_channels=100,
                                    target_sample_rate=24000, mel_spec_type="vocos"),
               odeint_kwargs=dict(method="euler"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ckpt", required=True, help="trainer checkpoint model_<N>.pt (model_state_dict + ema_model_state_dict)")
    ap.add_argument("--vocab", required=True)
    ap.add_argument("--config", choices=CONFIGS, required=True, help="the DiT config the checkpoint was TRAINED with")
    ap.add_argument("--ref-audio", required=True)
    ap.add_argument("--ref-text", required=True)
    ap.add_argument("--case", default=None, help="case folder name (default: the config name)")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    if os.path.exists(a.out) and os.listdir(a.out):
        sys.exit(f"{a.out}: exists and is not empty; refusing to overwrite it")
    torch.set_grad_enabled(False)
    case = a.case or a.config
    out = lambda *p: os.path.join(a.out, *p)
    for d in ("audio", "common", case, os.path.join(case, "trainer_run")):
        os.makedirs(out(d), exist_ok=True)

    vocab_map, vocab_size = get_tokenizer(a.vocab, "custom")
    shutil.copyfile(a.vocab, out("vocab.txt"))
    text = a.ref_text

    # audio: the reference at 24 kHz, plus a 22.05 kHz version to exercise resampling
    wav, sr = torchaudio.load(a.ref_audio)
    wav = wav.mean(0, keepdim=True)
    wav24 = torchaudio.transforms.Resample(sr, 24000)(wav) if sr != 24000 else wav
    wav22 = torchaudio.transforms.Resample(24000, 22050)(wav24)
    torchaudio.save(out("audio", "ref_pt_24k.wav"), wav24, 24000, encoding="PCM_S", bits_per_sample=16)
    torchaudio.save(out("audio", "ref_pt_espeak_22050.wav"), wav22, 22050, encoding="PCM_S", bits_per_sample=16)
    with open(out("audio", "transcript.txt"), "w", encoding="utf-8") as f:
        f.write(text + "\n")
    wav24, _ = torchaudio.load(out("audio", "ref_pt_24k.wav"))  # what the tests read back (16-bit quantised)
    wav22, _ = torchaudio.load(out("audio", "ref_pt_espeak_22050.wav"))
    mel = MelSpec(mel_spec_type="vocos")
    r24 = torchaudio.transforms.Resample(22050, 24000)(wav22)
    save_file({"wav_24k": wav24, "mel_24k": mel(wav24), "wav_22050": wav22, "wav_22050_resampled_24k": r24,
               "mel_22050_resampled_24k": mel(r24), "rms_24k": torch.sqrt(torch.mean(torch.square(wav24))).reshape(1)},
              out("common", "mel.safetensors"))

    rng = {}
    for n in (8, 15, 16, 20, 100):
        torch.manual_seed(0); rng[f"randn_{n}_seed0"] = torch.randn(n)
    for n in (8, 20):
        torch.manual_seed(0); rng[f"rand_{n}_seed0"] = torch.rand(n)
    torch.manual_seed(0); rng["randn_8_then_20_seed0__first"] = torch.randn(8); rng["randn_8_then_20_seed0__second"] = torch.randn(20)
    for shape in ((5, 100), (700, 100)):
        torch.manual_seed(42); rng[f"randn_{shape[0]}x{shape[1]}_seed42"] = torch.randn(*shape)
    save_file(rng, out("common", "rng.safetensors"))

    grids = {}
    for steps in (5, 6, 7, 8, 10, 12, 16, 32):
        for sway, tag in ((None, "swaynone"), (-1.0, "swaym1")):
            tiny = build(a.config, vocab_size)
            with Capture(tiny) as cap:
                tiny.sample(torch.zeros(1, 4, 100), ["a"], 6, steps=steps, sway_sampling_coef=sway)
            grids[f"t_steps{steps}_{tag}"] = cap.t
    save_file(grids, out("common", "t_grids.safetensors"))

    ids, tokens = {}, {}
    for key, s in {"transcript": text, **SENTENCES}.items():
        pin = convert_char_to_pinyin([s])[0]
        ids[f"{key}__ids_with_pinyin"] = list_str_to_idx([pin], vocab_map)[0]
        ids[f"{key}__ids_raw_chars"] = list_str_to_idx([s], vocab_map)[0]
        tokens[key] = {"text": s, "convert_char_to_pinyin": pin, "convert_char_to_pinyin_joined": "".join(pin),
                       "ids_with_pinyin": ids[f"{key}__ids_with_pinyin"].tolist(),
                       "ids_raw_chars": ids[f"{key}__ids_raw_chars"].tolist(),
                       "tokens_not_in_vocab_with_pinyin": sorted({c for c in pin if c not in vocab_map}),
                       "chars_not_in_vocab_raw": sorted({c for c in s if c not in vocab_map})}
    ids["batch2_padding__ids"] = list_str_to_idx(convert_char_to_pinyin(["Olá", "Olá, mundo"]), vocab_map)
    save_file(ids, out("common", "text_ids.safetensors"))
    with open(out("common", "text_tokens.json"), "w", encoding="utf-8") as f:
        json.dump(tokens, f, ensure_ascii=False, indent=1)

    # the checkpoint: trainer .pt copied, EMA-only release file written from it
    ckpt = torch.load(a.ckpt, map_location="cpu", weights_only=True)
    update = ckpt.get("update", ckpt.get("step", 0))
    shutil.copyfile(a.ckpt, out(case, "trainer_run", f"model_{update}.pt"))
    save_file({k: v.contiguous() for k, v in ckpt["ema_model_state_dict"].items()}, out(case, f"model_{update}.safetensors"))
    ema = ckpt["ema_model_state_dict"]
    raw = ckpt["model_state_dict"]
    ema_minus_raw = max((ema["ema_model." + k].float() - v.float()).abs().max().item() for k, v in raw.items())
    json.dump({"top_level_keys": list(ckpt.keys()), "update": update,
               "model_state_dict_keys": {k: [list(v.shape), str(v.dtype)] for k, v in raw.items()},
               "ema_model_state_dict_keys": {k: [list(v.shape), str(v.dtype)] for k, v in ema.items()},
               "ema_initted": bool(ema["initted"]), "ema_step": int(ema["step"]), "ema_minus_raw_max_abs": ema_minus_raw},
              open(out(case, "checkpoint_layout.json"), "w"), indent=1)
    cfg = dict(CONFIGS[a.config], dim_head=64, attn_backend="torch", attn_mask_enabled=False, checkpoint_activations=False)
    json.dump({"DiT_kwargs": cfg, "text_num_embeds": vocab_size, "mel_dim": 100}, open(out(case, "model_config.json"), "w"), indent=1)

    def load(use_ema, path=a.ckpt):
        return utils_infer.load_checkpoint(build(a.config, vocab_size), path, "cpu", dtype=torch.float32, use_ema=use_ema).eval()

    checks = {}
    ema_model, raw_model = load(True), load(False)
    for name, use_ema in (("pt_use_ema_True", True), ("pt_use_ema_False", False)):
        m = ema_model if use_ema else raw_model
        checks[name] = {"max_abs_diff_vs_ema": 0.0 if use_ema else ema_minus_raw, "max_abs_diff_vs_raw": ema_minus_raw if use_ema else 0.0,
                        "dtype": str(next(m.parameters()).dtype)}
    try:
        load(False, out(case, f"model_{update}.safetensors"))
        checks["safetensors_use_ema_False"] = {"loaded": True}
    except RuntimeError as e:
        checks["safetensors_use_ema_False"] = {"error": f"RuntimeError: {str(e)[:400]}"}
    json.dump(checks, open(out(case, "loader_checks.json"), "w"), indent=1)

    # DiT forward, every drop combination, cfg packing, batch of two with a mask, a short sequence
    dit = ema_model.transformer
    full_mel = mel(wav24).permute(0, 2, 1)
    n = min(64, full_mel.shape[1])
    torch.manual_seed(7); x = torch.randn(1, n, 100)
    cond = full_mel[:, :n].clone(); cond[:, int(n * 0.6):] = 0
    t_ids = list_str_to_idx([convert_char_to_pinyin([text[:20]])[0]], vocab_map)
    time = torch.tensor(0.37)
    f = {"x": x, "cond": cond, "text": t_ids, "time": time.reshape(1)}
    for da in (0, 1):
        for dt in (0, 1):
            f[f"out_dropaudio{da}_droptext{dt}"] = dit(x, cond, t_ids, time, drop_audio_cond=bool(da), drop_text=bool(dt))
    f["out_cfg_infer_packed"] = dit(x, cond, t_ids, time, cfg_infer=True)
    x2 = torch.cat([x, torch.randn(1, n, 100)])
    text2 = list_str_to_idx([convert_char_to_pinyin([text[:20]])[0], convert_char_to_pinyin([text[:8]])[0]], vocab_map)
    lens2 = torch.tensor([n, int(n * 0.6)])
    mask2 = torch.arange(n)[None, :] < lens2[:, None]
    time2 = torch.tensor([0.37, 0.81])
    f.update(b2_x=x2, b2_text=text2, b2_mask=mask2, b2_time=time2,
             b2_out=dit(x2, torch.cat([cond, cond]), text2, time2, mask=mask2),
             short_seq8_out=dit(x[:, :8], cond[:, :8], t_ids, time))
    save_file({k: v.contiguous() for k, v in f.items()}, out(case, "dit_forward.safetensors"))

    # CFM.sample with a fixed condition and the seed argument
    frames = full_mel.shape[1]
    both = list_str_to_idx(convert_char_to_pinyin([text + " " + text]), vocab_map)
    s = {"cond": full_mel, "text_ids": both}
    for cfg_s, sway, tag in ((2.0, -1.0, "cfg2_swaym1"), (0.0, -1.0, "cfg0_swaym1"), (2.0, None, "cfg2_swaynone")):
        with Capture(ema_model) as cap:
            o, _ = ema_model.sample(full_mel, both, 2 * frames, steps=STEPS, cfg_strength=cfg_s, sway_sampling_coef=sway, seed=SEED)
        s.update({f"seedarg{SEED}_{tag}__y0": cap.y0, f"seedarg{SEED}_{tag}__t": cap.t, f"seedarg{SEED}_{tag}__out": o})
    save_file({k: v.contiguous() for k, v in s.items()}, out(case, "cfm_sample_fixed.safetensors"))

    # trainer-style sample: raw weights, the clip's own mel, its text twice, duration 2x, cut at the mel length
    vocoder = utils_infer.load_vocoder("vocos")
    toks = convert_char_to_pinyin([text])[0]
    trainer_text = [toks + [" "] + toks]
    torch.manual_seed(SEED)
    with Capture(raw_model) as cap:
        o, _ = raw_model.sample(cond=full_mel, text=trainer_text, duration=torch.tensor(frames * 2), steps=STEPS,
                                cfg_strength=CFG, sway_sampling_coef=SWAY)
    gen = o[:, frames:, :].permute(0, 2, 1)
    save_file({"cond_input": full_mel, "text_ids": list_str_to_idx(trainer_text, vocab_map), "duration": torch.tensor([frames * 2]),
               "ref_audio_len": torch.tensor([frames]), "y0": cap.y0, "t": cap.t, "first_step_cond": cap.first["cond"],
               "first_step_out_cfg_packed": cap.first["out"], "out_full": o.float(), "gen_mel": gen.float().contiguous(),
               "gen_wave": vocoder.decode(gen), "ref_wave": vocoder.decode(full_mel.permute(0, 2, 1))},
              out(case, "sample_trainer_style.safetensors"), metadata={"text_tokens": "".join(trainer_text[0])})

    # infer_process, directly and after preprocess_ref_audio_text (the CLI/API flow)
    ref24 = out("audio", "ref_pt_24k.wav")
    flows = {"sample_infer_direct": (ema_model, ref24, text), "sample_infer_direct_use_ema_False": (raw_model, ref24, text)}
    pre_audio, pre_text = utils_infer.preprocess_ref_audio_text(ref24, text)
    shutil.copyfile(pre_audio, out("audio", "ref_pt_24k_preprocessed.wav"))
    flows["sample_infer_cliflow"] = (ema_model, out("audio", "ref_pt_24k_preprocessed.wav"), pre_text)
    for name, (model, audio_path, ref_text) in flows.items():
        seen = {}
        orig_sample = model.sample
        def sample(**k):
            seen.update(cond=k["cond"].detach().clone(), text=k["text"], duration=k["duration"])
            return orig_sample(**k)
        model.sample = sample
        torch.manual_seed(SEED)
        with Capture(model) as cap:
            wave, _, spec = utils_infer.infer_process(audio_path, ref_text, text, model, vocoder, nfe_step=STEPS,
                                                      cfg_strength=CFG, sway_sampling_coef=SWAY, speed=1.0, device="cpu")
        model.sample = orig_sample
        loaded, sr = torchaudio.load(audio_path)
        save_file({"ref_audio_loaded": loaded, "cond_input": seen["cond"], "text_ids": list_str_to_idx(seen["text"], vocab_map),
                   "duration": torch.tensor([int(seen["duration"])]), "y0": cap.y0, "t": cap.t,
                   "first_step_cond": cap.first["cond"], "first_step_out_cfg_packed": cap.first["out"],
                   "gen_mel": torch.as_tensor(spec).unsqueeze(0).contiguous(), "gen_wave": torch.as_tensor(wave).reshape(1, -1).float()},
                  out(case, f"{name}.safetensors"),
                  metadata={"ref_text_passed": ref_text, "text_tokens": "".join(seen["text"][0]), "ref_audio": os.path.basename(audio_path), "sr": str(sr)})

    json.dump({"upstream": {"package": "f5-tts", "version": getattr(sys.modules.get("f5_tts"), "__version__", "unknown")},
               "transcript": text, "vocab": "vocab.txt",
               "sampling": {"nfe_steps": STEPS, "cfg_strength": CFG, "sway_sampling_coef": SWAY, "ode_method": "euler", "seed": SEED},
               "cases": [case]}, open(out("reference.json"), "w"), ensure_ascii=False, indent=1)
    print(f"wrote {a.out}; run: F5PARITY_REFERENCE_DIR={a.out} dotnet test F5Parity.Tests.sln --filter FullyQualifiedName~Parity")


if __name__ == "__main__":
    main()
