using F5Parity.Torch;
using static TorchSharp.torch;

namespace F5Parity.Bench;

/// <summary>
/// The <c>heap</c> verb: fills a fresh float tensor of the given size on the main thread, frees it and fills another
/// (1 MiB smaller),
/// reading the RSS while the first is held, after it is freed, and while the second is held. Under
/// <see cref="NativeHeap"/>'s policy the RSS stays after the free and does not grow again; under glibc's default the
/// free gives the block back and the second is mapped afresh. Prints one line:
/// <c>heap retained=&lt;bool&gt; held=&lt;bytes&gt; freed=&lt;bytes&gt; again=&lt;bytes&gt;</c>.
/// </summary>
public static class HeapProbe
{
    public static string Run(int mebibytes)
    {
        static long Filled(int mib)
        {
            using var block = empty((long)mib << 18, ScalarType.Float32); // MiB / 4 bytes per float
            block.fill_(1.0f);
            return Rss.Current();
        }

        long held = Filled(mebibytes);
        long freed = Rss.Current();
        // 1 MiB smaller: libtorch asks for aligned memory, and glibc's aligned allocation requests a little more than
        // the size, so a hole of exactly the first block's size (one with something allocated after it) cannot take a
        // second block of the same size.
        long again = Filled(mebibytes - 1);
        return $"heap retained={NativeHeap.Retained.ToString().ToLowerInvariant()} held={held} freed={freed} again={again}";
    }
}
