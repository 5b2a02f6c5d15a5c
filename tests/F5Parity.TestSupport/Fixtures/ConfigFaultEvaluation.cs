using F5Parity.Checkpoints;
using F5Parity.Model;
using F5Parity.Text;
using static TorchSharp.torch;

namespace F5Parity.Fixtures;

/// <summary>One sampling measurement of the config-fault fixture: which options build the DiT, what it speaks.</summary>
/// <param name="Name">Stable case id (metrics.json key, test row).</param>
/// <param name="V0">Build the DiT with v0 options (text_mask_padding false, pe_attn_head 1) instead of v1.</param>
/// <param name="TrainerSample">
/// Speak like the trainer's log_samples: a long reference text and that same text again after it; otherwise like
/// infer_process: the short training sentence "com música" as reference and the long held-out texts.
/// </param>
public sealed record ConfigFaultCase(string Name, bool V0, bool TrainerSample = false);

/// <summary>Token accuracy (both halves of every frame right) and the spoken half alone, pooled over seeds.</summary>
public sealed record ConfigFaultResult(double Accuracy, double SpokenAccuracy, int Frames, IReadOnlyList<double> PerSeed)
{
    public override string ToString() =>
        $"accuracy {Accuracy:P1} ({Frames} frames), spoken half {SpokenAccuracy:P1}, per seed [{string.Join(", ", PerSeed.Select(a => a.ToString("P1")))}]";
}

/// <summary>The measurements of fixtures/models/config-fault/ that fixtures/README.md reports and the tests assert.</summary>
public static class ConfigFaultEvaluation
{
    /// <summary>
    /// Generated texts: the four held-out sentences in both orders, twice over (125 tokens each, 89 of whose frames
    /// echo a token 36 later; the last 36 echo "none").
    /// </summary>
    public static readonly IReadOnlyList<string> HeldOutTexts =
    [
        string.Join(" ", CodebookCorpus.HeldOut.Concat(CodebookCorpus.HeldOut.Reverse())),
        string.Join(" ", CodebookCorpus.HeldOut.Reverse().Concat(CodebookCorpus.HeldOut)),
    ];

    /// <summary>A long training text (the first six training sentences) for the trainer-sample cases and the diagnosis.</summary>
    public static string TrainerText => string.Join(" ", CodebookCorpus.Train.Take(6));

    public static readonly IReadOnlyList<ConfigFaultCase> Cases =
    [
        new("v1_options", V0: false),
        new("v0_options", V0: true),
        new("trainer_sample_v1_options", V0: false, TrainerSample: true),
        new("trainer_sample_v0_options", V0: true, TrainerSample: true),
    ];

    public static CodebookEvaluationSettings Settings(ConfigFaultCase c) => new()
    {
        Seeds = [1, 2, 3],
        ReferenceText = c.TrainerSample ? TrainerText : CodebookCorpus.Reference,
        Texts = c.TrainerSample ? [TrainerText] : HeldOutTexts,
    };

    /// <summary>Loads the fixture's EMA weights with the case's options and measures what it says.</summary>
    public static ConfigFaultResult Evaluate(string dir, Vocab vocab, ConfigFaultCase c)
    {
        var language = CodebookFixture.EchoLanguage(vocab);
        var config = DiTConfig.FromJsonFile(Path.Combine(dir, c.V0 ? ConfigFaultRecipe.ConfigV0File : ConfigFaultRecipe.ConfigV1File));
        using var model = ModelLoader.Load(config, Path.Combine(dir, ConfigFaultRecipe.CheckpointFile));
        var s = Settings(c);
        var expected = s.Texts!.Select(t => language.Encode(CodebookCorpus.Tokens(t, true))).ToList();
        int hits = 0, spoken = 0, total = 0;
        var perSeed = new List<double>();
        foreach (long seed in s.Seeds)
        {
            using var scope = NewDisposeScope();
            var mels = CodebookEvaluation.Generate(model, language, s, seed);
            int seedHits = 0, seedTotal = 0;
            for (int i = 0; i < mels.Count; i++)
            {
                var decoded = language.DecodeTokens(mels[i]);
                for (int j = 0; j < decoded.Length; j++)
                {
                    seedTotal++;
                    if (decoded[j] == expected[i][j]) seedHits++;
                    if (decoded[j] / (language.Size + 1) == expected[i][j] / (language.Size + 1)) spoken++;
                }
            }
            hits += seedHits; total += seedTotal;
            perSeed.Add((double)seedHits / seedTotal);
        }
        return new ConfigFaultResult((double)hits / total, (double)spoken / total, total, perSeed);
    }

    /// <summary>Every case; name -> result.</summary>
    public static Dictionary<string, object> Measure(string dir, Vocab vocab, Action<string>? log = null)
    {
        var result = new Dictionary<string, object>();
        log?.Invoke($"trainer text: \"{TrainerText}\"; held-out texts: \"{HeldOutTexts[0]}\", \"{HeldOutTexts[1]}\"");
        foreach (var c in Cases)
        {
            var r = Evaluate(dir, vocab, c);
            log?.Invoke($"{c.Name}: {r}");
            result[c.Name] = new
            {
                accuracy = Math.Round(r.Accuracy, 4), spoken_half_accuracy = Math.Round(r.SpokenAccuracy, 4), frames = r.Frames,
                per_seed = r.PerSeed.Select(a => Math.Round(a, 4)).ToArray(),
            };
        }
        return result;
    }
}
