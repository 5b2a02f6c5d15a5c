using F5Parity.Torch;
using static TorchSharp.torch;

namespace F5Parity.Bench;

/// <summary>
/// The <c>heap</c> verb: fills a fresh float tensor of the given size on the main thread, frees it and fills another,
/// reading the RSS while the first is held, after it is freed, and while the second is held. Under
/// <see cref="NativeHeap"/>'s policy the RSS stays after the free and does not grow again; under glibc's default the
/// free gives the block back and the second is mapped afresh. Prints one line:
/// <c>heap retained=&lt;bool&gt; held=&lt;bytes&gt; freed=&lt;bytes&gt; again=&lt;bytes&gt;</c>.
/// </summary>
public static class HeapProbe
{
    public static string Run(int mebibytes)
    {
        long Filled()
        {
            using var block = empty((long)mebibytes << 18, ScalarType.Float32); // MiB / 4 bytes per float
            block.fill_(1.0f);
            return Rss.Current();
        }

        long held = Filled();
        long freed = Rss.Current();
        long again = Filled();
        return $"heap retained={NativeHeap.Retained.ToString().ToLowerInvariant()} held={held} freed={freed} again={again}";
    }
}
