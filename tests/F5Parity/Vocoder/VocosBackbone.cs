using F5Parity.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace F5Parity.Vocoder;

/// <summary>
/// Vocos's <c>VocosBackbone</c> (vocos/models.py) without AdaLayerNorm: <c>embed</c> Conv1d (kernel 7, padding 3),
/// <c>norm</c> LayerNorm, <c>convnext.{i}</c> <see cref="ConvNeXtBlock"/>s, <c>final_layer_norm</c>; all LayerNorms
/// eps 1e-6. Maps features (b, c, n) to hidden states (b, n, d). Under <see cref="Autocast"/> (upstream's trainer decodes
/// inside its autocast block) the convolutions and Linears run in the low dtype and the LayerNorms in float32.
/// </summary>
public sealed class VocosBackbone : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    readonly Conv1d embed;
    readonly LayerNorm norm;
    readonly ModuleList<ConvNeXtBlock> convnext;
    readonly LayerNorm final_layer_norm;
#pragma warning restore IDE1006

    public VocosBackbone(int inputChannels, int dim, int intermediateDim, int numLayers) : base(nameof(VocosBackbone))
    {
        embed = nn.Conv1d(inputChannels, dim, 7, padding: 3);
        norm = nn.LayerNorm(dim, eps: 1e-6);
        // Vocos's default layer scale is 1 / num_layers; the checkpoint overwrites it.
        convnext = nn.ModuleList(Enumerable.Range(0, numLayers)
            .Select(_ => new ConvNeXtBlock(dim, intermediateDim, 1.0 / numLayers)).ToArray());
        final_layer_norm = nn.LayerNorm(dim, eps: 1e-6);
        RegisterComponents();
    }

    /// <summary>x (b, c, n) → (b, n, d).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        // libtorch 2.10's oneDNN conv1d is wrong for 100 input channels and long inputs: im2col instead (Im2ColConv1d).
        var h = Autocast.LowerPrecision(a => Im2ColConv1d.Forward(a[0]!, a[1]!, a[2], padding: 3),
            x, embed.weight, embed.bias);                                                 // (b, d, n)
        h = norm.forward(Autocast.Fp32(h.transpose(1, 2))).transpose(1, 2); // (b, d, n)
        foreach (var block in convnext) h = block.forward(h);
        h = final_layer_norm.forward(Autocast.Fp32(h.transpose(1, 2))); // (b, n, d)
        return h.MoveToOuterDisposeScope();
    }
}
