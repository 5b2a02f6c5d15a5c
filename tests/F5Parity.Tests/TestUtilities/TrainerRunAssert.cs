using F5Parity.Pipelines;
using static TorchSharp.torch;

namespace F5Parity.Tests.TestUtilities;

/// <summary>
/// Compares a trainer-path run with an upstream capture of the same call (the replayed log-sample block and the real
/// <c>Trainer.train()</c> capture store the same intermediates under the same names, except the two waves).
/// </summary>
public static class TrainerRunAssert
{
    static readonly Tolerance Bitwise = Tolerance.Exact("ids, lengths, seeded noise, the grid and the copied dataset mel: the same bits");
    static readonly Tolerance Module = Tolerance.Absolute(1e-5, "one fp32 pass (the first DiT call, the reference mel through Vocos)");
    static readonly Tolerance Sample = Tolerance.Absolute(1e-4,
        "an N-step sample chains 2N DiT passes whose float32 summation order differs between torch 1.13 and libtorch 2.10");
    static readonly Tolerance Wave = Tolerance.Absolute(1e-5,
        "the tiny Vocos decodes a mel that is within 1e-4; its random weights shrink the signal (measured 1.3e-7 on the wave)");

    public static void Matches(TrainerSampleResult result, IReadOnlyDictionary<string, Tensor> r, string label,
        string genWaveKey, string refWaveKey)
    {
        string L(string n) => $"{label}/{n}";
        TensorAssert.Equal(result.TextIds, r["text_ids"], "text", L("text_ids"));
        result.Duration.Should().Be(r["duration"].item<long>());
        TensorAssert.Close(result.Sample.Y0, r["y0"], Bitwise, "cfm_noise", L("y0"));
        TensorAssert.Close(result.Sample.T, r["t"], Bitwise, "time_grid", L("t"));
        TensorAssert.Close(result.Sample.StepCond, r["first_step_cond"], Bitwise, "cfm_step_cond", L("first_step_cond"));
        TensorAssert.Close(result.Sample.FirstStepOutput, r["first_step_out_cfg_packed"], Module, "dit", L("first_step_out"));
        TensorAssert.Close(result.Sample.Output, r["out_full"], Sample, "trainer_path", L("out_full"));
        TensorAssert.Close(result.GenMel, r["gen_mel"], Sample, "trainer_path", L("gen_mel"));
        TensorAssert.Close(result.GenWave, r[genWaveKey], Wave, "trainer_path_wave", L(genWaveKey));
        TensorAssert.Close(result.RefWave, r[refWaveKey], Module, "vocos", L(refWaveKey));
    }
}
