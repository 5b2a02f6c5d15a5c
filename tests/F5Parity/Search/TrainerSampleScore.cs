using F5Parity.Audio;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Runs;
using F5Parity.Errors;
using F5Parity.Pipelines;
using F5Parity.RunFiles;
using static TorchSharp.torch;

namespace F5Parity.Search;

/// <summary>
/// One trainer sample (<c>samples/update_N_gen.wav</c>) measured with the diagnosis's own metric, as a run output
/// whose mel is the mel of the WAV (vocos-type <see cref="MelSpec"/>, as the dataset computes it): token accuracy of
/// that mel for a codebook fixture, the transcript for Whisper. The sample is scored against the target text of the
/// trainer-path run it is set beside. Its <c>_ref.wav</c> is the control: scored against the reference text, it
/// must be good, else the mel of these WAVs is not the mel the model made (the vocoder that wrote them does not
/// invert the mel front end, e.g. an untrained vocoder) and the sample is reported unscoreable rather than bad.
/// </summary>
public sealed record TrainerSampleScore(TrainerSample Sample, QualityMeasurement? Gen, QualityMeasurement? Ref, string? Unscoreable)
{
    /// <summary>The sample's score when it could be judged (its ref control good or absent).</summary>
    public QualityMeasurement? Score => Unscoreable is null ? Gen : null;

    /// <summary>Scores <paramref name="sample"/> against <paramref name="trainer"/>'s texts with metric <paramref name="metricId"/>.</summary>
    /// <param name="readBack">How the metric's mel is read from the WAV's mel (d, n) and the run it is scored as: as is for speech;
    /// <see cref="CodebookWavDecoder"/> for a codebook fixture (see there why).</param>
    public static TrainerSampleScore Measure(TrainerSample sample, RunSpec trainer, IReadOnlyList<IQualityMetric> metrics, string metricId,
        Func<Tensor, RunSpec, Tensor>? readBack = null)
    {
        var metric = metrics.FirstOrDefault(m => m.Id == metricId)
            ?? throw new ArgumentException($"metric '{metricId}' is not configured", nameof(metricId));
        var gen = ScoreWav(sample.GenWav, trainer, metric, readBack);
        var refScore = sample.RefWav is null ? null : ScoreWav(sample.RefWav, trainer with { GenText = null }, metric, readBack);
        string? why = gen is null ? $"{metricId} cannot judge {Path.GetFileName(sample.GenWav)}"
            : refScore is { Good: false } ? $"its reference {Path.GetFileName(sample.RefWav)} scores {refScore.Score:0.###} on {metricId} against the reference text, " +
                "so the mel of these WAVs is not the mel the model made (the vocoder that wrote them does not invert the mel front end)"
            : null;
        return new TrainerSampleScore(sample, gen, refScore, why);
    }

    static QualityMeasurement? ScoreWav(string wav, RunSpec spec, IQualityMetric metric, Func<Tensor, RunSpec, Tensor>? readBack)
    {
        using var scope = NewDisposeScope();
        var (audio, rate) = WavFile.Read(wav);
        if (audio.shape[^1] == 0) throw new AudioFormatException(wav, "the trainer sample holds no audio");
        using var melSpec = new MelSpec();
        var mel = TrainerSamplePath.DatasetMel(melSpec, audio, rate)[0];
        if (readBack is not null) mel = readBack(mel, spec);
        var output = new RunOutput(spec, mel, audio.mean([0]), rate, [], [], mel.shape[^1], 0, 0);
        return metric.Measure(output);
    }

    /// <summary>The read-back a diagnosis's metric needs: the codebook decoder with its vocoder for a codebook fixture.</summary>
    public static Func<Tensor, RunSpec, Tensor>? ReadBackFor(Diagnosis.Diagnoser d) => d.Codebook is null ? null
        : (mel, spec) =>
        {
            using var ms = new MelSpec();
            return CodebookWavDecoder.Decode(d.Codebook.Language, d.Runner.Vocoder, ms, mel, Runner.Tokenize(spec.TargetText, d.Config.DatasetText));
        };

    /// <summary>"the trainer's sample at update N scored X; our rerun of the trainer path scores Y".</summary>
    public string Describe(string metricId, double? rerun)
    {
        string rerunText = rerun is null ? "our rerun of the trainer path could not be scored" : $"our rerun of the trainer path scores {rerun:0.###}";
        if (Unscoreable is not null) return $"the trainer's sample at update {Sample.Update} cannot be scored: {Unscoreable}; {rerunText}";
        return $"the trainer's sample at update {Sample.Update} scored {Gen!.Score:0.###} ({(Gen.Good ? "good" : "bad")}) on {metricId}" +
            (Ref is null ? "" : $" (its reference {Ref.Score:0.###})") + $"; {rerunText}";
    }
}
