using System.Text.Json;
using System.Text.Json.Nodes;

namespace F5Parity.Search;

/// <summary>
/// Adds what <c>diagnose --run</c> found before the diagnosis to a written report.json, as its <c>run</c> object
/// (docs/report-schema.md): the trainer's samples scored beside our rerun, and the setup search with its cost.
/// </summary>
public static class RunSearchJson
{
    public static JsonObject ToJson(RunSearch run, double? rerun)
    {
        var s = run.Search;
        JsonObject Trial(SetupTrial t) => new()
        {
            ["setup"] = t.Setup.Describe(), ["score"] = t.Score, ["confirm_score"] = t.ConfirmScore, ["confirmed"] = t.Confirmed, ["error"] = t.Error,
        };
        return new JsonObject
        {
            ["trainer_samples"] = new JsonArray([.. run.Samples.Select(x => (JsonNode)new JsonObject
            {
                ["update"] = x.Sample.Update, ["gen_wav"] = x.Sample.GenWav, ["ref_wav"] = x.Sample.RefWav,
                ["score"] = x.Score?.Score, ["good"] = x.Score?.Good, ["ref_score"] = x.Ref?.Score, ["unscoreable"] = x.Unscoreable,
                ["rerun_score"] = rerun, ["summary"] = x.Describe(run.MetricId, rerun),
            })]),
            ["search"] = new JsonObject
            {
                ["stated"] = s.Stated.Describe(), ["stated_speaks"] = s.StatedSpeaks, ["found"] = s.Found is null ? null : Trial(s.Found),
                ["stated_differs_in"] = s.Found is null ? null : new JsonArray([.. s.Stated.DifferencesFrom(s.Found.Setup).Select(d => (JsonNode)d)]),
                ["trials"] = new JsonArray([.. s.Trials.Select(t => (JsonNode)Trial(t))]),
                ["re_speaks"] = s.SampledRuns, ["seconds"] = Math.Round(s.Seconds, 1), ["max_trials"] = s.MaxTrials,
            },
        };
    }

    /// <summary>Adds the <c>run</c> object to <paramref name="bundle"/>/report.json.</summary>
    public static void AddTo(string bundle, RunSearch run, double? rerun)
    {
        string file = Path.Combine(bundle, "report.json");
        var root = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        root["run"] = ToJson(run, rerun);
        File.WriteAllText(file, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
