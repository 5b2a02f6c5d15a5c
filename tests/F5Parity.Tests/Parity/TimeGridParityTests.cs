using F5Parity.Sampling;
using F5Parity.Tests.TestUtilities;

namespace F5Parity.Tests.Parity;

/// <summary>The ODE time grids against the grids upstream's CFM.sample actually passed to odeint (common/t_grids.safetensors).</summary>
[Trait(Categories.Key, Categories.Parity)]
public sealed class TimeGridParityTests
{
    static readonly Tolerance SameArithmetic = Tolerance.Exact(
        "the same float32 operations in the same order in the same libtorch kernels: measured bit-identical on every grid");

    const string File = "common/t_grids.safetensors";

    public static TheoryData<string> Grids()
    {
        var data = new TheoryData<string>();
        foreach (var name in ReferenceSet.Current.Tensors(File).Keys.Order()) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Grids))]
    public void Grid_equals_upstream(string name)
    {
        // names: t_steps{N}_sway{none|m1}
        var parts = name.Split('_');
        int steps = int.Parse(parts[1]["steps".Length..]);
        double? sway = parts[2] switch { "swaynone" => null, "swaym1" => -1.0, var s => throw new InvalidOperationException($"unknown grid name {s}") };
        using var t = TimeGrid.Build(steps, sway, useEpss: true);
        TensorAssert.Close(t, ReferenceSet.Current.Tensors(File)[name], SameArithmetic, "time_grid", $"t_grids/{name}");
    }

    [Fact]
    public void Epss_falls_back_to_uniform_steps_without_a_table()
    {
        EpssTimesteps.HasTable(8).Should().BeFalse();
        using var t = EpssTimesteps.Get(8);
        t.data<float>().ToArray().Should().Equal(Enumerable.Range(0, 9).Select(i => i / 8f));
    }
}
