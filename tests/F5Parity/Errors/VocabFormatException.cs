namespace F5Parity.Errors;

/// <summary>A vocab.txt that cannot be used as upstream would use it.</summary>
public sealed class VocabFormatException(string path, string fault, Exception? inner = null)
    : F5ParityInputException(path, fault, inner);
