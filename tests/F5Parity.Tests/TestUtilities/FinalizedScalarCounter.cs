using System.Diagnostics.Tracing;
using TorchSharp;

namespace F5Parity.Tests.TestUtilities;

/// <summary>
/// Counts the TorchSharp <see cref="Scalar"/>s that reach the finalizer thread while it listens: the runtime's own
/// <c>FinalizeObject</c> events (GC keyword, verbose) name the finalized object's type by its method table, which is
/// compared with <see cref="Scalar"/>'s. A Scalar that was disposed never gets there (Dispose suppresses finalization);
/// one made by TorchSharp's implicit conversion from a C# number always does, and its finalizer frees the native value
/// on the finalizer thread — the race described in <see cref="F5Parity.Torch.Scalars"/>. So a code path that makes no
/// implicit Scalar leaves this count at 0, deterministically, whether or not the race happened to strike.
/// </summary>
public sealed class FinalizedScalarCounter : EventListener
{
    const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    const EventKeywords GcKeyword = (EventKeywords)0x1;
    static readonly nint ScalarTypeId = typeof(Scalar).TypeHandle.Value;
    static readonly nint SentinelTypeId = typeof(Sentinel).TypeHandle.Value;

    int _scalars;
    int _sentinels;

    /// <summary>Scalars finalized since this listener started (call <see cref="Flush"/> first).</summary>
    public int Scalars => Volatile.Read(ref _scalars);

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == RuntimeSource) EnableEvents(source, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        // payload: TypeID (the method table address), ObjectID, ClrInstanceID
        if (e.EventName != "FinalizeObject" || e.Payload is not [nint id, ..]) return;
        if (id == ScalarTypeId) Interlocked.Increment(ref _scalars);
        else if (id == SentinelTypeId) Interlocked.Increment(ref _sentinels);
    }

    /// <summary>
    /// Collects, runs every pending finalizer, and waits until the events of those finalizations have been delivered:
    /// a sentinel object is finalized last and its event awaited (the finalizer thread writes its events in order).
    /// Returns false when the runtime delivered no sentinel event within <paramref name="timeout"/> (events unavailable).
    /// </summary>
    public bool Flush(TimeSpan timeout)
    {
        int before = Volatile.Read(ref _sentinels);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        MakeSentinel();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var deadline = DateTime.UtcNow + timeout;
        while (Volatile.Read(ref _sentinels) == before)
        {
            if (DateTime.UtcNow > deadline) return false;
            Thread.Sleep(10);
        }
        return true;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    static void MakeSentinel() => _ = new Sentinel();

    sealed class Sentinel
    {
        ~Sentinel() { }
    }
}
