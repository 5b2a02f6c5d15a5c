using F5Parity.Audio;
using TorchSharp;
using static TorchSharp.torch;
using static F5Parity.Torch.Scalars;

namespace F5Parity.Pipelines;

/// <summary>
/// The reference audio as <c>infer_batch_process</c> prepares it (infer/utils_infer.py): mono mean, RMS raised to
/// <c>target_rms</c> when quieter (computed BEFORE resampling), then resampled to 24 kHz. Each step can be switched
/// off alone so the hypotheses can isolate it.
/// </summary>
public static class ReferenceAudio
{
    /// <summary>Mono (1, L) float32: the mean over channels when there are several (torch.mean(dim=0, keepdim)).</summary>
    public static Tensor ToMono(Tensor audio) => audio.shape[0] > 1 ? audio.mean([0], keepdim: true) : audio;

    /// <summary><c>sqrt(mean(audio^2))</c> as a float32 scalar computed by libtorch, like upstream.</summary>
    public static float Rms(Tensor audio)
    {
        using var r = audio.pow(IntTwo).mean().sqrt();   // torch.square: pow(2)
        return r.item<float>();
    }

    /// <summary>
    /// The output level restored after a quiet reference was raised (infer_batch_process: <c>if rms &lt; target_rms:
    /// generated_wave = generated_wave * rms / target_rms</c>); the one copy both pipelines use. <paramref name="rms"/> is
    /// a float, so the product stays Float32 as upstream's does.
    /// </summary>
    public static Tensor RestoreRms(Tensor wave, float rms, double targetRms)
    {
        if (rms >= targetRms) return wave;
        using var rmsScalar = rms.ToScalar();
        using var target = targetRms.ToScalar();
        return wave * rmsScalar / target;
    }

    /// <summary>
    /// Mono, RMS-normalised (if enabled and quieter than <paramref name="targetRms"/>) and resampled audio, plus the
    /// RMS measured before normalisation (used to restore the output level).
    /// </summary>
    public static (Tensor Audio, float Rms) Prepare(Tensor audio, int sampleRate, double targetRms, bool normalizeRms,
        int targetSampleRate)
    {
        using var scope = NewDisposeScope();
        var mono = ToMono(audio.to(ScalarType.Float32));
        using var rmsT = mono.pow(IntTwo).mean().sqrt();
        float rms = rmsT.item<float>();
        using var target = targetRms.ToScalar();
        if (normalizeRms && rms < targetRms) mono = mono * target / rmsT;
        if (sampleRate != targetSampleRate) mono = Resample.Apply(mono, sampleRate, targetSampleRate);
        return (mono.MoveToOuterDisposeScope(), rms);
    }
}
