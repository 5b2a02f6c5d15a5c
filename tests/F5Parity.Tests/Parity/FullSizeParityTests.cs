using F5Parity.Checkpoints;
using F5Parity.Model;
using F5Parity.Tests.TestUtilities;
using static TorchSharp.torch;

namespace F5Parity.Tests.Parity;

/// <summary>
/// Full-size parity with no weights file (<see cref="SeededReferenceSet"/>): the port's F5TTS_Base / F5TTS_v1_Base DiT
/// with weights regenerated from the case's seed (sha256-checked per tensor) against upstream's own outputs — the
/// forward at N = 256 (plain and packed CFG) and a 4-step <c>CFM.sample</c> with its whole trajectory in the default
/// tier; the forward at N = 940 is <see cref="FullSizeLongParityTests"/>.
/// </summary>
[Trait(Categories.Key, Categories.Parity)]
public sealed class FullSizeParityTests(SeededModels models) : IClassFixture<SeededModels>
{
    const string ForwardFile = "dit_forward.safetensors";
    const string SampleFile = "cfm_sample.safetensors";

    /// <summary>The sample call the reference-base MANIFEST records: <c>cfm.sample(cond, text, 256, steps=4, cfg_strength=2.0, sway_sampling_coef=-1.0, seed=42)</c>.</summary>
    static readonly (double Cfg, double Sway, long Seed) SampleCall = (2.0, -1.0, 42);

    public static TheoryData<string> Cases() => SeededReferenceSet.CaseNames();

    internal static IReadOnlyDictionary<string, Tensor> Load(string caseName, string file) =>
        SafetensorsFile.Load(Path.Combine(SeededReferenceSet.Folder(caseName), file));

    /// <summary>
    /// One test per case, so its 1.35 GB model is regenerated once: the forward at N = 256 (plain, packed CFG), then the
    /// 4-step sample with its trajectory.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_at_N256_and_sample_with_trajectory_equal_upstream(string caseName)
    {
        AssertForward(models, caseName, "N256");
        AssertSample(caseName);
    }

    /// <summary>Plain and packed-CFG forward of the case's <paramref name="n"/> inputs (N256, N940) against upstream's.</summary>
    internal static void AssertForward(SeededModels models, string caseName, string n)
    {
        var dit = models.Get(caseName).transformer;
        var r = Load(caseName, ForwardFile);
        var tol = Float32Budget.Pass(dit.Config.Depth, "one full-size DiT forward");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (x, cond, text, time) = (r[$"{n}/x"], r[$"{n}/cond"], r[$"{n}/text"], r[$"{n}/time"].reshape([]));
        TensorAssert.Close(dit.forward(x, cond, text, time), r[$"{n}/out"], tol, "dit_fullsize", $"{caseName}/{n}/out");
        TensorAssert.Close(dit.forward(x, cond, text, time, cfgInfer: true), r[$"{n}/out_packed"], tol, "dit_fullsize", $"{caseName}/{n}/out_packed");
    }

    void AssertSample(string caseName)
    {
        var cfm = models.Get(caseName);
        var dit = cfm.transformer;
        var r = Load(caseName, SampleFile);
        int steps = (int)r["t_grid"].shape[0] - 1;
        using var result = cfm.Sample(r["cond"], r["text"], r["duration"], new SampleOptions
        {
            Steps = steps, CfgStrength = SampleCall.Cfg, SwaySamplingCoef = SampleCall.Sway, Seed = SampleCall.Seed, KeepTrajectory = true,
        });

        TensorAssert.Close(result.Y0, r["y0"], SamplingTolerances.Bitwise, "cfm_noise", $"{caseName}/fullsize/y0");
        TensorAssert.Close(result.T, r["t_grid"], SamplingTolerances.Bitwise, "time_grid", $"{caseName}/fullsize/t_grid");
        var trajectory = r["trajectory"];
        for (int k = 1; k <= steps; k++) // after k steps: k steps' budget
            TensorAssert.Close(result.Trajectory![k], trajectory[k], Float32Budget.Sample(dit.Config.Depth, k, SampleCall.Cfg, $"trajectory after {k} steps"),
                "cfm_sample_fullsize", $"{caseName}/fullsize/trajectory_{k}");
        TensorAssert.Close(result.Output, r["out"], Float32Budget.Sample(dit.Config.Depth, steps, SampleCall.Cfg, "a full-size sample"),
            "cfm_sample_fullsize", $"{caseName}/fullsize/out");
    }
}
