using F5Parity.Model;
using F5Parity.Tests.TestUtilities;
using static TorchSharp.torch;

namespace F5Parity.Tests.Model;

/// <summary>
/// The port computes attention as <c>softmax(q·kᵀ/√d + mask)·v</c> (AttnProcessor.DotProductAttention); this checks it
/// against libtorch's fused <c>scaled_dot_product_attention</c>, upstream's call, with and without a key mask.
/// </summary>
public sealed class AttnProcessorTests
{
    /// <summary>Two summation orders of the same fp32 sums over 64 keys: a few ulp of values of order 1.</summary>
    static readonly Tolerance SameMath = Tolerance.Absolute(1e-6, "same arithmetic, different fp32 summation order");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Plain_softmax_attention_matches_torch_sdpa(bool masked)
    {
        using var scope = NewDisposeScope();
        var g = new TorchSharp.torch.Generator(1234);
        var q = randn([2, 2, 64, 32], generator: g);
        var k = randn([2, 2, 64, 32], generator: g);
        var v = randn([2, 2, 64, 32], generator: g);
        Tensor? mask = null;
        if (masked)
        {
            var keep = arange(64).lt(tensor(new long[] { 64, 40 }).unsqueeze(1)); // b n: lengths 64, 40
            mask = keep.unsqueeze(1).unsqueeze(1).expand(2, 2, 64, 64);
        }
        var plain = AttnProcessor.DotProductAttention(q, k, v, mask);
        var fused = nn.functional.scaled_dot_product_attention(q, k, v, mask);
        TensorAssert.Close(plain, fused, SameMath, "attention", $"sdpa_vs_plain/masked={masked}");
    }
}
