using F5Parity.Checkpoints;
using F5Parity.Errors;
using F5Parity.Model;
using F5Parity.Tests.TestUtilities;
using static TorchSharp.torch;

namespace F5Parity.Tests.Checkpoints;

/// <summary><see cref="StateDictLoader.LoadStrict"/>: dtype conversion, and all-or-nothing loading.</summary>
public sealed class StateDictLoaderTests
{
    const string EmaPrefix = "ema_model.transformer.";

    static Dictionary<string, Tensor> EmaWeights(ReferenceCase c) =>
        SafetensorsFile.Load(c.ReleaseCheckpointPath)
            .Where(kv => kv.Key.StartsWith(EmaPrefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[EmaPrefix.Length..], kv => kv.Value);

    [Fact]
    public void Values_are_converted_to_the_parameter_dtype()
    {
        var c = ReferenceSet.Golden.Cases[0];
        var half = EmaWeights(c).ToDictionary(kv => kv.Key, kv => kv.Value.to(ScalarType.Float16));
        using var dit = new DiT(c.Config);
        StateDictLoader.LoadStrict(dit, half, "half.safetensors");
        foreach (var (key, t) in dit.state_dict())
        {
            t.dtype.Should().Be(ScalarType.Float32, key);
            TensorAssert.Close(t, half[key].to(ScalarType.Float32), Tolerance.Exact("fp16 -> fp32 is exact"), "state_dict_loader", key);
        }
    }

    [Fact]
    public void A_rejected_checkpoint_changes_nothing()
    {
        var c = ReferenceSet.Golden.Cases[0];
        var sd = EmaWeights(c);
        using var dit = new DiT(c.Config);
        var before = dit.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        var broken = new Dictionary<string, Tensor>(sd) { ["proj_out.weight"] = sd["proj_out.weight"][..^1] };
        broken.Remove("proj_out.bias");

        var load = () => StateDictLoader.LoadStrict(dit, broken, "broken.safetensors");
        var error = load.Should().Throw<CheckpointFormatException>().Which;
        error.Source.Should().Be("broken.safetensors");
        error.Fault.Should().Contain("missing key(s) [proj_out.bias]").And.Contain("size mismatch for [proj_out.weight");
        foreach (var (key, t) in dit.state_dict())
            TensorAssert.Close(t, before[key], Tolerance.Exact("nothing is copied from a rejected file"), "state_dict_loader", key);
    }
}
