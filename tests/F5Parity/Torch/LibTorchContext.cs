using System.Runtime.InteropServices;

namespace F5Parity.Torch;

/// <summary>
/// libtorch's global <c>at::Context</c> switches that TorchSharp 0.107 does not wrap (its
/// <c>torch.use_deterministic_algorithms</c> is marked "not implemented"): called directly in libtorch_cpu, where
/// <c>at::globalContext()</c> and the Context members are exported (Itanium C++ ABI: a member function takes the
/// object as its first argument). These are the same calls PyTorch's <c>torch.use_deterministic_algorithms</c>,
/// <c>torch.backends.cudnn.deterministic</c> and <c>.benchmark</c> make.
/// </summary>
internal static partial class LibTorchContext
{
    const string Lib = "torch_cpu";

    [LibraryImport(Lib, EntryPoint = "_ZN2at13globalContextEv")]
    private static partial IntPtr GlobalContext();

    [LibraryImport(Lib, EntryPoint = "_ZN2at7Context26setDeterministicAlgorithmsEbb")]
    private static partial void SetDeterministicAlgorithms(IntPtr ctx, [MarshalAs(UnmanagedType.U1)] bool on, [MarshalAs(UnmanagedType.U1)] bool warnOnly);

    [LibraryImport(Lib, EntryPoint = "_ZNK2at7Context23deterministicAlgorithmsEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static partial bool DeterministicAlgorithms(IntPtr ctx);

    [LibraryImport(Lib, EntryPoint = "_ZNK2at7Context31deterministicAlgorithmsWarnOnlyEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static partial bool DeterministicAlgorithmsWarnOnly(IntPtr ctx);

    [LibraryImport(Lib, EntryPoint = "_ZN2at7Context21setDeterministicCuDNNEb")]
    private static partial void SetDeterministicCuDNN(IntPtr ctx, [MarshalAs(UnmanagedType.U1)] bool on);

    [LibraryImport(Lib, EntryPoint = "_ZNK2at7Context18deterministicCuDNNEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static partial bool DeterministicCuDNN(IntPtr ctx);

    [LibraryImport(Lib, EntryPoint = "_ZN2at7Context17setBenchmarkCuDNNEb")]
    private static partial void SetBenchmarkCuDNN(IntPtr ctx, [MarshalAs(UnmanagedType.U1)] bool on);

    [LibraryImport(Lib, EntryPoint = "_ZNK2at7Context14benchmarkCuDNNEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static partial bool BenchmarkCuDNN(IntPtr ctx);

    static IntPtr Ctx
    {
        get
        {
            TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU); // loads libtorch before the first call
            return GlobalContext();
        }
    }

    /// <summary><c>torch.use_deterministic_algorithms(mode, warn_only)</c>.</summary>
    public static void UseDeterministicAlgorithms(bool on, bool warnOnly) => SetDeterministicAlgorithms(Ctx, on, warnOnly);

    public static bool AreDeterministicAlgorithmsEnabled => DeterministicAlgorithms(Ctx);

    public static bool IsDeterministicAlgorithmsWarnOnly => DeterministicAlgorithmsWarnOnly(Ctx);

    /// <summary><c>torch.backends.cudnn.deterministic</c> (read and written; inert on a CPU-only build).</summary>
    public static bool CudnnDeterministic
    {
        get => DeterministicCuDNN(Ctx);
        set => SetDeterministicCuDNN(Ctx, value);
    }

    /// <summary><c>torch.backends.cudnn.benchmark</c>: autotuning, which may pick a different algorithm per run.</summary>
    public static bool CudnnBenchmark
    {
        get => BenchmarkCuDNN(Ctx);
        set => SetBenchmarkCuDNN(Ctx, value);
    }
}
