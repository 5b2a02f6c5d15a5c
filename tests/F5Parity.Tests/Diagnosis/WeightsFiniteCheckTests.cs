using F5Parity.Checkpoints;
using F5Parity.Diagnosis;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Tests.TestUtilities;
using F5Parity.Training;
using static TorchSharp.torch;

namespace F5Parity.Tests.Diagnosis;

/// <summary>
/// The static check <c>weights-finite</c> (run before the first sampling, through <see cref="TensorHealth"/>) on a copy
/// of fixtures/models/finetune.pt with one NaN and one +inf in a raw tensor: an error naming the file, the weight
/// set, the tensor and the counts; the untouched EMA set stays ok.
/// </summary>
public sealed class WeightsFiniteCheckTests
{
    [Fact]
    public void Non_finite_raw_weights_are_an_error_naming_the_tensor_and_the_counts()
    {
        string path = Path.Combine(DiagnosisSession.Scratch("weights-finite"), "finetune-nan.pt");
        const string key = "transformer.proj_out.weight";
        using (var ck = TrainerCheckpoint.Read(Path.Combine(RepoPaths.Fixtures, "models", "finetune.pt")))
        {
            var raw = ck.ModelStateDict!.ToDictionary(kv => kv.Key, kv => kv.Value);
            var poisoned = raw[key].clone();
            poisoned[0, 0] = float.NaN;
            poisoned[0, 1] = float.PositiveInfinity;
            raw[key] = poisoned;
            TrainerCheckpointWriter.Write(path, raw, null, ck.EmaModelStateDict!, null, ck.Update ?? 0, overwrite: true);
        }
        using var diagnoser = new Diagnoser(FixtureDiagnosisTests.Base("finetune.pt", "L1") with { Checkpoint = path, Seeds = 1 });
        var findings = StaticChecks.Run(diagnoser.Runner.Inputs, diagnoser.Paths).Where(f => f.Check == "weights-finite").ToList();

        var bad = findings.Single(f => f.Severity == Severity.Error);
        bad.Message.Should().Contain("finetune-nan.pt raw").And.Contain(key).And.Contain("1 NaN").And.Contain("1 +inf");
        bad.Values!["non_finite"].Should().Be(2);
        bad.Hypothesis.Should().Be("checkpoint");
        findings.Single(f => f.Message.Contains(" ema:")).Severity.Should().Be(Severity.Ok);
    }
}
