using System.Text.RegularExpressions;
using F5Parity.Checkpoints;
using F5Parity.Errors;

namespace F5Parity.Sweep;

/// <summary>One save of a training run and the update it was written at.</summary>
public sealed record Save(string Path, long Update, string UpdateSource);

/// <summary>
/// The saves of a run, ordered by update: a run folder (its <c>model_*.pt</c>, <c>model_last.pt</c> and pruned
/// <c>*.safetensors</c>, as upstream's Trainer and prune script name them) or a list of files. The order comes from
/// the <c>update</c> (or older <c>step</c>) each trainer checkpoint stores; a file without one (a pruned
/// .safetensors) falls back to the number in its name (<c>model_1200.safetensors</c> → 1200), <c>model_last</c> last.
/// </summary>
public static partial class SaveList
{
    [GeneratedRegex(@"(\d+)(?!.*\d)")]
    private static partial Regex LastNumber();

    public static IReadOnlyList<Save> Find(IEnumerable<string> inputs)
    {
        var files = new List<string>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
                files.AddRange(Directory.EnumerateFiles(input).Where(IsSave));
            else if (File.Exists(input)) files.Add(Path.GetFullPath(input));
            else throw new CheckpointFormatException(input, "sweep: neither a run folder nor a checkpoint file");
        }
        if (files.Count == 0) throw new CheckpointFormatException(string.Join(", ", inputs), "sweep: no model_*.pt, model_last.pt or .safetensors save found");
        return files.Distinct().Select(Describe).OrderBy(s => s.Update).ThenBy(s => s.Path, StringComparer.Ordinal).ToList();
    }

    static bool IsSave(string path)
    {
        string name = Path.GetFileName(path);
        return name.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("model_", StringComparison.Ordinal) && name.EndsWith(".pt", StringComparison.Ordinal);
    }

    static Save Describe(string path)
    {
        if (path.EndsWith(".pt", StringComparison.Ordinal))
        {
            using var ck = TrainerCheckpoint.Read(path);
            if (ck.Update is long u) return new Save(path, u, ck.UpdateKey!);
        }
        string stem = Path.GetFileNameWithoutExtension(path);
        if (stem.EndsWith("last", StringComparison.Ordinal)) return new Save(path, long.MaxValue, "name (last)");
        var m = LastNumber().Match(stem);
        return m.Success ? new Save(path, long.Parse(m.Value), "name") : new Save(path, long.MaxValue - 1, "none");
    }
}
