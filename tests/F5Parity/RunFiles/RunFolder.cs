using System.Text.RegularExpressions;
using F5Parity.Errors;

namespace F5Parity.RunFiles;

/// <summary>
/// A training run in upstream's layout, found from its folder <c>ckpts/&lt;project&gt;</c>: the saves
/// (<c>model_&lt;N&gt;.pt</c>, <c>model_last.pt</c>, or .safetensors), finetune_gradio's <c>setting.json</c>, hydra's
/// <c>.hydra/config.yaml</c>, the trainer's <c>samples/</c>, and the dataset folder <c>data/&lt;name&gt;_&lt;tokenizer&gt;</c>
/// (given, or looked for two levels up, where upstream keeps <c>data/</c> beside <c>ckpts/</c>).
/// </summary>
public sealed record RunFolder(
    string Folder, IReadOnlyList<(long Update, string Path)> Saves, string? SettingsFile, string? HydraConfig,
    IReadOnlyList<TrainerSample> Samples, string? DatasetFolder)
{
    static readonly Regex Save = new(@"^model_(\d+|last)\.(pt|safetensors)$", RegexOptions.Compiled);

    /// <summary>The save a user infers from: model_last, else the highest update.</summary>
    public string NewestSave => Saves[^1].Path;

    public string Project => Path.GetFileName(Folder.TrimEnd('/'));

    public static RunFolder Find(string folder, string? datasetFolder = null)
    {
        folder = Path.GetFullPath(folder);
        if (!Directory.Exists(folder)) throw new RunFileException(folder, "", "run folder not found (expected ckpts/<project>)");
        var saves = Directory.EnumerateFiles(folder)
            .Select(f => (File: f, M: Save.Match(Path.GetFileName(f))))
            .Where(x => x.M.Success)
            .Select(x => (Update: x.M.Groups[1].Value == "last" ? long.MaxValue : long.Parse(x.M.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Path: x.File))
            .OrderBy(x => x.Update).ToList();
        if (saves.Count == 0) throw new RunFileException(folder, "", "no model_<N>.pt, model_last.pt or .safetensors save in the run folder");
        string? Opt(string p) => File.Exists(p) ? p : null;
        if (datasetFolder is not null && !Directory.Exists(datasetFolder))
            throw new RunFileException(datasetFolder, "", "dataset folder not found (expected data/<name>_<tokenizer>)");
        return new RunFolder(folder, saves, Opt(Path.Combine(folder, FinetuneSettings.FileName)),
            Opt(Path.Combine(folder, ".hydra", "config.yaml")), TrainerSample.Find(Path.Combine(folder, "samples")),
            datasetFolder is null ? null : Path.GetFullPath(datasetFolder));
    }

    /// <summary><c>data/&lt;name&gt;_&lt;tokenizer&gt;</c> beside <c>ckpts/</c>, if it exists.</summary>
    public string? DatasetFor(string name, string tokenizer)
    {
        var ckpts = Path.GetDirectoryName(Folder);
        var root = ckpts is null ? null : Path.GetDirectoryName(ckpts);
        if (root is null) return null;
        var candidate = Path.Combine(root, "data", $"{name}_{tokenizer}");
        return Directory.Exists(candidate) ? candidate : null;
    }

    /// <summary>vocab.txt files in reach of the run: the dataset's, beside the saves.</summary>
    public IEnumerable<string> VocabFilesBesideSaves() =>
        Directory.EnumerateFiles(Folder, "*.txt").Where(f => Path.GetFileName(f).Contains("vocab", StringComparison.OrdinalIgnoreCase)).Order();
}
