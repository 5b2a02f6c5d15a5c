namespace F5Parity.Tests.TestUtilities;

/// <summary>
/// A background thread that collects the youngest generation and runs pending finalizers in a tight loop until disposed, so that any object
/// that has become unreachable — a TorchSharp implicit Scalar whose native handle libtorch is still reading, for one —
/// is finalized within microseconds instead of at the next natural GC. It widens a rare race into a likely one.
/// </summary>
public sealed class FinalizerPressure : IDisposable
{
    readonly Thread _thread;
    volatile bool _stop;
    long _cycles;

    public FinalizerPressure()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "finalizer-pressure" };
        _thread.Start();
    }

    /// <summary>Gen-0 collections (each followed by the pending finalizers) done so far.</summary>
    public long Cycles => Interlocked.Read(ref _cycles);

    void Loop()
    {
        while (!_stop)
        {
            // gen 0 only: a temporary Scalar dies young, and a gen-0 collection takes microseconds, not milliseconds
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            GC.WaitForPendingFinalizers();
            Interlocked.Increment(ref _cycles);
        }
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }
}
