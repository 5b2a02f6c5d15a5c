using F5Parity.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static F5Parity.Torch.Scalars;
using Mish = F5Parity.Torch.Mish; // nn.Mish with kept-alive softplus Scalars (TorchSharp.Modules.Mish passes implicit ones)

namespace F5Parity.Model;

/// <summary>
/// Port of upstream <c>ConvPositionEmbedding</c> (model/modules.py): two grouped 1-D convolutions over the sequence,
/// each followed by Mish, "same" padding (<c>kernel // 2</c>). <c>conv1d = Sequential(Conv1d, Mish, Conv1d, Mish)</c>,
/// so the keys are <c>conv1d.0.*</c> and <c>conv1d.2.*</c>. With a mask, padded frames are zeroed in the input and
/// again right after each convolution (Mish(0) = 0 keeps them zero), so no padded frame leaks into a valid one.
/// </summary>
public sealed class ConvPositionEmbedding : Module<Tensor, Tensor?, Tensor>
{
    readonly Sequential conv1d;
    readonly Module<Tensor, Tensor>[] _layers;

    public ConvPositionEmbedding(long dim, long kernelSize = 31, long groups = 16, Device? device = null)
        : base(nameof(ConvPositionEmbedding))
    {
        if (kernelSize % 2 == 0) throw new ArgumentException($"kernel size must be odd, not {kernelSize}", nameof(kernelSize));
        _layers =
        [
            Conv1d(dim, dim, kernelSize, padding: kernelSize / 2, groups: groups, device: device),
            new Mish(),
            Conv1d(dim, dim, kernelSize, padding: kernelSize / 2, groups: groups, device: device),
            new Mish(),
        ];
        conv1d = Sequential(_layers);
        RegisterComponents();
    }

    /// <param name="x">b n d.</param>
    /// <param name="mask">b n (true = frame present) or null.</param>
    /// <returns>b n d.</returns>
    public override Tensor forward(Tensor x, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        var h = x.permute(0, 2, 1);                          // b d n
        if (mask is null)
        {
            h = Autocast.Call(conv1d, h);
        }
        else
        {
            var padded = mask.unsqueeze(1).logical_not();    // b 1 n
            h = h.masked_fill(padded, DoubleZero);
            foreach (var layer in _layers)
            {
                h = Autocast.Call(layer, h);
                if (layer is Conv1d) h = h.masked_fill(padded, DoubleZero);
            }
        }
        return h.permute(0, 2, 1).MoveToOuterDisposeScope(); // b n d
    }
}
