using F5Parity.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace F5Parity.Model;

/// <summary>
/// Port of upstream <c>TimestepEmbedding</c> (model/modules.py): sinusoidal features of the time (256 wide), then
/// <c>time_mlp = Sequential(Linear(256, d), SiLU, Linear(d, d))</c>; state-dict keys <c>time_mlp.0.*</c>, <c>time_mlp.2.*</c>.
/// </summary>
public sealed class TimestepEmbedding : Module<Tensor, Tensor>
{
    readonly SinusPositionEmbedding time_embed;
    readonly Sequential time_mlp;

    public TimestepEmbedding(long dim, long freqEmbedDim = 256, Device? device = null) : base(nameof(TimestepEmbedding))
    {
        time_embed = new SinusPositionEmbedding(freqEmbedDim);
        time_mlp = Sequential(Linear(freqEmbedDim, dim, device: device), SiLU(), Linear(dim, dim, device: device));
        RegisterComponents();
    }

    /// <param name="timestep">b.</param>
    /// <returns>b d.</returns>
    public override Tensor forward(Tensor timestep)
    {
        using var scope = NewDisposeScope();
        var timeHidden = time_embed.call(timestep).to(timestep.dtype); // b 256
        return Autocast.Call(time_mlp, timeHidden).MoveToOuterDisposeScope(); // b d
    }
}
