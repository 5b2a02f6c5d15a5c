using F5Parity.Model;
using static TorchSharp.torch;

namespace F5Parity.Training;

/// <summary>
/// Upstream <c>DiT.initialize_weights</c> (backbones/dit.py): after the default layer initialisation, the AdaLN
/// modulation of every block (<c>attn_norm.linear</c>), the final AdaLN (<c>norm_out.linear</c>) and the output
/// projection (<c>proj_out</c>) are zeroed, so a fresh model predicts 0.
/// </summary>
public static class DiTInitializer
{
    public static void ZeroInitialize(CFM model)
    {
        using var guard = no_grad();
        foreach (var (name, p) in model.named_parameters())
        {
            bool zero = (name.StartsWith("transformer.transformer_blocks.", StringComparison.Ordinal) && name.Contains(".attn_norm.linear."))
                        || name.StartsWith("transformer.norm_out.linear.", StringComparison.Ordinal)
                        || name.StartsWith("transformer.proj_out.", StringComparison.Ordinal);
            if (zero) p.zero_();
        }
    }
}
