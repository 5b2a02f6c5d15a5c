namespace F5Parity.Diagnosis.Configuration;

/// <summary>
/// The rule for finding the repository a binary was built from: the nearest folder above it that holds
/// <c>F5Parity.Tests.sln</c>. The diagnosis finds its default configuration and pinned versions there, the tests
/// their golden data.
/// </summary>
public static class RepositoryRoot
{
    public const string Marker = "F5Parity.Tests.sln";

    /// <summary>The repository root above <paramref name="start"/> (default: this binary's folder), or null.</summary>
    public static string? Find(string? start = null)
    {
        for (var dir = new DirectoryInfo(start ?? AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, Marker))) return dir.FullName;
        return null;
    }
}
