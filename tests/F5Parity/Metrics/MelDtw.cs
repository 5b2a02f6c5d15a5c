using System.Numerics;
using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace F5Parity.Metrics;

/// <summary>
/// DTW-aligned mel distance, in the style of mel-cepstral distortion: each log-mel frame becomes cepstra c1..cK
/// (<see cref="MelCepstrum"/>: DCT-II, c0 dropped), the cost of pairing frame i of a with frame j of b is the
/// Euclidean distance of their cepstra, and classic dynamic time warping finds the cheapest monotone path from
/// (0, 0) to (n_a - 1, n_b - 1) with the three standard moves (i+1, j), (i, j+1), (i+1, j+1), each step weighing its
/// frame cost once: D(i, j) = cost(i, j) + min(D(i-1, j), D(i, j-1), D(i-1, j-1)).
/// The distance is D(n_a - 1, n_b - 1) divided by the path length (the mean frame cost along the path), so clips of
/// different length compare on one scale. Time and memory are O(n_a · n_b) in managed float arrays.
/// </summary>
public static class MelDtw
{
    /// <summary>Aligns two log-mels of shape (d, n) (see <see cref="MelFrames"/>); both must have the same d.</summary>
    public static DtwAlignment Align(Tensor melA, Tensor melB, int? coefficients = null)
    {
        var (da, _) = MelFrames.ShapeOf(melA, nameof(melA));
        var (db, _) = MelFrames.ShapeOf(melB, nameof(melB));
        if (da != db) throw new ArgumentException($"the mels have different mel-bin counts: {da} vs {db}");
        var a = MelCepstrum.FromLogMel(MelFrames.ToFrameMajor(melA, nameof(melA)), da, coefficients);
        var b = MelCepstrum.FromLogMel(MelFrames.ToFrameMajor(melB, nameof(melB)), db, coefficients);
        return AlignFeatures(a, b, coefficients ?? da - 1);
    }

    /// <summary>
    /// DTW on frame-major feature vectors (<c>frames × dim</c> each) with Euclidean frame cost — the core of
    /// <see cref="Align"/>, usable on any features (cepstra computed once and reused, for example).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static DtwAlignment AlignFeatures(float[] a, float[] b, int dim)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (dim < 1 || a.Length == 0 || b.Length == 0 || a.Length % dim != 0 || b.Length % dim != 0)
            throw new ArgumentException($"features of {a.Length} and {b.Length} values are not whole, non-empty frames of {dim}");
        int n = a.Length / dim, m = b.Length / dim;

        // acc[i * m + j] = D(i, j), the cheapest cost of a path from (0, 0) to (i, j).
        var acc = new float[checked(n * m)];
        for (int i = 0; i < n; i++)
        {
            var fa = new ReadOnlySpan<float>(a, i * dim, dim);
            for (int j = 0; j < m; j++)
            {
                float cost = Euclidean(fa, new ReadOnlySpan<float>(b, j * dim, dim));
                float best;
                if (i == 0 && j == 0) best = 0;
                else if (i == 0) best = acc[j - 1];
                else if (j == 0) best = acc[(i - 1) * m];
                else best = Math.Min(acc[(i - 1) * m + j - 1], Math.Min(acc[(i - 1) * m + j], acc[i * m + j - 1]));
                acc[i * m + j] = cost + best;
            }
        }

        // Backtrack from the end; on equal cost prefer the diagonal, then a step in a, then a step in b.
        var path = new List<(int A, int B)>(n + m) { (n - 1, m - 1) };
        int pi = n - 1, pj = m - 1;
        while (pi > 0 || pj > 0)
        {
            if (pi == 0) pj--;
            else if (pj == 0) pi--;
            else
            {
                float diag = acc[(pi - 1) * m + pj - 1], up = acc[(pi - 1) * m + pj], left = acc[pi * m + pj - 1];
                if (diag <= up && diag <= left) { pi--; pj--; }
                else if (up <= left) pi--;
                else pj--;
            }
            path.Add((pi, pj));
        }
        path.Reverse();
        double total = acc[n * m - 1];
        return new DtwAlignment(total / path.Count, total, path, n, m);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.AggressiveInlining)]
    static float Euclidean(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        int k = 0;
        var squares = Vector<float>.Zero;
        for (; k <= x.Length - Vector<float>.Count; k += Vector<float>.Count)
        {
            var d = new Vector<float>(x[k..]) - new Vector<float>(y[k..]);
            squares += d * d;
        }
        float sum = Vector.Sum(squares);
        for (; k < x.Length; k++) { float d = x[k] - y[k]; sum += d * d; }
        return MathF.Sqrt(sum);
    }
}

/// <summary>
/// The result of <see cref="MelDtw"/>: <see cref="Distance"/> is the mean Euclidean cepstral frame cost along the
/// optimal path (0 for identical inputs), <see cref="Path"/> the aligned frame pairs from (0, 0) to
/// (FramesA - 1, FramesB - 1).
/// </summary>
public sealed record DtwAlignment(double Distance, double TotalCost, IReadOnlyList<(int A, int B)> Path, int FramesA, int FramesB)
{
    /// <summary>
    /// <see cref="Distance"/> on the mel-cepstral-distortion scale, (10 / ln 10) · √2 · distance, in "dB". It is
    /// MCD-like only: these cepstra are a DCT of F5-TTS's natural-log mel, not SPTK mel-generalised cepstra.
    /// </summary>
    public double MelCepstralDistortionDb => 10.0 / Math.Log(10.0) * Math.Sqrt(2.0) * Distance;
}
