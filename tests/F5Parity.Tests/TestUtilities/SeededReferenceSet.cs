namespace F5Parity.Tests.TestUtilities;

/// <summary>
/// Full-size reference cases that ship no weights: each sub-folder holding a <c>weights_recipe.json</c> (the seed, key
/// order and sha256 per tensor of its random weights, see <see cref="SeededWeights"/>) beside upstream's outputs,
/// <c>dit_forward.safetensors</c> and <c>cfm_sample.safetensors</c>. Read from <c>F5PARITY_REFERENCE_DIR</c> when that
/// folder holds such cases, otherwise from the committed <c>golden/upstream-base/</c> (a copy of the shared
/// reference-base: F5TTS_Base and F5TTS_v1_Base).
/// </summary>
public static class SeededReferenceSet
{
    public const string RecipeFile = "weights_recipe.json";

    static readonly Lazy<string> RootLazy = new(() =>
    {
        var dir = Environment.GetEnvironmentVariable(ReferenceSet.Variable);
        if (!string.IsNullOrWhiteSpace(dir) && CasesIn(Path.GetFullPath(dir)).Count > 0) return Path.GetFullPath(dir);
        return Path.Combine(RepoPaths.Golden, "upstream-base");
    });

    public static string Root => RootLazy.Value;

    /// <summary>Case folders (full paths) in ordinal order.</summary>
    public static IReadOnlyList<string> Cases => CasesIn(Root);

    static List<string> CasesIn(string root) => Directory.Exists(root)
        ? Directory.GetDirectories(root).Where(d => File.Exists(Path.Combine(d, RecipeFile))).Order(StringComparer.Ordinal).ToList()
        : [];

    public static string Folder(string caseName) => Path.Combine(Root, caseName);

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases) data.Add(Path.GetFileName(c));
        return data;
    }
}
