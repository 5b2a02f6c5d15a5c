using F5Parity.Pipelines;
using static TorchSharp.torch;

namespace F5Parity.Tests.TestUtilities;

/// <summary>
/// Compares a trainer-path run with an upstream capture of the same call (the replayed log-sample block and the real
/// <c>Trainer.train()</c> capture store the same intermediates under the same names, except the two waves).
/// </summary>
public static class TrainerRunAssert
{

    public static void Matches(TrainerSampleResult result, IReadOnlyDictionary<string, Tensor> r, string label,
        string genWaveKey, string refWaveKey, SamplingTolerances tol)
    {
        string L(string n) => $"{label}/{n}";
        TensorAssert.Equal(result.TextIds, r["text_ids"], "text", L("text_ids"));
        result.Duration.Should().Be(r["duration"].item<long>());
        TensorAssert.Close(result.Sample.Y0, r["y0"], SamplingTolerances.Bitwise, "cfm_noise", L("y0"));
        TensorAssert.Close(result.Sample.T, r["t"], SamplingTolerances.Bitwise, "time_grid", L("t"));
        TensorAssert.Close(result.Sample.StepCond, r["first_step_cond"], SamplingTolerances.Bitwise, "cfm_step_cond", L("first_step_cond"));
        TensorAssert.Close(result.Sample.FirstStepOutput, r["first_step_out_cfg_packed"], tol.Module, "dit", L("first_step_out"));
        TensorAssert.Close(result.Sample.Output, r["out_full"], tol.Sample, "trainer_path", L("out_full"));
        TensorAssert.Close(result.GenMel, r["gen_mel"], tol.Sample, "trainer_path", L("gen_mel"));
        TensorAssert.Close(result.GenWave, r[genWaveKey], tol.Wave, "trainer_path_wave", L(genWaveKey));
        TensorAssert.Close(result.RefWave, r[refWaveKey], tol.Decode, "vocos", L(refWaveKey));
    }
}
