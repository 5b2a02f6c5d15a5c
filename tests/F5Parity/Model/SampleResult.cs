using static TorchSharp.torch;

namespace F5Parity.Model;

/// <summary>
/// What one <see cref="CFM.Sample"/> call produced, with the intermediate values the parity references capture:
/// the noise <c>y0</c>, the time grid, the <c>step_cond</c> the DiT saw, and its first output (packed cond/uncond
/// when CFG is on).
/// </summary>
public sealed record SampleResult(
    Tensor Output, Tensor Y0, Tensor T, Tensor StepCond, Tensor FirstStepOutput, Tensor Duration, Tensor? Trajectory)
    : IDisposable
{
    /// <summary>Moves every tensor to the dispose scope outside the current one (for callers inside a scope).</summary>
    public SampleResult MoveToOuterDisposeScope()
    {
        Output.MoveToOuterDisposeScope(); Y0.MoveToOuterDisposeScope(); T.MoveToOuterDisposeScope();
        StepCond.MoveToOuterDisposeScope(); FirstStepOutput.MoveToOuterDisposeScope(); Duration.MoveToOuterDisposeScope();
        Trajectory?.MoveToOuterDisposeScope();
        return this;
    }

    public void Dispose()
    {
        Output.Dispose(); Y0.Dispose(); T.Dispose(); StepCond.Dispose(); FirstStepOutput.Dispose(); Duration.Dispose();
        Trajectory?.Dispose();
    }
}
