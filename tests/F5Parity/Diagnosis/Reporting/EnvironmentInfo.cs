using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Quality;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace F5Parity.Diagnosis.Reporting;

/// <summary>Where a diagnosis ran: OS, CPU, GPU, TorchSharp and libtorch versions, F5Parity version.</summary>
public sealed record EnvironmentInfo(string Os, string Cpu, int CpuCores, string Gpu, string Device, string TorchSharp,
    string LibTorch, string F5Parity, string DotNet)
{
    public static EnvironmentInfo Capture(string device)
    {
        string cpu = "unknown";
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null) cpu = line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        string gpu = "none";
        try
        {
            if (cuda.is_available()) gpu = $"CUDA available, {cuda.device_count()} device(s)";
        }
        catch (Exception e) when (e is DllNotFoundException or ExternalException or TypeInitializationException) { gpu = "none (CUDA backend not loaded)"; }
        if (NvidiaSmi() is string smi) gpu += $"; nvidia-smi: {smi}";
        return new EnvironmentInfo(RuntimeInformation.OSDescription, cpu, Environment.ProcessorCount, gpu, device,
            Version(typeof(TorchSharp.torch).Assembly), LibTorchVersion(), Version(typeof(EnvironmentInfo).Assembly),
            RuntimeInformation.FrameworkDescription);
    }

    /// <summary>GPU names and driver versions from nvidia-smi, when it is installed.</summary>
    static string? NvidiaSmi()
    {
        try
        {
            using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("nvidia-smi", "--query-gpu=name,driver_version --format=csv,noheader")
            { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (p is null) return null;
            var text = p.StandardOutput.ReadToEnd().Trim();
            return p.WaitForExit(10_000) && p.ExitCode == 0 && text.Length > 0 ? text.Replace('\n', ';') : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }

    static string Version(Assembly a) =>
        a.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? a.GetName().Version?.ToString() ?? "unknown";

    /// <summary>The libtorch package version, read from the path of the loaded libtorch library (…/libtorch-cpu-linux-x64/2.10.0/…).</summary>
    static string LibTorchVersion()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                var m = Regex.Match(line, @"/(libtorch-[a-z0-9-]+|torchsharp-cuda-linux[a-z0-9-]*)/([0-9][0-9.]+[^/]*)/");
                if (m.Success) return $"{m.Groups[1].Value} {m.Groups[2].Value}";
            }
            // the build copies libtorch beside the binary: fall back to the version the repository pins
            if (RepositoryRoot.Find() is string root && Path.Combine(root, "Directory.Packages.props") is var props && File.Exists(props))
            {
                var m = Regex.Match(File.ReadAllText(props), @"Include=""(libtorch-cpu-linux-x64)""\s+Version=""([^""]+)""");
                bool cuda = File.ReadLines("/proc/self/maps").Any(l => l.Contains("libtorch_cuda.so"));
                if (m.Success && !cuda) return $"{m.Groups[1].Value} {m.Groups[2].Value} (pinned in Directory.Packages.props)";
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return "unknown";
    }
}
