using F5Parity.Audio;
using F5Parity.Model;
using F5Parity.Text;
using F5Parity.Torch;
using F5Parity.Vocoder;
using static TorchSharp.torch;

namespace F5Parity.Pipelines;

/// <summary>
/// Upstream's trainer sample logging (model/trainer.py, <c>log_samples</c>): the ONLINE (raw) model re-synthesises a
/// training clip — condition = that clip's own dataset mel, text = its own dataset tokens twice joined by " ",
/// duration = 2 x its mel length, cut at exactly the mel length, vocoded as is (no RMS handling). Sampling and both
/// decodes sit inside upstream's <c>with torch.inference_mode(), self.accelerator.autocast():</c> block, so
/// <see cref="TrainerSampleOptions.Autocast"/> covers all three; the sample is cast to float32 before decoding, as upstream does.
/// </summary>
public static class TrainerSamplePath
{
    /// <summary>
    /// The dataset mel of a clip as <c>CustomDataset.__getitem__</c> computes it (dataset.py): mono mean, resample to
    /// the mel's rate if needed, MelSpec — no RMS normalisation. Returns (1, d, n).
    /// </summary>
    public static Tensor DatasetMel(MelSpec melSpec, Tensor audio, int sampleRate)
    {
        using var scope = NewDisposeScope();
        var mono = ReferenceAudio.ToMono(audio.to(ScalarType.Float32));
        if (sampleRate != melSpec.TargetSampleRate) mono = Resample.Apply(mono, sampleRate, melSpec.TargetSampleRate);
        return melSpec.Forward(mono).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Runs the logged sample. <paramref name="datasetMel"/> is (1, d, n) as the batch holds it; <paramref name="tokens"/>
    /// is the dataset row's text (a token list as upstream's preparation scripts store it).
    /// </summary>
    public static TrainerSampleResult Run(CFM model, Vocab vocab, IVocoder vocoder, Tensor datasetMel,
        IReadOnlyList<string> tokens, TrainerSampleOptions? options = null)
    {
        var o = options ?? new TrainerSampleOptions();
        var logged = RunLogged(model, vocab, vocoder, datasetMel, tokens, o);
        if (o.Cut == OutputCut.MelFrames && o.RestoreRmsFrom is null) return logged;
        using var scope = NewDisposeScope();
        long cutAt = o.Cut == OutputCut.MelFrames ? logged.RefAudioLen
            : (o.ReferenceSamples ?? throw new ArgumentException("the L // hop cut needs ReferenceSamples")) / model.MelSpec.HopLength;
        var genMel = logged.GenMel;
        var genWave = logged.GenWave;
        if (o.Cut == OutputCut.HopFloor)
        {
            genMel = logged.Sample.Output.to(ScalarType.Float32)[.., (int)cutAt.., ..].permute(0, 2, 1).contiguous();
            genWave = vocoder.Decode(genMel);
        }
        if (o.RestoreRmsFrom is float rms) genWave = ReferenceAudio.RestoreRms(genWave, rms, o.TargetRms);
        return logged with { GenMel = genMel.MoveToOuterDisposeScope(), GenWave = genWave.MoveToOuterDisposeScope(), CutAt = cutAt };
    }

    /// <summary>The logged block itself: sample and both decodes inside the trainer's autocast.</summary>
    static TrainerSampleResult RunLogged(CFM model, Vocab vocab, IVocoder vocoder, Tensor datasetMel,
        IReadOnlyList<string> tokens, TrainerSampleOptions o)
    {
        using var scope = NewDisposeScope();
        using var autocast = Autocast.Enable(o.Autocast);
        long refAudioLen = datasetMel.shape[^1];
        var inferText = tokens.Concat([" "]).Concat(o.GenTokens ?? tokens).ToList();
        var textIds = TextTokenizer.ListStrToIdx([inferText], vocab);
        var cond = datasetMel.permute(0, 2, 1); // b n d
        long duration = o.DurationFrames ?? refAudioLen * o.DurationFactor;

        if (o.ManualSeed is long seed) random.manual_seed(seed);
        var sample = model.Sample(cond, textIds, tensor(duration), new SampleOptions
        {
            Steps = o.NfeStep, CfgStrength = o.CfgStrength, SwaySamplingCoef = o.SwaySamplingCoef, UseEpss = o.UseEpss,
            TrainMode = o.TrainMode, Autocast = o.Autocast,
        });

        var generated = sample.Output.to(ScalarType.Float32);
        var genMel = generated[.., (int)refAudioLen.., ..].permute(0, 2, 1).contiguous();
        var genWave = vocoder.Decode(genMel);
        var refWave = vocoder.Decode(datasetMel);
        return new TrainerSampleResult(inferText, textIds.MoveToOuterDisposeScope(), duration, refAudioLen,
            sample.MoveToOuterDisposeScope(), genMel.MoveToOuterDisposeScope(), genWave.MoveToOuterDisposeScope(),
            refWave.MoveToOuterDisposeScope()) { CutAt = refAudioLen };
    }
}

/// <summary>What the trainer would have logged: update_N_gen.wav (GenWave) and update_N_ref.wav (RefWave).</summary>
public sealed record TrainerSampleResult(IReadOnlyList<string> TextTokens, Tensor TextIds, long Duration,
    long RefAudioLen, SampleResult Sample, Tensor GenMel, Tensor GenWave, Tensor RefWave)
{
    /// <summary>The frame the generated part starts at: <see cref="RefAudioLen"/> unless <see cref="OutputCut.HopFloor"/> moved it.</summary>
    public long CutAt { get; init; }
}
