using F5Parity.Bench;
using F5Parity.Model;
using F5Parity.Tests.TestUtilities;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace F5Parity.Tests.Hygiene;

/// <summary>
/// Memory stays flat across 50 consecutive samplings of the shared tiny v0 model (loaded once for the run by
/// <see cref="CaseModels"/>): the process RSS (VmRSS in /proc/self/status) after 50 samplings may exceed the RSS
/// after 15 warm-up samplings (3 Euler steps each, CFG 2, n = 281 frames) by at most <see cref="RssBoundBytes"/>, and no tensor created by a sampling outlives it.
/// </summary>
public sealed class ResourceHygieneTests(ITestOutputHelper output)
{
    /// <summary>
    /// 16 MiB. A leaked result of one sampling (output, y0, step_cond, first-step output: about 0.5 MB at n = 281)
    /// would add 25 MB over 50 samplings and fail; allocator and GC growth measured 2-8 MB on this machine (glibc arenas settling). A leak of
    /// any single tensor is caught exactly by the live-tensor count (TorchSharp's DisposeScope statistics).
    /// </summary>
    const long RssBoundBytes = 16L << 20;

    [SkippableFact]
    public void Rss_is_flat_across_50_samplings()
    {
        Skip.IfNot(File.Exists("/proc/self/status"), "no /proc/self/status on this OS: RSS cannot be read");
        var c = ReferenceSet.Golden.Case("v0");
        var model = CaseModels.Get(c, useEma: true);
        var (cond, text) = Benchmarks.Inputs(c.Config, 1234, 140);
        using var _c = cond;
        using var _t = text;
        var options = new SampleOptions { Steps = 3, CfgStrength = 2.0, SwaySamplingCoef = -1.0, Seed = 1234 };

        void Sample()
        {
            using var scope = NewDisposeScope();
            using var r = model.Sample(cond, text, tensor(281L), options);
        }
        long Settled()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            return Rss.Current();
        }

        for (int i = 0; i < 15; i++) Sample(); // the allocator's arenas grow for the first ~15 samplings, then stay
        long baseline = Settled();
        long liveBefore = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var rss = new List<long>();
        for (int i = 0; i < 50; i++)
        {
            Sample();
            if (i % 10 == 9) rss.Add(Settled());
        }
        long growth = rss[^1] - baseline;
        output.WriteLine($"RSS after warm-up {baseline / 1e6:0.0} MB; every 10 samplings: {string.Join(", ", rss.Select(r => $"{r / 1e6:0.0}"))} MB; growth {growth / 1e6:0.00} MB (bound {RssBoundBytes / 1e6:0.0} MB)");
        growth.Should().BeLessThan(RssBoundBytes, "memory must stay flat across samplings");
        TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(liveBefore, "no tensor of the 50 samplings is still alive");
    }

    [Fact]
    public void A_sampling_leaves_no_live_tensor_behind()
    {
        var c = ReferenceSet.Golden.Case("v0");
        var model = CaseModels.Get(c, useEma: true);
        var (cond, text) = Benchmarks.Inputs(c.Config, 99, 60);
        using var _c = cond;
        using var _t = text;
        using var dur = tensor(120L);
        var options = new SampleOptions { Steps = 4, CfgStrength = 2.0, Seed = 1 };
        using (model.Sample(cond, text, dur, options)) { } // warm-up (lazy buffers, caches)
        long before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (model.Sample(cond, text, dur, options)) { }
        long after = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        output.WriteLine($"live tensors before {before}, after {after}");
        after.Should().Be(before, "every tensor of the sampler loop is disposed by its DisposeScope or by the caller");
    }
}
