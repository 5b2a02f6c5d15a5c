#!/usr/bin/env python3
"""Write an F5Parity reference folder with upstream F5-TTS's own functions, for YOUR checkpoint or for seeded weights.

F5Parity's parity tests read a folder laid out like golden/upstream/ (see golden/upstream/MANIFEST.md). Point them
at the folder this script writes and they check the TorchSharp port against upstream on your model, your vocab,
your reference audio and your sentence:

    python3 scripts/make_reference.py --ckpt model_25400.pt --vocab vocab.txt --config F5TTS_v1_Base \\
        --ref-audio ref.wav --ref-text "Olá, como você está?" --out my_reference
    F5PARITY_REFERENCE_DIR=my_reference dotnet test F5Parity.Tests.sln --filter Category=Parity

--config names the DiT the checkpoint was TRAINED with: a preset (F5TTS_v1_Base / v1, F5TTS_Base / v0), one of
upstream's yaml files (model.arch), or a model_config.json like golden/upstream/<case>/model_config.json; --dit
KEY=VALUE overrides single arguments (e.g. the fixture: --config v1 --dit dim=80 depth=4 heads=2 dim_head=40
text_dim=40 conv_layers=1). Nothing is downloaded: the vocoder is the local Vocos folder --vocoder-dir (default
golden/upstream/common/vocos_tiny, copied to <out>/common/vocos_tiny, where the tests read it).

What it writes: reference.json, vocab.txt, audio/, common/ (rng, mel, t_grids, text ids and tokens with jieba
segments, preprocess_ref_audio_text.json, vocos_tiny), fullsize_layout.json, config_mismatch.json and one case
folder (model_config.json, the EMA-only model_<N>.safetensors, trainer_run/model_<N>.pt copied,
checkpoint_layout.json, loader_checks.json, dit_forward, cfm_sample_fixed, and the trainer-style / infer-style
samples with their first-step captures). CPU, float32, 8 NFE steps. The trainer's own log-sample capture
(trainer_run/logsample_capture.safetensors) needs a real training run and is not written; its tests skip.

--seeded SEED writes instead a full-size case with no weights file, laid out like ../shared/reference-base/<case>/:
weights drawn as its MANIFEST says (sorted state_dict keys, one torch.manual_seed(SEED), randn * 0.02 each, the
rotary inv_freq kept), weights_recipe.json with a sha256 per tensor, the DiT forward (plain and packed CFG) at
--lengths, and a 4-step CFM sample with its trajectory.

Needs: upstream f5_tts importable, torch (>= 2 loads checkpoints with weights_only=True; torch 1.x may refuse a
trainer checkpoint that way, then it is loaded with weights_only=False and the fallback is recorded in
environment.json: only use that on a checkpoint you trust), torchaudio, pydub (preprocess_ref_audio_text), vocos.
"""
import argparse, hashlib, json, os, pickle, shutil, sys, time as clock

import torch
import torchaudio
from safetensors.torch import save_file

import f5_tts.model
import f5_tts.model.cfm as cfm_module
from f5_tts.model import CFM, DiT
from f5_tts.model.modules import MelSpec
from f5_tts.model.utils import convert_char_to_pinyin, get_tokenizer, list_str_to_idx
from f5_tts.infer import utils_infer

STEPS, CFG, SWAY, SEED = 8, 2.0, -1.0, 42
MEL_KW = dict(n_fft=1024, hop_length=256, win_length=1024, n_mel_channels=100, target_sample_rate=24000, mel_spec_type="vocos")
BASE = dict(dim=1024, depth=22, heads=16, dim_head=64, ff_mult=2, text_dim=512, conv_layers=4)
PRESETS = {  # upstream's configs/F5TTS_v1_Base.yaml and F5TTS_Base.yaml (model.arch)
    "F5TTS_v1_Base": dict(BASE, text_mask_padding=True, qk_norm=None, pe_attn_head=None),
    "F5TTS_Base": dict(BASE, text_mask_padding=False, pe_attn_head=1),
}
ALIASES = {"v1": "F5TTS_v1_Base", "v0": "F5TTS_Base"}
SENTENCES = {
    "stress": "Açúcar, pão-de-ló e café às 5h30; ÔNIBUS “ótimo” — não é? e-mail covid-19",
    "accents": "açúcar ótimo Ônibus à às avó avô pão põe",
    "punct": "Olá! Tudo bem? Sim: “claro”; ‘talvez’... (não) [sim] {x} <y> a|b ^ ` ~",
    "spaces": "  dois  espaços\tTAB\nlinha  ",
    "mixed_zh": "Olá 你好 mundo",
}
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FALLBACKS = []  # checkpoints torch.load could read only with weights_only=False


def torch_load(path, **kw):
    """torch.load with weights_only=True (torch >= 2 accepts trainer checkpoints so); older torch falls back."""
    kw.setdefault("map_location", "cpu")
    kw.pop("weights_only", None)
    try:
        return ORIGINAL_LOAD(path, weights_only=True, **kw)
    except (pickle.UnpicklingError, RuntimeError, TypeError) as e:
        if int(torch.__version__.split(".")[0]) >= 2:
            raise
        FALLBACKS.append(f"{os.path.basename(str(path))}: {type(e).__name__}")
        return ORIGINAL_LOAD(path, weights_only=False, **kw)


ORIGINAL_LOAD = torch.load
torch.load = torch_load  # upstream's load_checkpoint and load_vocoder call torch.load(..., weights_only=True)


def parse_value(v):
    return {"True": True, "False": False, "None": None, "null": None}.get(v, int(v) if v.lstrip("-").isdigit() else v)


def dit_kwargs(config, overrides):
    """DiT arguments from a preset name, an upstream yaml (model.arch) or a model_config.json, plus KEY=VALUE."""
    if config in PRESETS or config in ALIASES:
        kw = dict(PRESETS[ALIASES.get(config, config)])
    elif config.endswith((".yaml", ".yml")):
        import yaml
        with open(config, encoding="utf-8") as f:
            model = yaml.safe_load(f)["model"]
        if model.get("backbone", "DiT") != "DiT":
            sys.exit(f"{config}: backbone {model.get('backbone')} is not DiT; F5Parity ports only DiT")
        kw = {k: v for k, v in model["arch"].items() if k not in ("checkpoint_activations", "attn_backend", "attn_mask_enabled")}
    elif config.endswith(".json"):
        with open(config, encoding="utf-8") as f:
            kw = dict(json.load(f)["DiT_kwargs"])
    else:
        sys.exit(f"--config {config}: not a preset ({', '.join([*PRESETS, *ALIASES])}), .yaml or .json")
    for item in overrides:
        k, _, v = item.partition("=")
        kw[k] = parse_value(v)
    kw.setdefault("dim_head", 64)  # DiT's own default
    kw.update(attn_backend="torch", attn_mask_enabled=False, checkpoint_activations=False)
    return kw


def build(kw, vocab_size, vocab_map=None):
    return CFM(transformer=DiT(**kw, text_num_embeds=vocab_size, mel_dim=100), mel_spec_kwargs=MEL_KW,
               odeint_kwargs=dict(method="euler"), vocab_char_map=vocab_map)


class Capture:
    """Wraps the transformer to keep its first call's inputs/outputs, and odeint to keep y0, t and the trajectory."""

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
            self.trajectory = self.orig_odeint(fn, y0, t, **kw)
            return self.trajectory

        self.model.transformer.forward, cfm_module.odeint = forward, odeint
        return self

    def __exit__(self, *exc):
        self.model.transformer.forward, cfm_module.odeint = self.orig_forward, self.orig_odeint


def save(tensors, path, metadata=None):
    save_file({k: v.detach().contiguous() for k, v in tensors.items()}, path, metadata=metadata)


def dump(obj, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)


def tokens_json(tokens):
    return json.dumps([list(t) for t in tokens], ensure_ascii=False)


def write_common(a, out, vocab_map, vocab_size, text):
    """audio/, common/ and the vocoder: everything that does not depend on the checkpoint."""
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
    mel = MelSpec(**MEL_KW)
    r24 = torchaudio.transforms.Resample(22050, 24000)(wav22)
    mel24 = mel(wav24)
    save({"wav_24k": wav24, "mel_24k": mel24, "wav_22050": wav22, "wav_22050_resampled_24k": r24,
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
    save(rng, out("common", "rng.safetensors"))

    # the grids depend on steps and sway only, so one tiny model stands in for the user's
    tiny = build(dict(dim=16, depth=1, heads=1, dim_head=16, text_dim=16, conv_layers=0), vocab_size, vocab_map)
    grids = {}
    for steps in (5, 6, 7, 8, 10, 12, 16, 32):
        for sway, tag in ((None, "swaynone"), (-1.0, "swaym1")):
            with Capture(tiny) as cap:
                tiny.sample(torch.zeros(1, 4, 100), [["a"]], 6, steps=steps, sway_sampling_coef=sway)
            grids[f"t_steps{steps}_{tag}"] = cap.t
    save(grids, out("common", "t_grids.safetensors"))

    from f5_tts.model import utils as f5_utils
    jieba, segments = f5_utils.rjieba, []
    f5_utils.rjieba = type("Recorder", (), {"cut": staticmethod(lambda t: segments.extend(jieba.cut(t)) or jieba.cut(t))})
    ids, tokens = {}, {}
    for key, s in {"transcript": text, **SENTENCES}.items():
        segments.clear()
        pin = convert_char_to_pinyin([s])[0]
        ids[f"{key}__ids_with_pinyin"] = list_str_to_idx([pin], vocab_map)[0]
        ids[f"{key}__ids_raw_chars"] = list_str_to_idx([s], vocab_map)[0]
        tokens[key] = {"text": s, "jieba_segments_after_custom_trans": list(segments),
                       "convert_char_to_pinyin": pin, "convert_char_to_pinyin_joined": "".join(pin),
                       "ids_with_pinyin": ids[f"{key}__ids_with_pinyin"].tolist(),
                       "ids_raw_chars": ids[f"{key}__ids_raw_chars"].tolist(),
                       "tokens_not_in_vocab_with_pinyin": sorted({c for c in pin if c not in vocab_map}),
                       "chars_not_in_vocab_raw": sorted({c for c in s if c not in vocab_map})}
    f5_utils.rjieba = jieba
    ids["batch2_padding__ids"] = list_str_to_idx(convert_char_to_pinyin(["Olá", "Olá, mundo"]), vocab_map)
    save(ids, out("common", "text_ids.safetensors"))
    dump(tokens, out("common", "text_tokens.json"))

    # the vocoder: a local Vocos folder, copied where the tests read it, with its decode references
    voc_dir = out("common", "vocos_tiny")
    os.makedirs(voc_dir, exist_ok=True)
    for name in ("config.yaml", "pytorch_model.bin"):
        shutil.copyfile(os.path.join(a.vocoder_dir, name), os.path.join(voc_dir, name))
    vocoder = utils_infer.load_vocoder("vocos", is_local=True, local_path=voc_dir, device="cpu")
    save(vocoder.state_dict(), os.path.join(voc_dir, "vocos_tiny_state_dict.safetensors"))
    torch.manual_seed(7)
    rand_mel = torch.randn(1, 100, 40) * 2 - 4
    save({"mel_in": mel24, "wave_out": vocoder.decode(mel24), "mel_rand_in": rand_mel, "wave_rand_out": vocoder.decode(rand_mel)},
         os.path.join(voc_dir, "vocos_tiny_decode.safetensors"))

    pre_audio, pre_text = utils_infer.preprocess_ref_audio_text(out("audio", "ref_pt_24k.wav"), text)
    shutil.copyfile(pre_audio, out("audio", "ref_pt_24k_preprocessed.wav"))
    pre_wav, pre_sr = torchaudio.load(pre_audio)
    dump({"input_samples": wav24.shape[-1], "output_samples": pre_wav.shape[-1], "output_sr": pre_sr,
          "ref_text_in": text, "ref_text_out": pre_text}, out("common", "preprocess_ref_audio_text.json"))
    return mel24, vocoder, pre_text


def write_fullsize_layout(out, vocab_size):
    layout, keys = {}, {}
    for name, kw in PRESETS.items():
        model = build(dict(kw), vocab_size)
        keys[name] = {k: list(v.shape) for k, v in model.state_dict().items() if not k.startswith("mel_spec.")}
        persistent = {n for n, _ in model.named_parameters()}
        layout[name] = {"n_state_dict_tensors": len(keys[name]), "n_params": sum(int(torch.tensor(s).prod()) for k, s in keys[name].items() if k in persistent),
                        "buffers_in_state_dict": sorted(k for k in keys[name] if k not in persistent)}
        del model
    layout["identical_key_and_shape_sets_v1_vs_v0"] = keys["F5TTS_v1_Base"] == keys["F5TTS_Base"]
    layout["F5TTS_v1_Base_shapes"] = keys["F5TTS_v1_Base"]
    dump(layout, out("fullsize_layout.json"))


def write_config_mismatch(out, case, kw, vocab_size, release_path):
    """Load the case's release checkpoint into neighbouring configs, as upstream's load_checkpoint does."""
    trials = {f"{case}_with_long_skip_connection=True": dict(kw, long_skip_connection=True),
              f"{case}_with_conv_layers={kw['conv_layers'] + 1}": dict(kw, conv_layers=kw["conv_layers"] + 1),
              f"{case}_with_dim_head={kw['dim_head'] * 2}": dict(kw, dim_head=kw["dim_head"] * 2)}
    if kw.get("qk_norm") is None:
        trials[f"{case}_with_qk_norm=rms_norm"] = dict(kw, qk_norm="rms_norm")
    result = {}
    for target, tkw in [*trials.items(), ("text_num_embeds+1", kw)]:
        n = vocab_size + 1 if target == "text_num_embeds+1" else vocab_size
        try:
            utils_infer.load_checkpoint(build(tkw, n), release_path, "cpu", dtype=torch.float32, use_ema=True)
            result[f"ckpt_{case}__into_{target}"] = "loaded (strict load_state_dict OK)"
        except RuntimeError as e:
            result[f"ckpt_{case}__into_{target}"] = f"RuntimeError: {str(e)[:500]}"
    dump(result, out("config_mismatch.json"))


def write_case(a, out, case, kw, vocab_map, vocab_size, text, mel24, vocoder, pre_text):
    ckpt = torch.load(a.ckpt)
    update = int(ckpt.get("update", ckpt.get("step", 0)))
    os.makedirs(out(case, "trainer_run"), exist_ok=True)
    shutil.copyfile(a.ckpt, out(case, "trainer_run", f"model_{update}.pt"))
    release = out(case, f"model_{update}.safetensors")
    ema, raw = ckpt["ema_model_state_dict"], ckpt["model_state_dict"]
    save(dict(ema), release)
    ema_minus_raw = max((ema["ema_model." + k].float() - v.float()).abs().max().item() for k, v in raw.items())
    dump({"top_level_keys": list(ckpt.keys()), "update": update,
          "model_state_dict_keys": {k: [list(v.shape), str(v.dtype)] for k, v in raw.items()},
          "ema_model_state_dict_keys": {k: [list(v.shape), str(v.dtype)] for k, v in ema.items()},
          "ema_initted": bool(ema["initted"]), "ema_step": int(ema["step"]), "ema_minus_raw_max_abs": ema_minus_raw},
         out(case, "checkpoint_layout.json"))
    dump({"DiT_kwargs": kw, "text_num_embeds": vocab_size, "mel_dim": 100,
          "CFM": {"mel_spec_kwargs": MEL_KW, "odeint_kwargs": {"method": "euler"}},
          "checkpoint": os.path.basename(a.ckpt)}, out(case, "model_config.json"))

    def load(use_ema, path=a.ckpt):
        return utils_infer.load_checkpoint(build(kw, vocab_size, vocab_map), path, "cpu", dtype=torch.float32, use_ema=use_ema).eval()

    ema_model, raw_model = load(True), load(False)
    checks = {}
    for name, use_ema in (("pt_use_ema_True", True), ("pt_use_ema_False", False)):
        checks[name] = {"max_abs_diff_vs_ema": 0.0 if use_ema else ema_minus_raw, "max_abs_diff_vs_raw": ema_minus_raw if use_ema else 0.0,
                        "dtype": "torch.float32"}
    load(True, release)
    checks["safetensors_use_ema_True"] = {"max_abs_diff_vs_ema": 0.0, "max_abs_diff_vs_raw": ema_minus_raw, "dtype": "torch.float32"}
    try:
        load(False, release)
        checks["safetensors_use_ema_False"] = {"loaded": True}
    except RuntimeError as e:
        checks["safetensors_use_ema_False"] = {"error": f"RuntimeError: {str(e)[:400]}"}
    dump(checks, out(case, "loader_checks.json"))
    write_config_mismatch(out, case, kw, vocab_size, release)

    # DiT forward: every drop combination, packed CFG, a batch of two with a mask, a short sequence
    dit = ema_model.transformer
    full_mel = mel24.permute(0, 2, 1).contiguous()
    n = min(64, full_mel.shape[1])
    torch.manual_seed(7); x = torch.randn(1, n, 100)
    cond = full_mel[:, :n].clone(); cond[:, int(n * 0.6):] = 0
    t_ids = list_str_to_idx([convert_char_to_pinyin([text[:20]])[0]], vocab_map)
    t = torch.tensor(0.37)
    f = {"x": x, "cond": cond, "text": t_ids, "time": t.reshape(1)}
    for da in (0, 1):
        for dt in (0, 1):
            f[f"out_dropaudio{da}_droptext{dt}"] = dit(x, cond, t_ids, t, drop_audio_cond=bool(da), drop_text=bool(dt))
    f["out_cfg_infer_packed"] = dit(x, cond, t_ids, t, cfg_infer=True)
    x2 = torch.cat([x, torch.randn(1, n, 100)])
    text2 = list_str_to_idx([convert_char_to_pinyin([text[:20]])[0], convert_char_to_pinyin([text[:8]])[0]], vocab_map)
    mask2 = torch.arange(n)[None, :] < torch.tensor([n, int(n * 0.6)])[:, None]
    time2 = torch.tensor([0.37, 0.81])
    f.update(b2_x=x2, b2_text=text2, b2_mask=mask2, b2_time=time2, b2_out=dit(x2, torch.cat([cond, cond]), text2, time2, mask=mask2),
             short_seq8_out=dit(x[:, :8], cond[:, :8], t_ids, t))
    save(f, out(case, "dit_forward.safetensors"))

    # CFM.sample with a fixed condition and the seed argument
    frames = full_mel.shape[1]
    both = list_str_to_idx(convert_char_to_pinyin([text + " " + text]), vocab_map)
    s = {"cond": full_mel, "text_ids": both}
    for cfg_s, sway, tag in ((2.0, -1.0, "cfg2_swaym1"), (0.0, -1.0, "cfg0_swaym1"), (2.0, None, "cfg2_swaynone")):
        with Capture(ema_model) as cap:
            o, _ = ema_model.sample(full_mel, both, 2 * frames, steps=STEPS, cfg_strength=cfg_s, sway_sampling_coef=sway, seed=SEED)
        s.update({f"seedarg{SEED}_{tag}__y0": cap.y0, f"seedarg{SEED}_{tag}__t": cap.t, f"seedarg{SEED}_{tag}__out": o})
    save(s, out(case, "cfm_sample_fixed.safetensors"))

    # trainer-style sample (trainer.py's log sample): raw weights, the clip's mel, its text twice, duration 2x
    toks = convert_char_to_pinyin([text])[0]
    trainer_text = [toks + [" "] + toks]
    torch.manual_seed(SEED)
    with Capture(raw_model) as cap:
        o, _ = raw_model.sample(cond=full_mel, text=trainer_text, duration=torch.tensor(frames * 2), steps=STEPS,
                                cfg_strength=CFG, sway_sampling_coef=SWAY)
    gen = o[:, frames:, :].permute(0, 2, 1).contiguous()
    save({"cond_input": full_mel, "text_ids": list_str_to_idx(trainer_text, vocab_map), "duration": torch.tensor([frames * 2]),
          "ref_audio_len": torch.tensor([frames]), "y0": cap.y0, "t": cap.t, "first_step_cond": cap.first["cond"],
          "first_step_out_cfg_packed": cap.first["out"], "out_full": o.float(), "gen_mel": gen.float(),
          "gen_wave": vocoder.decode(gen), "ref_wave": vocoder.decode(mel24)},
         out(case, "sample_trainer_style.safetensors"), metadata={"text_tokens": tokens_json(trainer_text)})

    # infer_process, directly and after preprocess_ref_audio_text (the CLI/API flow)
    flows = {"sample_infer_direct": (ema_model, "audio/ref_pt_24k.wav", text),
             "sample_infer_direct_use_ema_False": (raw_model, "audio/ref_pt_24k.wav", text),
             "sample_infer_cliflow": (ema_model, "audio/ref_pt_24k_preprocessed.wav", pre_text)}
    for name, (model, audio_rel, ref_text) in flows.items():
        seen = {}
        orig_sample = model.sample

        def sample(*args, **k):
            seen.update(cond=k["cond"].detach().clone(), text=k["text"], duration=k["duration"])
            result = orig_sample(*args, **k)
            seen["out"] = result[0].detach().clone()  # the ref region replaced by cond (cfm.py:223), not the last ODE state
            return result

        model.sample = sample
        torch.manual_seed(SEED)
        with Capture(model) as cap:
            wave, _, spec = utils_infer.infer_process(out(audio_rel), ref_text, text, model, vocoder, nfe_step=STEPS,
                                                      cfg_strength=CFG, sway_sampling_coef=SWAY, speed=1.0, device="cpu")
        del model.sample
        loaded, sr = torchaudio.load(out(audio_rel))
        save({"ref_audio_loaded": loaded, "cond_input": seen["cond"], "text_ids": list_str_to_idx(seen["text"], vocab_map),
              "duration": torch.tensor([int(seen["duration"])]), "y0": cap.y0, "t": cap.t, "out_full": seen["out"].float(),
              "first_step_cond": cap.first["cond"], "first_step_out_cfg_packed": cap.first["out"],
              "gen_mel": torch.as_tensor(spec).unsqueeze(0), "gen_wave": torch.as_tensor(wave).reshape(1, -1).float()},
             out(case, f"{name}.safetensors"),
             metadata={"ref_text_passed": ref_text, "text_tokens": tokens_json(seen["text"]), "ref_audio": audio_rel, "sr": str(sr)})


def sha(t):
    return hashlib.sha256(t.detach().float().contiguous().numpy().tobytes()).hexdigest()


def write_seeded(a, out, case, kw, vocab_size):
    """A full-size case with no weights file (the layout of ../shared/reference-base/<case>/)."""
    os.makedirs(out(case), exist_ok=True)
    dit = DiT(**kw, text_num_embeds=vocab_size, mel_dim=100).eval()
    sd = dit.state_dict()
    keys, kept = sorted(sd), ["rotary_embed.inv_freq"]
    torch.manual_seed(a.seeded)
    for k in keys:
        if k not in kept:
            sd[k].copy_(torch.randn(sd[k].shape) * a.std)
    full = hashlib.sha256(b"".join(sd[k].float().contiguous().numpy().tobytes() for k in keys)).hexdigest()
    dump({"config": a.config, "DiT_kwargs": kw, "text_num_embeds": vocab_size, "mel_dim": 100, "seed": a.seeded, "std": a.std,
          "procedure": "keys = sorted(DiT(...).state_dict()); torch.manual_seed(seed) once; for k in keys except kept: "
                       "sd[k].copy_(torch.randn(sd[k].shape) * std)",
          "key_order": keys, "shapes": {k: list(sd[k].shape) for k in keys}, "kept": kept,
          "sha256_full_state_dict": full, "sha256_definition": "float32 little-endian bytes of every tensor concatenated in key_order",
          "sha256_per_tensor": {k: sha(sd[k]) for k in keys}}, out(case, "weights_recipe.json"))
    save({k: sd[k] for k in kept}, out(case, "kept_buffers.safetensors"))
    t = torch.tensor(0.5)
    f = {}
    for i, n in enumerate(a.lengths):
        nt = max(1, (n * 100 + 255) // 256)  # about upstream's text/mel ratio of the stored cases (100 for 256)
        torch.manual_seed(1000 + i)
        x, cond, text = torch.randn(1, n, 100), torch.randn(1, n, 100), torch.randint(0, vocab_size, (1, nt))
        f.update({f"N{n}/x": x, f"N{n}/cond": cond, f"N{n}/text": text, f"N{n}/time": t.reshape(1),
                  f"N{n}/out": dit(x, cond, text, t), f"N{n}/out_packed": dit(x, cond, text, t, cfg_infer=True)})
    save(f, out(case, "dit_forward.safetensors"))
    cfm = CFM(transformer=dit, mel_spec_kwargs=MEL_KW, odeint_kwargs=dict(method="euler"))
    torch.manual_seed(2000)
    cond, text = torch.randn(1, 128, 100), torch.randint(0, vocab_size, (1, 100))
    with Capture(cfm) as cap:
        o, traj = cfm.sample(cond, text, 256, steps=4, cfg_strength=2.0, sway_sampling_coef=-1.0, seed=42)
    save({"cond": cond, "text": text, "duration": torch.tensor([256]), "y0": cap.y0, "t_grid": cap.t, "trajectory": traj, "out": o},
         out(case, "cfm_sample.safetensors"))
    dump({"config": a.config, "torch": torch.__version__, "threads": torch.get_num_threads(), "lengths": a.lengths}, out(case, "meta.json"))


def upstream_info(a):
    from importlib import metadata
    try:
        version = metadata.version("f5-tts")
    except metadata.PackageNotFoundError:
        version = "not installed as a package"
    return {"repo": "SWivid/F5-TTS", "package_version": version, "commit": a.upstream_commit,
            "path": os.path.dirname(os.path.dirname(f5_tts.model.__file__))}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--ckpt", help="trainer checkpoint model_<N>.pt (model_state_dict + ema_model_state_dict)")
    src.add_argument("--seeded", type=int, metavar="SEED", help="full-size case from seeded random weights instead")
    ap.add_argument("--config", required=True, help="preset (F5TTS_v1_Base|v1, F5TTS_Base|v0), upstream yaml, or model_config.json")
    ap.add_argument("--dit", nargs="*", default=[], metavar="KEY=VALUE", help="override DiT arguments, e.g. dim=80 depth=4")
    ap.add_argument("--vocab", help="vocab.txt (required with --ckpt)")
    ap.add_argument("--text-num-embeds", type=int, default=2545, help="--seeded: vocabulary size (default 2545, upstream's)")
    ap.add_argument("--std", type=float, default=0.02, help="--seeded: weight std")
    ap.add_argument("--lengths", type=int, nargs="+", default=[256, 940], help="--seeded: DiT forward lengths")
    ap.add_argument("--ref-audio")
    ap.add_argument("--ref-text")
    ap.add_argument("--vocoder-dir", default=os.path.join(REPO, "golden", "upstream", "common", "vocos_tiny"),
                    help="local Vocos folder (config.yaml + pytorch_model.bin); nothing is downloaded")
    ap.add_argument("--case", default=None, help="case folder name, no '_' (default: the config name)")
    ap.add_argument("--threads", type=int, default=None, help="torch.set_num_threads")
    ap.add_argument("--upstream-commit", default="unknown", help="recorded in reference.json (the f5_tts checkout you ran)")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    if a.ckpt and not (a.vocab and a.ref_audio and a.ref_text):
        ap.error("--ckpt needs --vocab, --ref-audio and --ref-text")
    case = a.case or os.path.splitext(os.path.basename(a.config))[0].replace("_", "")
    if "_" in case:
        ap.error(f"--case {case}: no '_' (the tests split experiment names on it)")
    if os.path.exists(a.out) and os.listdir(a.out):
        sys.exit(f"{a.out}: exists and is not empty; refusing to overwrite it")
    if a.threads:
        torch.set_num_threads(a.threads)
    torch.set_grad_enabled(False)
    started = clock.time()
    kw = dit_kwargs(a.config, a.dit)
    out = lambda *p: os.path.join(a.out, *p)
    os.makedirs(a.out, exist_ok=True)

    if a.seeded is not None:
        write_seeded(a, out, case, kw, a.text_num_embeds)
    else:
        for d in ("audio", "common"):
            os.makedirs(out(d), exist_ok=True)
        vocab_map, vocab_size = get_tokenizer(a.vocab, "custom")
        shutil.copyfile(a.vocab, out("vocab.txt"))
        text = a.ref_text
        mel24, vocoder, pre_text = write_common(a, out, vocab_map, vocab_size, text)
        write_fullsize_layout(out, vocab_size)
        write_case(a, out, case, kw, vocab_map, vocab_size, text, mel24, vocoder, pre_text)
        dump({"upstream": upstream_info(a), "transcript": text, "vocab": "vocab.txt",
              "sampling": {"nfe_steps": STEPS, "cfg_strength": CFG, "sway_sampling_coef": SWAY, "ode_method": "euler", "seed": SEED},
              "cases": [case]}, out("reference.json"))
    dump({"python": sys.version, "torch": torch.__version__, "torchaudio": torchaudio.__version__, "threads": torch.get_num_threads(),
          "torch_load_weights_only_fallbacks": FALLBACKS, "argv": sys.argv[1:], "seconds": round(clock.time() - started, 1)},
         out("environment.json"))
    print(f"wrote {a.out} in {clock.time() - started:.0f} s; run: F5PARITY_REFERENCE_DIR={a.out} dotnet test F5Parity.Tests.sln --filter Category=Parity")


if __name__ == "__main__":
    main()
