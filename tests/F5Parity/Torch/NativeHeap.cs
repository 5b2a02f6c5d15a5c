using System.Runtime.InteropServices;

namespace F5Parity.Torch;

/// <summary>
/// How the process's C heap treats libtorch's large CPU temporaries. glibc's malloc serves every block above its mmap
/// threshold (128 KiB, rising with use to at most 32 MiB) from a fresh anonymous mapping and unmaps it on free, so a
/// temporary the size of attention's scores (b·h·n·n floats: 113 MB for F5TTS_Base at n = 940, three of them per
/// block) is faulted in page by page on every use. On the 2-core machine this project is built on a fault costs about
/// 6 µs per 4 KiB page: filling a fresh 113 MB tensor took 163 ms, filling one whose pages the heap kept 2.2 ms.
/// <see cref="RetainLargeBlocks"/> makes malloc keep them: no block is mapped on its own (<c>M_MMAP_MAX = 0</c>) and up
/// to <see cref="RetainedTopBytes"/> of freed heap top stays with the process (<c>M_TRIM_THRESHOLD</c>), so a block
/// freed by one block's attention is reused by the next. No arithmetic changes, only where the bytes live; the
/// process's resident size then stays near its peak instead of shrinking after each temporary.
/// It holds for the main thread, which allocates from glibc's main arena; another thread allocates from an arena of
/// its own whose heaps hold at most 64 MiB, and glibc maps a larger block there whatever this setting says. The
/// diagnosis, the bench and the fixture maker sample on their main thread and call this first; the test host calls
/// it too (its tests run on pool threads, so only blocks up to that size gain).
/// Checked in a child process against glibc's default by <c>Hygiene/NativeHeapTests</c>.
/// </summary>
public static partial class NativeHeap
{
    /// <summary>Freed heap top kept before malloc returns memory to the system: 1 GiB, above any one forward's temporaries.</summary>
    public const int RetainedTopBytes = 1 << 30;

    const int M_TRIM_THRESHOLD = -1, M_MMAP_MAX = -4;

    /// <summary>Whether <see cref="RetainLargeBlocks"/> took effect in this process.</summary>
    public static bool Retained { get; private set; }

    /// <summary>
    /// Applies the policy above where the C library is glibc; elsewhere (macOS, Windows, musl) it does nothing and
    /// returns false. Safe to call more than once.
    /// </summary>
    public static bool RetainLargeBlocks()
    {
        if (Retained) return true;
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            // mallopt returns 1 on success; musl's stub returns 0.
            Retained = Mallopt(M_MMAP_MAX, 0) == 1 && Mallopt(M_TRIM_THRESHOLD, RetainedTopBytes) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Retained = false;
        }
        return Retained;
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int param, int value);
}
