namespace F5Parity.Tests.TestUtilities;

/// <summary>Locates the repository root (the folder holding F5Parity.Tests.sln) from the test binaries.</summary>
public static class RepoPaths
{
    static readonly Lazy<string> RootLazy = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "F5Parity.Tests.sln"))) return dir.FullName;
        throw new InvalidOperationException($"F5Parity.Tests.sln not found above {AppContext.BaseDirectory}");
    });

    public static string Root => RootLazy.Value;
    public static string Golden => Path.Combine(Root, "golden");
    public static string Fixtures => Path.Combine(Root, "fixtures");

    /// <summary>Ignored output tree for test artifacts (mirrors golden/ where a test writes actual outputs).</summary>
    public static string Artifacts => Path.Combine(Root, "artifacts");
}
