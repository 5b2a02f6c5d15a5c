using System.Text.Json.Nodes;
using F5Parity.Diagnosis;
using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
using F5Parity.Errors;

namespace F5Parity.Tests.Diagnosis;

/// <summary>
/// The report bundle written from the configured diagnosis: report.json against docs/report-schema.json and against
/// its own numbers, the files it names, report.md against report.json, and the no-overwrite rule.
/// </summary>
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
    public void Report_json_follows_the_documented_schema_and_its_outcomes_follow_its_own_numbers()
    {
        var dir = WriteFresh("bundle-schema");
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "report.json")))!;
        ReportSchemaTests.Violations(json).Should().BeEmpty("report.json must follow docs/report-schema.json");

        // each outcome agrees with the numbers beside it (docs/report-schema.md, "Outcomes")
        double minDrop = json["thresholds"]!["min_relative_drop"]!.GetValue<double>();
        double noEffect = json["thresholds"]!["no_effect_relative_l2"]!.GetValue<double>();
        foreach (var h in json["hypotheses"]!.AsArray().Select(h => h!))
        {
            string id = h["id"]!.GetValue<string>(), outcome = h["outcome"]!.GetValue<string>();
            switch (outcome)
            {
                case "not-run":
                    h["control"].Should().BeNull(id); h["treatment"].Should().BeNull(id); break;
                case "error":
                    (h["control"]?["error"] ?? h["treatment"]?["error"]).Should().NotBeNull(id); break;
                case "implicated":
                    h["control"]!["good"]!.GetValue<bool>().Should().BeTrue(id);
                    h["treatment"]!["good"]!.GetValue<bool>().Should().BeFalse(id);
                    h["relative_drop"]!.GetValue<double>().Should().BeGreaterThanOrEqualTo(minDrop, id); break;
                case "no-effect":
                    var l2 = h["effect"]?["relative_l2"];
                    if (l2 is not null && !JsonNode.DeepEquals(h["control"]!["spec"], h["treatment"]!["spec"]))
                        l2.GetValue<double>().Should().BeLessThan(noEffect, id);
                    break;
            }
            if (h["files"] is JsonValue files) Directory.Exists(Path.Combine(dir, files.GetValue<string>())).Should().BeTrue($"{id}: {files}");
        }
        foreach (var rung in json["ladder"]!.AsArray())
            File.Exists(Path.Combine(dir, rung!["files"]!.GetValue<string>(), "gen.json")).Should().BeTrue();

        // the verdict names a theory that the report shows implicated or statically faulty, or none
        var verdict = json["verdict"]!["hypothesis"]!.GetValue<string>();
        var blamable = json["hypotheses"]!.AsArray().Where(h => h!["outcome"]!.GetValue<string>() == "implicated").Select(h => h!["id"]!.GetValue<string>())
            .Concat(json["static_checks"]!.AsArray().Where(f => f!["severity"]!.GetValue<string>() == "error").Select(f => f!["hypothesis"]?.GetValue<string>()).OfType<string>())
            .Append("none");
        blamable.Should().Contain(verdict);

        // the hash is the file's, computed here, and the infer run's ids are the ones it sampled with
        using (var stream = File.OpenRead(R.Paths.Trainer.Checkpoint))
            json["files_sha256"]![R.Paths.Trainer.Checkpoint]!.GetValue<string>().Should().Be(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream)));
        json["paths"]!["infer"]!["text_ids"]!.AsArray().Select(n => n!.GetValue<long>()).Should().Equal(R.InferRun.Output!.TextIds);
        json["environment"]!["LibTorch"]!.GetValue<string>().Should().NotBe("unknown");
        json["determinism"]!["deterministic_algorithms"]!.GetValue<bool>().Should().BeTrue("the diagnosis samples with deterministic algorithms on");
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
        // report.md and report.json come from two writers: the md shows the json's verdict and every outcome
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "report.json")))!;
        md.Should().Contain($"**Verdict: `{json["verdict"]!["hypothesis"]!.GetValue<string>()}`**");
        foreach (var h in json["hypotheses"]!.AsArray())
            md.Should().Contain($"| `{h!["id"]!.GetValue<string>()}` | **{h["outcome"]!.GetValue<string>()}** |");
        md.Length.Should().BeLessThanOrEqualTo(ReportMarkdown.MaxCharacters);
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
