using F5Parity.Checkpoints;
using F5Parity.Tests.TestUtilities;
using static TorchSharp.torch;

namespace F5Parity.Tests.Hygiene;

/// <summary>
/// <see cref="ModelLoader"/> reads a .safetensors' EMA weights straight into the model (no second copy of the
/// checkpoint in memory); the result must be bit-identical to the two-copy path through <see cref="TrainerCheckpoint"/>.
/// </summary>
public sealed class SingleCopyLoadTests
{
    [Theory]
    [MemberData(nameof(ReferenceSet.GoldenCaseNames), MemberType = typeof(ReferenceSet))]
    public void Direct_safetensors_load_equals_the_state_dict_path(string caseName)
    {
        var c = ReferenceSet.Golden.Case(caseName);
        using var direct = ModelLoader.Load(c.Config, c.ReleaseCheckpointPath);
        using var checkpoint = TrainerCheckpoint.Read(c.ReleaseCheckpointPath);
        using var viaDict = ModelLoader.Load(c.Config, checkpoint);
        var a = direct.state_dict();
        var b = viaDict.state_dict();
        a.Keys.Should().BeEquivalentTo(b.Keys);
        int nonZero = 0;
        foreach (var (key, t) in a)
        {
            t.dtype.Should().Be(b[key].dtype, key);
            t.contiguous().bytes.SequenceEqual(b[key].contiguous().bytes).Should().BeTrue($"{key} must be bit-identical");
            if (t.count_nonzero().item<long>() > 0) nonZero++;
        }
        nonZero.Should().BeGreaterThan(a.Count / 2, "the weights were really read, not left at zero");
    }

    [Fact]
    public void Direct_load_keeps_the_strict_check()
    {
        var c = ReferenceSet.Golden.Case("v0");
        var config = c.Config with { Depth = c.Config.Depth + 1 };
        FluentActions.Invoking(() => ModelLoader.Load(config, c.ReleaseCheckpointPath).Dispose())
            .Should().Throw<Errors.CheckpointFormatException>().Which.Fault.Should().Contain("missing key(s) [transformer.transformer_blocks.2.");
    }
}
