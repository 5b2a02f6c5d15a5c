namespace F5Parity.Progress;

/// <summary>An <see cref="IProgress{T}"/> that calls its action at once, on the reporting thread (System.Progress posts to a synchronization context, so reports could arrive after the work ended).</summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
