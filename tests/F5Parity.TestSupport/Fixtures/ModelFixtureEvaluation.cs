using F5Parity.Checkpoints;
using F5Parity.Errors;
using F5Parity.Text;
using static TorchSharp.torch;

namespace F5Parity.Fixtures;

/// <summary>One measurement of a committed model fixture: which file, how it is loaded, what it should say.</summary>
/// <param name="Name">Stable case id (metrics.json key, test row).</param>
/// <param name="File">File under fixtures/models/.</param>
/// <param name="V0">Load with v0 (F5TTS_Base) options instead of v1.</param>
/// <param name="UseEma">Load the EMA weights (upstream's default) or the raw ones.</param>
/// <param name="FinetuneLanguage">Score against the fine-tune language L1 instead of L0.</param>
/// <param name="InferenceVocab">Vocab file used at inference (null = vocab.txt).</param>
/// <param name="InferencePinyin">Apply convert_char_to_pinyin at inference.</param>
/// <param name="TrainedWithPinyin">The training data was converted.</param>
/// <param name="DType">Weights dtype at inference.</param>
public sealed record ModelFixtureCase(string Name, string File, bool V0 = false, bool UseEma = true,
    bool FinetuneLanguage = false, string? InferenceVocab = null, bool InferencePinyin = true,
    bool TrainedWithPinyin = true, ScalarType DType = ScalarType.Float32);

/// <summary>The measurements fixtures/README.md reports and ModelFixtureTests asserts.</summary>
public static class ModelFixtureEvaluation
{
    public static readonly IReadOnlySet<string> AO = new HashSet<string> { "a", "o" };

    public static readonly IReadOnlyList<ModelFixtureCase> Cases =
    [
        new("pretrained", "pretrained.safetensors"),
        new("pretrained_vocab_swap_ao", "pretrained.safetensors", InferenceVocab: "vocab_swap_ao.txt"),
        new("finetune_ema", "finetune.pt", FinetuneLanguage: true),
        new("finetune_raw", "finetune.pt", UseEma: false, FinetuneLanguage: true),
        new("stale_ema", "finetune_stale_ema.pt", FinetuneLanguage: true),
        new("stale_raw", "finetune_stale_ema.pt", UseEma: false, FinetuneLanguage: true),
        new("stale_ema_scored_as_pretrained", "finetune_stale_ema.pt"),
        new("raw_text_trainer_tokens", "raw_text.safetensors", InferencePinyin: false, TrainedWithPinyin: false),
        new("raw_text_infer_tokens", "raw_text.safetensors", InferencePinyin: true, TrainedWithPinyin: false),
        new("v0_as_v0", "v0_trained.safetensors", V0: true),
        new("v0_as_v1", "v0_trained.safetensors", V0: false),
        new("diverged_ema", "diverged.pt"),
        new("diverged_raw", "diverged.pt", UseEma: false),
        new("fp16_overflow_fp32", "fp16_overflow.safetensors", FinetuneLanguage: true),
        new("fp16_overflow_fp16", "fp16_overflow.safetensors", FinetuneLanguage: true, DType: ScalarType.Float16),
        new("finetune_fp16", "finetune.pt", FinetuneLanguage: true, DType: ScalarType.Float16),
    ];

    /// <summary>Loads one case's model and measures its token accuracy on the held-out sentences.</summary>
    public static CodebookEvaluationResult Evaluate(string modelsDir, ModelFixtureCase c, CodebookEvaluationSettings? baseSettings = null)
    {
        var vocab = Vocab.Load(Path.Combine(modelsDir, "vocab.txt"), requireSpaceAtZero: true);
        var inferVocab = c.InferenceVocab is null ? vocab : Vocab.Load(Path.Combine(modelsDir, c.InferenceVocab));
        var language = c.FinetuneLanguage ? CodebookFixture.FinetuneLanguage(vocab) : CodebookFixture.Language(vocab);
        var config = c.V0 ? CodebookFixture.ConfigV0(inferVocab.Size) : CodebookFixture.Config(inferVocab.Size);
        using var model = ModelLoader.Load(config, Path.Combine(modelsDir, c.File), c.UseEma, c.DType);
        var settings = (baseSettings ?? new CodebookEvaluationSettings()) with
        {
            InferenceVocab = inferVocab, InferencePinyin = c.InferencePinyin, TrainedWithPinyin = c.TrainedWithPinyin,
            Focus = c.FinetuneLanguage ? new HashSet<string>(CodebookFixture.ChangedTokens) : AO,
        };
        return CodebookEvaluation.Run(model, language, settings);
    }

    /// <summary>
    /// Relative L2 distance between the mels two cases generate (seed 1, every held-out sentence): how much a load
    /// option changes the output even where the token metric does not move.
    /// </summary>
    public static double OutputDifference(string modelsDir, ModelFixtureCase a, ModelFixtureCase b)
    {
        var vocab = Vocab.Load(Path.Combine(modelsDir, "vocab.txt"), requireSpaceAtZero: true);
        var language = CodebookFixture.Language(vocab);
        using var scope = NewDisposeScope();
        List<Tensor> Gen(ModelFixtureCase c)
        {
            var config = c.V0 ? CodebookFixture.ConfigV0(vocab.Size) : CodebookFixture.Config(vocab.Size);
            using var model = ModelLoader.Load(config, Path.Combine(modelsDir, c.File), c.UseEma, c.DType);
            return CodebookEvaluation.Generate(model, language, new CodebookEvaluationSettings(), 1);
        }
        var x = cat(Gen(a), 1);
        var y = cat(Gen(b), 1);
        return ((x - y).norm() / y.norm()).item<float>();
    }

    /// <summary>Every case, plus the load of vocab_plus_2.txt (expected to fail); name -> result.</summary>
    public static Dictionary<string, object> Measure(string modelsDir, Action<string>? log = null)
    {
        var result = new Dictionary<string, object>();
        foreach (var c in Cases)
        {
            var r = Evaluate(modelsDir, c);
            log?.Invoke($"{c.Name}: {r}");
            result[c.Name] = new { accuracy = Math.Round(r.Accuracy, 4), focus_accuracy = Math.Round(r.FocusAccuracy, 4), frames = r.Frames, per_seed = r.PerSeed.Select(a => Math.Round(a, 4)).ToArray() };
        }
        double v0Diff = OutputDifference(modelsDir, Cases.First(c => c.Name == "v0_as_v1"), Cases.First(c => c.Name == "v0_as_v0"));
        log?.Invoke($"v0_as_v1 vs v0_as_v0: generated mel relative L2 {v0Diff:F4}");
        result["v0_as_v1_mel_rel_l2"] = Math.Round(v0Diff, 4);
        try
        {
            var plus = Vocab.Load(Path.Combine(modelsDir, "vocab_plus_2.txt"));
            using var m = ModelLoader.Load(CodebookFixture.Config(plus.Size), Path.Combine(modelsDir, "pretrained.safetensors"));
            result["vocab_plus_2_load"] = "loaded (unexpected)";
        }
        catch (CheckpointFormatException e)
        {
            log?.Invoke($"vocab_plus_2 load: {e.Message}");
            result["vocab_plus_2_load"] = e.Message;
        }
        return result;
    }
}
