using static TorchSharp.torch;

namespace F5Parity.Metrics;

/// <summary>
/// Frame-by-frame distances between two mels of the same shape <c>(d, n)</c> (see <see cref="MelFrames"/>): useful
/// when two code paths should produce the same frames (port vs upstream, one pipeline vs the other). For mels of
/// different lengths or timing use <see cref="MelDtw"/>.
/// </summary>
public static class MelMetrics
{
    /// <summary>Mean absolute difference over all (bin, frame) cells — F5-TTS's own mel L1.</summary>
    public static double L1(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        var (x, y) = Pair(a, b);
        return (x - y).abs().mean().item<double>();
    }

    /// <summary>
    /// Cosine similarity of the two mels flattened to vectors, x·y / (max(|x|, eps) · max(|y|, eps)) with
    /// eps = 1e-8 (torch's <c>cosine_similarity</c> convention). With <paramref name="center"/> each mel's mean is
    /// removed first (Pearson correlation): log-mels share a large negative offset (log 1e-5 ≈ -11.5 for silence),
    /// so the uncentred cosine of two unrelated mels is already well above 0.
    /// </summary>
    public static double Cosine(Tensor a, Tensor b, bool center = false)
    {
        const double Eps = 1e-8;
        using var scope = NewDisposeScope();
        var (x, y) = Pair(a, b);
        x = x.flatten(); y = y.flatten();
        if (center) { x = x - x.mean(); y = y - y.mean(); }
        double dot = (x * y).sum().item<double>();
        double nx = Math.Max(x.norm().item<double>(), Eps);
        double ny = Math.Max(y.norm().item<double>(), Eps);
        return dot / (nx * ny);
    }

    static (Tensor X, Tensor Y) Pair(Tensor a, Tensor b)
    {
        var (da, na) = MelFrames.ShapeOf(a, nameof(a));
        var (db, nb) = MelFrames.ShapeOf(b, nameof(b));
        if (da != db || na != nb)
            throw new ArgumentException($"mels differ in shape: ({da}, {na}) vs ({db}, {nb}); align them first (MelDtw)");
        // float64 so the reduction itself adds no error to what is measured.
        return (a.detach().cpu().to(ScalarType.Float64).reshape(da, na), b.detach().cpu().to(ScalarType.Float64).reshape(db, nb));
    }
}
