namespace F5Parity.Progress;

/// <summary>
/// The hook <c>CFM.Sample</c> calls after each ODE step (step, of steps). A listener (the console reporter of the CLI
/// or the checkpoint tier) subscribes for the duration of a diagnosis or sweep; with none, a step costs one null check.
/// Flows with the async context, so parallel test collections do not see each other's steps.
/// </summary>
public static class SamplingProgress
{
    static readonly AsyncLocal<Action<int, int>?> Listener = new();

    public static void Step(int step, int steps) => Listener.Value?.Invoke(step, steps);

    /// <summary>Subscribes <paramref name="onStep"/> until the returned handle is disposed.</summary>
    public static IDisposable Listen(Action<int, int> onStep)
    {
        var previous = Listener.Value;
        Listener.Value = onStep;
        return new Restore(() => Listener.Value = previous);
    }

    sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }
}
