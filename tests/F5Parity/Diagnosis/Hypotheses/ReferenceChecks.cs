using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Text;
using static TorchSharp.torch;

namespace F5Parity.Diagnosis.Hypotheses;

/// <summary>
/// What the inference side does to the reference before sampling: its loudness (raised to RMS 0.1 when quieter) and,
/// in the CLI flow, what <c>preprocess_ref_audio_text</c> keeps of it — a clip cut while ref_text stays whole no
/// longer matches its transcript.
/// </summary>
public static class ReferenceChecks
{
    public static void Add(InputFiles inputs, RunSpec i, List<StaticFinding> findings)
    {
        if (i.RefMelId is not null || string.IsNullOrEmpty(i.RefAudioPath)) return;
        string name = StaticChecks.Short(i.RefAudioPath);
        using var scope = NewDisposeScope();
        try
        {
            // the runner's copies: read and preprocessed once, for these checks and for every run
            var (audio, rate) = inputs.Audio(i.RefAudioPath);
            float rms = Pipelines.ReferenceAudio.Rms(Pipelines.ReferenceAudio.ToMono(audio));
            bool raised = i.NormalizeRms && rms < 0.1f;
            findings.Add(new("reference-rms", Severity.Info,
                $"{name}: RMS {rms:0.####} ({audio.shape[^1] / (double)rate:0.##} s at {rate} Hz)" +
                (raised ? $"; inference raises it to 0.1 (log-mel offset {Math.Log(0.1 / rms):0.###} on the prompt), the trainer's dataset mel keeps it" : ""),
                "reference-audio", new Dictionary<string, double> { ["rms"] = rms, ["seconds"] = audio.shape[^1] / (double)rate }));
            if (!i.PreprocessRefAudio) return;
            var pre = inputs.PreprocessedAudio(i.RefAudioPath);
            var values = new Dictionary<string, double> { ["seconds_in"] = pre.InputSeconds, ["seconds_out"] = pre.OutputSeconds, ["clip_step"] = pre.ClipStep };
            findings.Add(pre.ClipStep > 0
                ? new("reference-preprocess", Severity.Warning,
                    $"{name}: preprocess_ref_audio_text keeps {pre.OutputSeconds:0.##} of {pre.InputSeconds:0.##} s ({ClipHow(pre.ClipStep)}) but ref_text stays whole: the transcript no longer matches the audio — use a reference under 12 s",
                    "reference-audio", values)
                : new("reference-preprocess", Severity.Info,
                    $"{name}: preprocess_ref_audio_text trims edges below −42 dBFS and pads 50 ms: {pre.InputSeconds:0.###} s → {pre.OutputSeconds:0.###} s at {pre.SampleRate} Hz",
                    "reference-audio", values));
        }
        catch (Errors.F5ParityInputException e)
        {
            findings.Add(new("reference-readable", Severity.Error, e.Message, "reference-audio"));
        }
    }

    static string ClipHow(int step) => step switch
    {
        1 => "cut at a silence of ≥ 1 s",
        2 => "cut at a silence of ≥ 100 ms",
        _ => "hard cut at 12 s: no silence to cut at",
    };
}
