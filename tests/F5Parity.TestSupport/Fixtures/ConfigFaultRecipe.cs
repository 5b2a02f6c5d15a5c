using System.Text.Json;
using System.Text.Json.Nodes;
using F5Parity.Model;
using F5Parity.Text;
using F5Parity.Training;
using static TorchSharp.torch;

namespace F5Parity.Fixtures;

/// <summary>Training settings of the config-fault fixture (the defaults make the committed files).</summary>
public sealed record ConfigFaultPlan
{
    public int Updates { get; init; } = 4000;
    /// <summary>Sentences of the first (reference) part of a training item: 1 to this many.</summary>
    public int MaxReferenceSentences { get; init; } = 6;
    /// <summary>Sentences of the second (generated) part: <see cref="MinGeneratedSentences"/> to <see cref="MaxGeneratedSentences"/>.</summary>
    public int MinGeneratedSentences { get; init; } = 4;
    public int MaxGeneratedSentences { get; init; } = 8;
    /// <summary>Heads of the DiT (dim = heads x dim_head): v0 keeps rotary on the first only.</summary>
    public int Heads { get; init; } = 8;
    public int DimHead { get; init; } = 10;
    /// <summary>Train with v0 options (text_mask_padding false, pe_attn_head 1) instead of v1.</summary>
    public bool TrainV0 { get; init; }
}

/// <summary>
/// The fixture on which the v0/v1 config fault bites (issue 11): language E0, <see cref="CodebookFixture.EchoLanguage"/>:
/// L0 with an echo (<see cref="CodebookLanguage.WithEcho"/>): half of every frame says its own token, the other half
/// the token <see cref="CodebookFixture.EchoDelay"/> positions later — farther than any convolution of the DiT reaches, so only
/// attention with relative position can say it. Each training item is two recordings, a reference part and a
/// generated part, each rendered on its own (an echo never crosses into the next part), so the reference mel a
/// diagnosis renders for a reference text is exactly a training reference. A tiny v1 DiT trained on E0 uses rotary on
/// every head for the echo; built with v0 options, seven of its eight heads lose rotary and the echo is lost.
/// </summary>
public static class ConfigFaultRecipe
{
    /// <summary>The DiT of the fixture with v1 (or v0) options; text_num_embeds = vocab size.</summary>
    public static DiTConfig Config(int vocabSize, bool v0, ConfigFaultPlan? plan = null)
    {
        plan ??= new ConfigFaultPlan();
        return new DiTConfig
        {
            Dim = plan.Heads * plan.DimHead, Depth = 4, Heads = plan.Heads, DimHead = plan.DimHead, FfMult = 2, TextDim = 40,
            ConvLayers = 1, MelDim = CodebookLanguage.MelDim, TextNumEmbeds = vocabSize, Dropout = 0.1,
            TextMaskPadding = !v0, PeAttnHead = v0 ? 1 : null,
        };
    }

    /// <summary>Batches of two-part items of E0: training sentences joined, each part rendered on its own.</summary>
    public static Func<Random, TrainingBatch> Batches(CodebookLanguage language, ConfigFaultPlan plan, int batchSize, long noiseSeed)
    {
        var noise = new Generator((ulong)noiseSeed);
        var train = CodebookCorpus.Train;
        string Sentences(Random rng, int count) =>
            string.Join(" ", Enumerable.Range(0, count).Select(_ => train[rng.Next(train.Count)]));
        return rng =>
        {
            using var scope = NewDisposeScope();
            var mels = new List<Tensor>();
            var texts = new List<IReadOnlyList<string>>();
            for (int i = 0; i < batchSize; i++)
            {
                var reference = CodebookCorpus.Tokens(Sentences(rng, 1 + rng.Next(plan.MaxReferenceSentences)), true);
                reference.Add(" ");
                var generated = CodebookCorpus.Tokens(Sentences(rng,
                    plan.MinGeneratedSentences + rng.Next(plan.MaxGeneratedSentences - plan.MinGeneratedSentences + 1)), true);
                texts.Add([.. reference, .. generated]);
                mels.Add(cat([language.RenderMel(reference, noise), language.RenderMel(generated, noise)], 1).t()); // n d
            }
            long n = mels.Max(m => m.shape[0]);
            var mel = stack(mels.Select(m => nn.functional.pad(m, [0, 0, 0, n - m.shape[0]], value: 0.0)).ToArray());
            var lens = tensor(mels.Select(m => m.shape[0]).ToArray());
            var text = TextTokenizer.ListStrToIdx(texts, language.Vocab);
            return new TrainingBatch(mel.MoveToOuterDisposeScope(), text.MoveToOuterDisposeScope(), lens.MoveToOuterDisposeScope());
        };
    }

    /// <summary>File names under the output folder.</summary>
    public const string CheckpointFile = "model_4000.pt", ConfigV1File = "model_v1.json", ConfigV0File = "model_v0.json";

    /// <summary>Trains the fixture into <paramref name="outDir"/> (files must not exist yet) and measures it.</summary>
    public static Dictionary<string, object> Make(string vocabPath, string outDir, ConfigFaultPlan? plan = null, Action<string>? log = null)
    {
        plan ??= new ConfigFaultPlan();
        log ??= Console.WriteLine;
        Directory.CreateDirectory(outDir);
        string P(string name) => Path.Combine(outDir, name);
        var vocab = Vocab.Load(vocabPath, requireSpaceAtZero: true);
        var language = CodebookFixture.EchoLanguage(vocab);
        var metrics = new Dictionary<string, object>();

        random.manual_seed(3);
        using var model = new CFM(new DiT(Config(vocab.Size, plan.TrainV0, plan)));
        DiTInitializer.ZeroInitialize(model);
        metrics["parameters"] = model.parameters().Sum(p => p.numel());
        using var ema = new Ema(model);
        using var trainer = new FlowMatchingTrainer(model, ema,
            new FlowMatchingTrainerOptions { TotalUpdates = plan.Updates, Seed = 55 }, Batches(language, plan, 8, 555));
        double loss = trainer.Train(plan.Updates, (u, l) => log($"config-fault {u}: loss {l:F4} ({trainer.Seconds:F0} s)"));
        metrics["train"] = new { updates = plan.Updates, trained_with = plan.TrainV0 ? "v0" : "v1", final_loss = loss, seconds = trainer.Seconds };
        TrainerCheckpointWriter.Write(P(CheckpointFile), trainer);
        WriteModelConfig(P(ConfigV1File), Config(vocab.Size, false, plan));
        WriteModelConfig(P(ConfigV0File), Config(vocab.Size, true, plan));

        foreach (var (name, value) in ConfigFaultEvaluation.Measure(outDir, vocab, log)) metrics[name] = value;
        File.WriteAllText(P("metrics.json"), JsonSerializer.Serialize(metrics, new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return metrics;
    }

    /// <summary>A model_config.json the diagnosis reads (<c>modelConfig</c>): upstream's DiT keyword arguments.</summary>
    static void WriteModelConfig(string path, DiTConfig c)
    {
        var kwargs = new JsonObject
        {
            ["dim"] = c.Dim, ["depth"] = c.Depth, ["heads"] = c.Heads, ["dim_head"] = c.DimHead, ["dropout"] = c.Dropout,
            ["ff_mult"] = c.FfMult, ["text_dim"] = c.TextDim, ["conv_layers"] = c.ConvLayers,
            ["text_mask_padding"] = c.TextMaskPadding, ["pe_attn_head"] = c.PeAttnHead,
        };
        var root = new JsonObject { ["DiT_kwargs"] = kwargs, ["text_num_embeds"] = c.TextNumEmbeds, ["mel_dim"] = c.MelDim };
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
