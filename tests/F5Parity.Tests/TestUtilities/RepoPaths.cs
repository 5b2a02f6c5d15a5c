using F5Parity.Diagnosis.Configuration;

namespace F5Parity.Tests.TestUtilities;

/// <summary>Locates the repository root (the folder holding F5Parity.Tests.sln) from the test binaries.</summary>
public static class RepoPaths
{
    static readonly Lazy<string> RootLazy = new(() => RepositoryRoot.Find()
        ?? throw new InvalidOperationException($"{RepositoryRoot.Marker} not found above {AppContext.BaseDirectory}"));

    public static string Root => RootLazy.Value;
    public static string Golden => Path.Combine(Root, "golden");
    public static string Fixtures => Path.Combine(Root, "fixtures");

    /// <summary>Ignored output tree for test artifacts (mirrors golden/ where a test writes actual outputs).</summary>
    public static string Artifacts => Path.Combine(Root, "artifacts");
}
