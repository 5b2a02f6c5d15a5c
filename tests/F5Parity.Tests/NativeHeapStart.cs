using System.Runtime.CompilerServices;

namespace F5Parity.Tests;

/// <summary>
/// The test host keeps libtorch's large temporaries on the heap, as every F5Parity executable does (NativeHeap); its
/// tests run on pool threads, so only blocks up to a thread arena's 64 MiB gain.
/// </summary>
static class NativeHeapStart
{
    [ModuleInitializer]
    internal static void Start() => F5Parity.Torch.NativeHeap.RetainLargeBlocks();
}
