using F5Parity.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static F5Parity.Torch.Scalars;

namespace F5Parity.Model;

/// <summary>
/// Port of upstream <c>InputEmbedding</c> (model/backbones/dit.py): <c>proj(cat(x, cond, text_embed))</c> from
/// <c>2·mel_dim + text_dim</c> to the model width, plus its <see cref="ConvPositionEmbedding"/> as a residual.
/// <c>drop_audio_cond</c> replaces the conditioning mel by zeros.
/// </summary>
public sealed class InputEmbedding : Module<Tensor, Tensor, Tensor, bool, Tensor?, Tensor>
{
    readonly Linear proj;
    readonly ConvPositionEmbedding conv_pos_embed;

    public InputEmbedding(long melDim, long textDim, long outDim, Device? device = null) : base(nameof(InputEmbedding))
    {
        proj = Linear(melDim * 2 + textDim, outDim, device: device);
        conv_pos_embed = new ConvPositionEmbedding(outDim, device: device);
        RegisterComponents();
    }

    /// <param name="x">b n mel_dim: the noised mel.</param>
    /// <param name="cond">b n mel_dim: the masked conditioning mel.</param>
    /// <param name="textEmbed">b n text_dim.</param>
    /// <param name="dropAudioCond">Replace <paramref name="cond"/> by zeros (classifier-free guidance).</param>
    /// <param name="audioMask">b n (true = frame present) or null, handed to the convolutional position embedding.</param>
    /// <returns>b n d.</returns>
    public override Tensor forward(Tensor x, Tensor cond, Tensor textEmbed, bool dropAudioCond, Tensor? audioMask)
    {
        using var scope = NewDisposeScope();
        if (dropAudioCond) cond = zeros_like(cond);
        var h = Autocast.Linear(proj, cat([x, cond, textEmbed], -1));       // b n d
        Tensor pos;
        using (ForwardProfile.Time(ForwardPart.ConvPosEmbed)) pos = conv_pos_embed.call(h, audioMask);
        return pos.add(h, alpha: IntOne).MoveToOuterDisposeScope();
    }
}
