using System.Diagnostics;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;

namespace F5Parity.Progress;

/// <summary>
/// Shows long work on the console: which sampling run of how many (an upper bound where the runner's cache may skip
/// runs), the NFE step, elapsed time and an ETA from the mean time per run so far. Writes one line per run and
/// rewrites it in place per step on a terminal; on a redirected stream (CI logs) only the finished run's line.
/// </summary>
public sealed class ConsoleProgress(int runs, TextWriter? writer = null) : IDisposable
{
    readonly TextWriter @out = writer ?? Console.Out;
    readonly Stopwatch watch = Stopwatch.StartNew();
    readonly bool tty = writer is null && !Console.IsOutputRedirected;
    IDisposable? subscription;
    int run;

    public int Runs { get; set; } = runs;

    /// <summary>
    /// For one whole diagnosis: trainer + infer, a control and a treatment per hypothesis, the ladder's rungs — all of
    /// them walked, or a bisection's ⌈log₂ k⌉ between the two path runs (the runner's cache skips repeats, hence "≤").
    /// </summary>
    public static ConsoleProgress ForDiagnosis(LadderStrategy ladder = LadderStrategy.Walk)
    {
        int rungs = PathDifference.All.Count;
        int ladderRuns = ladder == LadderStrategy.Bisect ? (int)Math.Ceiling(Math.Log2(rungs)) : rungs + 1;
        return new(2 + 2 * HypothesisCatalogue.All.Count + ladderRuns);
    }

    public ConsoleProgress Start()
    {
        subscription = SamplingProgress.Listen(OnStep);
        return this;
    }

    /// <summary>The status line for the current step.</summary>
    public string Line(int step, int steps)
    {
        double done = run - 1 + (double)step / steps;
        var elapsed = watch.Elapsed;
        string eta = done > 0 ? $", ETA ≤ {TimeSpan.FromSeconds(elapsed.TotalSeconds / done * Math.Max(0, Runs - done)):mm\\:ss}" : "";
        return $"run {run} of ≤ {Runs}, NFE step {step}/{steps}, elapsed {elapsed:mm\\:ss}{eta}";
    }

    void OnStep(int step, int steps)
    {
        if (step == 1) run++;
        if (run > Runs) Runs = run;
        if (tty) @out.Write($"\r{Line(step, steps)}   ");
        else if (step == steps) @out.WriteLine(Line(step, steps));
        if (tty && step == steps) @out.WriteLine();
    }

    public void Dispose() => subscription?.Dispose();
}
