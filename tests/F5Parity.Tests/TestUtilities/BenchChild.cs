using System.Diagnostics;
using FluentAssertions;

namespace F5Parity.Tests.TestUtilities;

/// <summary>
/// Runs one verb of <c>F5Parity.Bench</c> in a child process (with the test assembly's runtime config and deps, from its
/// bin folder) for the tests that need a fresh process: determinism across processes, the native heap's policy.
/// </summary>
public static class BenchChild
{
    /// <summary>The child's standard output; fails the test when it exits non-zero, with its stderr.</summary>
    public static string Run(TimeSpan timeout, params string[] verbAndOptions)
    {
        string bin = AppContext.BaseDirectory;
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = bin,
        };
        foreach (var a in new[]
                 {
                     "exec", "--runtimeconfig", Path.Combine(bin, "F5Parity.Tests.runtimeconfig.json"),
                     "--depsfile", Path.Combine(bin, "F5Parity.Tests.deps.json"), Path.Combine(bin, "F5Parity.Bench.dll"),
                 }.Concat(verbAndOptions))
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"the bench child '{verbAndOptions[0]}' did not finish in {timeout.TotalMinutes:0} minutes");
        }
        p.ExitCode.Should().Be(0, $"the child must succeed; stderr: {stderr.Result}");
        return stdout.Result;
    }
}
