using System.Diagnostics;
using System.Globalization;
using F5Parity.Bench;

// Verbs:
//   determinism --config <model_config.json> --checkpoint <file> [--seed N] [--threads T] [--steps S]
//   nfe --size tiny|base [--steps S]        matmul [--n N]        load [--dir D]
//   quickrun [--dir D] [--runs trainer|infer|both]   (the README's Base-size quick-profile figure)
//   table [--test-tier-seconds S] [--skip-load]   (every figure, as the README's markdown table)
//   shares [--n N] [--runs R]               (the F5TTS_v1_Base forward's time by part, markdown)
//   forward [--n N] [--runs R]              (seconds of each F5TTS_v1_Base forward, packed CFG, after a warm-up)
//   heap [--mib M] [--glibc-default]         (RSS around a freed M MiB tensor: NativeHeap's policy, or glibc's default)
// Every verb but determinism (which sets its own) takes --threads T (libtorch intra-op threads; default: all cores).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Length == 0) { Console.Error.WriteLine("usage: F5Parity.Bench determinism|nfe|matmul|dtw|load|quickrun|table|shares|forward|heap [options]"); return 2; }
var options = Options.Parse(args[1..]);
// --glibc-default leaves malloc as glibc sets it (the heap verb's control).
if (!options.Flag("glibc-default")) F5Parity.Torch.NativeHeap.RetainLargeBlocks();
if (options.Int("threads", 0) is int threads and > 0 && args[0] != "determinism") TorchSharp.torch.set_num_threads(threads);
try
{
    switch (args[0])
    {
        case "determinism":
            foreach (var line in Benchmarks.DeterminismRun(options)) Console.WriteLine(line);
            return 0;
        case "matmul":
            Console.WriteLine($"matmul {Benchmarks.MatmulGflops(options.Int("n", 2048)):0.0} GFLOP/s");
            return 0;
        case "nfe":
            Console.WriteLine(Benchmarks.Nfe(options.Get("size", "tiny"), options.Int("steps", 4)));
            return 0;
        case "load":
            foreach (var r in Benchmarks.Load(options.Get("dir", Path.Combine(Path.GetTempPath(), "f5parity-bench")))) Console.WriteLine(r);
            return 0;
        case "dtw":
            Console.WriteLine(DtwBench.Run(options.Int("frames", 300)));
            return 0;
        case "readprobe":
            foreach (var line in Benchmarks.ReadProbe(options.Require("file"))) Console.WriteLine(line);
            return 0;
        case "quickrun":
            foreach (var line in QuickProfileRun.Run(options.Get("dir", Path.Combine(Path.GetTempPath(), "f5parity-quickrun")), options.Get("runs", "trainer"))) Console.WriteLine(line);
            return 0;
        case "shares":
            Console.Write(ForwardBench.Shares(options.Int("n", 256), options.Int("runs", 3)));
            return 0;
        case "forward":
            Console.WriteLine(string.Join(" ", ForwardBench.Seconds(options.Int("n", 256), options.Int("runs", 1)).Select(s => s.ToString("0.000"))));
            return 0;
        case "heap":
            Console.WriteLine(HeapProbe.Run(options.Int("mib", 256)));
            return 0;
        case "table":
            Console.Write(Benchmarks.Table(options));
            return 0;
        default:
            Console.Error.WriteLine($"unknown verb '{args[0]}'");
            return 2;
    }
}
catch (F5Parity.Errors.F5ParityInputException e)
{
    Console.Error.WriteLine(e.Message);
    return 3;
}

/// <summary>--name value pairs.</summary>
public sealed class Options
{
    readonly Dictionary<string, string> _values = new();

    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unexpected argument '{args[i]}'");
            string name = args[i][2..];
            o._values[name] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "true";
        }
        return o;
    }

    public string Get(string name, string fallback) => _values.GetValueOrDefault(name, fallback);
    public string Require(string name) => _values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required");
    public int Int(string name, int fallback) => _values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
    public double? Double(string name) => _values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : null;
    public bool Flag(string name) => _values.ContainsKey(name);
}
