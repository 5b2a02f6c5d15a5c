namespace F5Parity.RunFiles;

/// <summary>A value read from a run's files together with where it came from ("from setting.json", "assumed: default").</summary>
public sealed record Sourced<T>(T Value, string Source)
{
    public override string ToString() => $"{Value} ({Source})";
}

/// <summary>How a source is written, declared once.</summary>
public static class Provenance
{
    public static string From(string file, string key) => $"from {Path.GetFileName(file)} `{key}`";
    public static string Assumed(string why) => $"assumed: {why}";
    public const string Explicit = "explicit setting";
}
