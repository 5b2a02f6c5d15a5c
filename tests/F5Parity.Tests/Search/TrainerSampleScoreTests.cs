using F5Parity.Diagnosis;
using F5Parity.RunFiles;
using F5Parity.Search;
using F5Parity.Tests.TestUtilities;
using Xunit.Abstractions;

namespace F5Parity.Tests.Search;

/// <summary>
/// The trainer's own samples (samples/update_N_gen.wav, written for the run fixtures by
/// <c>F5Parity.FixtureMaker --trainer-samples</c> from the setup training really used) scored with the diagnosis's
/// metric, beside our rerun of the trainer path: equal on the healthy run; above the stated setup's rerun
/// on the published pretrained model of the seed report's shape.
/// </summary>
public sealed class TrainerSampleScoreTests(ITestOutputHelper output)
{
    static string Case(string name) => Path.Combine(RepoPaths.Fixtures, "runs", name);

    sealed record Scored(TrainerSampleScore Sample, double Rerun, Diagnoser D) : IDisposable
    {
        public void Dispose() => D.Dispose();
    }

    Scored Score(string fixture, string project, string overlay, bool readBack = true)
    {
        var dir = Case(fixture);
        var run = RunFolder.Find(Path.Combine(dir, "ckpts", project));
        var d = new Diagnoser(TrainerSampleWriter.StatedConfig(run, Path.Combine(dir, "infer.toml"), Path.Combine(dir, overlay), dir));
        var rerun = d.Runner.Run(d.Paths.Trainer).Metric(d.MetricId)!.Score;
        var s = TrainerSampleScore.Measure(run.Samples.Single(), d.Paths.Trainer, d.Runner.Metrics, d.MetricId, readBack ? TrainerSampleScore.ReadBackFor(d) : null);
        output.WriteLine(s.Describe(d.MetricId, rerun));
        output.WriteLine($"gen {s.Gen?.Score} ref {s.Ref?.Score} unscoreable {s.Unscoreable}");
        return new Scored(s, rerun, d);
    }

    [Fact]
    public void Healthy_runs_sample_scores_what_our_rerun_scores()
    {
        using var r = Score("healthy", "healthy", "f5parity.json");
        r.Sample.Unscoreable.Should().BeNull();
        r.Sample.Score!.Score.Should().Be(1.0);
        r.Sample.Ref!.Score.Should().Be(1.0);
        r.Rerun.Should().Be(1.0);
        r.Sample.Describe("token-accuracy", r.Rerun).Should().Be(
            "the trainer's sample at update 1200 scored 1 (good) on token-accuracy (its reference 1); our rerun of the trainer path scores 1");
    }

    /// <summary>
    /// The seed report's shape: the published model's sample (written under the vocab beside it, what training used)
    /// says 10 of 11 tokens; our rerun under the stated setup (no file states training's vocab, so the TOML's) 9 of 11.
    /// </summary>
    [Fact]
    public void Pretrained_sample_scores_above_the_stated_setups_rerun()
    {
        using var r = Score("pretrained-fails-too", "ptbr_pretrained", "f5parity-pretrained.json");
        r.Sample.Score!.Good.Should().BeTrue();
        r.Sample.Score.Score.Should().BeApproximately(10.0 / 11, 1e-9);
        r.Rerun.Should().BeApproximately(9.0 / 11, 1e-9);
    }

    /// <summary>Why the read-back exists: the mel of a codebook WAV, as is, spells nothing, and its reference control says so.</summary>
    [Fact]
    public void Without_the_read_back_a_codebook_sample_is_reported_unscoreable()
    {
        using var r = Score("healthy", "healthy", "f5parity.json", readBack: false);
        r.Sample.Gen!.Score.Should().BeLessThan(0.2);
        r.Sample.Unscoreable.Should().Contain("does not invert the mel front end");
        r.Sample.Score.Should().BeNull();
    }

    [Fact]
    public void Committed_samples_are_what_the_writer_writes()
    {
        var dir = Case("healthy");
        var run = RunFolder.Find(Path.Combine(dir, "ckpts", "healthy"));
        using var d = new Diagnoser(TrainerSampleWriter.StatedConfig(run, Path.Combine(dir, "infer.toml"), Path.Combine(dir, "f5parity.json"), dir));
        var temp = Directory.CreateTempSubdirectory("f5parity-samples-").FullName;
        try
        {
            TrainerSampleWriter.Write(d, temp, 1200);
            foreach (var f in new[] { "update_1200_gen.wav", "update_1200_ref.wav" })
                File.ReadAllBytes(Path.Combine(temp, f)).Should().Equal(File.ReadAllBytes(Path.Combine(run.Folder, "samples", f)), f);
        }
        finally { Directory.Delete(temp, true); }
    }
}
