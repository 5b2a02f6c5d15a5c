using System.Text.Json.Nodes;
using F5Parity.Checkpoints;
using F5Parity.Diagnosis;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Reporting;
using F5Parity.Tests.TestUtilities;
using F5Parity.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace F5Parity.Tests.Diagnosis;

/// <summary>
/// A checkpoint whose keys all carry a wrapper's prefix — re-keyed copies of fixtures/models/finetune.pt as a
/// DDP-wrapped (<c>module.</c>), a torch.compile'd (<c>_orig_mod.</c>) model or with EMA keys as its raw weights
/// (<c>ema_model.</c>) would save it — cannot load upstream (strict load_state_dict). The diagnosis must say so in one
/// line naming the prefix and the fix, make that the verdict, and keep report.md within a GitHub issue body although
/// every sampled run fails with the strict load's list of every key.
/// </summary>
public sealed class CheckpointKeyPrefixTests(ITestOutputHelper output)
{
    static string Models => Path.Combine(RepoPaths.Fixtures, "models");

    /// <summary>finetune.pt with <paramref name="prefix"/> before every raw key (and, unless <paramref name="rawOnly"/>, after every EMA key's "ema_model.").</summary>
    static string Rekeyed(string prefix, bool rawOnly = false)
    {
        string path = Path.Combine(DiagnosisSession.Scratch("key-prefix"), $"finetune-{prefix.Trim('.', '_')}{(rawOnly ? "-raw" : "")}.pt");
        using var ck = TrainerCheckpoint.Read(Path.Combine(Models, "finetune.pt"));
        var raw = ck.ModelStateDict!.ToDictionary(kv => prefix + kv.Key, kv => kv.Value);
        var ema = ck.EmaModelStateDict!.ToDictionary(
            kv => rawOnly || !kv.Key.StartsWith(TrainerCheckpoint.EmaPrefix, StringComparison.Ordinal) ? kv.Key : TrainerCheckpoint.EmaPrefix + prefix + kv.Key[TrainerCheckpoint.EmaPrefix.Length..],
            kv => kv.Value);
        TrainerCheckpointWriter.Write(path, raw, null, ema, null, ck.Update ?? 0, overwrite: true);
        return path;
    }

    [Theory]
    [InlineData(new[] { "transformer.a", "transformer.b" }, null)]
    [InlineData(new[] { "module.transformer.a", "module.transformer.b", "module.initted", "step" }, "module.")]
    [InlineData(new[] { "module._orig_mod.transformer.a", "module._orig_mod.transformer.b" }, "module._orig_mod.")]
    [InlineData(new[] { "ema_model.transformer.a", "initted", "step" }, "ema_model.")]
    [InlineData(new[] { "module.transformer.a", "transformer.b" }, null)] // mixed: another fault, the strict load names it
    [InlineData(new[] { "module.a", "module.b" }, null)]                  // not a CFM under the prefix
    public void A_common_prefix_is_found_only_when_the_model_is_under_it(string[] keys, string? expected) =>
        (KeyPrefix.Find(keys)?.Prefix).Should().Be(expected);

    [Fact]
    public void A_DDP_saved_checkpoint_gets_a_one_line_load_verdict_and_a_report_md_within_an_issue_body()
    {
        var config = FixtureDiagnosisTests.Base("finetune.pt", "L1") with
        {
            Checkpoint = Rekeyed("module."), OtherCheckpoint = Path.Combine(Models, "pretrained.safetensors"), Seeds = 1,
        };
        using var diagnoser = new Diagnoser(config);
        var report = diagnoser.Run();
        output.WriteLine($"verdict {report.Verdict.Hypothesis}: {report.Verdict.Summary}");

        report.Verdict.Hypothesis.Should().Be(Verdict.CannotLoadId);
        report.Verdict.Summary.Should().Contain("'module.'").And.Contain("DDP").And.Contain("removeprefix('module.')")
            .And.NotContain("\n").And.NotContain("transformer_blocks", "one line, not the list of every key");
        report.Verdict.Summary.Length.Should().BeLessThan(400);
        report.StaticFindings.Should().NotContain(f => f.Check.StartsWith("implied-config", StringComparison.Ordinal) && f.Severity == Severity.Error,
            "the tensors behind the prefix are a well-formed DiT");
        report.InferRun.Error.Should().Contain("missing key(s)", "the strict load fails as upstream's does");

        var dir = DiagnosisSession.Scratch("key-prefix-bundle");
        ReportWriter.Write(report, dir, force: true);
        var md = File.ReadAllText(Path.Combine(dir, "report.md"));
        var json = File.ReadAllText(Path.Combine(dir, "report.json"));
        output.WriteLine($"report.md {md.Length} characters, report.json {json.Length}");
        json.Length.Should().BeGreaterThan(ReportMarkdown.MaxCharacters, "every run's error lists every key: the whole text would not fit");
        md.Length.Should().BeLessThanOrEqualTo(ReportMarkdown.MaxCharacters);
        var named = System.Text.RegularExpressions.Regex.Matches(md, @"`(details/[^`]+\.txt)`").Select(m => m.Groups[1].Value).Distinct().ToList();
        named.Should().NotBeEmpty("the md says where the long texts went");
        foreach (var file in named) new FileInfo(Path.Combine(dir, file)).Length.Should().BeGreaterThan(ReportMarkdown.MaxInline, file);
        ReportSchemaTests.Violations(JsonNode.Parse(json)).Should().BeEmpty();

        // however many long lines, the md is cut at the limit and the whole of it is kept beside it
        var flood = Enumerable.Range(0, 200).Select(i => new StaticFinding($"flood-{i}", Severity.Info, new string('x', ReportMarkdown.MaxInline - 1))).ToList();
        var (cut, files) = ReportMarkdown.Build(report with { StaticFindings = [.. report.StaticFindings, .. flood] }, ReportJson.FileHashes(report));
        cut.Length.Should().BeLessThanOrEqualTo(ReportMarkdown.MaxCharacters);
        cut.Should().Contain(ReportMarkdown.FullFile);
        files.Single(f => f.Path == ReportMarkdown.FullFile).Text.Length.Should().BeGreaterThan(200 * ReportMarkdown.MaxInline);
    }

    [Theory]
    [InlineData("_orig_mod.", false, "torch.compile")]
    [InlineData("ema_model.", true, "use_ema=True")]
    public void The_static_check_names_the_prefix_and_its_origin(string prefix, bool rawOnly, string said)
    {
        var config = FixtureDiagnosisTests.Base("finetune.pt", "L1") with { Checkpoint = Rekeyed(prefix, rawOnly), Seeds = 1 };
        using var diagnoser = new Diagnoser(config);
        var findings = StaticChecks.Run(diagnoser.Runner.Inputs, diagnoser.Paths);
        var f = findings.Single(x => x.Check == CheckpointKeyPrefixCheck.Id);
        output.WriteLine(f.Message);
        f.Severity.Should().Be(Severity.Error);
        f.Message.Should().Contain($"'{prefix}'").And.Contain(said).And.Contain($"removeprefix('{prefix}')");
        f.Message.Should().Contain(rawOnly ? "raw weights" : "raw and EMA weights");
    }

    [Fact]
    public void A_healthy_checkpoint_gets_no_prefix_finding()
    {
        using var diagnoser = new Diagnoser(FixtureDiagnosisTests.Base("finetune.pt", "L1") with { Seeds = 1 });
        StaticChecks.Run(diagnoser.Runner.Inputs, diagnoser.Paths).Should().NotContain(x => x.Check == CheckpointKeyPrefixCheck.Id);
    }
}
