using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Reporting;
using F5Parity.Asr;
using F5Parity.Audio;
using F5Parity.Metrics;
using static TorchSharp.torch;

namespace F5Parity.Diagnosis.Quality;

/// <summary>
/// Transcribes the generated wave with Whisper (resampled to 16 kHz with the torchaudio-exact resampler) and compares
/// it with the target text after <see cref="TextNormalizer"/> (case, punctuation; accents folded when asked): score =
/// difflib <see cref="SequenceMatcher"/> ratio (the seed report's "similaridade"), also CER and WER.
/// Good = ratio >= <see cref="GoodThreshold"/> (default 0.8).
/// </summary>
public sealed class WhisperMetric(WhisperTranscriber transcriber, bool foldAccents = false, double goodThreshold = 0.8) : IQualityMetric
{
    public string Id => "whisper";
    public double GoodThreshold { get; } = goodThreshold;
    public string Description =>
        $"Whisper ({transcriber.Language}) transcript vs target text, normalised{(foldAccents ? ", accents folded" : "")}; score = difflib ratio (>= {GoodThreshold:0.##} = good)";

    public QualityMeasurement? Measure(RunOutput output)
    {
        if (output.Wave.shape[^1] == 0) return null;
        float[] samples;
        using (var scope = NewDisposeScope())
        {
            var wave = output.Wave.reshape(1, -1).to(ScalarType.Float32).cpu();
            if (output.SampleRate != WhisperTranscriber.SampleRate) wave = Resample.Apply(wave, output.SampleRate, WhisperTranscriber.SampleRate);
            samples = wave.flatten().data<float>().ToArray();
        }
        var text = transcriber.Transcribe(samples).Text;
        string reference = TextNormalizer.Normalize(output.Spec.TargetText, foldAccents);
        string hypothesis = TextNormalizer.Normalize(text, foldAccents);
        double ratio = SequenceMatcher.Ratio(reference, hypothesis);
        return new QualityMeasurement(Id, ratio, ratio >= GoodThreshold, new Dictionary<string, double>
        {
            ["ratio"] = ratio,
            ["cer"] = EditDistance.Cer(reference, hypothesis),
            ["wer"] = EditDistance.Wer(reference, hypothesis),
        }, Transcript: text);
    }
}
