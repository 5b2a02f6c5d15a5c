using F5Parity.Errors;
using Whisper.net;

namespace F5Parity.Asr;

/// <summary>
/// Speech recognition with Whisper.net (whisper.cpp) on a ggml model. Input is mono float samples at 16 kHz —
/// resampling is the caller's job (<see cref="LinearInterpolationFallback"/> is a stop-gap). The model file is checked
/// by <see cref="GgmlWhisperModelFile"/> before Whisper.net sees it, and a load failure inside Whisper.net is reported
/// the same way: a <see cref="ConfigurationException"/> naming the path and the fault. One transcription runs at a
/// time per instance.
/// </summary>
public sealed class WhisperTranscriber : IDisposable
{
    /// <summary>The only sample rate Whisper accepts.</summary>
    public const int SampleRate = 16000;

    readonly WhisperFactory _factory;
    readonly WhisperProcessor _processor;
    readonly SemaphoreSlim _gate = new(1, 1);

    /// <param name="modelPath">A whisper.cpp ggml model (ggml-*.bin).</param>
    /// <param name="language">A Whisper language code ("pt" by default) or "auto" to detect it.</param>
    /// <param name="threads">Decoder threads; 0 lets whisper.cpp choose.</param>
    public WhisperTranscriber(string modelPath, string language = "pt", int threads = 0)
    {
        Model = GgmlWhisperModelFile.Validate(modelPath);
        Language = CheckLanguage(language);
        if (threads < 0) throw new ConfigurationException("threads", $"{threads}: must be 0 (automatic) or positive");

        _factory = WhisperFactory.FromPath(modelPath);
        try
        {
            var builder = _factory.CreateBuilder().WithLanguage(Language);
            if (threads > 0) builder = builder.WithThreads(threads);
            _processor = builder.Build();
        }
        catch (WhisperModelLoadException e)
        {
            _factory.Dispose();
            throw new ConfigurationException(modelPath, $"Whisper.net could not load the model ({e.Message})", e);
        }
        catch
        {
            _factory.Dispose();
            throw;
        }
    }

    /// <summary>The validated model header.</summary>
    public GgmlWhisperModelInfo Model { get; }

    /// <summary>The language code in use ("auto" detects).</summary>
    public string Language { get; }

    /// <summary>Transcribes 16 kHz mono samples; segment texts are trimmed and joined with single spaces.</summary>
    public Transcription Transcribe(float[] samples16k) => TranscribeAsync(samples16k).GetAwaiter().GetResult();

    /// <summary>Refuses any rate but 16 kHz, so a caller cannot forget to resample.</summary>
    public Transcription Transcribe(float[] samples, int sampleRate)
    {
        if (sampleRate != SampleRate)
            throw new ArgumentException($"Whisper needs {SampleRate} Hz audio, got {sampleRate} Hz: resample first", nameof(sampleRate));
        return Transcribe(samples);
    }

    public async Task<Transcription> TranscribeAsync(float[] samples16k, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(samples16k);
        if (samples16k.Length == 0) throw new ArgumentException("no samples to transcribe", nameof(samples16k));
        if (samples16k.Any(s => !float.IsFinite(s))) throw new ArgumentException("the samples hold NaN or infinite values", nameof(samples16k));

        var segments = new List<TranscriptSegment>();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await foreach (var s in _processor.ProcessAsync(samples16k, cancellationToken).ConfigureAwait(false))
                segments.Add(new TranscriptSegment(s.Start, s.End, s.Text, s.Language, s.Probability));
        }
        finally
        {
            _gate.Release();
        }
        var text = string.Join(' ', segments.Select(s => s.Text.Trim()).Where(t => t.Length > 0));
        return new Transcription(text, segments);
    }

    static string CheckLanguage(string language)
    {
        if (string.IsNullOrWhiteSpace(language)) throw new ConfigurationException("language", "empty language code (use \"pt\", another Whisper code, or \"auto\")");
        if (language == "auto") return language;
        var supported = WhisperFactory.GetSupportedLanguages().ToHashSet(StringComparer.Ordinal);
        if (!supported.Contains(language))
            throw new ConfigurationException("language", $"\"{language}\" is not a Whisper language code (e.g. \"pt\", \"en\", or \"auto\")");
        return language;
    }

    public void Dispose()
    {
        _processor.Dispose();
        _factory.Dispose();
        _gate.Dispose();
    }
}
