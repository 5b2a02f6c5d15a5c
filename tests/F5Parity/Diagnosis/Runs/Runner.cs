using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
using System.Diagnostics;
using System.Runtime.InteropServices;
using TorchSharp;
using F5Parity.Audio;
using F5Parity.Checkpoints;
using F5Parity.Errors;
using F5Parity.Model;
using F5Parity.Pipelines;
using F5Parity.Text;
using F5Parity.Torch;
using F5Parity.Vocoder;
using static TorchSharp.torch;

namespace F5Parity.Diagnosis.Runs;

/// <summary>
/// Turns a <see cref="RunSpec"/> into a measured run: samples it with the pipeline its code names
/// (<see cref="TrainerSamplePath"/> or <see cref="InferProcessPath"/>, options built from the spec), measures the
/// output with the configured metrics over the configured noise draws, caches the result by spec (equal specs give
/// equal outputs: everything is seeded) and turns input faults into <see cref="RunResult.Error"/>. Files are read once
/// by <see cref="InputFiles"/>, models loaded once by <see cref="ModelCache"/>. Not thread-safe (the global RNG is shared).
/// </summary>
public sealed class Runner : IDisposable
{
    const int SampleRate = 24_000;
    const int HopLength = 256;
    const double TargetRms = 0.1;

    readonly IVocoder _vocoder;
    readonly ModelCache _models;
    readonly Dictionary<RunSpec, RunResult> _results = [];
    readonly Dictionary<RunSpec, RunResult> _aggregated = [];

    public Runner(IVocoder vocoder, IReadOnlyList<IQualityMetric> metrics, Device? device = null, int seeds = 1)
    {
        if (seeds < 1) throw new ArgumentOutOfRangeException(nameof(seeds), $"seeds must be at least 1, got {seeds}");
        _vocoder = vocoder;
        Metrics = metrics;
        _models = new ModelCache(Inputs, device);
        Seeds = seeds;
    }

    /// <summary>The input files, read once; static checks read the same copies.</summary>
    public InputFiles Inputs { get; } = new();

    /// <summary>
    /// How many noise draws each spec is measured over: seeds <c>Seed + k·<see cref="SeedStride"/></c>, k = 0..n−1. The
    /// output kept (mel, wave) is the first draw's; each metric's score is the mean, "good" the majority.
    /// </summary>
    public int Seeds { get; }

    /// <summary>Distance between the seeds of one spec's draws, so the seed theory's Seed + 1 gives a disjoint set.</summary>
    public const long SeedStride = 1000;

    /// <summary>The vocoder every run decodes with (the trainer's and inference's, as configured).</summary>
    public IVocoder Vocoder => _vocoder;

    /// <summary>The metrics every run is measured with, primary first.</summary>
    public IReadOnlyList<IQualityMetric> Metrics { get; }

    /// <summary>How many distinct specs were actually sampled.</summary>
    public int SampledRuns { get; private set; }

    /// <summary>
    /// Runs (or returns the cached result of) one spec, measured over <see cref="Seeds"/> noise draws. Input faults
    /// become <see cref="RunResult.Error"/>.
    /// </summary>
    public RunResult Run(RunSpec spec)
    {
        var first = RunOne(spec);
        if (Seeds == 1 || first.Error is not null) return first;
        if (_aggregated.TryGetValue(spec, out var done)) return done;
        var draws = new List<RunResult> { first };
        for (int k = 1; k < Seeds; k++)
        {
            var r = RunOne(spec with { Seed = spec.Seed + k * SeedStride });
            if (r.Error is not null) return _aggregated[spec] = first with { Error = $"seed {spec.Seed + k * SeedStride}: {r.Error}" };
            draws.Add(r);
        }
        var metrics = first.Metrics.Select(m => SeedDraws.Mean(m, draws.Select(d => d.Metric(m.MetricId)).ToList())).ToList();
        return _aggregated[spec] = first with { Metrics = metrics };
    }

    RunResult RunOne(RunSpec spec)
    {
        if (_results.TryGetValue(spec, out var cached)) return cached;
        if (spec.RefMelId is not null) Inputs.ReferenceMel(spec.RefMelId); // none registered: a caller's bug, not an input fault
        RunResult result;
        try
        {
            var output = Sample(spec);
            SampledRuns++;
            result = new RunResult(spec, output, Metrics.Select(m => m.Measure(output)).OfType<QualityMeasurement>().ToList(), null);
        }
        catch (Exception e) when (e is F5ParityInputException or ArgumentException or InvalidOperationException or ExternalException)
        {
            result = new RunResult(spec, null, [], $"{e.GetType().Name}: {e.Message}");
        }
        _results[spec] = result;
        return result;
    }

    /// <summary>The model a spec samples with (see <see cref="ModelCache"/>).</summary>
    public CFM Model(RunSpec spec) => _models.For(spec);

    /// <summary>The reference text the model is conditioned on: with preprocess_ref_audio_text's ". " when the spec says so.</summary>
    static string RefTextOf(RunSpec spec) => spec.PreprocessRefText ? PreprocessRefAudioText.RefText(spec.RefText) : spec.RefText;

    /// <summary>
    /// One sampling run: the reference (a registered mel as is, or the WAV through the spec's audio knobs) conditions
    /// the spec's pipeline, which owns its knobs; the runner only builds each pipeline's options from the spec.
    /// </summary>
    RunOutput Sample(RunSpec spec)
    {
        var watch = Stopwatch.StartNew();
        var model = Model(spec);
        var vocab = Inputs.Vocab(spec.VocabPath);
        var (audio, rate) = spec.RefMelId is not null ? (null, 0) : spec.PreprocessRefAudio
            ? (Inputs.PreprocessedAudio(spec.RefAudioPath).Audio, Inputs.PreprocessedAudio(spec.RefAudioPath).SampleRate)
            : Inputs.Audio(spec.RefAudioPath); // cached: loaded outside the scope below
        using var scope = NewDisposeScope();
        Tensor? prepared = null;
        float rms = 0;
        if (audio is not null) (prepared, rms) = ReferenceAudio.Prepare(audio, rate, TargetRms, spec.NormalizeRms, SampleRate);
        // the reference length in frames: a mel's own length, or the audio's 1 + L // hop (the dataset mel's length)
        var mel = prepared is null ? Inputs.ReferenceMel(spec.RefMelId!).unsqueeze(0).to(model.WeightDevice) : null;   // 1 d n
        long melFrames = mel?.shape[^1] ?? model.MelSpec.FrameCount(prepared!.shape[^1]);
        long? twice = spec.Duration == DurationRule.TwiceReference ? 2 * melFrames : null;
        random.manual_seed(spec.Seed);
        if (spec.Code == SamplingCode.Infer)
        {
            var o = InferOptions(spec, twice);
            var r = mel is not null
                ? InferProcessPath.RunFromMel(model, vocab, _vocoder, mel, RefTextOf(spec), spec.TargetText, o)
                : InferProcessPath.Run(model, vocab, _vocoder, audio!, rate, RefTextOf(spec), spec.TargetText, o);
            return Output(spec, r.Mel, r.Wave, r.Chunks.SelectMany(c => c.TextTokens).ToList(),
                r.Chunks.SelectMany(c => c.TextIds.flatten().data<long>().ToArray()).ToArray(), r.Chunks.Sum(c => c.Duration),
                mel is not null ? melFrames : r.Chunks[0].RefAudioLen, watch);
        }
        else
        {
            long samples = prepared?.shape[^1] ?? melFrames * HopLength;
            var condition = mel ?? TrainerSamplePath.DatasetMel(model.MelSpec, prepared!, SampleRate);
            // the generated part always says the target text as given (re-speaking: the transcript without the ". ")
            var o = TrainerOptions(spec, twice ?? ByteRatioDuration(samples, RefTextOf(spec), spec.TargetText)) with
            {
                // the audio knobs do not exist for a mel reference
                Cut = mel is null ? spec.Cut : OutputCut.MelFrames, ReferenceSamples = samples,
                RestoreRmsFrom = mel is null && spec.NormalizeRms ? rms : null,
            };
            var r = TrainerSamplePath.Run(model, vocab, _vocoder, condition, Tokenize(RefTextOf(spec), spec.Text), o);
            return Output(spec, r.GenMel[0], r.GenWave.squeeze(), r.TextTokens, r.TextIds.flatten().data<long>().ToArray(),
                r.Duration, mel is not null ? melFrames : r.CutAt, watch);
        }
    }

    /// <summary>The infer pipeline's options: every knob of the spec that <see cref="InferProcessPath"/> reads.</summary>
    static InferProcessOptions InferOptions(RunSpec spec, long? durationFrames) => new()
    {
        NormalizeReferenceRms = spec.NormalizeRms, RestoreOutputRms = spec.NormalizeRms,
        ConvertCharToPinyin = spec.Text != TextProcessing.Raw, CharToPinyinVersion = spec.Text.PinyinVersion(),
        NfeStep = spec.NfeStep, CfgStrength = spec.CfgStrength, SwaySamplingCoef = spec.SwaySamplingCoef, UseEpss = spec.UseEpss,
        DurationFrames = durationFrames, Cut = spec.Cut, ManualSeed = spec.Seed, TrainMode = spec.TrainMode,
        Autocast = spec.Precision.AutocastDtype(),
    };

    /// <summary>The trainer pipeline's options: every knob of the spec that <see cref="TrainerSamplePath"/> reads.</summary>
    static TrainerSampleOptions TrainerOptions(RunSpec spec, long durationFrames) => new()
    {
        NfeStep = spec.NfeStep, CfgStrength = spec.CfgStrength, SwaySamplingCoef = spec.SwaySamplingCoef, UseEpss = spec.UseEpss,
        DurationFrames = durationFrames, ManualSeed = spec.Seed, GenTokens = Tokenize(spec.TargetText, spec.Text),
        TrainMode = spec.TrainMode, Autocast = spec.Precision.AutocastDtype(),
    };

    /// <summary>Copies the run's mel and wave out of the caller's dispose scope as float32 CPU tensors.</summary>
    RunOutput Output(RunSpec spec, Tensor genMel, Tensor wave, IReadOnlyList<string> tokens, long[] ids, long duration,
        long refFrames, Stopwatch watch)
    {
        var melOut = genMel.to(ScalarType.Float32).cpu().detach().clone();
        var waveOut = wave.to(ScalarType.Float32).cpu().flatten().detach().clone();
        melOut.MoveToOuterDisposeScope();
        waveOut.MoveToOuterDisposeScope();
        return new RunOutput(spec, melOut, waveOut, SampleRate, tokens, ids, duration, refFrames, watch.Elapsed.TotalSeconds);
    }

    /// <summary>Tokens of a text: code points as stored, or convert_char_to_pinyin.</summary>
    public static List<string> Tokenize(string text, TextProcessing processing) =>
        processing == TextProcessing.Raw ? PythonStr.CodePoints(text) : CharToPinyin.Convert([text], version: processing.PinyinVersion())[0];

    /// <summary>
    /// infer_process's total frames (utils_infer.py:474-493): ref_text gets " " when its last character is one byte,
    /// speed 0.3 for gen texts under 10 bytes, then ref + int(ref / ref_bytes * gen_bytes / speed).
    /// </summary>
    public static long ByteRatioDuration(long samples, string refText, string genText) =>
        InferProcessPath.ByteRatioDuration(samples / HopLength, InferProcessPath.SpaceAfterRefText(refText), genText,
            InferProcessPath.LocalSpeed(genText, speed: 1.0));

    public void Dispose()
    {
        foreach (var r in _results.Values) r.Output?.Dispose();
        _results.Clear();
        _aggregated.Clear();
        _models.Dispose();
        Inputs.Dispose();
    }
}
