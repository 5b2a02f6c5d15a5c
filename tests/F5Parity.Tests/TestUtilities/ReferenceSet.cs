using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using F5Parity.Checkpoints;
using F5Parity.Model;
using static TorchSharp.torch;

namespace F5Parity.Tests.TestUtilities;

/// <summary>
/// A folder of upstream reference outputs laid out like <c>../shared/reference</c>: <c>reference.json</c>,
/// <c>vocab.txt</c>, <c>common/</c>, <c>audio/</c> and one sub-folder per case holding a <c>model_config.json</c>.
/// The parity tests read the committed copy in <c>golden/upstream/</c> unless <c>F5PARITY_REFERENCE_DIR</c> names
/// another folder of the same layout (for example one written by scripts/make_reference.py for a user's checkpoint).
/// </summary>
public sealed class ReferenceSet
{
    public const string Variable = "F5PARITY_REFERENCE_DIR";

    static readonly Lazy<ReferenceSet> GoldenLazy = new(() => new ReferenceSet(Path.Combine(RepoPaths.Golden, "upstream")));

    static readonly Lazy<ReferenceSet> CurrentLazy = new(() =>
    {
        var dir = Environment.GetEnvironmentVariable(Variable);
        return string.IsNullOrWhiteSpace(dir) ? GoldenLazy.Value : new ReferenceSet(Path.GetFullPath(dir));
    });

    readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, Tensor>> _files = new();

    public ReferenceSet(string root)
    {
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{Variable}: reference folder {root} does not exist");
        Root = root;
        var manifest = Path.Combine(root, "reference.json");
        Manifest = File.Exists(manifest) ? (JsonNode.Parse(File.ReadAllText(manifest)) as JsonObject ?? new JsonObject()) : new JsonObject();
        Cases = Directory.GetDirectories(root)
            .Where(d => File.Exists(Path.Combine(d, "model_config.json")))
            .OrderBy(d => d, StringComparer.Ordinal)
            .Select(d => new ReferenceCase(this, Path.GetFileName(d), d))
            .ToList();
    }

    /// <summary>
    /// The reference set the parity tests (<c>Category=Parity</c>) run against: <c>F5PARITY_REFERENCE_DIR</c> or the
    /// committed <see cref="Golden"/>. Their cases are discovered from the folder, never named.
    /// </summary>
    public static ReferenceSet Current => CurrentLazy.Value;

    /// <summary>
    /// The committed <c>golden/upstream/</c>, whatever <c>F5PARITY_REFERENCE_DIR</c> says: the set every other test
    /// reads, including those that name its cases (<c>v0</c>, <c>v1</c>).
    /// </summary>
    public static ReferenceSet Golden => GoldenLazy.Value;

    public string Root { get; }
    public JsonObject Manifest { get; }
    public IReadOnlyList<ReferenceCase> Cases { get; }

    public string VocabPath => Path.Combine(Root, Manifest["vocab"]?.GetValue<string>() ?? "vocab.txt");
    public string Transcript => Manifest["transcript"]?.GetValue<string>() ?? File.ReadAllText(Path.Combine(Root, "audio", "transcript.txt")).TrimEnd('\n');
    public JsonObject Sampling => Manifest["sampling"] as JsonObject ?? new JsonObject();

    public string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>
    /// The tensors of a reference .safetensors file, loaded once per test run. Callers must not modify them in place.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> Tensors(string relative) =>
        _files.GetOrAdd(Path.GetFullPath(PathOf(relative)), p => SafetensorsFile.Load(p));

    public IReadOnlyDictionary<string, string> Metadata(string relative) => SafetensorsFile.ReadHeader(PathOf(relative)).Metadata;

    public ReferenceCase Case(string name) => Cases.SingleOrDefault(c => c.Name == name)
        ?? throw new KeyNotFoundException($"{Root} has no case folder '{name}' (cases: {string.Join(", ", Cases.Select(c => c.Name))})");

    /// <summary>Theory rows: the case names (never tensors) of <see cref="Current"/>, so each row is stable and can run alone.</summary>
    public static TheoryData<string> CaseNames() => NamesOf(Current);

    /// <summary>Theory rows: the case names of <see cref="Golden"/>, for tests that are not parity tests.</summary>
    public static TheoryData<string> GoldenCaseNames() => NamesOf(Golden);

    static TheoryData<string> NamesOf(ReferenceSet set)
    {
        var data = new TheoryData<string>();
        foreach (var c in set.Cases) data.Add(c.Name);
        return data;
    }
}

/// <summary>One model case of a reference set (a folder with model_config.json).</summary>
public sealed class ReferenceCase(ReferenceSet set, string name, string folder)
{
    public ReferenceSet Set { get; } = set;
    public string Name { get; } = name;
    public string Folder { get; } = folder;
    public DiTConfig Config { get; } = DiTConfig.FromJsonFile(Path.Combine(folder, "model_config.json"));

    public string PathOf(string relative) => Path.Combine(Folder, relative);

    /// <summary>The release-style EMA-only checkpoint of the case: the one <c>model_*.safetensors</c> in its folder.</summary>
    public string ReleaseCheckpointPath => Single(Folder, "model_*.safetensors");

    /// <summary>The trainer checkpoint of the case: <c>trainer_run/model_&lt;update&gt;.pt</c> (not model_last.pt).</summary>
    public string TrainerCheckpointPath => Single(Path.Combine(Folder, "trainer_run"), "model_*.pt", exclude: "model_last.pt");

    static string Single(string dir, string pattern, string? exclude = null)
    {
        var files = Directory.Exists(dir)
            ? Directory.GetFiles(dir, pattern).Where(f => Path.GetFileName(f) != exclude).ToArray()
            : [];
        return files.Length == 1 ? files[0]
            : throw new FileNotFoundException($"expected exactly one {pattern} in {dir}, found {files.Length}");
    }

    public IReadOnlyDictionary<string, Tensor> Tensors(string relative) => Set.Tensors(Path.Combine(Name, relative));
    public bool Has(string relative) => File.Exists(PathOf(relative));
    public override string ToString() => Name;
}
