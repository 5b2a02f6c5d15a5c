using System.Text;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Reporting;

namespace F5Parity.CheckpointTier;

/// <summary>
/// The Markdown a GitHub Actions job shows on its summary page: verdict, the red rows with their messages, and where
/// the bundle lies. Appended to <c>$GITHUB_STEP_SUMMARY</c> when that variable is set (GitHub sets it in every step).
/// </summary>
public static class JobSummary
{
    public const string Variable = "GITHUB_STEP_SUMMARY";

    public static string ToMarkdown(string title, DiagnosisReport report, IReadOnlyList<CheckpointRow> rows, string? bundle)
    {
        var sb = new StringBuilder();
        var red = rows.Where(r => r.Red).ToList();
        sb.AppendLine($"## F5Parity checkpoint tier — {title}");
        sb.AppendLine();
        sb.AppendLine($"**Verdict: `{report.Verdict.Hypothesis}`** — {report.Verdict.Summary}");
        sb.AppendLine();
        sb.AppendLine(red.Count == 0 ? $"All {rows.Count} rows green." : $"{red.Count} of {rows.Count} rows red:");
        if (red.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("| row | message |");
            sb.AppendLine("|---|---|");
            foreach (var r in red) sb.AppendLine($"| `{r.Id}` | {r.Message.Replace("|", "\\|").Replace("\n", " ")} |");
        }
        if (bundle is not null)
        {
            sb.AppendLine();
            sb.AppendLine($"Bundle: `{bundle}` ([report.md]({Path.Combine(bundle, "report.md")}), [report.json]({Path.Combine(bundle, "report.json")})); the workflow uploads it as an artifact.");
        }
        return sb.ToString();
    }

    /// <summary>Appends to $GITHUB_STEP_SUMMARY when it is set; does nothing otherwise.</summary>
    public static void Append(IReadOnlyDictionary<string, string?> env, string markdown)
    {
        if (env.TryGetValue(Variable, out var file) && !string.IsNullOrEmpty(file)) File.AppendAllText(file, markdown + "\n");
    }
}
