using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Reporting;
using F5Parity.Audio;
using F5Parity.Errors;
using F5Parity.Metrics;
using F5Parity.Pipelines;
using static TorchSharp.torch;

namespace F5Parity.Diagnosis.Quality;

/// <summary>
/// Recordings of known texts (a folder with <c>transcripts.tsv</c>: file, text[, purpose]) plus the reference clip,
/// as log-mels (d, n) computed the way the dataset computes them. Used as the ground truth of a text and as the
/// "wrong texts" a generation must be farther from.
/// </summary>
public sealed class GroundTruthSet : IDisposable
{
    readonly List<(string Id, string Text, Tensor Mel)> _items = [];

    public IReadOnlyList<(string Id, string Text, Tensor Mel)> Items => _items;

    /// <summary>Adds one recording under <paramref name="id"/>.</summary>
    public void Add(string id, string text, string wavPath, MelSpec melSpec)
    {
        var (audio, sr) = WavFile.Read(wavPath);
        using var mel = TrainerSamplePath.DatasetMel(melSpec, audio, sr);
        audio.Dispose();
        _items.Add((id, text, mel[0].detach().clone()));
    }

    /// <summary>Reads every row of <paramref name="folder"/>/transcripts.tsv (header "file\ttext…").</summary>
    public static GroundTruthSet FromFolder(string folder, MelSpec melSpec)
    {
        var set = new GroundTruthSet();
        if (string.IsNullOrEmpty(folder)) return set;
        var tsv = Path.Combine(folder, "transcripts.tsv");
        if (!File.Exists(tsv)) throw new ConfigurationException(tsv, "ground-truth folder has no transcripts.tsv (columns: file, text)");
        foreach (var line in File.ReadLines(tsv).Skip(1))
        {
            if (line.Trim().Length == 0) continue;
            var cols = line.Split('\t');
            if (cols.Length < 2) throw new ConfigurationException(tsv, $"row '{line}' has no text column");
            set.Add(Path.GetFileNameWithoutExtension(cols[0]), cols[1], Path.Combine(folder, cols[0]), melSpec);
        }
        return set;
    }

    /// <summary>The recording whose transcript equals <paramref name="text"/> after <see cref="TextNormalizer"/>, or null.</summary>
    public string? FindId(string text)
    {
        var n = TextNormalizer.Normalize(text);
        return _items.FirstOrDefault(i => TextNormalizer.Normalize(i.Text) == n).Id;
    }

    public void Dispose()
    {
        foreach (var i in _items) i.Mel.Dispose();
    }
}
