using F5Parity.Tests.TestUtilities;
using FluentAssertions;

namespace F5Parity.Tests.Hygiene;

/// <summary>
/// <see cref="F5Parity.Torch.NativeHeap"/> as the executables apply it: a child runs the bench's <c>heap</c> verb
/// (a 256 MiB tensor filled, freed, and another filled, on its main thread, where the diagnosis samples) once with the
/// policy and once with glibc's default. With the policy the freed block stays in the process and the next reuses it;
/// the default run must show the opposite (the block given back on free), so the RSS reading can tell them apart.
/// Measured in RSS, not in time.
/// </summary>
public sealed class NativeHeapTests
{
    /// <summary>64 MiB, a quarter of the block: room for whatever else the child maps or frees meanwhile.</summary>
    const long SlackBytes = 64L << 20;

    const long BlockBytes = 256L << 20;

    sealed record Probe(bool Retained, long Held, long Freed, long Again);

    static Probe Run(bool glibcDefault)
    {
        string[] verb = ["heap", "--mib", (BlockBytes >> 20).ToString()];
        string stdout = BenchChild.Run(TimeSpan.FromMinutes(2), glibcDefault ? [.. verb, "--glibc-default"] : verb);
        var fields = stdout.Split('\n').Single(l => l.StartsWith("heap ", StringComparison.Ordinal))
            .Split(' ').Skip(1).Select(f => f.Split('=')).ToDictionary(kv => kv[0], kv => kv[1]);
        return new Probe(bool.Parse(fields["retained"]), long.Parse(fields["held"]), long.Parse(fields["freed"]), long.Parse(fields["again"]));
    }

    [SkippableFact]
    public void A_freed_large_temporary_stays_and_the_next_reuses_it()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && File.Exists("/proc/self/status"), "the policy is glibc's (Linux); RSS is read from /proc/self/status");

        var glibc = Run(glibcDefault: true);
        glibc.Retained.Should().BeFalse();
        glibc.Freed.Should().BeLessThan(glibc.Held - BlockBytes + SlackBytes,
            "under glibc's default the freed block is unmapped, which the RSS reading must see (held {0} MiB, after free {1} MiB)",
            glibc.Held >> 20, glibc.Freed >> 20);

        var policy = Run(glibcDefault: false);
        policy.Retained.Should().BeTrue("NativeHeap.RetainLargeBlocks takes effect under glibc");
        policy.Freed.Should().BeGreaterThan(policy.Held - SlackBytes,
            "the freed block's pages stay with the process (held {0} MiB, after free {1} MiB)", policy.Held >> 20, policy.Freed >> 20);
        policy.Again.Should().BeLessThan(policy.Freed + SlackBytes,
            "the second block reuses the first one's pages (after free {0} MiB, held again {1} MiB)", policy.Freed >> 20, policy.Again >> 20);
    }
}
