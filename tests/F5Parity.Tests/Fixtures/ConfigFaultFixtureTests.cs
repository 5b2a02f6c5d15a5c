using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using F5Parity.Checkpoints;
using F5Parity.Fixtures;
using F5Parity.Model;
using F5Parity.Tests.TestUtilities;
using F5Parity.Text;
using static TorchSharp.torch;

namespace F5Parity.Tests.Fixtures;

/// <summary>
/// fixtures/models/config-fault: a tiny DiT trained with v1 options on the echo language E0 (every frame also says the
/// token 36 positions later, which only attention with rotary can fetch). Sampled (16 NFE, CFG 2, sway -1, seeds 1-3)
/// with its own options it speaks; built with v0 options (pe_attn_head 1: rotary on the first of eight heads only,
/// text_mask_padding false) from the same tensors it loses the echo. Chance of a frame: 1 / (113 · 114).
/// </summary>
public sealed class ConfigFaultFixtureTests
{
    static readonly string Dir = Path.Combine(RepoPaths.Fixtures, "models", "config-fault");
    static readonly Lazy<Vocab> TrainingVocab = new(() =>
        Vocab.Load(Path.Combine(RepoPaths.Fixtures, "models", "vocab.txt"), requireSpaceAtZero: true));
    static readonly ConcurrentDictionary<string, ConfigFaultResult> Results = new();
    static readonly Lazy<JsonElement> Recorded = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "metrics.json"))).RootElement);

    static ConfigFaultResult Measure(string name) => Results.GetOrAdd(name, n =>
        ConfigFaultEvaluation.Evaluate(Dir, TrainingVocab.Value, ConfigFaultEvaluation.Cases.Single(c => c.Name == n)));

    /// <summary>
    /// Bounds of <see cref="Sampled_with_the_other_versions_options_it_stops_following_its_text"/>, per case:
    /// trainer sample (a long reference re-spoken, the trainer's log_samples): measured 0.925 (seeds 0.907-0.935)
    /// with v1 options — a healthy model, bound 0.9; held-out texts after the short reference "com música" (what
    /// infer_process does): measured 0.845 (seeds 0.752-0.917) — the harder case (a reference of 11 frames, texts
    /// never seen), bound 0.8, the diagnosis' own "good". With v0 options: 0.184 and 0.120 (seeds at most 0.252):
    /// bound 0.5 — most frames wrong; only frames whose echo is "none" (the last 36 of each text) and lucky echoes
    /// keep it above chance (1 / (113 · 114)).
    /// </summary>
    const double WrongOptionsMax = 0.5;

    [Theory]
    [InlineData("trainer_sample_v1_options", "trainer_sample_v0_options", 0.9)]
    [InlineData("v1_options", "v0_options", 0.8)]
    public void Sampled_with_the_other_versions_options_it_stops_following_its_text(string right, string wrong, double rightMin)
    {
        var good = Measure(right);
        var bad = Measure(wrong);
        good.Accuracy.Should().BeGreaterThanOrEqualTo(rightMin, good.ToString());
        good.PerSeed.Should().OnlyContain(a => a >= rightMin - 0.1, "every seed, not only the pooled figure");
        bad.Accuracy.Should().BeLessThan(WrongOptionsMax, bad.ToString());
        bad.PerSeed.Should().OnlyContain(a => a < WrongOptionsMax, "every seed");
        // the local half of every frame (its own token) survives: what breaks is what only rotary attention can fetch
        bad.SpokenAccuracy.Should().BeGreaterThanOrEqualTo(0.95, bad.ToString());
    }

    [Theory]
    [InlineData("v1_options")]
    [InlineData("v0_options")]
    [InlineData("trainer_sample_v1_options")]
    [InlineData("trainer_sample_v0_options")]
    public void Measured_accuracy_reproduces_metrics_json(string name)
    {
        var r = Measure(name);
        r.Accuracy.Should().BeApproximately(Recorded.Value.GetProperty(name).GetProperty("accuracy").GetDouble(), 0.02, r.ToString());
    }

    [Fact]
    public void Both_model_configs_load_the_checkpoint_silently()
    {
        var v1 = DiTConfig.FromJsonFile(Path.Combine(Dir, ConfigFaultRecipe.ConfigV1File));
        var v0 = DiTConfig.FromJsonFile(Path.Combine(Dir, ConfigFaultRecipe.ConfigV0File));
        (v1 with { TextMaskPadding = false, PeAttnHead = 1 }).Should().Be(v0, "the two files differ only in the v0/v1 options");
        v1.Heads.Should().BeGreaterThan(1, "with one head v0 and v1 would rotate the same heads");
        using var ck = TrainerCheckpoint.Read(Path.Combine(Dir, ConfigFaultRecipe.CheckpointFile));
        ck.Layout.Should().Be(CheckpointLayout.TrainerPt);
        foreach (var config in new[] { v1, v0 })
        {
            var load = () => { using var m = ModelLoader.Load(config, Path.Combine(Dir, ConfigFaultRecipe.CheckpointFile)); };
            load.Should().NotThrow("v0 and v1 have the same tensors");
        }
    }

    [Fact]
    public void Echo_language_renders_and_decodes_what_it_says()
    {
        var language = CodebookFixture.EchoLanguage(TrainingVocab.Value);
        var tokens = CodebookCorpus.Tokens(ConfigFaultEvaluation.HeldOutTexts[0], true);
        using var mel = language.RenderMel(tokens, new Generator(1));
        language.TokenAccuracy(mel, tokens).Should().Be(1.0);
        // the same frames with the echo half of another text: every frame that echoes a token is now wrong
        var other = CodebookCorpus.Tokens(ConfigFaultEvaluation.HeldOutTexts[1], true);
        other.Count.Should().Be(tokens.Count);
        using var otherMel = language.RenderMel(other, new Generator(1));
        using var mixed = cat([mel.narrow(0, 0, 50), otherMel.narrow(0, 50, 50)], 0);
        int echoing = tokens.Count - CodebookFixture.EchoDelay;
        int differ = Enumerable.Range(0, echoing).Count(i => tokens[i + CodebookFixture.EchoDelay] != other[i + CodebookFixture.EchoDelay]);
        language.TokenAccuracy(mixed, tokens).Should().BeApproximately(1 - (double)differ / tokens.Count, 1e-9);
    }

    /// <summary>
    /// Opt-in (F5PARITY_SLOW=1, ~10-12 minutes on 2 cores): trains the fixture again into a temp folder and compares
    /// every file with the committed one byte for byte (metrics.json holds timings).
    /// </summary>
    [SkippableFact]
    public void Regeneration_reproduces_the_committed_config_fault_fixture()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("F5PARITY_SLOW") == "1", "set F5PARITY_SLOW=1 to run the ~11 minute regeneration");
        var dir = Path.Combine(Path.GetTempPath(), "f5parity-config-fault-" + Guid.NewGuid().ToString("N"));
        int threads = get_num_threads();
        try
        {
            set_num_threads(1);
            ConfigFaultRecipe.Make(Path.Combine(RepoPaths.Golden, "upstream", "vocab.txt"), dir, log: _ => { });
            foreach (var committed in Directory.GetFiles(Dir))
            {
                var fresh = Path.Combine(dir, Path.GetFileName(committed));
                File.Exists(fresh).Should().BeTrue(fresh);
                if (Path.GetFileName(committed) == "metrics.json") continue;
                SHA256.HashData(File.ReadAllBytes(fresh)).Should().Equal(SHA256.HashData(File.ReadAllBytes(committed)), Path.GetFileName(committed));
            }
        }
        finally
        {
            set_num_threads(threads);
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }
}
