using System.Globalization;
using F5Parity.Model;
using F5Parity.Tests.TestUtilities;
using static TorchSharp.torch;

namespace F5Parity.Tests.Parity;

/// <summary>
/// <c>CFM.sample</c> on a fixed mel condition and token list with the <c>seed</c> argument (each
/// <c>&lt;case&gt;/cfm_sample_fixed.safetensors</c> entry): the noise and the time grid must be the same bits, the
/// output equal within float32 accumulation over the ODE steps.
/// </summary>
[Trait(Categories.Key, Categories.Parity)]
public sealed class CfmSampleParityTests
{

    const string File = "cfm_sample_fixed.safetensors";

    /// <summary>Rows: case / entry prefix (seedarg{seed}_cfg{cfg}_sway{m1|none}).</summary>
    public static TheoryData<string, string> Entries()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in ReferenceSet.Current.Cases)
            foreach (var key in c.Tensors(File).Keys.Where(k => k.EndsWith("__out", StringComparison.Ordinal)).Order())
                data.Add(c.Name, key[..^"__out".Length]);
        return data;
    }

    [Theory]
    [MemberData(nameof(Entries))]
    public void Seeded_sample_equals_upstream(string caseName, string entry)
    {
        var c = ReferenceSet.Current.Case(caseName);
        var t = c.Tensors(File);
        var (seed, cfg, sway) = ParseEntry(entry);
        var expectedY0 = t[$"{entry}__y0"];
        int steps = (int)t[$"{entry}__t"].shape[0] - 1;

        var model = CaseModels.Get(c, useEma: true);
        using var result = model.Sample(t["cond"], t["text_ids"], tensor(expectedY0.shape[1]), new SampleOptions
        {
            Steps = steps, CfgStrength = cfg, SwaySamplingCoef = sway, Seed = seed,
        });

        TensorAssert.Close(result.Y0, expectedY0, SamplingTolerances.Bitwise, "cfm_noise", $"{caseName}/{entry}/y0");
        TensorAssert.Close(result.T, t[$"{entry}__t"], SamplingTolerances.Bitwise, "time_grid", $"{caseName}/{entry}/t");
        TensorAssert.Close(result.Output, t[$"{entry}__out"], SamplingTolerances.For(c.Config, steps, cfg).Sample, "cfm_sample", $"{caseName}/{entry}/out");
    }

    /// <summary>seedarg42_cfg2_swaym1 -> (42, 2.0, -1.0); swaynone -> null.</summary>
    internal static (long Seed, double Cfg, double? Sway) ParseEntry(string entry)
    {
        var parts = entry.Split('_');
        long seed = long.Parse(parts[0]["seedarg".Length..], CultureInfo.InvariantCulture);
        double cfg = double.Parse(parts[1]["cfg".Length..], CultureInfo.InvariantCulture);
        var s = parts[2]["sway".Length..];
        double? sway = s == "none" ? null : s.StartsWith('m') ? -double.Parse(s[1..], CultureInfo.InvariantCulture) : double.Parse(s, CultureInfo.InvariantCulture);
        return (seed, cfg, sway);
    }
}
