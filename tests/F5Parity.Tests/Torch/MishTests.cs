using F5Parity.Tests.TestUtilities;
using TorchSharp;
using static TorchSharp.torch;

namespace F5Parity.Tests.Torch;

/// <summary>
/// <see cref="F5Parity.Torch.Mish"/> (kept-alive softplus Scalars) computes exactly what TorchSharp's <c>nn.Mish</c>
/// computes, so replacing it in ConvPositionEmbedding changes no bit; values span softplus's threshold (20) and the
/// range where exp under- and overflows.
/// </summary>
public sealed class MishTests
{
    static readonly Tolerance SameOps = Tolerance.Exact("the same libtorch calls with Scalars of the same value and type");

    [Fact]
    public void Equals_TorchSharp_Mish_bit_for_bit()
    {
        using var scope = NewDisposeScope();
        using var spread = 8.ToScalar();
        var x = cat([randn(1028, generator: new Generator(3)) * spread, tensor(new[] { -200f, -20f, 0f, 19.99f, 20f, 20.01f, 90f, 200f })]);
        using var ours = new F5Parity.Torch.Mish();
        using var theirs = nn.Mish();
        TensorAssert.Close(ours.call(x), theirs.call(x), SameOps, "mish", "mish/vs_torchsharp");
    }
}
