using System.Text.Json.Nodes;
using F5Parity.Diagnosis;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Tests.Checkpoint;
using Xunit.Abstractions;

namespace F5Parity.Tests.Diagnosis;

/// <summary>
/// The quick profile's bisected ladder on the embedded stale-EMA fixture (fixtures/diagnose-default.json): the walk
/// names rung 3 (<c>ema</c>); the bisection must name the same rung from fewer sampling runs, and the report must say
/// which rungs it sampled.
/// </summary>
public sealed class LadderBisectionFixtureTests(ITestOutputHelper output)
{
    [Fact]
    public void Bisection_names_the_walks_collapse_rung_from_fewer_samplings()
    {
        var config = QuickDiagnosis.Config;
        // each ladder on a fresh runner, so its runner's count is what that ladder alone sampled
        using var walker = new Diagnoser(config);
        var walk = Ladder.Climb(walker.Runner, walker.Paths, walker.MetricId);
        int walkRuns = walker.Runner.SampledRuns;
        using var bisector = new Diagnoser(config);
        var (rungs, sampling) = LadderBisection.Climb(bisector.Runner, bisector.Paths, bisector.MetricId);
        int bisectRuns = bisector.Runner.SampledRuns;
        output.WriteLine($"walk: {walk.Count} rungs, {walk.Count(r => r.Changed)} distinct, {walkRuns} runs sampled; collapse {Ladder.Collapse(walk)?.Index}");
        output.WriteLine($"bisect: rungs {string.Join(", ", sampling.Sampled)} asked, {bisectRuns} runs sampled; {sampling.Note}");

        var walkCollapse = Ladder.Collapse(walk);
        Assert.NotNull(walkCollapse);
        Assert.Equal((3, "ema"), (walkCollapse.Index, walkCollapse.Id));
        var bisectCollapse = Ladder.Collapse(rungs);
        Assert.NotNull(bisectCollapse);
        Assert.Equal((walkCollapse.Index, walkCollapse.Id), (bisectCollapse.Index, bisectCollapse.Id));
        Assert.True(bisectRuns < walkRuns, $"bisection sampled {bisectRuns} runs, the walk {walkRuns}");
        Assert.Equal(bisectRuns, sampling.SampledRuns);
        Assert.Equal(walk.Count, sampling.Rungs);
        Assert.Equal(sampling.Sampled.Order(), rungs.Select(r => r.Index));
        // the listed rungs are the walk's runs at the same indices (same specs, same seeded outputs)
        foreach (var r in rungs)
            Assert.Equal(walk[r.Index].Quality?.Score, r.Quality?.Score);
        // the step into the collapse rung is measured: the rung before it was sampled, nothing changed in between
        Assert.NotNull(bisectCollapse.StepEffect);
    }

    [Fact]
    public void Quick_profile_report_says_the_ladder_was_bisected_and_which_rungs_were_sampled()
    {
        var report = QuickDiagnosis.Report;
        Assert.Equal("ema", report.Verdict.Hypothesis);
        Assert.Equal("ema", report.Verdict.CollapseRung);
        var sampling = report.LadderSampling;
        Assert.NotNull(sampling);
        Assert.Equal(LadderStrategy.Bisect, sampling.Strategy);
        Assert.True(report.Ladder.Count < sampling.Rungs, $"{report.Ladder.Count} of {sampling.Rungs} rungs listed");

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(QuickDiagnosis.Bundle, "report.json")))!;
        var node = json["ladder_sampling"]!;
        Assert.Equal("bisect", node["strategy"]!.GetValue<string>());
        Assert.Equal(sampling.Sampled, node["sampled"]!.AsArray().Select(n => n!.GetValue<int>()));
        Assert.Equal(sampling.Rungs, node["rungs"]!.GetValue<int>());
        Assert.Contains("monotone", node["note"]!.GetValue<string>());
        Assert.Equal(report.Ladder.Select(l => l.Index), json["ladder"]!.AsArray().Select(n => n!["index"]!.GetValue<int>()));
        var md = File.ReadAllText(Path.Combine(QuickDiagnosis.Bundle, "report.md"));
        Assert.Contains($"**Bisected** (quick profile): rungs {string.Join(", ", sampling.Sampled)} sampled", md);
        Assert.Contains("⬅ collapse", md);
        // a rung folder per sampled rung, none for the rest
        var folders = Directory.GetDirectories(Path.Combine(QuickDiagnosis.Bundle, "rungs")).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(report.Ladder.Select(l => $"{l.Index:00}-{l.Id}").Order(), folders);
    }
}
