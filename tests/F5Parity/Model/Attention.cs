using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace F5Parity.Model;

/// <summary>
/// Port of upstream <c>Attention</c> (model/modules.py) for self-attention (no joint context): <c>to_q</c>, <c>to_k</c>,
/// <c>to_v</c> (d -> h·d_head, with bias), optional <c>q_norm</c>/<c>k_norm</c> (<see cref="RMSNorm"/> over d_head, eps
/// 1e-6) when <c>qk_norm = "rms_norm"</c>, and <c>to_out = [Linear(h·d_head, d), Dropout]</c> (keys <c>to_out.0.*</c>).
/// The arithmetic lives in <see cref="AttnProcessor"/>, as upstream splits it.
/// </summary>
public sealed class Attention : Module<Tensor, Tensor?, RotaryFreqs?, Tensor>
{
    internal readonly Linear to_q;
    internal readonly Linear to_k;
    internal readonly Linear to_v;
    internal readonly RMSNorm? q_norm;
    internal readonly RMSNorm? k_norm;
    internal readonly ModuleList<Module<Tensor, Tensor>> to_out;
    readonly AttnProcessor _processor;

    public Attention(AttnProcessor processor, long dim, long heads = 8, long dimHead = 64, double dropout = 0.0,
        string? qkNorm = null, Device? device = null) : base(nameof(Attention))
    {
        _processor = processor;
        Heads = heads;
        long innerDim = dimHead * heads;
        to_q = Linear(dim, innerDim, device: device);
        to_k = Linear(dim, innerDim, device: device);
        to_v = Linear(dim, innerDim, device: device);
        switch (qkNorm)
        {
            case null: break;
            case "rms_norm":
                q_norm = new RMSNorm(dimHead, 1e-6, device);
                k_norm = new RMSNorm(dimHead, 1e-6, device);
                break;
            default: throw new NotSupportedException($"qk_norm \"{qkNorm}\" is not implemented upstream either");
        }
        to_out = ModuleList<Module<Tensor, Tensor>>(Linear(innerDim, dim, device: device), Dropout(dropout));
        RegisterComponents();
    }

    /// <summary>h: the number of heads.</summary>
    public long Heads { get; }

    /// <param name="x">b n d.</param>
    /// <param name="mask">b n (true = frame present) or null.</param>
    /// <param name="rope">Rotary angles, or null.</param>
    /// <returns>b n d.</returns>
    public override Tensor forward(Tensor x, Tensor? mask, RotaryFreqs? rope)
    {
        using var scope = NewDisposeScope();
        return _processor.Call(this, x, mask, rope).MoveToOuterDisposeScope();
    }
}
