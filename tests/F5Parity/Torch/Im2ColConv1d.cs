using TorchSharp;
using static TorchSharp.torch;
using static F5Parity.Torch.Scalars;

namespace F5Parity.Torch;

/// <summary>
/// <c>torch.nn.functional.conv1d</c> (zero padding, dilation 1) computed as unfold + matrix product, without libtorch's
/// oneDNN convolution. Reason: with libtorch-cpu 2.10.0 (oneDNN 3.7.1, AVX-512 host), a float32 conv1d whose input
/// channels are not a multiple of 16 and whose length is ≳ 300 comes back wrong — measured on (1, 100, 348) with a
/// (32, 100, 7) kernel: ones ⊛ ones gives 696 instead of 700, random data is off by ~1.2 on values of ~14, and with
/// 512 output channels (the real vocos-mel-24khz <c>embed</c>) it returns NaN — while the same call in float64, or
/// with 96/112/128 input channels, is correct. The Vocos <c>embed</c> (100 mel channels in) is exactly that case.
/// </summary>
public static class Im2ColConv1d
{
    /// <summary>
    /// input (b, c_in, n), weight (c_out, c_in / groups, k), bias (c_out) or null →
    /// (b, c_out, (n + 2·padding − k) / stride + 1).
    /// </summary>
    public static Tensor Forward(Tensor input, Tensor weight, Tensor? bias, long stride = 1, long padding = 0, long groups = 1)
    {
        if (input.dim() != 3 || weight.dim() != 3)
            throw new ArgumentException($"conv1d expects input (b, c_in, n) and weight (c_out, c_in/groups, k); got [{string.Join(", ", input.shape)}] and [{string.Join(", ", weight.shape)}]");
        long b = input.shape[0], cIn = input.shape[1];
        long cOut = weight.shape[0], cPerGroup = weight.shape[1], k = weight.shape[2];
        if (groups <= 0 || cIn % groups != 0 || cOut % groups != 0 || cPerGroup != cIn / groups)
            throw new ArgumentException($"conv1d: {cIn} input channels, weight [{string.Join(", ", weight.shape)}] and groups {groups} do not fit");
        using var scope = NewDisposeScope();
        var x = padding > 0 ? nn.functional.pad(input, new[] { padding, padding }) : input;
        var cols = x.unfold(2, k, stride);                                   // (b, c_in, n_out, k)
        long nOut = cols.shape[2];
        Tensor y;
        if (groups == 1)
        {
            var patches = cols.permute(0, 2, 1, 3).reshape(b, nOut, cIn * k);   // (b, n_out, c_in·k)
            y = matmul(patches, weight.reshape(cOut, cIn * k).t()).transpose(1, 2); // (b, c_out, n_out)
        }
        else if (groups == cIn && cOut == cIn)
        {
            // Depthwise: each channel with its own k taps.
            y = (cols * weight.view(1, cIn, 1, k)).sum(-1);                  // (b, c, n_out)
        }
        else
        {
            var g = cols.reshape(b, groups, cPerGroup, nOut, k);                // (b, g, c/g, n_out, k)
            var w = weight.reshape(groups, cOut / groups, cPerGroup, k);        // (g, o/g, c/g, k)
            y = einsum("bgcnk,gock->bgon", g, w).reshape(b, cOut, nOut);
        }
        if (bias is not null) y = y.add(bias.view(1, cOut, 1), alpha: IntOne);
        return y.contiguous().MoveToOuterDisposeScope();
    }
}
