using F5Parity.Audio;
using F5Parity.Diagnosis.Configuration;
using F5Parity.Errors;
using F5Parity.Pipelines;
using F5Parity.Text;

namespace F5Parity.Diagnosis.Runs;

/// <summary>
/// The tested input guards, run on the configured inputs before anything else loads: a reference clip that makes
/// upstream produce NaN (silent, non-finite) is an <see cref="AudioFormatException"/> naming the WAV; a generation
/// text with nothing speakable is a <see cref="TextInputException"/> naming the setting. What is only risky comes
/// back as notes for the report.
/// </summary>
public static class InputGuards
{
    public static IReadOnlyList<string> Check(DiagnosisConfig config)
    {
        var notes = new List<string>();
        if (config.Codebook is null)
        {
            var (audio, rate) = WavFile.Read(config.RefAudio);
            using (audio)
                notes.AddRange(AudioHealth.ThrowIfUnusable(config.RefAudio, audio, rate).Select(i => $"{config.RefAudio}: {i}"));
        }
        if (config.GenText is string gen)
        {
            var vocab = Vocab.Load(config.InferenceVocab ?? config.Vocab);
            // max_chars depends on the reference's length; the infer run reports its own chunking
            notes.AddRange(GenTextCheck.Check(gen, vocab, int.MaxValue, $"genText ({string.Join(" + ", config.Sources)})"));
        }
        return notes;
    }
}
