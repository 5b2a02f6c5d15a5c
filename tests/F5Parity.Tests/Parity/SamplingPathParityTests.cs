using F5Parity.Audio;
using F5Parity.Pipelines;
using F5Parity.Tests.TestUtilities;
using F5Parity.Text;
using static TorchSharp.torch;

namespace F5Parity.Tests.Parity;

/// <summary>
/// Both upstream code paths end to end against what upstream produced on the same inputs: the trainer's log-sample
/// call (raw weights, dataset mel, text doubled, duration 2x) and <c>infer_process</c> (EMA or raw weights, the WAV
/// file, RMS normalisation, byte-ratio duration, the one-frame-earlier cut, RMS restore), both with
/// <c>torch.manual_seed(seed)</c> right before sampling. Every intermediate upstream captured is compared: token ids,
/// duration, noise, time grid, the condition the DiT saw, its first output, the full sample, the cut mel, the wave.
/// </summary>
[Trait(Categories.Key, Categories.Parity)]
public sealed class SamplingPathParityTests
{

    static ReferenceSet Set => ReferenceSet.Current;
    static long Seed => Set.Sampling["seed"]!.GetValue<long>();
    static int Steps => Set.Sampling["nfe_steps"]!.GetValue<int>();
    static double Cfg => Set.Sampling["cfg_strength"]!.GetValue<double>();
    static double? Sway => Set.Sampling["sway_sampling_coef"]?.GetValue<double>();
    static readonly Tolerance Bitwise = SamplingTolerances.Bitwise;
    static SamplingTolerances Tol(ReferenceCase c) => SamplingTolerances.For(c.Config, Steps, Cfg);

    [Theory]
    [MemberData(nameof(ReferenceSet.CaseNames), MemberType = typeof(ReferenceSet))]
    public void Trainer_log_sample_path_equals_upstream(string caseName)
    {
        var c = Set.Case(caseName);
        var r = c.Tensors("sample_trainer_style.safetensors");
        var tokens = CharToPinyin.Convert([Set.Transcript])[0]; // the dataset row as upstream's preparation stores it
        var datasetMel = r["cond_input"].permute(0, 2, 1); // (1, n, d) as sampled -> (1, d, n) as the batch holds it

        var result = TrainerSamplePath.Run(CaseModels.Get(c, useEma: false), CaseModels.Vocab, CaseModels.Vocoder,
            datasetMel, tokens, new TrainerSampleOptions { NfeStep = Steps, CfgStrength = Cfg, SwaySamplingCoef = Sway, ManualSeed = Seed });

        result.RefAudioLen.Should().Be(r["ref_audio_len"].item<long>());
        TrainerRunAssert.Matches(result, r, $"{caseName}/trainer", genWaveKey: "gen_wave", refWaveKey: "ref_wave", Tol(c));
    }

    public static TheoryData<string, string> InferFlows()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in Set.Cases)
            foreach (var flow in new[] { "sample_infer_direct", "sample_infer_cliflow", "sample_infer_direct_use_ema_False" })
                data.Add(c.Name, flow);
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(InferFlows))]
    public void Infer_process_path_equals_upstream(string caseName, string flow)
    {
        var c = Set.Case(caseName);
        var file = flow + ".safetensors";
        Skip.IfNot(c.Has(file), $"{c.PathOf(file)} not found in this reference folder");
        var r = c.Tensors(file);
        var meta = c.Set.Metadata(Path.Combine(caseName, file));
        var (audio, sr) = WavFile.Read(Set.PathOf(meta["ref_audio"]));
        TensorAssert.Close(audio, r["ref_audio_loaded"], Bitwise, "wav_io", $"{caseName}/{flow}/ref_audio_loaded");

        bool useEma = !flow.EndsWith("use_ema_False", StringComparison.Ordinal);
        var result = InferProcessPath.Run(CaseModels.Get(c, useEma), CaseModels.Vocab, CaseModels.Vocoder, audio, sr,
            meta["ref_text_passed"], Set.Transcript,
            new InferProcessOptions { NfeStep = Steps, CfgStrength = Cfg, SwaySamplingCoef = Sway, ManualSeed = Seed });

        string L(string n) => $"{caseName}/{flow}/{n}";
        result.Chunks.Should().HaveCount(1, "the reference generated one chunk");
        var chunk = result.Chunks[0];
        TensorAssert.Equal(chunk.TextIds, r["text_ids"], "text", L("text_ids"));
        chunk.TextTokens.Should().Equal(TokenLists.Parse(meta["text_tokens"])[0]);
        chunk.Duration.Should().Be(r["duration"].item<long>());
        TensorAssert.Close(chunk.Sample.Y0, r["y0"], Bitwise, "cfm_noise", L("y0"));
        TensorAssert.Close(chunk.Sample.T, r["t"], Bitwise, "time_grid", L("t"));
        // the condition is the port's own mel of the waveform: compared as magnitudes (see MelAssert)
        long condFrames = chunk.Sample.StepCond.abs().sum([0, 2]).ne(0).sum().item<long>();
        MelAssert.CloseAsMagnitude(chunk.Sample.StepCond[.., ..(int)condFrames], r["first_step_cond"][.., ..(int)condFrames], 2, "mel_spec", L("first_step_cond"));
        TensorAssert.Close(chunk.Sample.StepCond[.., (int)condFrames..], r["first_step_cond"][.., (int)condFrames..], Bitwise, "cfm_step_cond", L("first_step_cond/padding"));
        // the first DiT call on upstream's own captured inputs isolates the DiT; on the port's inputs it also carries the
        // condition's FFT rounding, which the sample tolerance covers
        AssertFirstDiTCallOnUpstreamInputs(CaseModels.Get(c, useEma), r, Tol(c).Module, L("first_step_out/upstream_inputs"));
        TensorAssert.Close(chunk.Sample.FirstStepOutput, r["first_step_out_cfg_packed"], Tol(c).Sample, "infer_path", L("first_step_out"));
        // the output's reference region IS the condition mel (cfm.py: where(cond_mask, cond, out)); the rest is sampled
        if (r.ContainsKey("out_full"))
        {
            MelAssert.CloseAsMagnitude(chunk.Sample.Output[.., ..(int)condFrames], r["out_full"][.., ..(int)condFrames], 2, "mel_spec", L("out_full/reference"));
            TensorAssert.Close(chunk.Sample.Output[.., (int)condFrames..], r["out_full"][.., (int)condFrames..], Tol(c).Sample, "infer_path", L("out_full/generated"));
        }
        long condInGen = condFrames - chunk.RefAudioLen; // infer_process cuts one frame early: gen_mel starts inside the reference
        MelAssert.CloseAsMagnitude(chunk.GenMel[.., .., ..(int)condInGen], r["gen_mel"][.., .., ..(int)condInGen], 1, "mel_spec", L("gen_mel/reference"));
        TensorAssert.Close(chunk.GenMel[.., .., (int)condInGen..], r["gen_mel"][.., .., (int)condInGen..], Tol(c).Sample, "infer_path", L("gen_mel/generated"));
        TensorAssert.Close(result.Wave.unsqueeze(0), r["gen_wave"], Tol(c).Wave, "infer_path_wave", L("gen_wave"));
    }

    [Theory]
    [MemberData(nameof(ReferenceSet.CaseNames), MemberType = typeof(ReferenceSet))]
    public void Cli_flow_from_the_original_clip_equals_upstreams_cli_flow(string caseName)
    {
        // preprocess_ref_audio_text on the clip the direct call loaded, then infer_process: upstream's *_infer_cliflow
        var c = Set.Case(caseName);
        var r = c.Tensors("sample_infer_cliflow.safetensors");
        var original = Set.Metadata(Path.Combine(caseName, "sample_infer_direct.safetensors"))["ref_audio"];
        var result = InferProcessPath.RunCliFlow(CaseModels.Get(c, useEma: true), CaseModels.Vocab, CaseModels.Vocoder,
            Set.PathOf(original), Set.Transcript, Set.Transcript,
            new InferProcessOptions { NfeStep = Steps, CfgStrength = Cfg, SwaySamplingCoef = Sway, ManualSeed = Seed });

        var chunk = result.Chunks.Should().ContainSingle().Subject;
        TensorAssert.Equal(chunk.TextIds, r["text_ids"], "text", $"{caseName}/cliflow-from-original/text_ids");
        chunk.Duration.Should().Be(r["duration"].item<long>());
        long condInGen = 1; // infer_process cuts one frame early: the first generated frame is the last reference frame
        TensorAssert.Close(chunk.GenMel[.., .., (int)condInGen..], r["gen_mel"][.., .., (int)condInGen..], Tol(c).Sample, "infer_path", $"{caseName}/cliflow-from-original/gen_mel");
        TensorAssert.Close(result.Wave.unsqueeze(0), r["gen_wave"], Tol(c).Wave, "infer_path_wave", $"{caseName}/cliflow-from-original/gen_wave");
    }

    static void AssertFirstDiTCallOnUpstreamInputs(F5Parity.Model.CFM model, IReadOnlyDictionary<string, Tensor> r, Tolerance module, string label)
    {
        using var noGrad = no_grad();
        model.eval();
        using var scope = NewDisposeScope();
        var output = model.transformer.forward(r["y0"], r["first_step_cond"], r["text_ids"], r["t"][0], cfgInfer: true);
        TensorAssert.Close(output, r["first_step_out_cfg_packed"], module, "dit", label);
    }

    [Theory]
    [MemberData(nameof(ReferenceSet.CaseNames), MemberType = typeof(ReferenceSet))]
    public void Infer_process_condition_is_the_rms_normalised_waveform(string caseName)
    {
        var c = Set.Case(caseName);
        var r = c.Tensors("sample_infer_direct.safetensors");
        var (audio, sr) = WavFile.Read(Set.PathOf(Set.Metadata(Path.Combine(caseName, "sample_infer_direct.safetensors"))["ref_audio"]));
        var (prepared, rms) = ReferenceAudio.Prepare(audio, sr, 0.1, normalizeRms: true, targetSampleRate: 24_000);
        TensorAssert.Close(prepared, r["cond_input"], RmsRounding(audio.numel()), "reference_audio", $"{caseName}/infer/cond_input");
        rms.Should().BeLessThan(0.1f, "the reference clip is quiet, so upstream raised it");
    }

    /// <summary>
    /// rms = sqrt(mean(x²)) is a float32 sum over the whole clip, and the order of that sum is libtorch's (vectorised
    /// lanes, a cascade of partial sums, split across threads), not torch 1.13's. A cascade sum of n terms is within
    /// about log2(n) roundings of the exact sum, sqrt halves a relative error, and the division and square root round
    /// once more each: the rms is allowed ⌈log2 n⌉ / 2 + 2 ulps. audio * 0.1 / rms then adds two roundings per sample.
    /// A wrong formula (no mean, no sqrt, another target) is off by orders of magnitude more.
    /// </summary>
    static double RmsUlps(long samples) => Math.Ceiling(Math.Log2(samples)) / 2 + 2;

    static Tolerance RmsRounding(long samples) => new($"{RmsUlps(samples) + 2:g} float32 ulps", 0,
        (RmsUlps(samples) + 2) * Float32Budget.Epsilon, "rms summed in another order, then two roundings per sample");

    [Fact]
    public void Rms_equals_upstream_within_its_summation_rounding_on_any_thread_count()
    {
        var m = Set.Tensors("common/mel.safetensors");
        var wav = m["wav_24k"];
        double expected = m["rms_24k"].item<float>();
        int threads = get_num_threads();
        try
        {
            foreach (int n in new[] { 1, Math.Max(2, threads) })
            {
                set_num_threads(n);
                double actual = ReferenceAudio.Rms(wav);
                Math.Abs(actual - expected).Should().BeLessThanOrEqualTo(RmsUlps(wav.numel()) * Float32Budget.Epsilon * expected,
                    $"on {n} thread(s) the rms may differ from upstream's only by the rounding of its sum");
            }
        }
        finally { set_num_threads(threads); }
    }
}
