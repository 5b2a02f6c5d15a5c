using System.Globalization;
using System.Text.Json.Nodes;

namespace F5Parity.Diagnosis.Runs;

/// <summary>
/// One knob of a <see cref="RunSpec"/>, declared beside its property: its name and value names (the same in
/// <see cref="RunSpec.Describe"/>, report.json and report.md), the <see cref="PathDifference"/> it belongs to, and how
/// it is taken from another spec. A knob with no <see cref="Take"/> is derived from others (shown, never flipped).
/// </summary>
/// <param name="Name">The report.json key and the <c>Describe</c> name (docs/report-schema.md, <c>spec</c>).</param>
/// <param name="Read">The value: a string from the knob's value names, a bool, a number, or null.</param>
/// <param name="Difference">The <see cref="PathDifference"/> id that flips it, or null when no difference does.</param>
/// <param name="Take">Copies this knob's value from the second spec into the first.</param>
/// <param name="Brief">How <c>Describe</c> shows it: the value, the file name of a path, or not at all (long texts).</param>
public sealed record Knob(string Name, Func<RunSpec, object?> Read, string? Difference,
    Func<RunSpec, RunSpec, RunSpec>? Take, KnobBrief Brief = KnobBrief.Value)
{
    /// <summary>The value as report.json holds it.</summary>
    public JsonNode? Json(RunSpec spec) => Read(spec) switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => double.IsFinite(d) ? JsonValue.Create(d) : null,
        JsonNode n => n.DeepClone(),
        var other => throw new InvalidOperationException($"knob '{Name}' reads a {other.GetType().Name}, which report.json has no form for"),
    };

    /// <summary>The value as <c>Describe</c> shows it (null: not shown).</summary>
    public string? Text(RunSpec spec) => Brief switch
    {
        KnobBrief.Hidden => null,
        KnobBrief.FileName when Read(spec) is string path => Path.GetFileName(path),
        _ => Read(spec) switch
        {
            null => "none",
            bool b => b ? "true" : "false",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            JsonNode n => n.ToJsonString(),
            var v => v.ToString(),
        },
    };
}

/// <summary>How <see cref="RunSpec.Describe"/> shows a knob.</summary>
public enum KnobBrief
{
    /// <summary>The value itself.</summary>
    Value,
    /// <summary>The file name of a path (the full path is in report.json).</summary>
    FileName,
    /// <summary>Not in the one-line description (texts; report.json has them).</summary>
    Hidden,
}
