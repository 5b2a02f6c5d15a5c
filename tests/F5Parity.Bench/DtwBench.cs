using System.Diagnostics;
using F5Parity.Metrics;
using static TorchSharp.torch;

namespace F5Parity.Bench;

/// <summary>
/// Wall clock of <see cref="MelDtw.Align"/> on two seeded random log-mels of n frames (100 bins, 99 cepstra per frame):
/// best of 5 after a warm-up. The test tier checks the alignment; its speed is measured here.
/// </summary>
public static class DtwBench
{
    public static string Run(int frames)
    {
        using var g = new Generator(7);
        using var a = randn([100, frames], generator: g);
        using var b = randn([100, frames], generator: g);
        MelDtw.Align(a, b); // JIT warm-up
        double best = double.MaxValue;
        for (int i = 0; i < 5; i++)
        {
            var sw = Stopwatch.StartNew();
            MelDtw.Align(a, b);
            best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
        }
        return $"dtw {frames}x{frames}: {best:0.0} ms (best of 5)";
    }
}
