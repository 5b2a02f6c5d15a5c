using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static F5Parity.Torch.Scalars;

namespace F5Parity.Training;

/// <summary>
/// torch's <c>optim.AdamW</c> (upstream's Trainer optimizer) as TorchSharp 0.107 implements it — same options, same
/// per-parameter state and state dict (it is a <see cref="TorchSharp.Modules.AdamW"/>), the same libtorch calls in the
/// same order, so the updates are bit-identical — except that every coefficient handed to libtorch is a Scalar kept
/// alive for the call. TorchSharp's own <c>step</c> passes them as implicit temporaries that a GC may free while
/// libtorch reads them (see <see cref="F5Parity.Torch.Scalars"/>).
/// Per parameter p with gradient g at step t: <c>p ← p·(1 − lr·λ)</c>; <c>m ← β₁·m + (1 − β₁)·g</c>;
/// <c>v ← β₂·v + (1 − β₂)·g²</c>; <c>p ← p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)</c>, with the running maximum of
/// v in place of v under AMSGrad.
/// </summary>
public sealed class AdamW : TorchSharp.Modules.AdamW
{
    public AdamW(IEnumerable<Parameter> parameters, double lr, double beta1, double beta2, double eps, double weight_decay,
        bool amsgrad = false, bool maximize = false)
        : base(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize)
    {
    }

    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = (Options)group.Options;
        double lr = options.LearningRate!.Value, beta1 = options.beta1!.Value, beta2 = options.beta2!.Value;
        double eps = options.eps!.Value, weightDecay = options.weight_decay!.Value;
        bool amsgrad = options.amsgrad!.Value, maximize = options.maximize!.Value;
        using var decoupledDecay = (1 - lr * weightDecay).ToScalar();
        using var beta1Scalar = beta1.ToScalar();
        using var beta2Scalar = beta2.ToScalar();
        using var gradWeight = (1 - beta1).ToScalar();
        using var squaredGradWeight = (1 - beta2).ToScalar();
        using var epsScalar = eps.ToScalar();

        foreach (var param in group.Parameters)
        {
            var state = (State)_state[param.Handle];
            var grad = maximize ? -param.grad : param.grad;
            if (grad is null) continue;
            state.step += 1;

            param.mul_(decoupledDecay);
            double biasCorrection1 = 1 - Math.Pow(beta1, state.step);
            double biasCorrection2 = 1 - Math.Pow(beta2, state.step);
            state.exp_avg.mul_(beta1Scalar).add_(grad, alpha: gradWeight);
            state.exp_avg_sq.mul_(beta2Scalar).addcmul_(grad, grad, value: squaredGradWeight);

            using var sqrtBiasCorrection2 = Math.Sqrt(biasCorrection2).ToScalar();
            Tensor secondMoment = state.exp_avg_sq;
            if (amsgrad)
            {
                var previousMax = state.max_exp_avg_sq;
                state.max_exp_avg_sq = maximum(previousMax, state.exp_avg_sq).DetachFromDisposeScope();
                previousMax.Dispose();
                secondMoment = state.max_exp_avg_sq;
            }
            var denom = (secondMoment.sqrt() / sqrtBiasCorrection2).add_(epsScalar, alpha: IntOne);

            using var negativeStepSize = (-(lr / biasCorrection1)).ToScalar();
            param.addcdiv_(state.exp_avg, denom, value: negativeStepSize);
        }
    }, closure);
}
