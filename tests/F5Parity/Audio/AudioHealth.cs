using TorchSharp;
using F5Parity.Errors;
using static TorchSharp.torch;

namespace F5Parity.Audio;

/// <summary>What is wrong (or merely risky) about a reference clip.</summary>
public enum AudioIssueKind
{
    /// <summary>NaN or infinite samples.</summary>
    NonFinite,
    /// <summary>Every sample is zero: upstream's RMS normalisation divides by zero and the reference becomes NaN.</summary>
    Silent,
    /// <summary>Samples at full scale: the clip was clipped when recorded or converted.</summary>
    Clipped,
    /// <summary>Longer than 30 s: past F5-TTS's training clips, and infer_process's max_chars turns negative after 22 s.</summary>
    TooLong,
    /// <summary>More than one channel: upstream averages them (phase differences can cancel).</summary>
    MultiChannel,
}

/// <summary>One finding of <see cref="AudioHealth.Diagnose"/>.</summary>
public sealed record AudioIssue(AudioIssueKind Kind, string Detail)
{
    public override string ToString() => $"{Kind}: {Detail}";
}

/// <summary>
/// Checks a reference clip before it goes through <c>infer_process</c>: the faults that make upstream produce NaN
/// (silence, non-finite samples) are errors, the others (clipping, length, channels) are reported diagnostics.
/// </summary>
public static class AudioHealth
{
    /// <summary>|x| at or above this counts as full scale (one 16-bit step below 1.0).</summary>
    public const float FullScale = 32767f / 32768f;

    /// <summary>Longest reference upstream's training data covers.</summary>
    public const double MaxSeconds = 30.0;

    /// <summary>Every finding for audio (channels, samples) at <paramref name="sampleRate"/>, in a fixed order.</summary>
    public static IReadOnlyList<AudioIssue> Diagnose(Tensor audio, int sampleRate)
    {
        using var scope = NewDisposeScope();
        var issues = new List<AudioIssue>();
        var x = audio.to(ScalarType.Float32);
        long total = x.numel();
        long nonFinite = total - x.isfinite().sum().item<long>();
        if (nonFinite > 0) issues.Add(new AudioIssue(AudioIssueKind.NonFinite, $"{nonFinite} of {total} samples are NaN or infinite"));
        var finite = x.nan_to_num(0, 0, 0);
        if (finite.abs().max().item<float>() == 0f)
            issues.Add(new AudioIssue(AudioIssueKind.Silent, "every sample is 0: RMS is 0 and upstream's rms normalisation (audio * target_rms / rms) makes the reference NaN"));
        using var fullScale = FullScale.ToScalar(); // kept alive for the call: see Torch/Scalars
        long clipped = finite.abs().ge(fullScale).sum().item<long>();
        if (clipped > 0)
            issues.Add(new AudioIssue(AudioIssueKind.Clipped, $"{clipped} of {total} samples ({100.0 * clipped / total:0.###} %) are at full scale"));
        double seconds = audio.shape[^1] / (double)sampleRate;
        if (seconds > MaxSeconds)
            issues.Add(new AudioIssue(AudioIssueKind.TooLong, $"{seconds:0.##} s long: beyond the {MaxSeconds} s clips F5-TTS trains on; infer_process's max_chars = bytes/ref_s*(22-ref_s) is negative, so every sentence becomes its own chunk"));
        if (audio.dim() == 2 && audio.shape[0] > 1)
            issues.Add(new AudioIssue(AudioIssueKind.MultiChannel, $"{audio.shape[0]} channels: upstream uses their mean"));
        return issues;
    }

    /// <summary>Throws an <see cref="AudioFormatException"/> naming <paramref name="path"/> when the clip would make upstream produce NaN.</summary>
    public static IReadOnlyList<AudioIssue> ThrowIfUnusable(string path, Tensor audio, int sampleRate)
    {
        var issues = Diagnose(audio, sampleRate);
        var fatal = issues.Where(i => i.Kind is AudioIssueKind.NonFinite or AudioIssueKind.Silent).ToList();
        if (fatal.Count > 0) throw new AudioFormatException(path, string.Join("; ", fatal.Select(i => i.Detail)));
        return issues;
    }
}
