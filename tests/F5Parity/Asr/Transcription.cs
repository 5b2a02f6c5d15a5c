namespace F5Parity.Asr;

/// <summary>What <see cref="WhisperTranscriber"/> heard: the joined text and the segments it came from.</summary>
public sealed record Transcription(string Text, IReadOnlyList<TranscriptSegment> Segments);

/// <summary>One Whisper segment: its time span in the input, its text, the language and mean token probability.</summary>
public sealed record TranscriptSegment(TimeSpan Start, TimeSpan End, string Text, string Language, float Probability);
