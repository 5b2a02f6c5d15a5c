using F5Parity.Model;

namespace F5Parity.Bench;

/// <summary>
/// Floating-point operations of one DiT forward, counted analytically (a multiply-add = 2 FLOPs; element-wise ops,
/// norms, softmax and the per-item time/AdaLN projections are left out — under 1 % at Base size). With b items of
/// n frames, d = dim, i = heads·dim_head, f = ff_mult, m = mel_dim, t = text_dim, c = conv_layers, L = depth:
/// <code>
/// FLOPs = b · [ L · (8·n·d·i + 4·n²·i + 4·f·n·d²)        attention q,k,v,o + scores QKᵀ and A·V + feed-forward
///             + c · (14·n·t + 8·n·t²)                    text ConvNeXtV2 blocks (depth-wise k=7, point-wise t→2t→t)
///             + 2·n·(2m + t)·d + 2 · 2·n·d·(d/16)·31     input projection + two grouped conv position layers
///             + 2·n·d·m ]                                output projection
/// </code>
/// </summary>
public static class DiTFlops
{
    public static double Forward(DiTConfig c, long batch, long n)
    {
        double d = c.Dim, i = c.Heads * c.DimHead, f = c.FfMult, m = c.MelDim, t = c.EffectiveTextDim;
        double block = 8 * n * d * i + 4.0 * n * n * i + 4 * f * n * d * d;
        double text = c.ConvLayers * (14 * n * t + 8 * n * t * t);
        double input = 2 * n * (2 * m + t) * d + 2 * 2 * n * d * (d / 16) * 31;
        double output = 2 * n * d * m;
        return batch * (c.Depth * block + text + input + output);
    }
}
