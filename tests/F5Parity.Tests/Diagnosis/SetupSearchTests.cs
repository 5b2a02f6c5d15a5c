using F5Parity.Diagnosis;
using F5Parity.Search;
using F5Parity.Tests.TestUtilities;
using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;

namespace F5Parity.Tests.Diagnosis;

/// <summary>
/// The setup search on its own: a checkpoint that answers to no setup is reported as such with every trial listed,
/// within the bound; and explicit settings override what the run's files say.
/// </summary>
public sealed class SetupSearchTests
{
    static string M(string file) => Path.Combine(RepoPaths.Fixtures, "models", file);

    static DiagnosisConfig Config(string checkpoint) => new()
    {
        Checkpoint = M(checkpoint), Vocab = M("vocab.txt"), ModelConfig = ModelConfigRef.FixtureV1, Codebook = "L0",
        RefAudio = "", RefText = "com música", GenText = "o túnel dourado",
        Vocoder = Path.Combine(RepoPaths.Golden, "upstream", "common", "vocos_tiny"), Metric = "token-accuracy",
        Nfe = 8, Seed = 42, InferenceFlow = "direct",
    };

    /// <summary>diverged.pt's EMA speaks nothing (0 % tokens, fixtures/README.md): no candidate may be reported as found.</summary>
    [Fact]
    public void A_checkpoint_that_speaks_under_no_setup_is_said_so_with_every_trial()
    {
        using var d = new Diagnoser(Config("diverged.pt") with { InferenceVocab = M("vocab_swap_ao.txt") });
        var trainer = d.Paths.Trainer with { UseEma = true };
        var result = new SetupSearch(d.Runner, d.MetricId, maxTrials: 3).Run(trainer, [M("vocab_swap_ao.txt")], [], factsMissing: true);
        result.Found.Should().BeNull();
        result.Trials.Should().HaveCount(4);
        result.Trials.Should().OnlyContain(t => !t.Confirmed);
        var lines = result.Describe(d.Paths.Infer);
        lines[0].Should().StartWith("No setup tried speaks");
        lines.Should().HaveCount(1 + 4 + 1);
        lines[^1].Should().StartWith("search cost: 4 setups tried");
    }

    [Fact]
    public void Explicit_settings_override_the_run_files()
    {
        var dir = Directory.CreateTempSubdirectory("f5parity-override-").FullName;
        try
        {
            var file = Path.Combine(dir, "extra.json");
            File.WriteAllText(file, "{\"inferenceVocab\": \"v.txt\", \"codebook\": \"L0\"}");
            var under = new Dictionary<string, string?>
            {
                ["checkpoint"] = "/r/model_1.pt", ["vocab"] = "/r/vocab.txt", ["inferenceVocab"] = "/r/other.txt", ["refText"] = "x", ["nfe"] = "16", ["codebook"] = "L1",
            };
            var env = new Dictionary<string, string?> { ["F5PARITY_NFE"] = "4" };
            var c = DiagnosisConfig.Load(file, env, dir, under, "run /r");
            c.InferenceVocab.Should().Be(Path.Combine(dir, "v.txt"));
            c.Vocab.Should().Be("/r/vocab.txt");
            c.Codebook.Should().Be("L0");
            c.Nfe.Should().Be(4);
            c.Sources.Should().Equal("run /r", file, "F5PARITY_NFE");
            DiagnosisConfig.Load("", new Dictionary<string, string?>(), dir, under, "run /r").InferenceVocab.Should().Be("/r/other.txt");
        }
        finally { Directory.Delete(dir, true); }
    }
}
