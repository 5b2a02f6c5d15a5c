using F5Parity.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace F5Parity.Model;

/// <summary>
/// Port of upstream <c>FeedForward</c> (model/modules.py):
/// <c>ff = Sequential(Sequential(Linear(d, d·mult), GELU(approximate)), Dropout, Linear(d·mult, d_out))</c>, so the
/// state-dict keys are <c>ff.0.0.*</c> and <c>ff.2.*</c> (<c>ff.ff.0.0.*</c> inside a <see cref="DiTBlock"/>).
/// </summary>
public sealed class FeedForward : Module<Tensor, Tensor>
{
    readonly Sequential ff;

    /// <param name="approximate">GELU variant: upstream's DiT blocks use <c>"tanh"</c>, the class default is <c>"none"</c>.</param>
    public FeedForward(long dim, long? dimOut = null, double mult = 4, double dropout = 0.0,
        TorchSharp.Modules.GELU.Approximate approximate = TorchSharp.Modules.GELU.Approximate.none, Device? device = null) : base(nameof(FeedForward))
    {
        long innerDim = (long)(dim * mult);
        long outDim = dimOut ?? dim;
        var projectIn = Sequential(Linear(dim, innerDim, device: device), GELU(approximate));
        ff = Sequential(projectIn, Dropout(dropout), Linear(innerDim, outDim, device: device));
        RegisterComponents();
    }

    /// <param name="x">b n d.</param>
    /// <returns>b n d_out.</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return Autocast.Call(ff, x).MoveToOuterDisposeScope();
    }
}
