using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Quality;
using System.Text.Json;
using System.Text.Json.Nodes;
using F5Parity.Audio;
using F5Parity.Errors;
using F5Parity.Reports;

namespace F5Parity.Diagnosis.Reporting;

/// <summary>
/// Writes the report bundle (docs/report-schema.md): report.md (<see cref="ReportMarkdown"/>, with the long texts it
/// cuts under details/), report.json (<see cref="ReportJson"/>; one run's JSON and its spec are here), and per run a
/// wav, a mel PNG and a result.json under rungs/ and hypotheses/. A folder is written only when it is empty, missing, or holds an earlier
/// bundle (marked by <see cref="Marker"/>); anything else is refused unless <c>force</c> (which still writes only the
/// bundle's own file names).
/// </summary>
public static class ReportWriter
{
    /// <summary>The schema id in report.json; bumped only on a breaking change.</summary>
    public const string Schema = "f5parity-diagnosis/1";

    /// <summary>The file that marks a folder as a bundle this writer may replace.</summary>
    public const string Marker = ".f5parity-bundle";

    public static void Write(DiagnosisReport report, string folder, bool force = false)
    {
        PrepareFolder(folder, force);
        File.WriteAllText(Path.Combine(folder, Marker), Schema + "\n");
        var fileHashes = ReportJson.FileHashes(report);
        var json = ReportJson.ToJson(report, fileHashes);
        WriteRunFiles(report, folder);
        File.WriteAllText(Path.Combine(folder, "report.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
        var (md, files) = ReportMarkdown.Build(report, fileHashes);
        foreach (var (path, text) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, path))!);
            File.WriteAllText(Path.Combine(folder, path), text);
        }
        File.WriteAllText(Path.Combine(folder, "report.md"), md);
    }

    /// <summary>
    /// Refuses, before the diagnosis runs, a folder that exists and is neither empty nor an earlier bundle (unless
    /// <paramref name="force"/>), or that cannot be created or written; changes nothing in an existing folder.
    /// </summary>
    public static void CheckFolder(string folder, bool force)
    {
        if (Directory.Exists(folder) && !force && Directory.EnumerateFileSystemEntries(folder).Any() && !File.Exists(Path.Combine(folder, Marker)))
            throw new ConfigurationException(folder, "output folder exists and is not an F5Parity report bundle; refusing to write into it (pass --force, or choose another F5PARITY_OUT)");
        F5Parity.Reports.OutputFolder.Open(folder); // creates it if needed and proves it writable
    }

    static void PrepareFolder(string folder, bool force)
    {
        if (!Directory.Exists(folder)) { Directory.CreateDirectory(folder); return; }
        bool empty = !Directory.EnumerateFileSystemEntries(folder).Any();
        bool ours = File.Exists(Path.Combine(folder, Marker));
        if (ours)
        {
            foreach (var sub in new[] { "rungs", "hypotheses", "details" })
                if (Directory.Exists(Path.Combine(folder, sub))) Directory.Delete(Path.Combine(folder, sub), recursive: true);
            File.Delete(Path.Combine(folder, ReportMarkdown.FullFile));
            return;
        }
        if (!empty && !force)
            throw new ConfigurationException(folder, "output folder exists and is not an F5Parity report bundle; refusing to write into it (pass --force, or choose another F5PARITY_OUT)");
    }

    // ---------------------------------------------------------------- files per run

    internal static string RungFolder(LadderRung r) => Path.Combine("rungs", $"{r.Index:00}-{r.Id}");

    static void WriteRunFiles(DiagnosisReport report, string folder)
    {
        foreach (var rung in report.Ladder)
            WriteRun(rung.Result, Path.Combine(folder, RungFolder(rung)), $"rung {rung.Index} {rung.Id}", "gen");
        foreach (var h in report.Hypotheses)
        {
            if (h.Treatment is null) continue;
            var dir = Path.Combine(folder, "hypotheses", h.Hypothesis.Id);
            if (h.Control is not null) WriteRun(h.Control, dir, $"{h.Hypothesis.Id} control", "control");
            WriteRun(h.Treatment, dir, $"{h.Hypothesis.Id} treatment", "treatment");
        }
    }

    static void WriteRun(RunResult r, string dir, string title, string name)
    {
        Directory.CreateDirectory(dir);
        if (r.Output is { } o)
        {
            WavFile.Write(Path.Combine(dir, name + ".wav"), o.Wave, o.SampleRate, overwrite: true);
            if (o.GenMel.shape[^1] > 0) MelPlot.SavePng(o.GenMel, Path.Combine(dir, name + ".png"), title);
        }
        File.WriteAllText(Path.Combine(dir, name + ".json"), RunJson(r).ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
    }

    // ---------------------------------------------------------------- report.json

    internal static JsonNode? Num(double? v) => v is double d && double.IsFinite(d) ? JsonValue.Create(Math.Round(d, 6)) : null;

    internal static JsonObject Measurement(QualityMeasurement q)
    {
        var values = new JsonObject();
        foreach (var (k, v) in q.Values) values[k] = Num(v);
        return new JsonObject
        {
            ["metric"] = q.MetricId, ["score"] = Num(q.Score), ["good"] = q.Good, ["values"] = values,
            ["transcript"] = q.Transcript, ["note"] = q.Note,
        };
    }

    /// <summary>A spec as report.json holds it: every knob of <see cref="RunSpec.Knobs"/>, by its name.</summary>
    public static JsonObject SpecJson(RunSpec s) => new(RunSpec.Knobs.Select(k => KeyValuePair.Create(k.Name, k.Json(s))));

    public static JsonObject RunJson(RunResult r)
    {
        var o = new JsonObject { ["spec"] = SpecJson(r.Spec), ["error"] = r.Error };
        if (r.Output is { } out_)
        {
            o["frames"] = out_.GenMel.shape[^1];
            o["duration_frames"] = out_.Duration;
            o["ref_frames"] = out_.RefFrames;
            o["seconds"] = Num(out_.Seconds);
            o["tokens"] = new JsonArray(out_.Tokens.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray());
            o["text_ids"] = new JsonArray(out_.TextIds.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray());
        }
        o["metrics"] = new JsonArray(r.Metrics.Select(m => (JsonNode?)Measurement(m)).ToArray());
        return o;
    }

}
