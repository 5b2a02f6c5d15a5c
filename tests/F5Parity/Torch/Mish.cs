using System.Reflection;
using TorchSharp;
using static TorchSharp.torch;

namespace F5Parity.Torch;

/// <summary>
/// <c>nn.Mish</c>: <c>x · tanh(softplus(x))</c>, computed as TorchSharp 0.107's own <c>Mish</c> module computes it
/// (softplus with β = 1.0 and threshold 20.0, then tanh, then the product) so results are bit-identical — but with
/// β and the threshold held in Scalars that live for the whole process. TorchSharp's module passes them as implicit
/// temporaries that a GC may free while libtorch reads them (see <see cref="Scalars"/>). The softplus overload that
/// takes Scalars is private in TorchSharp 0.107, so it is bound once here by reflection; a TorchSharp without it fails
/// at the first use of this type with a message, never silently.
/// </summary>
public sealed class Mish : nn.Module<Tensor, Tensor>
{
    static readonly Scalar Beta = 1.0.ToScalar();
    static readonly Scalar Threshold = 20.0.ToScalar();
    static readonly Func<Tensor, Scalar, Scalar, Tensor> Softplus = BindSoftplus();

    public Mish() : base(nameof(Mish)) { }

    /// <param name="x">any shape.</param>
    /// <returns>the same shape.</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return x.mul(Softplus(x, Beta, Threshold).tanh()).MoveToOuterDisposeScope();
    }

    /// <summary><c>Tensor.softplus1(Scalar beta, Scalar threshold)</c>: what <c>softplus(double, double)</c> calls.</summary>
    static Func<Tensor, Scalar, Scalar, Tensor> BindSoftplus()
    {
        var method = typeof(Tensor).GetMethod("softplus1", BindingFlags.Instance | BindingFlags.NonPublic, [typeof(Scalar), typeof(Scalar)])
            ?? throw new MissingMethodException(
                $"TorchSharp {typeof(Tensor).Assembly.GetName().Version} has no Tensor.softplus1(Scalar, Scalar); F5Parity.Torch.Mish needs another way to pass kept-alive Scalars to softplus");
        return method.CreateDelegate<Func<Tensor, Scalar, Scalar, Tensor>>();
    }
}
