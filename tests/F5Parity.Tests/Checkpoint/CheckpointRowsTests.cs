using F5Parity.CheckpointTier;
using F5Parity.Diagnosis;
using F5Parity.Tests.TestUtilities;
using Xunit.Abstractions;
using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Hypotheses;

namespace F5Parity.Tests.Checkpoint;

/// <summary>
/// The self-test of the checkpoint tier's row logic: on every fault fixture of fixtures/models/ (configured as its
/// fault happens, as in the fixture diagnosis tests) exactly the expected rows are red and the red hypothesis row names
/// the injected cause with its numbers; on the healthy fine-tune and pretrained no row is red.
/// </summary>
public sealed class CheckpointRowsTests(ITestOutputHelper output)
{
    static string M(string file) => Path.Combine(RepoPaths.Fixtures, "models", file);

    /// <summary>One language's healthy baseline (the fixtures' shared setup: fixtures/README.md).</summary>
    public static DiagnosisConfig Base(string checkpoint, string language) => new()
    {
        Checkpoint = M(checkpoint), Vocab = M("vocab.txt"), ModelConfig = ModelConfigRef.FixtureV1, TrainingText = "pinyin",
        Codebook = language, RefAudio = "", RefText = "com música", GenText = "o túnel dourado",
        Vocoder = Path.Combine(RepoPaths.Golden, "upstream", "common", "vocos_tiny"), Metric = "token-accuracy",
        Nfe = 8, Seed = 42, Seeds = 3, InferenceFlow = "direct", Out = Path.Combine(RepoPaths.Artifacts, "checkpoint-rows"),
    };

    /// <summary>Each fault fixture: its configuration and the rows that must be red (symptom, cause, the static check that sees it).</summary>
    static readonly Dictionary<string, (DiagnosisConfig Config, string[] Red)> Cases = new()
    {
        ["stale-ema"] = (Base("finetune_stale_ema.pt", "L1") with { OtherCheckpoint = M("pretrained.safetensors") }, ["path:infer", "hypothesis:ema"]),
        ["vocab-swap"] = (Base("pretrained.safetensors", "L0") with { InferenceVocab = M("vocab_swap_ao.txt") }, ["path:infer", "hypothesis:vocab", "static:vocab-order"]),
        ["vocab-size"] = (Base("pretrained.safetensors", "L0") with { InferenceVocab = M("vocab_plus_2.txt") }, ["path:infer", "hypothesis:vocab", "static:vocab-size", "static:vocab-order"]),
        ["raw-text"] = (Base("raw_text.safetensors", "L0") with { TrainingText = "raw" }, ["path:infer", "hypothesis:pinyin"]),
        ["v0-as-v1"] = (Base("v0_trained.safetensors", "L0") with { ModelConfig = ModelConfigRef.FixtureV0, InferenceModelConfig = ModelConfigRef.FixtureV1 }, ["static:config"]),
        ["diverged"] = (Base("pretrained.safetensors", "L0") with { InferenceCheckpoint = M("diverged.pt") }, ["path:infer", "hypothesis:checkpoint"]),
        ["fp16-overflow"] = (Base("fp16_overflow.safetensors", "L1") with { Dtype = "float16" }, ["path:infer", "hypothesis:precision"]),
        ["cli-flow"] = (Base("finetune.pt", "L1") with { InferenceFlow = "cli" }, ["path:infer", "hypothesis:ref-text"]),
        ["healthy-finetune"] = (Base("finetune.pt", "L1"), []),
        ["healthy-pretrained"] = (Base("pretrained.safetensors", "L0"), []),
    };

    public static TheoryData<string> CaseIds() => [.. Cases.Keys];

    IReadOnlyList<CheckpointRow> Rows(DiagnosisConfig config)
    {
        using var diagnoser = new Diagnoser(config);
        var report = diagnoser.Run();
        var rows = CheckpointRows.All(report, bundle: "bundle");
        output.WriteLine($"verdict {report.Verdict.Hypothesis}");
        foreach (var r in rows) output.WriteLine($"  {r.State,-4} {r.Id,-28} {r.Message}");
        return rows;
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Exactly_the_faults_rows_are_red(string id)
    {
        var (config, expected) = Cases[id];
        var rows = Rows(config);
        Assert.Equal(expected.Order(), rows.Where(r => r.Red).Select(r => r.Id).Order());
        foreach (var h in expected.Where(e => e.StartsWith("hypothesis:")))
        {
            var row = rows.Single(r => r.Id == h);
            Assert.Contains("a difference of the two configured paths that breaks the infer path", row.Message);
            // control → treatment scores; the vocab of another size cannot load, so its row says the run failed
            Assert.Contains(id == "vocab-size" ? "treatment failed" : "→", row.Message);
            Assert.Contains("Fix:", row.Message);
            Assert.Contains(Path.Combine("bundle", "hypotheses", h["hypothesis:".Length..], "treatment.wav"), row.Message);
        }
    }
}
