#!/usr/bin/env python3
"""Writes golden/pydub/cases.json: what real pydub makes of synthetic reference clips under the audio steps of
upstream's preprocess_ref_audio_text (F5-TTS 2ae2c9bd, infer/utils_infer.py:298-378), so the suite's C# pydub
emulation (tests/F5Parity/Audio/Pydub) can be checked on clips the upstream reference does not cover: long clips cut at
long or short silences or hard at 12 s, other sample rates (ratecv up to 11025 Hz), stereo, 8- and 24-bit PCM, silence.

The clips are generated with integer arithmetic only (a triangle wave and an LCG noise), so the C# test rebuilds the
same bytes from the spec stored beside the result. Run with Debian 12's python3-pydub 0.24.1 (apt-get install
python3-pydub), the pydub version that produced golden/upstream:  /usr/bin/python3 scripts/make_pydub_golden.py
"""
import hashlib
import io
import json
import os
import sys
import wave

from pydub import AudioSegment, silence

CASES = [
    # name, rate, channels, bytes per sample, [(kind, ms, amplitude)]
    ("long-silences-16k", 16000, 1, 2, [("tone", 5000, 8000), ("noise", 1500, 3), ("tone", 5000, 8000), ("noise", 1500, 3), ("tone", 5000, 8000)]),
    ("silences-every-2.7s-16k", 16000, 1, 2, [("tone", 4000, 6000), ("noise", 1200, 2), ("tone", 1500, 6000), ("noise", 1200, 2), ("tone", 4000, 6000), ("noise", 1200, 2), ("tone", 4000, 6000)]),
    ("short-silences-22050", 22050, 1, 2, [("tone", 3000, 6000), ("noise", 300, 20), ("tone", 3000, 6000), ("noise", 300, 20), ("tone", 3000, 6000), ("noise", 300, 20), ("tone", 3000, 6000), ("noise", 300, 20), ("tone", 3000, 6000)]),
    ("no-silence-8k", 8000, 1, 2, [("tone", 14000, 5000)]),
    ("quiet-edges-stereo-24bit-44100", 44100, 2, 3, [("noise", 600, 2000), ("tone", 3000, 2000000), ("noise", 700, 2000)]),
    ("short-8bit-24k", 24000, 1, 1, [("noise", 200, 1), ("tone", 2500, 90), ("noise", 300, 1)]),
    ("all-silent-24k", 24000, 1, 2, [("noise", 2000, 0)]),
]


def samples(rate, parts):
    """Integer-only generator (non-negative operands before every // and %, so C#'s / and % agree)."""
    out, lcg, i = [], 12345, 0
    for kind, ms, amp in parts:
        for _ in range(rate * ms // 1000):
            if kind == "tone":
                period = rate // 220
                t = i % period
                out.append((4 * abs(t - period // 2) * amp) // period - amp)
            else:
                lcg = (lcg * 1103515245 + 12345) % 2147483648
                out.append((lcg >> 16) % (2 * amp + 1) - amp)
            i += 1
    return out


def wav_bytes(rate, channels, width, values):
    frames = bytearray()
    for v in values:
        for c in range(channels):
            s = v if c == 0 else -v
            if width == 1:
                frames += bytes([s + 128])
            else:
                frames += s.to_bytes(width, "little", signed=True)
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(bytes(frames))
    return buf.getvalue()


def preprocess(aseg):
    """The audio steps, in upstream's order, with pydub's own functions."""
    step = 0
    for attempt, (min_len, thresh) in enumerate([(1000, -50), (100, -40)], start=1):
        if attempt == 2 and len(kept) <= 12000:
            break
        kept = AudioSegment.silent(duration=0)
        for part in silence.split_on_silence(aseg, min_silence_len=min_len, silence_thresh=thresh, keep_silence=1000, seek_step=10):
            if len(kept) > 6000 and len(kept + part) > 12000:
                step = attempt
                break
            kept += part
    if len(kept) > 12000:
        kept = kept[:12000]
        step = 3
    lead = silence.detect_leading_silence(kept, silence_threshold=-42)
    kept = kept[lead:]
    trail = silence.detect_leading_silence(kept.reverse(), silence_threshold=-42)
    kept = kept[: len(kept) - trail]
    return kept + AudioSegment.silent(duration=50), step


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "golden", "pydub")
    os.makedirs(root, exist_ok=True)
    results = []
    for name, rate, channels, width, parts in CASES:
        data = wav_bytes(rate, channels, width, samples(rate, parts))
        out, step = preprocess(AudioSegment.from_file(io.BytesIO(data), format="wav"))
        results.append({
            "name": name, "rate": rate, "channels": channels, "bytesPerSample": width,
            "parts": [{"kind": k, "ms": ms, "amplitude": a} for k, ms, a in parts],
            "inputWavSha256": hashlib.sha256(data).hexdigest(),
            "output": {
                "frameRate": out.frame_rate, "channels": out.channels, "sampleWidth": out.sample_width,
                "frames": int(out.frame_count()), "clipStep": step,
                "rawSha256": hashlib.sha256(out.raw_data).hexdigest(),
            },
        })
        print(name, results[-1]["output"], file=sys.stderr)
    meta = {"pydub": getattr(sys.modules["pydub"], "__version__", "0.24.1 (Debian 12 python3-pydub)"), "python": sys.version.split()[0]}
    with open(os.path.join(root, "cases.json"), "w") as f:
        json.dump({"generator": "scripts/make_pydub_golden.py", "made_with": meta, "cases": results}, f, indent=1)


if __name__ == "__main__":
    main()
