using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;

namespace F5Parity.Search;

/// <summary>
/// One training setup a checkpoint might answer to: DiT options (a model-config name), the vocab, how the dataset
/// stored its text, raw or EMA weights, and the mel front end — the facts a wrong belief about training usually gets wrong.
/// </summary>
public sealed record SetupCandidate(string ModelConfig, string Vocab, TextProcessing Text, bool UseEma, string MelSpecType = "vocos")
{
    public string Describe() =>
        $"{ModelConfig} options ({RunFiles.ModelPreset.Version(ModelConfig)}), vocab {Path.GetFileName(Path.GetDirectoryName(Vocab))}/{Path.GetFileName(Vocab)}, {Text.ToName()} text, {(UseEma ? "EMA" : "raw")} weights, {MelSpecType} mel";

    /// <summary>The facts in which <paramref name="other"/> differs from this, in words.</summary>
    public IReadOnlyList<string> DifferencesFrom(SetupCandidate other)
    {
        var d = new List<string>();
        if (ModelConfig != other.ModelConfig) d.Add($"DiT options: {other.ModelConfig} instead of {ModelConfig}");
        if (Path.GetFullPath(Vocab) != Path.GetFullPath(other.Vocab)) d.Add($"vocab: {other.Vocab} instead of {Vocab}");
        if (Text != other.Text) d.Add($"text: {other.Text.ToName()} instead of {Text.ToName()}");
        if (UseEma != other.UseEma) d.Add($"weights: {(other.UseEma ? "EMA" : "raw")} instead of {(UseEma ? "EMA" : "raw")}");
        if (MelSpecType != other.MelSpecType) d.Add($"mel front end: {other.MelSpecType} instead of {MelSpecType}");
        return d;
    }

    /// <summary>The trainer-path run of <paramref name="trainer"/> under this setup.</summary>
    public RunSpec Apply(RunSpec trainer, Func<string, int> vocabSize) => trainer with
    {
        ModelConfig = ModelConfigRef.Resolve(ModelConfig, vocabSize(Vocab)), VocabPath = Vocab, Text = Text, UseEma = UseEma,
        MelSpecType = MelSpecType,
    };

    /// <summary>The setup a run spec is in.</summary>
    public static SetupCandidate Of(RunSpec spec) => new(spec.ModelConfig.Name, spec.VocabPath, spec.Text, spec.UseEma, spec.MelSpecType);
}
