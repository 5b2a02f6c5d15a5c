using F5Parity.Torch;
using F5Parity.Tests.TestUtilities;
using Xunit.Abstractions;

namespace F5Parity.Tests.Hygiene;

/// <summary>
/// The same configuration and seed give bit-identical mels on the CPU in two separate processes: two children run
/// the bench's <c>determinism</c> verb (tiny v0 EMA checkpoint, 8 Euler steps, CFG 2, sway −1, seed, 1 thread) and
/// print the SHA-256 of the output mel. A third run with another seed must differ, so the hash is not constant.
/// </summary>
public sealed class DeterminismTests(ITestOutputHelper output)
{
    static string Run(long seed, int threads)
    {
        var c = ReferenceSet.Golden.Case("v0");
        return BenchChild.Run(TimeSpan.FromMinutes(3), "determinism", "--config", c.PathOf("model_config.json"),
            "--checkpoint", c.ReleaseCheckpointPath, "--seed", seed.ToString(), "--threads", threads.ToString());
    }

    static string Hash(string stdout) =>
        stdout.Split('\n').Single(l => l.StartsWith("mel-sha256 ", StringComparison.Ordinal))["mel-sha256 ".Length..].Trim();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Same_seed_gives_bit_identical_mels_in_two_processes(int threads)
    {
        string first = Run(1234, threads), second = Run(1234, threads), other = Run(1235, threads);
        output.WriteLine(first);
        Hash(first).Should().MatchRegex("^[0-9a-f]{64}$");
        Hash(second).Should().Be(Hash(first), "same configuration, weights, seed and thread count");
        Hash(other).Should().NotBe(Hash(first), "another seed draws other noise, so the fingerprint is not constant");
        first.Should().Contain("DeterministicAlgorithms = True").And.Contain("CublasTf32 = False").And.Contain($"Threads = {threads}");
    }

    [Fact]
    public void Switches_are_set_and_restored()
    {
        var before = Determinism.Current();
        var previous = Determinism.Enable(warnOnly: true);
        try
        {
            previous.Should().Be(before);
            var now = Determinism.Current();
            now.DeterministicAlgorithms.Should().BeTrue();
            now.WarnOnly.Should().BeTrue();
            now.CudnnDeterministic.Should().BeTrue();
            now.CudnnBenchmark.Should().BeFalse();
            now.CublasTf32.Should().BeFalse();
            now.CudnnTf32.Should().BeFalse();
        }
        finally { Determinism.Restore(previous); }
        Determinism.Current().Should().Be(before);
    }

    [Fact]
    public void Fingerprint_separates_one_ulp()
    {
        using var a = TorchSharp.torch.ones(3, 4);
        using var b = a.clone();
        Determinism.Fingerprint(a).Should().Be(Determinism.Fingerprint(b));
        b[1, 2] = TorchSharp.torch.tensor(MathF.BitIncrement(1f));
        Determinism.Fingerprint(a).Should().NotBe(Determinism.Fingerprint(b));
        using var c = a.reshape(4, 3);
        Determinism.Fingerprint(c).Should().NotBe(Determinism.Fingerprint(a), "the shape is part of the fingerprint");
    }
}
