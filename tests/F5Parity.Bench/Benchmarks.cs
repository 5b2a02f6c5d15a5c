using System.Diagnostics;
using System.Text;
using F5Parity.Checkpoints;
using F5Parity.Model;
using F5Parity.Torch;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace F5Parity.Bench;

/// <summary>The measurements behind scripts/bench; each returns plain numbers or lines, <see cref="Table"/> the README table.</summary>
public static class Benchmarks
{
    /// <summary>Audio of the timing runs: 1.5 s of reference + 1.5 s to generate, at 24 kHz / hop 256.</summary>
    public const double RefSeconds = 1.5, GenSeconds = 1.5;
    const int Hop = 256, Rate = 24000;
    static long Frames(double s) => (long)(s * Rate / Hop);

    /// <summary>
    /// One seeded sampling of a loaded checkpoint with determinism switched on; prints the output mel's SHA-256
    /// (what the determinism test compares across processes) and the switches in force.
    /// </summary>
    public static IEnumerable<string> DeterminismRun(Options o)
    {
        var config = DiTConfig.FromJsonFile(o.Require("config"));
        long seed = o.Int("seed", 1234);
        Determinism.Enable(threads: o.Int("threads", 1));
        using var model = ModelLoader.Load(config, o.Require("checkpoint"));
        var (cond, text) = Inputs(config, seed, Frames(RefSeconds));
        using var _c = cond;
        using var _t = text;
        using var result = model.Sample(cond, text, tensor(Frames(RefSeconds + GenSeconds)),
            new SampleOptions { Steps = o.Int("steps", 8), CfgStrength = 2.0, SwaySamplingCoef = -1.0, Seed = seed });
        yield return $"mel-sha256 {Determinism.Fingerprint(result.Output)}";
        yield return $"mel-shape {string.Join("x", result.Output.shape)}";
        yield return $"state {Determinism.Current()}";
    }

    /// <summary>A seeded reference mel (1, n, mel_dim) and text ids (1, 24) inside the vocab.</summary>
    public static (Tensor Cond, Tensor Text) Inputs(DiTConfig config, long seed, long refFrames)
    {
        using var g = new Generator((ulong)seed);
        var cond = randn([1, refFrames, config.MelDim], generator: g);
        var text = randint(0, config.TextNumEmbeds, [1, 24], dtype: ScalarType.Int64, generator: g);
        return (cond, text);
    }

    /// <summary>Achieved GFLOP/s of an n×n×n fp32 matmul (2n³ FLOPs), best of 5 after a warm-up.</summary>
    public static double MatmulGflops(int n)
    {
        using var a = randn(n, n);
        using var b = randn(n, n);
        using (a.mm(b)) { }
        double best = double.MaxValue;
        for (int i = 0; i < 5; i++)
        {
            var sw = Stopwatch.StartNew();
            using (a.mm(b)) { }
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return 2.0 * n * n * n / best / 1e9;
    }

    public sealed record NfeResult(string Size, long Params, long Frames, double SecondsPerStep, double SecondsPerForward,
        double ForwardGflop, double RtfAt32Steps, double GemmOnlyGflops)
    {
        public double Gflops => ForwardGflop / SecondsPerForward;
        public override string ToString() =>
            $"{Size}: {Params / 1e6:0.0} M params, n={Frames}, {SecondsPerStep * 1e3:0.0} ms/NFE step, forward {ForwardGflop:0.0} GFLOP in {SecondsPerForward * 1e3:0.0} ms = {Gflops:0.0} GFLOP/s, RTF(32 NFE) {RtfAt32Steps:0.00}, the blocks' GEMMs alone {GemmOnlyGflops:0.0} GFLOP/s";
    }

    /// <summary>
    /// Random-weight DiT of the tiny fixture size (golden/upstream/v0) or F5TTS_Base; times CFM.sample per NFE step
    /// (CFG packed: the DiT runs on batch 2) and the bare DiT forward. RTF = 32 steps · s/step / generated seconds.
    /// </summary>
    public static NfeResult Nfe(string size, int steps)
    {
        var config = size switch
        {
            "tiny" => DiTConfig.FromJsonFile(Path.Combine(RepoRoot(), "golden", "upstream", "v0", "model_config.json")),
            "base" => DiTConfig.F5TTS_Base(),
            _ => throw new ArgumentException($"--size {size}: tiny or base"),
        };
        manual_seed(0);
        using var model = new CFM(new DiT(config));
        model.eval();
        long paramCount = model.parameters().Sum(p => p.numel());
        var (cond, text) = Inputs(config, 0, Frames(RefSeconds));
        using var _c = cond;
        using var _t = text;
        long n = Frames(RefSeconds + GenSeconds);
        var sampleOptions = new SampleOptions { Steps = steps, CfgStrength = 2.0, SwaySamplingCoef = -1.0, Seed = 0 };
        using (model.Sample(cond, text, tensor(n), sampleOptions with { Steps = 1 })) { } // warm-up
        var sw = new Stopwatch();
        double perStep = Best(size == "tiny" ? 3 : 1, () =>
        {
            sw.Restart();
            using (model.Sample(cond, text, tensor(n), sampleOptions)) { }
            return sw.Elapsed.TotalSeconds / steps;
        });

        // the bare forward, as the sampler calls it: x, cond (1, n, d), text (1, nt), time (1), packed CFG batch 2
        double perForward;
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            var x = randn(1, n, config.MelDim);
            var c = nn.functional.pad(cond, [0, 0, 0, n - cond.shape[1]]);
            var time = tensor(new float[] { 0.5f });
            using (model.transformer.forward(x, c, text, time, null, cfgInfer: true)) { }
            double best = double.MaxValue;
            for (int i = 0; i < Math.Max(2, steps / 2); i++)
            {
                sw.Restart();
                using (model.transformer.forward(x, c, text, time, null, cfgInfer: true)) { }
                best = Math.Min(best, sw.Elapsed.TotalSeconds);
            }
            perForward = best;
        }
        double flop = DiTFlops.Forward(config, 2, n) / 1e9;
        return new NfeResult(size, paramCount, n, perStep, perForward, flop, 32 * perStep / GenSeconds, GemmOnlyGflops(config, 2, n));
    }

    /// <summary>
    /// GFLOP/s of only the transformer blocks' matrix products at the forward's own shapes (per block: x·W for q, k, v,
    /// o and the two feed-forward layers on (b·n, d); QKᵀ and A·V as batched products per head), best of 2: what the
    /// forward could reach if everything else (norms, GELU, softmax, rotary, convs, copies) were free.
    /// </summary>
    public static double GemmOnlyGflops(DiTConfig c, long batch, long n)
    {
        using var g = no_grad();
        using var scope = NewDisposeScope();
        long d = c.Dim, i = c.Heads * c.DimHead, f = c.FfMult * c.Dim, bh = batch * c.Heads;
        var x = randn(batch * n, d);
        var wq = randn(d, i); var wo = randn(i, d); var w1 = randn(d, f); var w2 = randn(f, d);
        var q = randn(bh, n, c.DimHead); var kt = randn(bh, c.DimHead, n); var a = randn(bh, n, n);
        void Block()
        {
            using var s = NewDisposeScope();
            for (int k = 0; k < 3; k++) x.mm(wq);
            q.bmm(kt); a.bmm(q);
            x.mm(wo); x.mm(w1).mm(w2);
        }
        Block();
        double flop = c.Depth * (8.0 * batch * n * d * i + 4.0 * batch * n * n * i + 4.0 * batch * n * d * f);
        var sw = new Stopwatch();
        return flop / Best(2, () => { sw.Restart(); for (int l = 0; l < c.Depth; l++) Block(); return sw.Elapsed.TotalSeconds; }) / 1e9;
    }

    public sealed record LoadResult(string What, long Bytes, double Seconds, double RawSeconds, double FreshRawSeconds, long RssRiseBytes)
    {
        public double MBps => Bytes / Seconds / 1e6;
        public double RatioToRaw => Seconds / RawSeconds;
        public double RatioToFreshRaw => Seconds / FreshRawSeconds;
        public override string ToString() =>
            $"{What}: {Bytes / 1e9:0.00} GB in {Seconds:0.00} s = {MBps:0} MB/s, {RatioToRaw:0.00}x raw read into a reused buffer ({RawSeconds:0.000} s), {RatioToFreshRaw:0.00}x raw read into fresh memory ({FreshRawSeconds:0.000} s), RSS peak +{RssRiseBytes / 1e9:0.00} GB";
    }

    /// <summary>
    /// Writes an F5TTS_Base-sized EMA checkpoint (random weights, ~1.35 GB fp32) as .safetensors and as a torch.save
    /// zip .pt into <paramref name="dir"/>, times a raw sequential read of each file (warm page cache, 16 MiB buffer),
    /// <see cref="TrainerCheckpoint.Read"/> and the full <see cref="ModelLoader.Load(DiTConfig, string, bool, ScalarType, Device?, F5Parity.Audio.MelSpec?)"/>
    /// (best of 2 each), then deletes the files.
    /// </summary>
    public static List<LoadResult> Load(string dir)
    {
        Directory.CreateDirectory(dir);
        string st = Path.Combine(dir, "model_base_random.safetensors"), pt = Path.Combine(dir, "model_base_random.pt");
        var config = DiTConfig.F5TTS_Base();
        try
        {
            manual_seed(0);
            using (var model = new CFM(new DiT(config)))
            {
                var sd = model.state_dict().ToDictionary(kv => TrainerCheckpoint.EmaPrefix + kv.Key, kv => kv.Value);
                sd["initted"] = tensor(true);
                sd["step"] = tensor(1000L);
                if (File.Exists(st)) File.Delete(st);
                SafetensorsFile.Save(st, sd);
                WriteTorchZip(pt, sd);
            }
            GC.Collect();
            var results = new List<LoadResult>();
            var sw = new Stopwatch();
            double construct = Best(2, () => { sw.Restart(); new CFM(new DiT(config)).Dispose(); return sw.Elapsed.TotalSeconds; });
            foreach (var (file, kind) in new[] { (st, ".safetensors"), (pt, "torch.save .pt") })
            {
                long bytes = new FileInfo(file).Length;
                double raw = Best(3, () => RawRead(file)), fresh = Best(3, () => FreshRead(file));
                results.Add(Timed($"{kind} TrainerCheckpoint.Read", bytes, raw, fresh, () => TrainerCheckpoint.Read(file).Dispose()));
                results.Add(Timed($"{kind} ModelLoader.Load (DiT construction {construct:0.00} s + read + strict copy)", bytes, raw, fresh,
                    () => ModelLoader.Load(config, file).Dispose()));
            }
            return results;
        }
        finally
        {
            File.Delete(st);
            File.Delete(pt);
        }
    }

    /// <summary>
    /// A torch.save-like .pt: PyBridge's pickler deflates its zip entries, torch.save stores them uncompressed, so the
    /// entries are copied into a new archive without compression (what a real trainer checkpoint looks like).
    /// </summary>
    static void WriteTorchZip(string path, Dictionary<string, Tensor> sd)
    {
        string deflated = path + ".deflated";
        using (var fs = File.Create(deflated)) PyTorchPickler.PickleStateDict(fs, sd);
        try
        {
            if (File.Exists(path)) File.Delete(path);
            using var src = System.IO.Compression.ZipFile.OpenRead(deflated);
            using var dst = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create);
            foreach (var e in src.Entries)
            {
                using var input = e.Open();
                using var output = dst.CreateEntry(e.FullName, System.IO.Compression.CompressionLevel.NoCompression).Open();
                input.CopyTo(output);
            }
        }
        finally { File.Delete(deflated); }
    }

    /// <summary>Breakdown of a .safetensors load: raw read, allocating the tensors alone, SafetensorsFile.Load.</summary>
    public static IEnumerable<string> ReadProbe(string file)
    {
        var header = SafetensorsFile.ReadHeader(file);
        var sw = new Stopwatch();
        yield return $"raw read {Best(3, () => RawRead(file)):0.000} s";
        yield return $"empty() of every tensor, first-touched {Best(3, () =>
        {
            sw.Restart();
            var list = header.Entries.Select(e => empty(e.Shape, ScalarType.Float32)).ToList();
            foreach (var t in list) { if (t.numel() > 0) t.bytes.Fill(1); }
            double s = sw.Elapsed.TotalSeconds;
            foreach (var t in list) t.Dispose();
            return s;
        }):0.000} s";
        yield return $"SafetensorsFile.Load {Best(3, () =>
        {
            sw.Restart();
            var d = SafetensorsFile.Load(file);
            double s = sw.Elapsed.TotalSeconds;
            foreach (var t in d.Values) t.Dispose();
            return s;
        }):0.000} s";
    }

    static LoadResult Timed(string what, long bytes, double raw, double fresh, Action load)
    {
        long rise = 0;
        double best = Best(2, () =>
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            long before = Rss.Current();
            var sw = Stopwatch.StartNew();
            load();
            double s = sw.Elapsed.TotalSeconds;
            rise = Math.Max(rise, Rss.Peak() - before);
            return s;
        });
        return new LoadResult(what, bytes, best, raw, fresh, rise);
    }

    static double RawRead(string file)
    {
        var buffer = new byte[16 << 20];
        var sw = Stopwatch.StartNew();
        using var fs = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        while (fs.Read(buffer, 0, buffer.Length) > 0) { }
        return sw.Elapsed.TotalSeconds;
    }

    /// <summary>A raw read into newly allocated memory (the page faults every loader pays to hold the weights).</summary>
    static double FreshRead(string file)
    {
        var sw = Stopwatch.StartNew();
        var all = GC.AllocateUninitializedArray<byte>(checked((int)new FileInfo(file).Length));
        using (var fs = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
            fs.ReadExactly(all);
        double s = sw.Elapsed.TotalSeconds;
        GC.KeepAlive(all);
        return s;
    }

    static double Best(int runs, Func<double> run)
    {
        double best = double.MaxValue;
        for (int i = 0; i < runs; i++) best = Math.Min(best, run());
        return best;
    }

    /// <summary>Every figure as a markdown table, with the machine and its load before and after.</summary>
    public static string Table(Options o)
    {
        var sb = new StringBuilder();
        string loadBefore = LoadAverage();
        double matmul = MatmulGflops(o.Int("n", 2048));
        var tiny = Nfe("tiny", 8);
        var @base = Nfe("base", o.Int("base-steps", 2));
        var loads = o.Flag("skip-load") ? [] : Load(Path.Combine(Path.GetTempPath(), "f5parity-bench"));
        string shares = ForwardBench.Shares(256, 3);
        string loadAfter = LoadAverage();

        sb.AppendLine($"Machine: {CpuModel()}, {Environment.ProcessorCount} cores, libtorch {__version__} CPU, {get_num_threads()} intra-op threads. " +
                      $"Load average (1/5/15 min) before: {loadBefore}; after: {loadAfter}.");
        sb.AppendLine();
        sb.AppendLine("| figure | value | target | verdict |");
        sb.AppendLine("|---|---|---|---|");
        sb.AppendLine($"| fp32 matmul {o.Int("n", 2048)}³ (best of 5) | {matmul:0.0} GFLOP/s | — | reference |");
        foreach (var r in new[] { tiny, @base })
        {
            string name = r.Size == "tiny" ? "tiny fixture (v0)" : "F5TTS_Base size";
            sb.AppendLine($"| {name}: time per NFE step (CFG, batch 2, n = {r.Frames}) | {r.SecondsPerStep * 1e3:0.0} ms | — | — |");
            sb.AppendLine($"| {name}: real-time factor, 32 NFE, {GenSeconds} s generated | {r.RtfAt32Steps:0.00} | — | — |");
            double share = r.Gflops / matmul;
            string verdict = r.Size == "base"
                ? share >= 0.6 ? "met" : $"missed by {(0.6 - share) * 100:0} points: {Why(r, matmul)}"
                : "— (tiny: overhead-bound)";
            sb.AppendLine($"| {name}: DiT forward ({r.ForwardGflop:0.0} GFLOP) | {r.Gflops:0.0} GFLOP/s = {share * 100:0} % of matmul | ≥ 60 % at Base | {verdict} |");
            sb.AppendLine($"| {name}: the blocks' GEMMs alone, same shapes | {r.GemmOnlyGflops:0.0} GFLOP/s = {r.GemmOnlyGflops / matmul * 100:0} % of matmul | — | upper bound for the forward |");
        }
        foreach (var l in loads)
            sb.AppendLine($"| {l.What}, {l.Bytes / 1e9:0.00} GB | {l.Seconds:0.00} s = {l.MBps:0} MB/s; {l.RatioToFreshRaw:0.00}x a raw read into fresh memory ({l.FreshRawSeconds:0.00} s), {l.RatioToRaw:0.0}x a raw read into a reused 16 MiB buffer ({l.RawSeconds:0.00} s); RSS peak +{l.RssRiseBytes / 1e9:0.00} GB | ≤ 1.5x raw | " +
                $"{(l.RatioToFreshRaw <= 1.5 ? "met against fresh memory" : $"missed by {(l.RatioToFreshRaw / 1.5 - 1) * 100:0} % against fresh memory")}; {(l.RatioToRaw <= 1.5 ? "met" : $"missed by {(l.RatioToRaw / 1.5 - 1) * 100:0} %")} against the reused buffer |");
        if (o.Double("test-tier-seconds") is double tier)
            sb.AppendLine($"| CPU test tier (dotnet test, build excluded) | {tier / 60:0.0} min | ≤ 10 min on 2 cores | {(tier <= 600 ? "met" : $"missed by {(tier / 600 - 1) * 100:0} %")} |");
        sb.AppendLine();
        sb.Append(shares);
        return sb.ToString();
    }

    static string Why(NfeResult r, double matmul) =>
        $"the blocks' GEMMs at their own shapes ((2·{r.Frames})×1024 panels, per-head {r.Frames}×64 attention products) reach {r.GemmOnlyGflops / matmul * 100:0} % of the square matmul, " +
        $"and the remaining {(1 - r.Gflops / r.GemmOnlyGflops) * 100:0} % of that is lost to memory-bound work between them (norms, GELU, softmax, rotary, grouped convs, copies)";

    static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    static string CpuModel() => File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
        : "unknown CPU";

    /// <summary>The folder holding F5Parity.Tests.sln, searched upward from the binaries and then the working directory.</summary>
    public static string RepoRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var d = new DirectoryInfo(start); d != null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "F5Parity.Tests.sln"))) return d.FullName;
        throw new DirectoryNotFoundException("F5Parity.Tests.sln not found above the binaries or the working directory");
    }
}
