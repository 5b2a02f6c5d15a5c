using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
namespace F5Parity.Diagnosis.Runs;

/// <summary>
/// One difference between the trainer path and the infer path: the <see cref="RunSpec"/> knobs that declare it as
/// theirs (<see cref="Knob.Difference"/>), taken together from the <c>to</c> spec into the <c>from</c> spec. The
/// ladder applies them one by one in <see cref="All"/>'s order; a hypothesis that flips one holds it.
/// </summary>
public sealed record PathDifference(string Id, string Title, string Upstream)
{
    /// <summary>The knobs this difference flips, in declaration order.</summary>
    public IReadOnlyList<Knob> Knobs => RunSpec.Knobs.Where(k => k.Difference == Id).ToList();

    /// <summary><paramref name="from"/> with this difference's knobs taken from <paramref name="to"/>.</summary>
    public RunSpec Apply(RunSpec from, RunSpec to) => Knobs.Aggregate(from, (spec, k) => k.Take!(spec, to));

    /// <summary>True when applying this difference changes <paramref name="from"/>.</summary>
    public bool Differs(RunSpec from, RunSpec to) => Apply(from, to) != from;

    public static readonly PathDifference Precision = new("precision", "model dtype (fp32 → the inference dtype)",
        "infer/utils_infer.py:191-199 (fp16 on CUDA cc>=7); model/trainer.py:413 (autocast, weights fp32)");
    public static readonly PathDifference Config = new("config", "model config (the inference config's v0/v1 options)",
        "infer/infer_cli.py:187,268-272; model/backbones/dit.py:103-104,123-127; model/modules.py:498-509");
    public static readonly PathDifference Ema = new("ema", "weights (raw/online → EMA)",
        "model/trainer.py:414 (online model); infer/utils_infer.py:209-223,245 (use_ema=True); model/trainer.py:215-232 (EMA step restored)");
    public static readonly PathDifference Checkpoint = new("checkpoint", "checkpoint file (the one inference loads)",
        "infer/infer_cli.py:299-301 (ckpt_file); infer/utils_infer.py:201-207; model/trainer.py:150-183,194-213 (which file is saved and resumed)");
    public static readonly PathDifference ReferenceAudio = new("reference-audio",
        "reference audio (RMS to 0.1; preprocess_ref_audio_text's silence clip to 12 s, edge trim, 50 ms pad)",
        "infer/utils_infer.py:279-346 (silence split, 12 s, edge trim, 50 ms), 463-468 (RMS); model/dataset.py:145-161");
    public static readonly PathDifference MelType = new("mel-type", "mel front end (the training mel_spec_type → the inference one)",
        "model/modules.py:35-140 (the two extractors, MelSpec); model/dataset.py:92-116; model/trainer.py:52,130; infer/utils_infer.py:57,238-276 (load_model's mel_spec_type, default vocos); infer/infer_cli.py:215,276-277,299-301 (vocoder_name → mel_spec_type)");
    public static readonly PathDifference RefText = new("ref-text", "reference text (as transcribed → ending in \". \")",
        "infer/utils_infer.py:369-374 (\". \"), 474-475 (\" \"); model/trainer.py:410-412");
    public static readonly PathDifference Sampler = new("sampler", "sampler settings (NFE, CFG, sway, EPSS)",
        "model/trainer.py:267; infer/utils_infer.py:35-46; model/cfm.py:190-216; model/utils.py:205-218");
    public static readonly PathDifference Duration = new("duration", "duration rule and output cut (2x / mel length → byte ratio / L//256)",
        "model/trainer.py:409,417,423; infer/utils_infer.py:479-493,508");
    public static readonly PathDifference Task = new("task", "what is asked (re-speak the training clip → say a new text)",
        "model/trainer.py:409-419 (text doubled, own mel); infer/utils_infer.py:404-405,483-484");
    public static readonly PathDifference Pinyin = new("pinyin", "text processing (as the dataset stored it → convert_char_to_pinyin)",
        "infer/utils_infer.py:483-484; model/dataset.py:133,165; model/utils.py:148-185");
    public static readonly PathDifference Vocab = new("vocab", "vocab file (training → inference)",
        "infer/utils_infer.py:248-256 (default infer/examples/vocab.txt); model/utils.py:122-140");
    public static readonly PathDifference TrainMode = new("train-mode", "module mode (eval on both paths)",
        "model/cfm.py:103; model/trainer.py:438; model/backbones/dit.py:178");
    public static readonly PathDifference Seed = new("seed", "seed (the diagnosis seeds both paths alike)", "model/cfm.py:196-201 (noise); neither path passes a seed");
    public static readonly PathDifference Code = new("code", "sampling code (trainer block → infer_process)",
        "model/trainer.py:408-438; infer/utils_infer.py:384-593");

    /// <summary>The differences in ladder order (see <see cref="Ladder"/> for why this order).</summary>
    public static readonly IReadOnlyList<PathDifference> All =
        [Precision, Config, Ema, Checkpoint, ReferenceAudio, MelType, RefText, Sampler, Duration, Task, Pinyin, Vocab, TrainMode, Seed, Code];

    public static PathDifference Get(string id) => All.SingleOrDefault(d => d.Id == id)
        ?? throw new ArgumentException($"no path difference '{id}' (known: {string.Join(", ", All.Select(d => d.Id))})", nameof(id));
}
