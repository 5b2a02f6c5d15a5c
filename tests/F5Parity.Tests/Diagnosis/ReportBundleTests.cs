using System.Text.Json.Nodes;
using F5Parity.Diagnosis;
using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
using F5Parity.Errors;

namespace F5Parity.Tests.Diagnosis;

/// <summary>The report bundle written from the configured diagnosis: schema, files, and the no-overwrite rule.</summary>
public sealed class ReportBundleTests
{
    static DiagnosisReport R => DiagnosisSession.Report;

    static string WriteFresh(string name)
    {
        var dir = DiagnosisSession.Scratch(name);
        if (File.Exists(Path.Combine(dir, ReportWriter.Marker))) Directory.Delete(dir, true);
        ReportWriter.Write(R, dir);
        return dir;
    }

    [Fact]
    public void Report_json_has_the_documented_schema_and_one_entry_per_theory()
    {
        var dir = WriteFresh("bundle-schema");
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "report.json")))!;
        json["schema"]!.GetValue<string>().Should().Be(ReportWriter.Schema);
        var verdict = json["verdict"]!["hypothesis"]!.GetValue<string>();
        HypothesisCatalogue.Ids.Append("none").Should().Contain(verdict);
        json["hypotheses"]!.AsArray().Select(h => h!["id"]!.GetValue<string>()).Should().Equal(HypothesisCatalogue.Ids);
        foreach (var h in json["hypotheses"]!.AsArray())
        {
            var outcome = h!["outcome"]!.GetValue<string>();
            Enum.GetValues<Outcome>().Select(o => o.ToId()).Should().Contain(outcome);
            if (outcome is not ("not-run" or "error")) h["treatment"]!["spec"].Should().NotBeNull();
        }
        json["metric"]!["primary"]!.GetValue<string>().Should().Be(R.MetricId);
        json["files_sha256"]!.AsObject().Should().ContainKey(R.Paths.Trainer.Checkpoint);
        json["files_sha256"]![R.Paths.Trainer.Checkpoint]!.GetValue<string>().Should().MatchRegex("^[0-9a-f]{64}$");
        json["environment"]!["LibTorch"]!.GetValue<string>().Should().NotBe("unknown");
        json["paths"]!["infer"]!["text_ids"]!.AsArray().Count.Should().Be(R.InferRun.Output!.TextIds.Length);
    }

    [Fact]
    public void Every_rung_has_a_wav_a_mel_png_and_its_run()
    {
        var dir = WriteFresh("bundle-files");
        foreach (var rung in R.Ladder)
        {
            var folder = Path.Combine(dir, "rungs", $"{rung.Index:00}-{rung.Id}");
            foreach (var f in new[] { "gen.wav", "gen.png", "gen.json" })
                new FileInfo(Path.Combine(folder, f)).Length.Should().BeGreaterThan(100, $"{folder}/{f}");
            var (audio, sr) = F5Parity.Audio.WavFile.Read(Path.Combine(folder, "gen.wav"));
            sr.Should().Be(24_000);
            audio.shape[^1].Should().Be(rung.Result.Output!.Wave.shape[^1]);
        }
        var md = File.ReadAllText(Path.Combine(dir, "report.md"));
        md.Should().Contain($"**Verdict: `{R.Verdict.Hypothesis}`**");
        foreach (var id in HypothesisCatalogue.Ids) md.Should().Contain($"| `{id}` |");
    }

    [Fact]
    public void A_folder_with_someone_elses_files_is_refused_and_left_untouched()
    {
        var dir = DiagnosisSession.Scratch("bundle-foreign");
        foreach (var f in Directory.GetFiles(dir)) File.Delete(f);
        var mine = Path.Combine(dir, "notes.txt");
        File.WriteAllText(mine, "user data");
        var act = () => ReportWriter.Write(R, dir);
        act.Should().Throw<ConfigurationException>().Which.Message.Should().Contain(dir).And.Contain("--force");
        File.ReadAllText(mine).Should().Be("user data");
        Directory.GetFileSystemEntries(dir).Should().ContainSingle();
    }

    [Fact]
    public void An_earlier_bundle_is_replaced_without_force()
    {
        var dir = WriteFresh("bundle-rewrite");
        File.WriteAllText(Path.Combine(dir, "rungs", "stale.txt"), "old");
        ReportWriter.Write(R, dir);
        File.Exists(Path.Combine(dir, "rungs", "stale.txt")).Should().BeFalse();
        File.Exists(Path.Combine(dir, "report.json")).Should().BeTrue();
    }
}
