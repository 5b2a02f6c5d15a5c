using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
namespace F5Parity.Diagnosis.Runs;

/// <summary>
/// One difference between the trainer path and the infer path, as a pure function that takes the knob(s) it names
/// from the <c>to</c> spec into the <c>from</c> spec. The ladder applies them one by one; most hypotheses apply one.
/// </summary>
public sealed record PathDifference(string Id, string Title, string Upstream, Func<RunSpec, RunSpec, RunSpec> Apply)
{
    /// <summary>True when applying this difference changes <paramref name="from"/>.</summary>
    public bool Differs(RunSpec from, RunSpec to) => Apply(from, to) != from;

    /// <summary>The differences in ladder order (see <see cref="Ladder"/> for why this order).</summary>
    public static readonly IReadOnlyList<PathDifference> All =
    [
        new("precision", "model dtype (fp32 → the inference dtype)", "infer/utils_infer.py:191-199; model/trainer.py:413",
            (f, t) => f with { Precision = t.Precision }),
        new("config", "model config (the inference config's v0/v1 options)", "infer/infer_cli.py:187,268-272; model/backbones/dit.py:103-104,123-127; model/modules.py:498-509",
            (f, t) => f with { ModelConfig = t.ModelConfig }),
        new("ema", "weights (raw/online → EMA)", "model/trainer.py:414; infer/utils_infer.py:209-223,245",
            (f, t) => f with { UseEma = t.UseEma }),
        new("checkpoint", "checkpoint file (the one inference loads)", "infer/utils_infer.py:201-207; model/trainer.py:150-183",
            (f, t) => f with { Checkpoint = t.Checkpoint }),
        new("reference-audio", "reference audio (RMS to 0.1; preprocess_ref_audio_text's silence clip to 12 s, edge trim, 50 ms pad)", "infer/utils_infer.py:279-346,463-468; model/dataset.py:145-161",
            (f, t) => f with { NormalizeRms = t.NormalizeRms, PreprocessRefAudio = t.PreprocessRefAudio }),
        new("ref-text", "reference text (as transcribed → ending in \". \")", "infer/utils_infer.py:369-374,474-475",
            (f, t) => f with { PreprocessRefText = t.PreprocessRefText }),
        new("sampler", "sampler settings (NFE, CFG, sway, EPSS)", "model/trainer.py:267; infer/utils_infer.py:35-46; model/utils.py:205-218",
            (f, t) => f with { NfeStep = t.NfeStep, CfgStrength = t.CfgStrength, SwaySamplingCoef = t.SwaySamplingCoef, UseEpss = t.UseEpss }),
        new("duration", "duration rule and output cut (2x / mel length → byte ratio / L//256)", "model/trainer.py:409,417,423; infer/utils_infer.py:479-493,508",
            (f, t) => f with { Duration = t.Duration, Cut = t.Cut }),
        new("task", "what is asked (re-speak the training clip → say a new text)", "model/trainer.py:409-419; infer/utils_infer.py:404-405,483-484",
            (f, t) => f with { GenText = t.GenText }),
        new("pinyin", "text processing (as the dataset stored it → convert_char_to_pinyin)", "infer/utils_infer.py:483-484; model/dataset.py:133,165; model/utils.py:148-185",
            (f, t) => f with { Text = t.Text }),
        new("vocab", "vocab file (training → inference)", "infer/utils_infer.py:248-256; model/utils.py:122-140",
            (f, t) => f with { VocabPath = t.VocabPath }),
        new("train-mode", "module mode (eval on both paths)", "model/cfm.py:103; model/trainer.py:438",
            (f, t) => f with { TrainMode = t.TrainMode }),
        new("seed", "seed (the diagnosis seeds both paths alike)", "model/cfm.py:196-201",
            (f, t) => f with { Seed = t.Seed }),
        new("code", "sampling code (trainer block → infer_process)", "model/trainer.py:408-438; infer/utils_infer.py:384-593",
            (f, t) => f with { Code = t.Code }),
    ];

    public static PathDifference Get(string id) => All.Single(d => d.Id == id);

    /// <summary>
    /// True when the theory <paramref name="id"/> names a real difference of the two configured runs (the knob it
    /// flips differs, or inference loads another checkpoint file), as opposed to a probe such as another seed or an
    /// other checkpoint the user listed, which can be bad without being the cause.
    /// </summary>
    public static bool IsConfiguredDifference(string id, RunSpec trainer, RunSpec infer) =>
        All.Any(d => d.Id == id) && Get(id).Differs(trainer, infer)
        || id == "checkpoint" && trainer.Checkpoint != infer.Checkpoint;
}
