using F5Parity.CheckpointTier;

namespace F5Parity.Tests.Checkpoint;

/// <summary>
/// The Markdown job summary the checkpoint tier appends to <c>$GITHUB_STEP_SUMMARY</c>, from a known diagnosis (the
/// stale-EMA default under the quick profile, <see cref="QuickDiagnosis"/>): the verdict, exactly the red rows with
/// their messages, and links to the bundle's report.md and report.json, appended after what earlier steps wrote.
/// </summary>
public sealed class JobSummaryTests
{
    static string TempSummary(string earlier)
    {
        var file = Path.Combine(Path.GetTempPath(), $"f5parity-step-summary-{Guid.NewGuid():N}.md");
        File.WriteAllText(file, earlier);
        return file;
    }

    /// <summary>The table rows of the summary: (row id, message cell).</summary>
    static List<(string Id, string Message)> TableRows(string markdown) =>
        markdown.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .Select(l => (l.Split('`')[1], l[(l.IndexOf("` | ", StringComparison.Ordinal) + 4)..])).ToList();

    [Fact]
    public void Summary_has_the_verdict_the_red_rows_and_the_bundle_links()
    {
        var report = QuickDiagnosis.Report;
        string bundle = QuickDiagnosis.Bundle;
        var rows = CheckpointRows.All(report, bundle);
        var file = TempSummary("## an earlier step\n");
        try
        {
            JobSummary.Append(new Dictionary<string, string?> { [JobSummary.Variable] = file },
                JobSummary.ToMarkdown("finetune_stale_ema", report, rows, bundle));
            var text = File.ReadAllText(file);

            Assert.StartsWith("## an earlier step\n", text); // appended: every step of a job adds to the same file
            Assert.Contains("## F5Parity checkpoint tier — finetune_stale_ema", text);
            Assert.Contains("**Verdict: `ema`**", text);
            var red = rows.Where(r => r.Red).ToList();
            Assert.Equal(["hypothesis:ema", "path:infer"], red.Select(r => r.Id).Order());
            Assert.Contains($"{red.Count} of {rows.Count} rows red", text);
            // exactly the red rows, each with its message: the probe `checkpoint` (implicated, not a path difference) is not listed
            var table = TableRows(text);
            Assert.Equal(red.Select(r => r.Id).Order(), table.Select(t => t.Id).Order());
            var ema = table.Single(t => t.Id == "hypothesis:ema").Message;
            Assert.Contains("→", ema);
            Assert.Contains("Fix:", ema);
            Assert.Contains(Path.Combine(bundle, "hypotheses", "ema", "treatment.wav"), ema);
            // the bundle links point at files the tier wrote
            foreach (var name in new[] { "report.md", "report.json" })
            {
                Assert.Contains($"[{name}]({Path.Combine(bundle, name)})", text);
                Assert.True(File.Exists(Path.Combine(bundle, name)), $"{name} is linked but missing");
            }
        }
        finally { File.Delete(file); }
    }

    /// <summary>A message with a pipe or a newline stays one table cell; all green says so and lists no table.</summary>
    [Fact]
    public void Messages_stay_one_table_cell_and_all_green_has_no_table()
    {
        var report = QuickDiagnosis.Report;
        var md = JobSummary.ToMarkdown("t", report, [new("x:odd", RowState.Fail, "a | b\nc"), new("x:ok", RowState.Pass, "fine")], bundle: null);
        Assert.Equal([("x:odd", @"a \| b c |")], TableRows(md));
        Assert.Contains("1 of 2 rows red", md);
        Assert.DoesNotContain("Bundle:", md);
        var green = JobSummary.ToMarkdown("t", report, [new("x:ok", RowState.Pass, "fine")], bundle: null);
        Assert.Contains("All 1 rows green.", green);
        Assert.Empty(TableRows(green));
    }

    [Fact]
    public void Without_the_variable_nothing_is_written_anywhere()
    {
        var file = TempSummary("");
        File.Delete(file);
        JobSummary.Append(new Dictionary<string, string?> { ["OTHER"] = file }, "## summary");
        JobSummary.Append(new Dictionary<string, string?> { [JobSummary.Variable] = "" }, "## summary");
        Assert.False(File.Exists(file));
    }
}
