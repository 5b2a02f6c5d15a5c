using F5Parity.Metrics;
using static TorchSharp.torch;

namespace F5Parity.Tests.Metrics;

/// <summary>Frame-by-frame mel distances on synthetic mels.</summary>
public sealed class MelMetricsTests
{
    [Fact]
    public void L1_is_the_mean_absolute_difference()
    {
        using var a = tensor(new float[] { 0, 1, 2, 3, 4, 5 }, [2, 3]);
        using var b = tensor(new float[] { 1, 1, 2, 3, 4, 2 }, [2, 3]);
        MelMetrics.L1(a, a).Should().Be(0);
        MelMetrics.L1(a, b).Should().Be(4.0 / 6); // |0-1| + |5-2| over 6 cells
        using var batched = b.unsqueeze(0);
        MelMetrics.L1(a, batched).Should().Be(4.0 / 6, "a leading batch of one is accepted");
    }

    [Fact]
    public void Cosine_plain_and_centred()
    {
        using var a = SyntheticMels.ToMel(SyntheticMels.Utterance(seed: 21, frames: 60));
        using var other = SyntheticMels.ToMel(SyntheticMels.Utterance(seed: 22, frames: 60));
        using var twice = a * 2;
        using var negated = -a;

        MelMetrics.Cosine(a, a).Should().BeApproximately(1, 1e-12);
        MelMetrics.Cosine(a, twice).Should().BeApproximately(1, 1e-12, "cosine ignores scale");
        MelMetrics.Cosine(a, negated).Should().BeApproximately(-1, 1e-12);
        // Two unrelated log-mels: the shared negative floor gives them a clearly positive plain cosine; centring
        // removes it and leaves a correlation near 0.
        double plain = MelMetrics.Cosine(a, other), centred = MelMetrics.Cosine(a, other, center: true);
        plain.Should().BeGreaterThan(0.5);
        Math.Abs(centred).Should().BeLessThan(0.3);
        Console.WriteLine($"unrelated mels: cosine {plain:F3}, centred {centred:F3}");
    }
}
