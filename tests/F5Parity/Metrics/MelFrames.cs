using static TorchSharp.torch;

namespace F5Parity.Metrics;

/// <summary>
/// The mel convention of F5Parity's metrics: a log-mel spectrogram as a TorchSharp tensor of shape
/// <c>(d, n)</c> = (n_mels, frames) — upstream's <c>MelSpec</c> output for one utterance (its <c>(b, d, n)</c> with the
/// batch of one dropped; a leading batch dimension of size 1 is accepted and squeezed). This helper copies such a
/// tensor into a frame-major float array (<c>frames × n_mels</c>) for the managed metrics.
/// </summary>
public static class MelFrames
{
    /// <summary>(d, n) or (1, d, n) → (n_mels, frames); anything else is an argument error naming the shape.</summary>
    public static (int NMels, int Frames) ShapeOf(Tensor mel, string name = "mel")
    {
        ArgumentNullException.ThrowIfNull(mel, name);
        var s = mel.shape;
        if (s.Length == 3 && s[0] == 1) s = s[1..];
        if (s.Length != 2)
            throw new ArgumentException($"{name}: expected a mel of shape (n_mels, frames) or (1, n_mels, frames), got [{string.Join(", ", mel.shape)}]", name);
        if (s[0] == 0 || s[1] == 0)
            throw new ArgumentException($"{name}: empty mel [{string.Join(", ", mel.shape)}]", name);
        return (checked((int)s[0]), checked((int)s[1]));
    }

    /// <summary>The mel as float32 values, frame-major: element [t * n_mels + k] is mel bin k of frame t.</summary>
    public static float[] ToFrameMajor(Tensor mel, string name = "mel")
    {
        var (nMels, frames) = ShapeOf(mel, name);
        using var scope = NewDisposeScope();
        // (d, n) -> (n, d): one row per frame.
        var t = mel.detach().cpu().to(ScalarType.Float32).reshape(nMels, frames).t().contiguous();
        var values = t.data<float>().ToArray();
        if (values.Any(v => !float.IsFinite(v)))
            throw new ArgumentException($"{name}: the mel holds NaN or infinite values", name);
        return values;
    }
}
