using System.Diagnostics;
using System.Text;
using F5Parity.Model;
using static TorchSharp.torch;

namespace F5Parity.Bench;

/// <summary>
/// The F5TTS_v1_Base DiT forward as the sampler calls it with packed classifier-free guidance (batch 2), random
/// weights (seed 0): its wall time, and its time by <see cref="ForwardPart"/>. The inputs are those of
/// <c>scripts/bench_upstream.py</c>, so the two can be compared: x and cond (1, n, mel_dim), <see cref="TextTokens"/>
/// token ids, time 0.5, no mask, no text cache.
/// </summary>
public static class ForwardBench
{
    /// <summary>Length of the token sequence (its embedding is padded to n frames either way).</summary>
    public const int TextTokens = 50;

    sealed class Setup : IDisposable
    {
        public readonly DiT Model;
        public readonly Tensor X, Cond, Text, Time;

        public Setup(long n)
        {
            var config = DiTConfig.F5TTS_v1_Base();
            manual_seed(0);
            Model = new DiT(config);
            Model.eval();
            X = randn(1, n, config.MelDim);
            Cond = randn(1, n, config.MelDim);
            Text = randint(0, config.TextNumEmbeds, [1, TextTokens], dtype: ScalarType.Int64);
            Time = tensor(new float[] { 0.5f });
        }

        public double Forward()
        {
            using var g = no_grad();
            var sw = Stopwatch.StartNew();
            using (Model.forward(X, Cond, Text, Time, null, cfgInfer: true)) { }
            return sw.Elapsed.TotalSeconds;
        }

        public void Dispose()
        {
            Model.Dispose();
            X.Dispose(); Cond.Dispose(); Text.Dispose(); Time.Dispose();
        }
    }

    /// <summary>Seconds per forward at n frames: each of <paramref name="runs"/> timed runs after one warm-up.</summary>
    public static List<double> Seconds(long n, int runs)
    {
        using var s = new Setup(n);
        s.Forward();
        return Enumerable.Range(0, runs).Select(_ => s.Forward()).ToList();
    }

    /// <summary>Each part's share of <paramref name="runs"/> forwards after one warm-up, as markdown rows.</summary>
    public static string Shares(long n, int runs)
    {
        using var s = new Setup(n);
        s.Forward();
        var total = Enum.GetValues<ForwardPart>().ToDictionary(p => p, _ => 0.0);
        double wall = 0;
        for (int i = 0; i < runs; i++)
        {
            using var recorder = ForwardProfile.Start();
            wall += s.Forward();
            foreach (var (part, sec) in recorder.Seconds) total[part] += sec;
        }
        double sum = total.Values.Sum();
        var sb = new StringBuilder();
        sb.AppendLine($"F5TTS_v1_Base DiT forward, packed CFG (batch 2), n = {n}, {get_num_threads()} threads: " +
                      $"{wall / runs * 1e3:0} ms per forward (mean of {runs}, after a warm-up).");
        sb.AppendLine();
        sb.AppendLine("| part | ms per forward | share |");
        sb.AppendLine("|---|---|---|");
        foreach (var (part, sec) in total.OrderByDescending(kv => kv.Value))
            sb.AppendLine($"| {Name(part)} | {sec / runs * 1e3:0.0} | {sec / sum * 100:0.0} % |");
        return sb.ToString();
    }

    static string Name(ForwardPart p) => p switch
    {
        ForwardPart.Other => "other (time embedding, input projection, residual gates, output projection)",
        ForwardPart.TextEmbed => "text embed (ConvNeXtV2 blocks)",
        ForwardPart.ConvPosEmbed => "conv position embed",
        ForwardPart.Norms => "norms (AdaLN, LayerNorm, final norm)",
        ForwardPart.QkvProjections => "q/k/v projections",
        ForwardPart.Rotary => "rotary",
        ForwardPart.Attention => "attention (scores, softmax, ·V, head merge)",
        ForwardPart.OutProjection => "attention output projection",
        ForwardPart.FeedForward => "feed-forward",
        _ => p.ToString(),
    };
}
