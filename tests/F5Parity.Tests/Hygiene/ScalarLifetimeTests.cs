using System.Diagnostics;
using System.Globalization;
using F5Parity.Audio;
using F5Parity.Model;
using F5Parity.Pipelines;
using F5Parity.Tests.Parity;
using F5Parity.Tests.TestUtilities;
using F5Parity.Torch;
using F5Parity.Training;
using F5Parity.Vocoder;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace F5Parity.Tests.Hygiene;

/// <summary>
/// The sampling hot paths make no TorchSharp Scalar that the GC may free while libtorch reads it (see
/// <c>F5Parity.Torch.Scalars</c>): each path, run once, leaves no Scalar to the finalizer (deterministic), and every
/// path gives bit-identical results while a background thread collects gen 0 and finalizes in a tight loop (a stress
/// test: on the code before the fix it failed 8 of 10 runs, within 2-10 s, with libtorch reading freed Scalars —
/// "Expected false to be true" from c10::Scalar::toFloat, or alpha_check — in DiTBlock, AdaLayerNorm, FreqsCis,
/// Im2ColConv1d and TorchSharp's Mish; CI had seen it about once in seven runs).
/// Paths: DiT forward (v1 case, CFG-packed and the masked batch of two), CFM.sample (a reference entry, its steps),
/// the vocos mel, Vocos decode, Griffin-Lim, infer_process on the 22.05 kHz reference (resampling, RMS, chunks,
/// vocoder) and two trainer updates (loss, backward, clipping, AdamW, EMA).
/// </summary>
public sealed class ScalarLifetimeTests(ITestOutputHelper output)
{
    /// <summary>Seconds the stress loop runs; <c>F5PARITY_SCALAR_STRESS_SECONDS</c> lengthens it for a soak run.</summary>
    const string StressSecondsVariable = "F5PARITY_SCALAR_STRESS_SECONDS";
    const double DefaultStressSeconds = 10;

    static ReferenceCase Case => ReferenceSet.Golden.Case("v1");
    const string MelFile = "common/mel.safetensors";
    const string VocosDecodeFile = "common/vocos_tiny/vocos_tiny_decode.safetensors";
    const string CfmSampleFile = "cfm_sample_fixed.safetensors";
    const string TextIdsFile = "common/text_ids.safetensors";

    static readonly Lazy<(Tensor Audio, int SampleRate)> Reference22k =
        new(() => ScopeFree.Create(() => WavFile.Read(ReferenceSet.Golden.PathOf("audio/ref_pt_espeak_22050.wav"))));

    /// <summary>
    /// The shared inputs, loaded once outside any dispose scope (a path runs inside one, which would otherwise own and
    /// free the cached reference tensors).
    /// </summary>
    static readonly Lazy<bool> SharedInputs = new(() => ScopeFree.Create(() =>
    {
        _ = Case.Tensors("dit_forward.safetensors");
        _ = Case.Tensors(CfmSampleFile);
        _ = ReferenceSet.Golden.Tensors(MelFile);
        _ = ReferenceSet.Golden.Tensors(VocosDecodeFile);
        _ = ReferenceSet.Golden.Tensors(TextIdsFile);
        _ = Reference22k.Value;
        _ = CaseModels.Get(Case, useEma: true);
        _ = CaseModels.VocoderOf(ReferenceSet.Golden);
        return true;
    }));

    static readonly IReadOnlyDictionary<string, Func<Tensor>> Paths = new Dictionary<string, Func<Tensor>>
    {
        ["dit_forward"] = DiTForward,
        ["cfm_sample"] = CfmSample,
        ["mel_spec"] = MelSpectrogram,
        ["vocos_decode"] = VocosDecode,
        ["griffin_lim"] = GriffinLimDecode,
        ["infer_process"] = InferProcess,
        ["trainer_updates"] = TrainerUpdates,
    };

    public static TheoryData<string> PathNames() => new(Paths.Keys);

    static Tensor DiTForward()
    {
        var r = Case.Tensors("dit_forward.safetensors");
        var model = CaseModels.Get(Case, useEma: true);
        model.eval();
        var dit = model.transformer;
        var packed = dit.forward(r["x"], r["cond"], r["text"], r["time"].reshape([]), cfgInfer: true);
        var x = r["b2_x"];
        var masked = dit.forward(x, r["cond"].expand(x.shape[0], -1, -1), r["b2_text"], r["b2_time"], mask: r["b2_mask"]);
        return cat([packed.flatten(), masked.flatten()]);
    }

    static Tensor CfmSample()
    {
        var t = Case.Tensors(CfmSampleFile);
        // the first entry with classifier-free guidance (both DiT passes and the CFG combination)
        var entry = t.Keys.Where(k => k.EndsWith("__out", StringComparison.Ordinal)).Select(k => k[..^"__out".Length])
            .Order(StringComparer.Ordinal).First(e => CfmSampleParityTests.ParseEntry(e).Cfg > 0);
        var (seed, cfg, sway) = CfmSampleParityTests.ParseEntry(entry);
        var y0 = t[$"{entry}__y0"];
        var result = CaseModels.Get(Case, useEma: true).Sample(t["cond"], t["text_ids"], tensor(y0.shape[1]), new SampleOptions
        {
            Steps = (int)t[$"{entry}__t"].shape[0] - 1, CfgStrength = cfg, SwaySamplingCoef = sway, Seed = seed,
        });
        return result.Output;
    }

    static Tensor MelSpectrogram()
    {
        var t = ReferenceSet.Golden.Tensors(MelFile);
        var mel = new MelSpec(n_mel_channels: (int)t["mel_24k"].shape[1]);
        return mel.Forward(t["wav_24k"]);
    }

    static Tensor VocosDecode() => CaseModels.VocoderOf(ReferenceSet.Golden).Decode(ReferenceSet.Golden.Tensors(VocosDecodeFile)["mel_in"]);

    static Tensor GriffinLimDecode()
    {
        var mel = ReferenceSet.Golden.Tensors(VocosDecodeFile)["mel_rand_in"];
        var vocoder = new GriffinLim(nMels: (int)mel.shape[1], nIter: 4);
        return vocoder.Decode(mel);
    }

    static Tensor InferProcess()
    {
        var (audio, rate) = Reference22k.Value;
        string text = ReferenceSet.Golden.Transcript;
        var result = InferProcessPath.Run(CaseModels.Get(Case, useEma: true), CaseModels.VocabOf(ReferenceSet.Golden), CaseModels.VocoderOf(ReferenceSet.Golden), audio, rate,
            text, text, new InferProcessOptions { NfeStep = 4, ManualSeed = 7 });
        return result.Wave;
    }

    static Tensor TrainerUpdates()
    {
        var melTensors = ReferenceSet.Golden.Tensors(MelFile);
        var mel = melTensors["mel_24k"].permute(0, 2, 1);                                          // 1 n d
        var ids = ReferenceSet.Golden.Tensors(TextIdsFile)["transcript__ids_with_pinyin"].unsqueeze(0);
        random.manual_seed(5);
        var model = new CFM(new DiT(Case.Config));
        using var ema = new Ema(model);
        using var trainer = new FlowMatchingTrainer(model, ema,
            new FlowMatchingTrainerOptions { TotalUpdates = 4, WarmupUpdates = 1, BatchSize = 1, Seed = 5 },
            _ => new TrainingBatch(mel.clone(), ids.clone(), tensor(new[] { mel.shape[1] })));
        trainer.Train(2);
        return cat(model.parameters().Select(p => p.detach().flatten()).ToArray());
    }

    /// <summary>Runs a path in its own dispose scope and returns the fingerprint of its result.</summary>
    static string Run(string name)
    {
        _ = SharedInputs.Value;
        using var scope = NewDisposeScope();
        return Determinism.Fingerprint(Paths[name]());
    }

    [SkippableTheory]
    [MemberData(nameof(PathNames))]
    public void Path_leaves_no_Scalar_to_the_finalizer(string name)
    {
        Run(name); // loads what the path shares (models, references) and lets the JIT settle
        using var counter = new FinalizedScalarCounter();
        Skip.IfNot(counter.Flush(TimeSpan.FromSeconds(10)), "this runtime delivers no FinalizeObject events to an EventListener");
        int before = counter.Scalars;
        Run(name);
        counter.Flush(TimeSpan.FromSeconds(10)).Should().BeTrue("the events of the run must be delivered");
        int leaked = counter.Scalars - before;
        output.WriteLine($"{name}: {leaked} Scalar(s) finalized");
        leaked.Should().Be(0, $"every Scalar on the {name} path must be kept alive and disposed, never left to the finalizer");
    }

    [Fact]
    public void Paths_are_bit_identical_under_finalizer_pressure()
    {
        double seconds = double.TryParse(Environment.GetEnvironmentVariable(StressSecondsVariable), NumberStyles.Float,
            CultureInfo.InvariantCulture, out var s) && s > 0 ? s : DefaultStressSeconds;
        var baseline = Paths.Keys.ToDictionary(n => n, Run);
        foreach (var (name, fingerprint) in baseline) output.WriteLine($"{name} sha256 {fingerprint}");
        var runs = Paths.Keys.ToDictionary(n => n, _ => 0);
        var clock = Stopwatch.StartNew();
        long cycles;
        using (var pressure = new FinalizerPressure())
        {
            // every path at least once under pressure, then more rounds while the time lasts
            for (int round = 0; round == 0 || clock.Elapsed.TotalSeconds < seconds; round++)
            {
                foreach (var name in Paths.Keys)
                {
                    if (round > 0 && clock.Elapsed.TotalSeconds >= seconds) break;
                    string fingerprint;
                    try { fingerprint = Run(name); }
                    catch (Exception e)
                    {
                        throw new InvalidOperationException(
                            $"{name} failed on run {runs[name] + 1} under finalizer pressure after {clock.Elapsed.TotalSeconds:F1} s", e);
                    }
                    fingerprint.Should().Be(baseline[name], $"{name} run {runs[name] + 1} under finalizer pressure must equal the run without it");
                    runs[name]++;
                }
            }
            cycles = pressure.Cycles;
        }
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s, {cycles} GC+finalizer cycles; runs: " +
                         string.Join(", ", runs.Select(kv => $"{kv.Key} {kv.Value}")));
    }
}
