using F5Parity.Tests.TestUtilities;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace F5Parity.Tests.Training;

/// <summary>
/// <see cref="F5Parity.Training.AdamW"/> (kept-alive coefficients) updates parameters exactly as TorchSharp's
/// <c>optim.AdamW</c> does, with and without weight decay, AMSGrad and maximize, over steps that change the bias
/// corrections and the learning rate between steps.
/// </summary>
public sealed class AdamWTests
{
    static readonly Tolerance SameOps = Tolerance.Exact("the same libtorch calls in the same order with Scalars of the same value and type");

    [Theory]
    [InlineData(0.01, false, false)]
    [InlineData(0.0, false, false)]
    [InlineData(0.01, true, false)]
    [InlineData(0.01, false, true)]
    public void Steps_equal_TorchSharp_AdamW_bit_for_bit(double weightDecay, bool amsgrad, bool maximize)
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(11);
        var init = new[] { randn(7, 5, generator: gen), randn(5, generator: gen) };
        var ours = init.Select(t => new Parameter(t.clone())).ToArray();
        var theirs = init.Select(t => new Parameter(t.clone())).ToArray();
        using var optOurs = new F5Parity.Training.AdamW(ours, lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: weightDecay, amsgrad, maximize);
        using var optTheirs = optim.AdamW(theirs, lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: weightDecay, amsgrad, maximize);
        for (int step = 0; step < 6; step++)
        {
            var grads = init.Select(t => randn(t.shape, generator: gen)).ToArray();
            for (int i = 0; i < init.Length; i++)
            {
                ours[i].grad = grads[i].clone();
                theirs[i].grad = grads[i].clone();
            }
            optOurs.step();
            optTheirs.step();
            foreach (var g in optOurs.ParamGroups) g.LearningRate *= 0.7;
            foreach (var g in optTheirs.ParamGroups) g.LearningRate *= 0.7;
            for (int i = 0; i < init.Length; i++)
                TensorAssert.Close(ours[i], theirs[i], SameOps, "adamw", $"adamw/wd{weightDecay}_ams{amsgrad}_max{maximize}/step{step}/p{i}");
        }
    }
}
