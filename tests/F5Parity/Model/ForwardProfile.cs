using System.Diagnostics;

namespace F5Parity.Model;

/// <summary>The parts of a <see cref="DiT"/> forward that <see cref="ForwardProfile"/> accounts separately.</summary>
public enum ForwardPart
{
    /// <summary>Everything not inside another part: time embedding, input projection, residual adds and gates, output projection.</summary>
    Other,
    TextEmbed,
    ConvPosEmbed,
    /// <summary>The adaptive and plain LayerNorms with their modulation, and the optional q/k RMSNorms.</summary>
    Norms,
    QkvProjections,
    Rotary,
    /// <summary>Scaled dot-product attention and the head merge.</summary>
    Attention,
    OutProjection,
    FeedForward,
}

/// <summary>
/// Self-time accounting of a forward by <see cref="ForwardPart"/>, for <c>scripts/bench</c>: the model marks its parts
/// with <see cref="Time"/>, which costs one thread-static read and does nothing unless a <see cref="Recorder"/> is
/// active on the calling thread. Time inside a nested part is charged to the innermost one only, so the parts add up
/// to the recorded wall time. libtorch's CPU ops are synchronous, so wall time is what each part costs.
/// </summary>
public static class ForwardProfile
{
    [ThreadStatic] static Recorder? _active;

    /// <summary>Charges the time until the returned section is disposed to <paramref name="part"/>.</summary>
    public static Section Time(ForwardPart part) => _active is { } r ? r.Enter(part) : default;

    /// <summary>Starts recording on this thread until the recorder is disposed.</summary>
    public static Recorder Start() => _active = new Recorder();

    public readonly struct Section(Recorder? recorder) : IDisposable
    {
        public void Dispose() => recorder?.Exit();
    }

    public sealed class Recorder : IDisposable
    {
        readonly Stopwatch _clock = Stopwatch.StartNew();
        readonly Stack<ForwardPart> _open = new([ForwardPart.Other]);
        readonly double[] _seconds = new double[Enum.GetValues<ForwardPart>().Length];
        TimeSpan _mark;

        /// <summary>Seconds charged to each part so far.</summary>
        public IReadOnlyDictionary<ForwardPart, double> Seconds
        {
            get
            {
                Charge();
                return Enum.GetValues<ForwardPart>().ToDictionary(p => p, p => _seconds[(int)p]);
            }
        }

        internal Section Enter(ForwardPart part)
        {
            Charge();
            _open.Push(part);
            return new Section(this);
        }

        internal void Exit()
        {
            Charge();
            if (_open.Count > 1) _open.Pop();
        }

        void Charge()
        {
            var now = _clock.Elapsed;
            _seconds[(int)_open.Peek()] += (now - _mark).TotalSeconds;
            _mark = now;
        }

        public void Dispose()
        {
            if (_active == this) _active = null;
        }
    }
}
