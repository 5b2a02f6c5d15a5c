using F5Parity.Tests.TestUtilities;
using F5Parity.Torch;
using static TorchSharp.torch;

namespace F5Parity.Tests.Torch;

/// <summary>
/// <see cref="Im2ColConv1d"/> must equal conv1d evaluated in float64 (libtorch's float64 convolution does not take the
/// faulty oneDNN float32 path), including the shapes where libtorch 2.10's float32 conv1d fails: 100 input channels,
/// ≥ 300 frames (the Vocos <c>embed</c>).
/// </summary>
public sealed class Im2ColConv1dTests
{
    /// <summary>Float32 dot products of up to c_in·k = 700 terms of magnitude ~1, against float64.</summary>
    static readonly Tolerance Float32Sum = Tolerance.Absolute(1e-5, "float32 accumulation of <= 700 unit-scale products vs float64 (measured 1.7e-6)");

    public static TheoryData<int, int, int, int, int, int> Shapes() => new()
    {
        // c_in, c_out, n, k, groups, stride
        { 100, 32, 348, 7, 1, 1 },
        { 100, 512, 700, 7, 1, 1 },
        { 100, 32, 40, 7, 1, 1 },
        { 32, 32, 348, 7, 32, 1 },
        { 64, 64, 500, 31, 16, 1 },
        { 1, 160, 20_000, 307, 1, 147 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Equals_float64_conv1d(int cIn, int cOut, int n, int k, int groups, int stride)
    {
        using var scope = NewDisposeScope();
        var gen = new TorchSharp.torch.Generator(1234);
        var x = randn(new long[] { 2, cIn, n }, generator: gen);
        var w = randn(new long[] { cOut, cIn / groups, k }, generator: gen) * (1.0 / Math.Sqrt(cIn / groups * k));
        var b = randn(new long[] { cOut }, generator: gen);
        long padding = stride == 1 ? k / 2 : 0;
        var actual = Im2ColConv1d.Forward(x, w, b, stride, padding, groups);
        var expected = nn.functional.conv1d(x.to(ScalarType.Float64), w.to(ScalarType.Float64), b.to(ScalarType.Float64),
            stride: stride, padding: padding, groups: groups);
        TensorAssert.Close(actual, expected, Float32Sum, "im2col_conv1d", $"im2col_conv1d/{cIn}x{n}_k{k}_g{groups}_s{stride}");
    }
}
