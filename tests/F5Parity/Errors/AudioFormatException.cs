namespace F5Parity.Errors;

/// <summary>An audio file that cannot be read or used as a reference.</summary>
public sealed class AudioFormatException(string path, string fault, Exception? inner = null)
    : F5ParityInputException(path, fault, inner);
