using System.Text.Json;
using F5Parity.Checkpoints;
using F5Parity.Model;
using F5Parity.Text;
using F5Parity.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace F5Parity.Fixtures;

/// <summary>Update counts of the recipe's training phases (the defaults make the committed fixtures).</summary>
public sealed record ModelFixturePlan
{
    public int PretrainUpdates { get; init; } = 3000;
    public int FinetuneUpdates { get; init; } = 1200;
    public int RawTextUpdates { get; init; } = 400;
    public int V0Updates { get; init; } = 600;
    public int DivergeUpdates { get; init; } = 500;
    /// <summary>Constant learning rate of the diverging continuation (50x the peak of the schedule).</summary>
    public double DivergeLr { get; init; } = 0.05;
    /// <summary>EMA step restored in the stale fine-tune (a released model's order of magnitude: decay is then 0.9999).</summary>
    public long StaleEmaStep { get; init; } = 1_250_000;
    /// <summary>q is multiplied and k divided by this in the fp16 fault (a power of two: exact in fp32).</summary>
    public double Fp16QkScale { get; init; } = 65536;
}

/// <summary>
/// Makes every model fixture of fixtures/models/ from nothing but this code and fixed seeds: the codebook
/// language, a "pretrained" tiny v1 DiT, a healthy fine-tune on a changed language, and the faulty siblings, each
/// made the way its fault happens in real life. Writes the files, a metrics.json, and returns the metrics. What the
/// fixtures are (their DiT configs and languages L0/L1) is declared in the product, <see cref="CodebookFixture"/>.
/// </summary>
public static class ModelFixtureRecipe
{
    /// <summary>Batches of ref+gen training pairs of a language, tokens spelled converted or raw.</summary>
    public static Func<Random, TrainingBatch> Batches(CodebookLanguage language, bool pinyin, int batchSize, long noiseSeed)
    {
        var noise = new Generator((ulong)noiseSeed);
        var train = CodebookCorpus.Train;
        return rng =>
        {
            var mels = new List<Tensor>();
            var texts = new List<IReadOnlyList<string>>();
            for (int i = 0; i < batchSize; i++)
            {
                var tokens = CodebookCorpus.PairTokens(train[rng.Next(train.Count)], train[rng.Next(train.Count)], pinyin);
                texts.Add(tokens);
                mels.Add(language.RenderMel(tokens, noise).t());                                 // n d
            }
            long n = mels.Max(m => m.shape[0]);
            var mel = stack(mels.Select(m => nn.functional.pad(m, [0, 0, 0, n - m.shape[0]], value: 0.0)).ToArray());
            var lens = tensor(mels.Select(m => m.shape[0]).ToArray());
            var text = TextTokenizer.ListStrToIdx(texts, language.Vocab);
            foreach (var m in mels) m.Dispose();
            return new TrainingBatch(mel, text, lens);
        };
    }

    /// <summary>Runs the whole recipe into <paramref name="outDir"/> (files must not exist yet).</summary>
    public static Dictionary<string, object> Make(string vocabPath, string outDir, ModelFixturePlan? plan = null, Action<string>? log = null)
    {
        plan ??= new ModelFixturePlan();
        log ??= Console.WriteLine;
        Directory.CreateDirectory(outDir);
        var metrics = new Dictionary<string, object>();
        string P(string name) => Path.Combine(outDir, name);

        // vocabularies: the training one, a same-size one with 'a'/'o' swapped, a longer one (Ô, Õ appended)
        var vocabLines = File.ReadAllLines(vocabPath);
        File.Copy(vocabPath, P("vocab.txt"));
        var swapped = vocabLines.Select(l => l == "a" ? "o" : l == "o" ? "a" : l).ToArray();
        File.WriteAllText(P("vocab_swap_ao.txt"), string.Join("\n", swapped) + "\n");
        File.WriteAllText(P("vocab_plus_2.txt"), string.Join("\n", vocabLines.Concat(["Ô", "Õ"])) + "\n");
        var vocab = Vocab.Load(P("vocab.txt"), requireSpaceAtZero: true);
        var l0 = CodebookFixture.Language(vocab);
        var l1 = CodebookFixture.FinetuneLanguage(vocab);
        var config = CodebookFixture.Config(vocab.Size);
        foreach (var s in CodebookCorpus.HeldOut.Prepend(CodebookCorpus.Reference))
            log($"text \"{s}\": converted \"{string.Concat(CodebookCorpus.Tokens(s, true))}\"");

        // 1. pretrained: from scratch on L0, converted text, fresh EMA
        random.manual_seed(1);
        var pre = new CFM(new DiT(config));
        DiTInitializer.ZeroInitialize(pre);
        metrics["parameters"] = pre.parameters().Sum(p => p.numel());
        log($"parameters: {metrics["parameters"]}");
        using var preEma = new Ema(pre);
        var preTrainer = new FlowMatchingTrainer(pre, preEma,
            new FlowMatchingTrainerOptions { TotalUpdates = plan.PretrainUpdates, Seed = 11 }, Batches(l0, true, 8, 111));
        double loss = preTrainer.Train(plan.PretrainUpdates, (u, l) => log($"pretrain {u}: loss {l:F4} lr {preTrainer.CurrentLr:G3} ({preTrainer.Seconds:F0} s)"));
        metrics["pretrain"] = new { updates = plan.PretrainUpdates, final_loss = loss, seconds = preTrainer.Seconds };
        TrainerCheckpointWriter.WriteRelease(P("pretrained.safetensors"), preEma.StateDict());
        var preEmaWeights = preEma.Weights.ToDictionary(kv => kv.Key, kv => kv.Value.clone());

        // 2. fine-tunes on L1 starting, like finetune_cli + Trainer.load_checkpoint, from the released EMA weights:
        //    healthy = fresh EMA; stale = the pretrained EMA restored with a released-model step. Same run, same raw weights.
        var ft = NewModelFrom(config, preEmaWeights);
        using var ftEma = new Ema(ft);
        using var staleEma = new Ema(ft);
        staleEma.Restore(plan.StaleEmaStep, true, preEmaWeights);
        var ftTrainer = new FlowMatchingTrainer(ft, ftEma,
            new FlowMatchingTrainerOptions { TotalUpdates = plan.FinetuneUpdates, Seed = 22 }, Batches(l1, true, 8, 222), [staleEma]);
        loss = ftTrainer.Train(plan.FinetuneUpdates, (u, l) => log($"finetune {u}: loss {l:F4} ({ftTrainer.Seconds:F0} s)"));
        metrics["finetune"] = new { updates = plan.FinetuneUpdates, final_loss = loss, seconds = ftTrainer.Seconds };
        TrainerCheckpointWriter.Write(P("finetune.pt"), ftTrainer);
        TrainerCheckpointWriter.Write(P("finetune_stale_ema.pt"), ftTrainer, staleEma);

        // 3. a fine-tune whose dataset stored raw strings (no convert_char_to_pinyin), on L0
        var raw = NewModelFrom(config, preEmaWeights);
        using var rawEma = new Ema(raw);
        var rawTrainer = new FlowMatchingTrainer(raw, rawEma,
            new FlowMatchingTrainerOptions { TotalUpdates = plan.RawTextUpdates, Seed = 33 }, Batches(l0, false, 8, 333));
        loss = rawTrainer.Train(plan.RawTextUpdates, (u, l) => log($"raw-text {u}: loss {l:F4} ({rawTrainer.Seconds:F0} s)"));
        metrics["raw_text"] = new { updates = plan.RawTextUpdates, final_loss = loss, seconds = rawTrainer.Seconds };
        TrainerCheckpointWriter.WriteRelease(P("raw_text.safetensors"), rawEma.StateDict());

        // 4. a fine-tune run with v0 (F5TTS_Base) options, on L0
        var v0 = NewModelFrom(CodebookFixture.ConfigV0(vocab.Size), preEmaWeights);
        using var v0Ema = new Ema(v0);
        var v0Trainer = new FlowMatchingTrainer(v0, v0Ema,
            new FlowMatchingTrainerOptions { TotalUpdates = plan.V0Updates, Seed = 44 }, Batches(l0, true, 8, 444));
        loss = v0Trainer.Train(plan.V0Updates, (u, l) => log($"v0 {u}: loss {l:F4} ({v0Trainer.Seconds:F0} s)"));
        metrics["v0"] = new { updates = plan.V0Updates, final_loss = loss, seconds = v0Trainer.Seconds };
        TrainerCheckpointWriter.WriteRelease(P("v0_trained.safetensors"), v0Ema.StateDict());

        // 5. the pretraining run continued with a learning rate far too high: diverges after the good pretrained state
        preTrainer.LearningRateOverride = plan.DivergeLr;
        loss = preTrainer.Train(plan.DivergeUpdates, (u, l) => log($"diverge {u}: loss {l:F4}"), 50);
        metrics["diverged"] = new { updates = plan.DivergeUpdates, lr = plan.DivergeLr, final_loss = loss };
        TrainerCheckpointWriter.Write(P("diverged.pt"), preTrainer);

        // 6. the healthy fine-tune's EMA with q scaled up and k down by the same power of two: the same model in fp32
        var fp16 = ftEma.StateDict();
        using var qkScale = plan.Fp16QkScale.ToScalar(); // kept alive for the calls: see Torch/Scalars
        using (no_grad())
            foreach (var key in fp16.Keys.ToList())
            {
                if (key.Contains(".attn.to_q.")) fp16[key] = fp16[key].mul(qkScale);
                else if (key.Contains(".attn.to_k.")) fp16[key] = fp16[key].div(qkScale);
            }
        TrainerCheckpointWriter.WriteRelease(P("fp16_overflow.safetensors"), fp16);

        metrics["seconds_total"] = preTrainer.Seconds + ftTrainer.Seconds + rawTrainer.Seconds + v0Trainer.Seconds;
        foreach (var (name, value) in ModelFixtureEvaluation.Measure(outDir, log)) metrics[name] = value;
        File.WriteAllText(P("metrics.json"), JsonSerializer.Serialize(metrics, new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return metrics;
    }

    static CFM NewModelFrom(DiTConfig config, IReadOnlyDictionary<string, Tensor> weights)
    {
        var model = new CFM(new DiT(config));
        using var guard = no_grad();
        foreach (var (name, t) in model.state_dict()) t.copy_(weights[name]);
        return model;
    }
}
